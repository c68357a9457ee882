/** Faults, latency, writes to the host record and the control API of the Dataverse emulator. */
import { execFileSync } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import { createEmulator, startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { ID, q, request } from "./helpers";

let server: Awaited<ReturnType<typeof startEmulatorServer>>;
const get = (path: string, headers: Record<string, string> = {}) => request(server.url + path, { headers });
const control = (path: string, method = "POST", body?: unknown) => request(`${server.url}/_emulator${path}`, { method, body });

const ROLES_HELD =
  `(_roletemplateid_value eq ${ID.sysAdminTemplate} or name eq 'Work 365 Sales') and ` +
  "(systemuserroles_association/any(u:u/domainname eq 'w365serv@contoso.com') or " +
  "teamroles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv@contoso.com')))";
const ROLES_DIRECT = `_roletemplateid_value eq ${ID.sysAdminTemplate} and systemuserroles_association/any(u:u/domainname eq 'w365serv@contoso.com')`;
const USERS = q("systemusers", { $select: "fullname", $filter: "domainname eq 'w365serv@contoso.com'" });

beforeAll(async () => {
  server = await startEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());
beforeEach(() => server.emulator.setScenario("ready-to-install"));

describe("403 PrivilegeDenied", () => {
  test("on the table itself, naming the privilege like Dataverse", async () => {
    server.emulator.setFaults({ roles: 403 });
    const res = await get(q("roles", { $select: "name", $filter: ROLES_DIRECT }));
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("0x80040220");
    expect(res.json.error.message).toMatch(
      new RegExp(`^Principal user \\(Id=${ID.admin}, type=8, roleCount=1, privilegeCount=\\d+, .*\\), is missing prvReadRole privilege \\(Id=[0-9a-f-]{36}\\) on OTC=1036 for entity 'role' \\(LocalizedName='Security Role'\\)\\. context\\.Caller=${ID.admin}\\.`),
    );
    expect((await get(USERS)).status).toBe(200);
  });

  test("through a lambda: denying teams fails the roles query that walks team membership, naming prvReadTeam", async () => {
    server.emulator.setFaults({ teams: { kind: "privilege" } });
    const res = await get(q("roles", { $select: "name", $filter: ROLES_HELD }));
    expect(res.status).toBe(403);
    expect(res.json.error.message).toContain("is missing prvReadTeam privilege");
    expect(res.json.error.message).toContain("on OTC=9 for entity 'team'");
    // The narrower query without the team lambda still works.
    expect((await get(q("roles", { $select: "name", $filter: ROLES_DIRECT }))).status).toBe(200);
  });

  test("through a nested lambda: denying systemusers fails a roles query that filters on users", async () => {
    server.emulator.setFaults({ systemusers: 403 });
    const res = await get(q("roles", { $select: "name", $filter: ROLES_HELD }));
    expect([res.status, res.json.error.message]).toEqual([403, expect.stringContaining("prvReadUser")]);
  });

  test("through $expand and through a single-valued navigation path", async () => {
    server.emulator.setFaults({ roles: 403 });
    const expanded = await get(q("systemusers", { $select: "fullname", $expand: "systemuserroles_association($select=name)" }));
    expect([expanded.status, expanded.json.error.message]).toEqual([403, expect.stringContaining("prvReadRole")]);
    server.emulator.setFaults({ publishers: 403 });
    const path = await get(q("solutions", { $select: "uniquename", $filter: "publisherid/uniquename eq 'Work365Apps'" }));
    expect([path.status, path.json.error.message]).toEqual([403, expect.stringContaining("prvReadPublisher")]);
    expect((await get(q("solutions", { $select: "uniquename" }))).status).toBe(200);
  });

  test("the scenario's own faults: no-role-read-privilege denies roles but not users", async () => {
    server.emulator.setScenario("no-role-read-privilege");
    expect((await get(q("roles", { $select: "name" }))).status).toBe(403);
    expect((await get(USERS)).status).toBe(200);
    const profiles = await get(q("fieldsecurityprofiles", { $select: "name", $filter: "teamprofiles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv@contoso.com'))" }));
    expect(profiles.status).toBe(200);
  });
});

describe("other faults", () => {
  test("404 ObjectDoesNotExist", async () => {
    server.emulator.setFaults({ organizations: 404 });
    const res = await get(q("organizations", { $select: "languagecode" }));
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("0x80040217");
  });

  test("429 with Retry-After for the first N requests, then success", async () => {
    server.emulator.setFaults({ systemusers: { status: 429, retryAfter: 2, times: 2 } });
    for (let i = 0; i < 2; i++) {
      const res = await get(USERS);
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("2");
      expect(res.json).toEqual({ error: { code: "0x80072322", message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } });
    }
    expect((await get(USERS)).status).toBe(200);
  });

  test("429 on '*' counts per entity set; other throttling codes", async () => {
    server.emulator.setFaults({ "*": { kind: "throttle", times: 1 } });
    expect((await get(USERS)).status).toBe(429);
    expect((await get(q("roles", { $select: "name" }))).status).toBe(429);
    expect((await get(USERS)).status).toBe(200);
    expect((await get(q("roles", { $select: "name" }))).status).toBe(200);
    // '*' spares the form's host record, so the playground form still loads.
    expect((await get(`/api/data/v9.2/w365_setups(${ID.record})?$select=w365_name`)).status).toBe(200);
    server.emulator.setFaults({ roles: { kind: "throttle", code: "0x80072326" } });
    const res = await get(q("roles", { $select: "name" }));
    expect(res.json.error).toEqual({ code: "0x80072326", message: "Number of concurrent requests exceeded the limit of 52." });
  });

  test("the throttled scenario answers 429 once per read", async () => {
    server.emulator.setScenario("throttled");
    expect((await get("/api/data/v9.2/RetrieveProvisionedLanguages()")).status).toBe(429);
    expect((await get("/api/data/v9.2/RetrieveProvisionedLanguages()")).status).toBe(200);
    expect((await get(USERS)).status).toBe(429);
    expect((await get(USERS)).status).toBe(200);
  });

  test("500 generic error", async () => {
    server.emulator.setFaults({ solutions: 500 });
    const res = await get(q("solutions", { $select: "uniquename" }));
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: "0x80040216", message: "An unexpected error occurred." } });
  });

  test("RetrieveProvisionedLanguages is faultable", async () => {
    server.emulator.setFaults({ RetrieveProvisionedLanguages: 500 });
    expect((await get("/api/data/v9.2/RetrieveProvisionedLanguages()")).status).toBe(500);
    server.emulator.setFaults({ RetrieveProvisionedLanguages: 403 });
    const denied = await get("/api/data/v9.2/RetrieveProvisionedLanguages()");
    expect([denied.status, denied.json.error.code]).toEqual([403, "0x80040220"]);
  });

  test("a dropped connection", async () => {
    server.emulator.setFaults({ teams: "drop" });
    await expect(get(q("teams", { $select: "teamid" }))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(server.emulator.requests.at(-1)).toEqual(expect.objectContaining({ target: "teams", status: "dropped", fault: "drop" }));
    expect((await get(USERS)).status).toBe(200);
  });

  test("a request that is never answered (held until released or the server closes)", async () => {
    server.emulator.setFaults({ solutions: "hang" });
    await expect(request(server.url + q("solutions", { $select: "uniquename" }), { timeoutMs: 300 })).rejects.toThrow("client timeout");
    const pending = get(q("solutions", { $select: "uniquename" }));
    await new Promise((r) => setTimeout(r, 100));
    expect(server.emulator.requests.at(-1)).toEqual(expect.objectContaining({ status: "held", fault: "hang" }));
    server.emulator.releaseHeld();
    await expect(pending).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  test("a delay fault answers normally, late", async () => {
    server.emulator.setFaults({ roles: { kind: "delay", ms: 250 } });
    const started = Date.now();
    const res = await get(q("roles", { $select: "name" }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  test("unknown fault targets and kinds are refused", () => {
    expect(() => server.emulator.setFaults({ role: 403 })).toThrow(/Unknown fault target 'role'/);
    expect(() => server.emulator.setFaults({ roles: { kind: "explode" } as never })).toThrow(/Unknown fault kind/);
  });
});

describe("latency", () => {
  test("applies to Web API requests, not to the control API", async () => {
    server.emulator.setLatency(300);
    let started = Date.now();
    expect((await get(USERS)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await control("/scenario", "GET");
    expect(Date.now() - started).toBeLessThan(250);
    server.emulator.setLatency(0);
  });
});

describe("the host record (w365_setups)", () => {
  const record = `/api/data/v9.2/w365_setups(${ID.record})`;

  test("GET by key, PATCH keeps the value, reset restores the scenario", async () => {
    const before = await get(`${record}?$select=w365_checkliststate,w365_serviceaccountupn`);
    expect(before.json.w365_serviceaccountupn).toBe("w365serv@contoso.com");
    expect(JSON.parse(before.json.w365_checkliststate).version).toBe(1);

    const patched = await request(server.url + record, { method: "PATCH", body: { w365_serviceaccountupn: "other@contoso.com" } });
    expect(patched.status).toBe(204);
    expect(patched.headers["odata-entityid"]).toBe(`${server.url}${record}`);
    const after = await get(`${record}?$select=w365_serviceaccountupn`);
    expect(after.json.w365_serviceaccountupn).toBe("other@contoso.com");
    expect(after.json["@odata.etag"]).not.toBe(before.json["@odata.etag"]);

    await control("/reset");
    expect((await get(`${record}?$select=w365_serviceaccountupn`)).json.w365_serviceaccountupn).toBe("w365serv@contoso.com");
  });

  test("PATCH with return=representation; collection GET; POST creates; DELETE removes", async () => {
    const res = await request(`${server.url}${record}?$select=w365_name`, { method: "PATCH", headers: { Prefer: "return=representation" }, body: { w365_name: "Renamed" } });
    expect([res.status, res.json.w365_name]).toEqual([200, "Renamed"]);
    const list = await get(q("w365_setups", { $select: "w365_name" }));
    expect(list.json.value).toEqual([expect.objectContaining({ w365_name: "Renamed", w365_setupid: ID.record })]);
    const created = await request(`${server.url}/api/data/v9.2/w365_setups`, { method: "POST", body: { w365_name: "Second" } });
    expect(created.status).toBe(204);
    const id = /w365_setups\(([0-9a-f-]{36})\)$/.exec(String(created.headers["odata-entityid"]))?.[1];
    expect(id).toBeDefined();
    expect((await request(`${server.url}/api/data/v9.2/w365_setups(${id})`, { method: "DELETE" })).status).toBe(204);
    expect((await get(`/api/data/v9.2/w365_setups(${id})`)).status).toBe(404);
  });

  test("writes are checked: unknown column, maximum length, other tables", async () => {
    const unknown = await request(server.url + record, { method: "PATCH", body: { w365_state: "x" } });
    expect([unknown.status, unknown.json.error.message]).toEqual([400, expect.stringContaining("The property 'w365_state' does not exist on type 'Microsoft.Dynamics.CRM.w365_setup'")]);
    const long = await request(server.url + record, { method: "PATCH", body: { w365_checkliststate: "x".repeat(1048577) } });
    expect([long.status, long.json.error.code]).toEqual([400, "0x80044331"]);
    const role = await request(`${server.url}/api/data/v9.2/roles(33333333-0000-4000-8000-000000000001)`, { method: "PATCH", body: { name: "x" } });
    expect(role.status).toBe(405);
    const ifMatch = await request(`${server.url}/api/data/v9.2/w365_setups(99999999-0000-4000-8000-0000000000ff)`, { method: "PATCH", headers: { "If-Match": "*" }, body: { w365_name: "x" } });
    expect(ifMatch.status).toBe(404);
  });

  test("faults apply to the host record too", async () => {
    server.emulator.setFaults({ w365_setups: 500 });
    expect((await request(server.url + record, { method: "PATCH", body: { w365_name: "x" } })).status).toBe(500);
  });
});

describe("control API", () => {
  test("scenarios, scenario, faults, latency, requests, reset over HTTP", async () => {
    const list = await control("/scenarios", "GET");
    expect(list.json.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(["fresh-tenant", "ready-to-install", "throttled"]));
    expect(list.json.every((s: { title: string; description: string }) => s.title && s.description)).toBe(true);

    const switched = await control("/scenario", "POST", { name: "fresh-tenant" });
    expect(switched.json).toEqual(expect.objectContaining({ name: "fresh-tenant", admin: { id: ID.admin, name: "Avery Admin" } }));
    expect(switched.json.record).toEqual(expect.objectContaining({ id: ID.record, entitySet: "w365_setups" }));
    expect((await get(USERS)).json.value).toEqual([]);
    expect((await control("/scenario", "POST", { name: "no-such-scenario" })).status).toBe(400);

    expect((await control("/faults", "POST", { roles: 403, "*": { status: 429, times: 1 } })).json).toEqual({
      roles: { status: 403, kind: "privilege" },
      "*": { status: 429, times: 1, kind: "throttle" },
    });
    expect((await get(q("roles", { $select: "name" }))).status).toBe(403);
    expect((await control("/faults", "DELETE")).json).toEqual({});
    expect((await get(q("roles", { $select: "name" }))).status).toBe(200);

    expect((await control("/latency", "POST", { ms: 5 })).json).toEqual({ ms: 5 });
    await control("/requests", "DELETE");
    await get(`${q("roles", { $select: "name", $filter: "name eq 'System Administrator'" })}`);
    const log = await control("/requests", "GET");
    expect(log.json).toEqual([
      expect.objectContaining({ method: "GET", target: "roles", status: 200, path: "/api/data/v9.2/roles?$select=name&$filter=name eq 'System Administrator'" }),
    ]);

    const reset = await control("/reset");
    expect(reset.json).toEqual(expect.objectContaining({ name: "fresh-tenant", latencyMs: 0, faults: {} }));
    expect((await control("/requests", "GET")).json).toEqual([]);
    expect((await control("/nope", "GET")).status).toBe(404);
  });

  test("an inline scenario can be posted", async () => {
    const res = await control("/scenario", "POST", {
      scenario: {
        name: "tiny",
        title: "Tiny",
        description: "One user.",
        admin: { id: ID.admin, name: "A" },
        record: { id: ID.record },
        data: { systemusers: [{ systemuserid: ID.admin, fullname: "A", domainname: "a@x.com" }], organizations: [{ organizationid: "88888888-0000-4000-8000-000000000001", languagecode: 1033 }] },
        provisionedLanguages: [1033],
        associations: {},
      },
    });
    expect(res.json.name).toBe("tiny");
    expect((await get(q("systemusers", { $select: "fullname" }))).json.value).toEqual([expect.objectContaining({ fullname: "A" })]);
  });
});

test("handle() can be mounted beside other routes and leaves them alone", async () => {
  const emulator = createEmulator({ scenario: "fresh-tenant" });
  const mounted = http.createServer(async (req, res) => {
    if (await emulator.handle(req, res)) return;
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("page");
  });
  await new Promise<void>((r) => mounted.listen(0, "127.0.0.1", () => r()));
  const { port } = mounted.address() as { port: number };
  try {
    expect((await request(`http://127.0.0.1:${port}/index.html`)).text).toBe("page");
    expect((await request(`http://127.0.0.1:${port}/api/data/v9.2/RetrieveProvisionedLanguages()`)).json.RetrieveProvisionedLanguages).toEqual([1033]);
    expect((await request(`http://127.0.0.1:${port}/api/data/v9.0/organizations?$select=languagecode`)).status).toBe(200);
  } finally {
    mounted.closeAllConnections();
    await new Promise((r) => mounted.close(r));
  }
});

test("plain node loads the emulator both as CommonJS and from an ES module, with named exports", () => {
  const file = path.resolve(__dirname, "../../playground/emulator/emulator.cjs");
  const esm = `import { createEmulator, startEmulatorServer, TABLES } from ${JSON.stringify(file)}; console.log(typeof createEmulator, typeof startEmulatorServer, TABLES.role.entitySet);`;
  expect(execFileSync(process.execPath, ["--input-type=module", "-e", esm], { encoding: "utf8" }).trim()).toBe("function function roles");
  const cjs = `const e = require(${JSON.stringify(file)}).createEmulator({ scenario: "upgrade" }); console.log(e.scenario.name);`;
  expect(execFileSync(process.execPath, ["-e", cjs], { encoding: "utf8" }).trim()).toBe("upgrade");
});
