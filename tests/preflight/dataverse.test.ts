/**
 * The Node transport under the control's reader, against the Dataverse emulator over real HTTP:
 * the form's queries and no more, our token on every request, one silent refresh after a 401,
 * Dataverse's errors mapped as the form maps them, and "nothing answered" told apart.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createEmulator, startEmulatorServer, type Emulator } from "../../playground/emulator/emulator.cjs";
import { createEnvironmentReader, type ReadRequest } from "../../PrerequisiteChecklist/dataverse/reader";
import type { Tokens } from "../../preflight/auth";
import { createDataverse, datesToIso, toDataverseError } from "../../preflight/dataverse";
import { toReadFailure } from "../../PrerequisiteChecklist/dataverse/errors";
import { createStrings } from "../../preflight/strings";
import { readResx } from "./helpers";

const strings = createStrings(readResx(), 1033, "UTC");
const REQUEST: ReadRequest = {
  serviceAccountUpn: "w365serv@contoso.com",
  work365SolutionName: "",
  adminProfileName: "Work 365 Admin",
  salesRoleName: "Work 365 Sales",
  consentConfirmedInCycle: false,
};

/** Tokens that count what was asked; `stale` until refreshed. */
function fakeTokens(first = "token-1") {
  const calls: { resource: string; refresh: boolean }[] = [];
  let current = first;
  const tokens: Tokens = {
    async token(resource, refresh = false) {
      calls.push({ resource, refresh });
      if (refresh) current = "token-2";
      return current;
    },
  };
  return { tokens, calls };
}

