/** The Graph reader's fetch on node:http: what it answers, and failures shaped as Node's fetch shapes them. */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { httpFetch } from "../../preflight/httpFetch";

let server: http.Server;
let base: string;
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === "/hang") return; // never answered
      res.writeHead(req.url === "/throttled" ? 429 : 200, { "Content-Type": "application/json", "Retry-After": "3", "X-Two": ["a", "b"] });
      res.end(JSON.stringify({ echo: body, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

describe("httpFetch", () => {
  it("sends the method, headers and body, and gives status, headers and text", async () => {
    const answer = await httpFetch(`${base}/v1.0/$batch?x=1`, { method: "POST", headers: { Authorization: "Bearer t", "Content-Type": "application/json" }, body: '{"requests":["ü"]}' });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(await answer.json()).toEqual({ echo: '{"requests":["ü"]}', url: "/v1.0/$batch?x=1" });
    expect(answer.headers.get("retry-after")).toBe("3");
    const names: string[] = [];
    answer.headers.forEach((value, name) => names.push(`${name}=${value}`));
    expect(names).toContain("x-two=a, b");
    expect(seen.at(-1)).toMatchObject({ method: "POST", headers: { authorization: "Bearer t", "content-length": String(Buffer.byteLength('{"requests":["ü"]}')) } });
  });

  it("a non-2xx answer is an answer, not a failure", async () => {
    const answer = await httpFetch(`${base}/throttled`);
    expect([answer.status, answer.ok]).toEqual([429, false]);
  });

  it("an abort rejects with an AbortError; a refused connection as Node's fetch does", async () => {
    const controller = new AbortController();
    const pending = httpFetch(`${base}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(httpFetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed", cause: { code: "ECONNREFUSED" } });
  });
});
