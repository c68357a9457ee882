/**
 * Faults per endpoint (and `*`, `$batch`), `times`, latency, the 401 for an expired token, the
 * request log (which never holds a header value), the control API (never delayed or faulted) and
 * the standalone command.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { loadScenario, normalizeFaults, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { batchOf, postBatch, request, seg } from "./helpers";

let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
beforeAll(async () => {
  server = await startGraphEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.emulator.setScenario("ready-to-install");
  server.emulator.reset();
});

const get = (p: string, headers: Record<string, string> = {}) => request(server.url + p, { headers });
const SA = seg("w365serv@contoso.com");

describe("fault kinds", () => {
  test("403: Authorization_RequestDenied, Graph's body", async () => {
    server.emulator.setFaults({ securityDefaults: 403 });
    const answer = await get("/v1.0/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled");
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    expect(answer.json.error.innerError["request-id"]).toBe(answer.headers["request-id"]);
    expect(answer.json.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  test("premium: Authentication_RequestFromNonPremiumTenantOrB2CTenant (the registration report's odd SPO message)", async () => {
    server.emulator.setFaults({ userRegistrationDetails: "premium" });
    const answer = await get("/v1.0/reports/authenticationMethods/userRegistrationDetails");
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: "Authentication_RequestFromNonPremiumTenantOrB2CTenant", message: "Tenant does not have a SPO license." });
  });

  test("the premium error also comes from the data: no P1 for reports and CA, no P2 for eligibility", async () => {
    server.emulator.setScenario("no-premium");
    expect(server.emulator.scenario.premium).toEqual({ p1: false, p2: false });
    for (const p of ["/v1.0/reports/authenticationMethods/userRegistrationDetails", "/v1.0/identity/conditionalAccess/policies"]) {
      expect((await get(p)).json.error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
    }
    // PIM answers without P2 in its own words.
    const pim = await get("/v1.0/roleManagement/directory/roleEligibilityScheduleInstances");
    expect([pim.status, pim.json.error.code, pim.json.error.message]).toEqual([400, "AadPremiumLicenseRequired", "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license."]);
    server.emulator.setScenario("service-account-only-in-entra");
    expect(server.emulator.scenario.premium).toEqual({ p1: true, p2: true });
    expect((await get("/v1.0/roleManagement/directory/roleEligibilityScheduleInstances")).status).toBe(200);
  });

  test("404: Request_ResourceNotFound naming the key", async () => {
    server.emulator.setFaults({ users: 404 });
    const answer = await get(`/v1.0/users/${SA}`);
    expect(answer.status).toBe(404);
    expect(answer.json.error.message).toBe("Resource 'w365serv@contoso.com' does not exist or one of its queried reference-property objects are not present.");
  });

  test("429: TooManyRequests with Retry-After", async () => {
    server.emulator.setFaults({ domains: { status: 429, retryAfter: 5 } });
    const answer = await get("/v1.0/domains");
    expect(answer.status).toBe(429);
    expect(answer.headers["retry-after"]).toBe("5");
    expect(answer.json.error.code).toBe("TooManyRequests");
  });

  test("500, drop and hang", async () => {
    server.emulator.setFaults({ me: 500, domains: "drop", subscribedSkus: "hang" });
    expect((await get("/v1.0/me")).status).toBe(500);
    await expect(get("/v1.0/domains")).rejects.toThrow(/socket hang up|ECONNRESET/);
    const held = get("/v1.0/subscribedSkus");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.emulator.requests.at(-1)).toMatchObject({ endpoint: "subscribedSkus", status: "held", fault: "hang" });
    const outcome = expect(held).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await request(`${server.url}/_emulator/release`, { method: "POST" })).json).toEqual({ released: 1 });
    await outcome;
  });

  test("delay answers normally after ms", async () => {
    server.emulator.setFaults({ organization: { kind: "delay", ms: 200 } });
    const started = Date.now();
    const answer = await get("/v1.0/organization");
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(answer.status).toBe(200);
  });

  test("unknown targets and kinds are refused when set", () => {
    expect(() => normalizeFaults({ usres: 403 } as never)).toThrow(/Unknown fault target 'usres'/);
    expect(() => normalizeFaults({ users: 418 })).toThrow(/Unknown fault/);
    expect(() => normalizeFaults({ users: { kind: "throttle", retry: 2 } as never })).toThrow(/Unknown fault option 'retry'/);
  });
});

describe("times", () => {
  test("times: N faults only the first N requests of that endpoint", async () => {
    server.emulator.setFaults({ domains: { status: 429, times: 2 } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get("/v1.0/domains")).status);
    expect(statuses).toEqual([429, 429, 200, 200]);
  });

  test("under `*`, times counts per endpoint; an endpoint's own fault wins over `*`", async () => {
    server.emulator.setFaults({ "*": { status: 500, times: 1 }, me: 403 });
    expect((await get("/v1.0/domains")).status).toBe(500);
    expect((await get("/v1.0/subscribedSkus")).status).toBe(500);
    expect((await get("/v1.0/domains")).status).toBe(200);
    expect((await get("/v1.0/me")).status).toBe(403);
    expect((await get("/v1.0/me")).status).toBe(403);
  });

  test("setting faults again restarts the counts", async () => {
    server.emulator.setFaults({ domains: { status: 500, times: 1 } });
    expect((await get("/v1.0/domains")).status).toBe(500);
    server.emulator.setFaults({ domains: { status: 500, times: 1 } });
    expect((await get("/v1.0/domains")).status).toBe(500);
  });
});

describe("latency", () => {
  test("applies to every Graph request, never to the control API", async () => {
    server.emulator.setLatency(250);
    let started = Date.now();
    expect((await get("/v1.0/me")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    started = Date.now();
    expect((await get("/_emulator/scenario")).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(200);
  });

  test("the control API is never faulted either", async () => {
    server.emulator.setFaults({ "*": "drop", $batch: "drop" });
    expect((await get("/_emulator/requests")).status).toBe(200);
    expect((await get("/_emulator")).json.scenario.name).toBe("ready-to-install");
  });

  test("set through the control API; reset restores the initial latency", async () => {
    expect((await request(`${server.url}/_emulator/latency`, { method: "POST", body: { ms: 120 } })).json).toEqual({ ms: 120 });
    expect(server.emulator.scenario.latencyMs).toBe(120);
    await request(`${server.url}/_emulator/reset`, { method: "POST" });
    expect(server.emulator.scenario.latencyMs).toBe(0);
  });
});

describe("tokens", () => {
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  test("a token the scenario expires gets 401 InvalidAuthenticationToken; others, and no header, are accepted", async () => {
    server.emulator.setScenario({ ...loadScenario("ready-to-install"), expireTokens: ["stale-token-1"] });
    const expired = await get("/v1.0/me", bearer("stale-token-1"));
    expect(expired.status).toBe(401);
    expect(expired.json.error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is expired." });
    expect(expired.headers["www-authenticate"]).toMatch(/^Bearer /);
    expect((await get("/v1.0/me", bearer("fresh-token-2"))).status).toBe(200);
    expect((await get("/v1.0/me")).status).toBe(200);
    // The batch envelope is checked once, for every request inside it.
    expect((await postBatch(server.url, batchOf({ a: "/me" }), bearer("stale-token-1"))).status).toBe(401);
    expect((await postBatch(server.url, batchOf({ a: "/me" }), bearer("fresh-token-2"))).status).toBe(200);
  });

  test("a fault can expire a token, for some endpoints and a number of times (a silent refresh then succeeds)", async () => {
    server.emulator.setFaults({ "*": { expireTokens: "old-token", times: 1 } });
    expect((await get("/v1.0/domains", bearer("old-token"))).status).toBe(401);
    expect((await get("/v1.0/domains", bearer("new-token"))).status).toBe(200);
    expect((await get("/v1.0/domains", bearer("old-token"))).status).toBe(200);
    server.emulator.setFaults({ authenticationRequirements: { expireTokens: ["old-token"] } });
    expect((await get(`/beta/users/${SA}/authentication/requirements`, bearer("old-token"))).status).toBe(401);
    expect((await get("/v1.0/me", bearer("old-token"))).status).toBe(200);
  });

  test("a malformed Authorization header is refused", async () => {
    expect((await get("/v1.0/me", { Authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
    expect((await get("/v1.0/me", { Authorization: "Bearer" })).status).toBe(401);
  });

  test("neither the log nor the control API ever shows a token", async () => {
    server.emulator.setFaults({ "*": { expireTokens: "secret-token-value-123" } });
    await get("/v1.0/me", bearer("secret-token-value-123"));
    await postBatch(server.url, batchOf({ a: "/me" }), bearer("another-secret-456"));
    await get("/v1.0/me");
    const log = (await get("/_emulator/requests")).text;
    const faults = (await get("/_emulator/faults")).text;
    for (const text of [log, faults, JSON.stringify(server.emulator.scenario)]) {
      expect(text).not.toContain("secret-token-value-123");
      expect(text).not.toContain("another-secret-456");
    }
    expect(JSON.parse(log).map((e: { auth: string }) => e.auth)).toEqual(["bearer", "bearer", "none"]);
    expect(JSON.parse(faults)["*"].tokenHashes[0]).toMatch(/^sha256:[0-9a-f]{12}…$/);
  });
});

describe("the request log", () => {
  test("one entry per HTTP request: method, decoded path, endpoint, batch and inner urls, status, fault", async () => {
    server.emulator.setFaults({ licenseDetails: 403 });
    await get(`/v1.0/users/${SA}?$select=id`);
    await postBatch(server.url, batchOf({ a: `/users/${SA}/licenseDetails`, b: "/me" }));
    await get("/v1.0/nowhere");
    const log = server.emulator.requests;
    expect(log).toHaveLength(3);
    expect(log[0]).toMatchObject({ method: "GET", path: "/v1.0/users/w365serv@contoso.com?$select=id", endpoint: "users", batch: false, status: 200 });
    expect(log[1]).toMatchObject({ method: "POST", path: "/v1.0/$batch", endpoint: "$batch", batch: true, status: 200 });
    expect(log[1].inner?.map((i) => [i.id, i.url, i.endpoint, i.status, i.fault]).sort()).toEqual([
      ["a", "/users/w365serv@contoso.com/licenseDetails", "licenseDetails", 403, "denied"],
      ["b", "/me", "me", 200, undefined],
    ]);
    expect(log[2]).toMatchObject({ endpoint: null, status: 400, error: "BadRequest" });
    expect(typeof log[0].ms).toBe("number");
  });

  test("cleared through the control API and by reset", async () => {
    await get("/v1.0/me");
    expect((await request(`${server.url}/_emulator/requests`, { method: "DELETE" })).json).toEqual([]);
    expect(server.emulator.requests).toHaveLength(0);
    await get("/v1.0/me");
    server.emulator.reset();
    expect(server.emulator.requests).toHaveLength(0);
  });
});

describe("the control API", () => {
  test("scenarios, scenario, faults: list, switch, set and clear", async () => {
    const list = (await get("/_emulator/scenarios")).json as { name: string; dataverse: string }[];
    expect(list.map((s) => s.name)).toContain("paging");
    expect(list.every((s) => s.dataverse)).toBe(true);
    const switched = await request(`${server.url}/_emulator/scenario`, { method: "POST", body: { name: "no-policy-read" } });
    expect(switched.json).toMatchObject({ name: "no-policy-read", dataverse: "service-account-not-ready", faults: { securityDefaults: { kind: "denied" } } });
    expect((await get("/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).status).toBe(403);
    expect((await request(`${server.url}/_emulator/faults`, { method: "DELETE" })).json).toEqual({});
    expect((await get("/v1.0/policies/identitySecurityDefaultsEnforcementPolicy")).status).toBe(200);
    const set = await request(`${server.url}/_emulator/faults`, { method: "POST", body: { domains: 404 } });
    expect(set.json).toEqual({ domains: { kind: "not-found", status: 404 } });
    expect((await request(`${server.url}/_emulator/faults`, { method: "POST", body: { nowhere: 404 } })).status).toBe(400);
    expect((await request(`${server.url}/_emulator/scenario`, { method: "POST", body: { name: "no-such-scenario" } })).status).toBe(400);
    expect((await get("/_emulator/nothing")).status).toBe(404);
  });

  test("GET /_emulator/data shows the resolved directory", async () => {
    const data = (await get("/_emulator/data")).json;
    expect(data.tenant.id).toBe("00000000-0000-4000-8000-000000000001");
    expect(data.registration.find((r: { userPrincipalName: string }) => r.userPrincipalName === "w365serv@contoso.com").methodsRegistered).toEqual(["microsoftAuthenticatorPush"]);
  });
});

test("standalone: `node emulator.cjs --port 0 --scenario paging` prints its URL as the first line and answers", async () => {
  const cli = spawn(process.execPath, [path.resolve(__dirname, "../../playground/graph-emulator/emulator.cjs"), "--port", "0", "--scenario", "paging", "--latency", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let out = "";
      cli.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.split("\n")[0]);
      });
      cli.on("exit", (code) => reject(new Error(`exited with ${code}`)));
      setTimeout(() => reject(new Error("no output")), 10_000);
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await request(`${firstLine}/v1.0/me?$select=userPrincipalName`);
    expect(me.json.userPrincipalName).toBe("admin@contoso.com");
    expect((await request(`${firstLine}/_emulator/scenario`)).json.pageSize).toBe(2);
  } finally {
    cli.kill();
  }
});