/** An http server in front of an emulator, so a test can see and bend each request. */
async function serve(emulator: Emulator, bend?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
  const seen: { url: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    if (bend?.(req, res)) return;
    void emulator.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

describe("Dataverse from Node (dataverse-ify under the control's reader)", () => {
  let dv: Awaited<ReturnType<typeof startEmulatorServer>>;
  beforeAll(async () => {
    dv = await startEmulatorServer({ scenario: "ready-to-install" });
  });
  afterAll(() => dv.close());
  beforeEach(() => dv.emulator.reset());

  it("sends the form's seven requests in one round, and no EntityDefinitions look-up", async () => {
    const { tokens } = fakeTokens();
    const dataverse = await createDataverse({ environment: dv.url, tokens, strings });
    const facts = await createEnvironmentReader({ webApi: dataverse.webApi, getJson: dataverse.getJson }).read(REQUEST);
    const paths = dv.emulator.requests.map((r) => r.path);
    expect(paths.some((p) => p.includes("EntityDefinitions"))).toBe(false);
    expect(dv.emulator.requests.map((r) => r.target).sort()).toEqual([
      "RetrieveProvisionedLanguages",
      "fieldsecurityprofiles",
      "roles",
      "solutions",
      "systemusers",
      "timezonedefinitions",
      "usersettingscollection",
    ]);
    expect(dataverse.requests).toBe(7);
    expect(facts.serviceAccount).toEqual({ ok: true, value: expect.objectContaining({ domainName: "w365serv@contoso.com", isLicensed: true, accessMode: 0 }) });
    expect(facts.rolesHeld.found.map((r) => r.roleTemplateId)).toContain("627090ff-40a3-4053-8790-584edc5be201");
    expect(facts.provisionedLanguages).toEqual({ ok: true, value: [1033] });
    expect(dataverse.problem()).toBeNull();
  });

  it("gives the row parsers ISO strings, not dataverse-ify's Date objects", async () => {
    dv.emulator.setScenario("after-consent-clean");
    const dataverse = await createDataverse({ environment: dv.url, tokens: fakeTokens().tokens, strings });
    const facts = await createEnvironmentReader({ webApi: dataverse.webApi, getJson: dataverse.getJson }).read(REQUEST);
    expect(facts.work365Solutions.ok).toBe(true);
    const newest = facts.work365Solutions.ok ? facts.work365Solutions.value[0] : null;
    expect(typeof newest?.installedOn).toBe("string");
    expect(Date.parse(newest!.installedOn!)).toBe(Date.parse("2025-01-06T10:30:00Z"));
  });

  it("quotes a UPN with a quote and non-ASCII letters as the form does", async () => {
    const dataverse = await createDataverse({ environment: dv.url, tokens: fakeTokens().tokens, strings });
    const facts = await createEnvironmentReader({ webApi: dataverse.webApi, getJson: dataverse.getJson }).read({ ...REQUEST, serviceAccountUpn: "o'brien.jürgen@contoso.com" });
    const users = dv.emulator.requests.find((r) => r.target === "systemusers")!;
    expect(users.status).toBe(200);
    expect(users.path).toContain("domainname eq 'o''brien.jürgen@contoso.com'");
    expect(facts.serviceAccount).toEqual({ ok: true, value: null });
  });

  it("maps Dataverse's errors as the form does: a named privilege, and throttling that honours Retry-After", async () => {
    dv.emulator.setFaults({ roles: { kind: "privilege" }, solutions: { kind: "throttle", times: 1, retryAfter: 3 } });
    const dataverse = await createDataverse({ environment: dv.url, tokens: fakeTokens().tokens, strings });
    const waits: number[] = [];
    const facts = await createEnvironmentReader({
      webApi: dataverse.webApi,
      getJson: dataverse.getJson,
      sleep: async (ms) => void waits.push(ms),
    }).read(REQUEST);
    expect(facts.rolesHeld.failure).toMatchObject({ kind: "privilege-denied", privilege: "prvReadRole" });
    expect(facts.rolesHeld.failure!.detail).not.toMatch(/Exception in/);
    expect(waits).toEqual([3000]);
    expect(facts.work365Solutions.ok).toBe(true);
  });

  it("sends our token, and after a 401 gets one silent refresh and resends once", async () => {
    const emulator = createEmulator({ scenario: "ready-to-install" });
    const front = await serve(emulator, (req, res) => {
      if (req.headers.authorization === "Bearer token-2") return false;
      res.writeHead(401, { "WWW-Authenticate": "Bearer", "OData-Version": "4.0" }).end();
      return true;
    });
    try {
      const { tokens, calls } = fakeTokens();
      const dataverse = await createDataverse({ environment: front.url, tokens, strings });
      const facts = await createEnvironmentReader({ webApi: dataverse.webApi, getJson: dataverse.getJson }).read(REQUEST);
      expect(facts.serviceAccount.ok).toBe(true);
      expect(front.seen.every((r) => r.authorization === "Bearer token-1" || r.authorization === "Bearer token-2")).toBe(true);
      expect(calls.filter((c) => c.refresh).length).toBeGreaterThanOrEqual(1);
      expect(dataverse.problem()).toBeNull();
    } finally {
      await front.close();
    }
  });

  it("a 401 after the refresh too is a sign-in problem, not a list of unreadable items", async () => {
    const emulator = createEmulator({ scenario: "ready-to-install" });
    const front = await serve(emulator, (_req, res) => {
      res.writeHead(401, { "OData-Version": "4.0" }).end();
      return true;
    });
    try {
      const dataverse = await createDataverse({ environment: front.url, tokens: fakeTokens().tokens, strings });
      await createEnvironmentReader({ webApi: dataverse.webApi, getJson: dataverse.getJson }).read(REQUEST);
      // Each of the seven requests is sent twice, once and once after the refresh; nothing more is sent after that.
      const counts = new Map<string, number>();
      for (const { url } of front.seen) counts.set(url, (counts.get(url) ?? 0) + 1);
      expect([...counts.values()]).toEqual([2, 2, 2, 2, 2, 2, 2]);
      expect(dataverse.problem()).toMatchObject({ kind: "sign-in", message: expect.stringContaining("refused the sign-in (401)") });
    } finally {
      await front.close();
    }
  });

  it("an environment that does not answer, and a server that is not Dataverse, are told apart", async () => {
    const closed = await serve(createEmulator());
    const url = closed.url;
    await closed.close();
    const nobody = await createDataverse({ environment: url, tokens: fakeTokens().tokens, strings });
    const facts = await createEnvironmentReader({ webApi: nobody.webApi, getJson: nobody.getJson }).read(REQUEST);
    expect(facts.serviceAccount).toMatchObject({ ok: false, failure: { kind: "offline" } });
    expect(nobody.problem()).toMatchObject({ kind: "connection", message: expect.stringMatching(/does not answer: .*ECONNREFUSED/) });

    const web = await serve(createEmulator(), (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/html" }).end("<html>Sign in</html>");
      return true;
    });
    try {
      const page = await createDataverse({ environment: web.url, tokens: fakeTokens().tokens, strings });
      await createEnvironmentReader({ webApi: page.webApi, getJson: page.getJson }).read(REQUEST);
      expect(page.problem()).toMatchObject({ kind: "connection", message: expect.stringContaining("does not answer as a Dataverse environment (HTTP 200)") });
    } finally {
      await web.close();
    }
  });
});

describe("dataverse-ify's rejections and values", () => {
  it("unwraps wrapped messages and keeps Dataverse's code", () => {
    expect(toReadFailure(toDataverseError("Exception in retrieveMultipleRecords:Unexpected Error: Bad Gateway"))).toMatchObject({
      kind: "unexpected",
      detail: "Unexpected Error: Bad Gateway",
    });
    expect(toReadFailure(toDataverseError({ code: "0x80040220", message: "Principal user is missing prvReadTeam privilege" }))).toMatchObject({
      kind: "privilege-denied",
      privilege: "prvReadTeam",
    });
    expect(toReadFailure(toDataverseError({ code: "0x80072322", message: "Number of requests exceeded the limit" })).kind).toBe("throttled");
    const wrapped = new Error("Exception in retrieveMultipleRecords:Cannot get entity set name for foo:boom");
    expect((toDataverseError(wrapped) as Error).message).toBe("boom");
  });

  it("turns Date objects back into ISO strings, deep", () => {
    expect(datesToIso({ a: new Date("2025-01-06T10:30:00Z"), b: [{ c: new Date(0) }], d: "x", e: 1, f: null })).toEqual({
      a: "2025-01-06T10:30:00.000Z",
      b: [{ c: "1970-01-01T00:00:00.000Z" }],
      d: "x",
      e: 1,
      f: null,
    });
  });
});
