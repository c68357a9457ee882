/**
 * `POST /v1.0/$batch`: at most 20 requests (21 is refused whole), each inner request answered by the
 * same handler as a direct GET with its own faults, inner 429s carrying Retry-After in their own
 * headers, answers matched by id in an order that is not the request order, latency once per batch.
 */
import * as http from "node:http";
import { MAX_BATCH, createGraphEmulator, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { batchOf, postBatch, request, seg, type InnerResponse } from "./helpers";

let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
beforeAll(async () => {
  server = await startGraphEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.emulator.setScenario("ready-to-install");
  server.emulator.reset();
});

const SA = seg("w365serv@contoso.com");
const twenty = () => {
  const urls: Record<string, string> = {};
  for (let i = 0; i < MAX_BATCH; i++) urls[`q${i}`] = i % 2 ? `/users/${SA}?$select=id` : "/domains?$select=id";
  return urls;
};
const byId = (responses: InnerResponse[]) => new Map(responses.map((r) => [r.id, r]));

test("20 requests are answered, each once, matched by id; the answer order is not the request order", async () => {
  const answer = await postBatch(server.url, batchOf(twenty()));
  expect(answer.status).toBe(200);
  const responses = answer.json.responses as InnerResponse[];
  expect(responses.map((r) => r.id).sort()).toEqual(Object.keys(twenty()).sort());
  expect(responses.map((r) => r.id)).not.toEqual(Object.keys(twenty()));
  expect(responses.every((r) => r.status === 200)).toBe(true);
  expect(byId(responses).get("q1")?.body.id).toBe("aaaaaaaa-0000-4000-8000-000000000002");
  expect(byId(responses).get("q0")?.body.value.map((d: { id: string }) => d.id)).toEqual(["contoso.com", "contoso.onmicrosoft.com"]);
  // One HTTP request in the log, with its inner urls and statuses.
  const entry = server.emulator.requests.at(-1);
  expect(entry).toMatchObject({ method: "POST", batch: true, endpoint: "$batch", status: 200 });
  expect(entry?.inner).toHaveLength(20);
  expect(entry?.inner?.find((i) => i.id === "q1")).toMatchObject({ url: "/users/w365serv@contoso.com?$select=id", endpoint: "users", status: 200 });
});

test("21 requests are refused whole with Graph's 400, and nothing inside is answered", async () => {
  const urls = { ...twenty(), q20: "/me" };
  const answer = await postBatch(server.url, batchOf(urls));
  expect(answer.status).toBe(400);
  expect(answer.json.error.code).toBe("BadRequest");
  expect(answer.json.error.message).toBe("Number of requests in the batch exceeds the limit of 20.");
  expect(server.emulator.requests.at(-1)?.inner).toBeUndefined();
});

test("the order can be the request order when a test wants it", async () => {
  const local = await startGraphEmulatorServer({ scenario: "ready-to-install", batchOrder: "request" });
  try {
    const answer = await postBatch(local.url, batchOf(twenty()));
    expect(answer.json.responses.map((r: InnerResponse) => r.id)).toEqual(Object.keys(twenty()));
  } finally {
    await local.close();
  }
});

test("inner requests get their own faults: one 403, the others answered", async () => {
  server.emulator.setFaults({ licenseDetails: 403, conditionalAccessPolicies: "premium" });
  const answer = await postBatch(
    server.url,
    batchOf({ a: `/users/${SA}/licenseDetails`, b: `/users/${SA}?$select=id`, c: "/identity/conditionalAccess/policies?$select=id" }),
  );
  expect(answer.status).toBe(200);
  const r = byId(answer.json.responses);
  expect(r.get("a")?.status).toBe(403);
  expect(r.get("a")?.body.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
  expect(Object.keys(r.get("a")?.body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
  expect(r.get("b")?.status).toBe(200);
  expect(r.get("c")?.body.error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
  expect(server.emulator.requests.at(-1)?.inner?.find((i) => i.id === "a")).toMatchObject({ status: 403, fault: "denied" });
});

test("an inner 429 carries Retry-After in its own headers; the batch itself is 200", async () => {
  server.emulator.setFaults({ "*": { status: 429, retryAfter: 7, times: 1 } });
  const answer = await postBatch(server.url, batchOf({ a: "/domains", b: "/subscribedSkus" }));
  expect(answer.status).toBe(200);
  expect(answer.headers["retry-after"]).toBeUndefined();
  for (const r of answer.json.responses as InnerResponse[]) {
    expect(r.status).toBe(429);
    expect(r.headers["Retry-After"]).toBe("7");
    expect(r.body.error.code).toBe("TooManyRequests");
  }
  // times: 1 per endpoint: the retry succeeds.
  const retry = await postBatch(server.url, batchOf({ a: "/domains", b: "/subscribedSkus" }));
  expect(retry.json.responses.map((r: InnerResponse) => r.status)).toEqual([200, 200]);
});

test("a $batch fault hits the envelope (429 with Retry-After on the HTTP answer); `*` never does", async () => {
  server.emulator.setFaults({ $batch: { status: 429, retryAfter: 3, times: 1 } });
  const throttled = await postBatch(server.url, batchOf({ a: "/me" }));
  expect(throttled.status).toBe(429);
  expect(throttled.headers["retry-after"]).toBe("3");
  // The log says what the refused batch held (nothing inside was answered), so a resend can be told from a new request.
  const refused = server.emulator.requests.at(-1) as { inner?: unknown; refusedInner?: { id: string; url: string }[] } | undefined;
  expect(refused?.inner).toBeUndefined();
  expect(refused?.refusedInner).toEqual([{ id: "a", url: "/me" }]);
  expect((await postBatch(server.url, batchOf({ a: "/me" }))).status).toBe(200);
  server.emulator.setFaults({ "*": 500 });
  const envelope = await postBatch(server.url, batchOf({ a: "/me" }));
  expect(envelope.status).toBe(200);
  expect(envelope.json.responses[0].status).toBe(500);
});

test("an inner drop takes the whole batch's connection; an inner hang holds it until released", async () => {
  server.emulator.setFaults({ domains: "drop" });
  await expect(postBatch(server.url, batchOf({ a: "/me", b: "/domains" }))).rejects.toThrow(/socket hang up|ECONNRESET/);
  server.emulator.setFaults({ domains: "hang" });
  const pending = postBatch(server.url, batchOf({ a: "/me", b: "/domains" }));
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(server.emulator.requests.at(-1)?.status).toBe("held");
  server.emulator.releaseHeld();
  await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
});

test("an inner delay delays only the batch that holds it", async () => {
  server.emulator.setFaults({ domains: { kind: "delay", ms: 250 } });
  const started = Date.now();
  const answer = await postBatch(server.url, batchOf({ a: "/me", b: "/domains" }));
  expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  expect(answer.json.responses.map((r: InnerResponse) => r.status)).toEqual([200, 200]);
});

test("inner requests are strict like direct ones: bad paths, options, methods and absolute URLs", async () => {
  const answer = await request(`${server.url}/v1.0/$batch`, {
    method: "POST",
    body: {
      requests: [
        { id: "segment", method: "GET", url: "/userz/x" },
        { id: "option", method: "GET", url: "/me?$orderby=displayName" },
        { id: "select", method: "GET", url: "/me?$select=nickname" },
        { id: "method", method: "PATCH", url: "/me" },
        { id: "absolute", method: "GET", url: "https://graph.microsoft.com/v1.0/me" },
        { id: "versioned", method: "GET", url: "/v1.0/me" },
        { id: "noslash", method: "GET", url: "me?$select=id" },
      ],
    },
  });
  const r = byId(answer.json.responses);
  expect(r.get("segment")?.body.error.message).toBe("Resource not found for the segment 'userz'.");
  expect(r.get("option")?.body.error.message).toBe("The query parameter '$orderby' is not supported.");
  expect(r.get("select")?.body.error.message).toBe("Could not find a property named 'nickname' on type 'microsoft.graph.user'.");
  expect(r.get("method")?.status).toBe(405);
  expect(r.get("absolute")?.status).toBe(400);
  expect(r.get("versioned")?.body.error.message).toBe("Resource not found for the segment 'v1.0'.");
  expect(r.get("noslash")?.status).toBe(200);
});

test("malformed batch bodies are refused whole", async () => {
  const post = (body: unknown) => request(`${server.url}/v1.0/$batch`, { method: "POST", body });
  expect((await post("not json")).status).toBe(400);
  expect((await post({ requests: [] })).status).toBe(400);
  expect((await post({ requests: [{ id: "a", method: "GET", url: "/me" }, { id: "a", method: "GET", url: "/me" }] })).json.error.message).toContain("'a' appears twice");
  expect((await post({ requests: [{ id: "a", method: "GET", url: "/me", atomicityGroup: "x" }] })).status).toBe(400);
  expect((await request(`${server.url}/v1.0/$batch`)).status).toBe(405);
});

test("latency applies once per HTTP request: a batch of 10 waits once", async () => {
  server.emulator.setLatency(300);
  const urls: Record<string, string> = {};
  for (let i = 0; i < 10; i++) urls[`q${i}`] = "/me?$select=id";
  const started = Date.now();
  const answer = await postBatch(server.url, batchOf(urls));
  const elapsed = Date.now() - started;
  expect(answer.status).toBe(200);
  expect(elapsed).toBeGreaterThanOrEqual(290);
  expect(elapsed).toBeLessThan(900);
});

test("handle() mounts in any server and leaves other paths alone", async () => {
  const emulator = createGraphEmulator({ scenario: "ready-to-install" });
  const other = http.createServer((req, res) => {
    emulator.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418);
        res.end("teapot");
      }
    });
  });
  await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    const port = (other.address() as { port: number }).port;
    expect((await request(`http://127.0.0.1:${port}/v1.0/me?$select=id`)).status).toBe(200);
    expect((await request(`http://127.0.0.1:${port}/api/data/v9.2/systemusers`)).status).toBe(418);
  } finally {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  }
});
