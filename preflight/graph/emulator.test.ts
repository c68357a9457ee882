/**
 * The reader against the Graph emulator (playground/graph-emulator), over real HTTP on 127.0.0.1:
 * the contract of graph-requests.md seen from both sides. The emulator is strict as Graph is (an
 * unknown segment, property or query option is a 400), so a request it does not understand shows
 * up as an "unexpected" failure or a 4xx in its log.
 */
import * as http from "http";
import type { AddressInfo } from "net";
import type { GraphFacts } from "../../PrerequisiteChecklist/checklist/graph";
import type { ReadFailure, Reading } from "../../PrerequisiteChecklist/checklist/types";
import { createGraphReader, GraphAuthError, GraphConnectionError, type GraphReaderDeps, type GraphReadRequest } from "./reader";

interface EmulatorLog {
  path: string;
  status: number | string | null;
  inner?: { id: string; url: string; status: number | string; code?: string }[];
}
interface GraphEmulator {
  setScenario(name: string): unknown;
  setFaults(faults: Record<string, unknown>): unknown;
  readonly requests: EmulatorLog[];
  readonly scenario: { args: string[]; signIn?: string };
}
interface Started {
  url: string;
  emulator: GraphEmulator;
  close(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS without types, loaded as plain Node does
const { startGraphEmulatorServer, listScenarios } = require("../../playground/graph-emulator/emulator.cjs") as {
  startGraphEmulatorServer(options: { port: number; host: string; scenario: string; now?: () => Date }): Promise<Started>;
  listScenarios(): { name: string }[];
};

const NOW = new Date("2025-06-02T12:00:00Z");
const STALE = "stale-token-for-the-emulator";
const FRESH = "fresh-token-for-the-emulator";

let server: Started;

beforeAll(async () => {
  server = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: "ready-to-install", now: () => NOW });
});
afterAll(async () => {
  await server?.close();
});

/** The preflight's request, from the scenario's own `args`. */
function requestOf(args: string[]): GraphReadRequest {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return {
    serviceAccountUpn: arg("--upn") ?? "",
    globalAdminUpn: arg("--global-admin"),
    integrationAccountUpn: arg("--integration-account"),
    nativeAppId: arg("--native-app-id"),
  };
}

/** A token shaped like Entra ID's app-only ones: a JWT whose claims carry roles and no scp (unsigned: the emulator checks none). */
const appOnlyToken = (marker: string) =>
  ["e30", Buffer.from(JSON.stringify({ idtyp: "app", roles: ["User.Read.All"], oid: marker })).toString("base64url"), "sig"].join(".");

async function readScenario(name: string, deps: Partial<GraphReaderDeps> = {}, request: Partial<GraphReadRequest> = {}) {
  server.emulator.setScenario(name);
  const asApp = server.emulator.scenario.signIn === "application";
  const sleeps: number[] = [];
  const tokenCalls: boolean[] = [];
  const before = server.emulator.requests.length;
  const reader = createGraphReader({
    endpoint: server.url,
    getToken: async ({ forceRefresh }) => {
      tokenCalls.push(forceRefresh);
      const token = forceRefresh ? FRESH : STALE;
      return asApp ? appOnlyToken(token) : token;
    },
    sleep: async (ms) => void sleeps.push(ms),
    requestTimeoutMs: 5000,
    ...deps,
  });
  const result = await reader.read({ ...requestOf(server.emulator.scenario.args), ...request });
  return { result, sleeps, tokenCalls, log: server.emulator.requests.slice(before) };
}

/** Every failed reading in the facts, by where it is. */
function failures(facts: GraphFacts): Record<string, ReadFailure> {
  const out: Record<string, ReadFailure> = {};
  const visit = (value: unknown, where: string) => {
    if (!value || typeof value !== "object") return;
    const reading = value as Partial<Reading<unknown>> & { failure?: ReadFailure };
    if (reading.ok === false && reading.failure) {
      out[where] = reading.failure;
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, where ? `${where}.${k}` : k);
  };
  visit(facts, "");
  return out;
}

const kinds = (facts: GraphFacts) => Object.fromEntries(Object.entries(failures(facts)).map(([k, f]) => [k, f.kind]));

/** Statuses the emulator gave that mean "I do not understand that request". */
function refusedRequests(log: EmulatorLog[]): string[] {
  const bad = (status: unknown) => status === 400 || status === 405 || status === 501;
  // PIM's 400 on a tenant without P2 is the tenant's answer, not a request refused.
  const licence = (code: unknown) => code === "AadPremiumLicenseRequired";
  return log.flatMap((entry) => [
    ...(bad(entry.status) ? [`${entry.path} → ${entry.status}`] : []),
    ...(entry.inner ?? []).filter((i) => bad(i.status) && !licence(i.code)).map((i) => `${i.url} → ${i.status}`),
  ]);
}

describe("the Graph emulator's scenarios", () => {
  it("every scenario is read without a request the emulator refuses, and without an unexpected failure", async () => {
    const names = listScenarios().map((s) => s.name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const { result, log } = await readScenario(name);
      expect({ name, refused: refusedRequests(log) }).toEqual({ name, refused: [] });
      const unexpected = Object.entries(failures(result.facts)).filter(([, f]) => f.kind === "unexpected");
      expect({ name, unexpected }).toEqual({ name, unexpected: [] });
    }
  });

  it("ready-to-install: every fact read, the signed-in admin as Global Administrator", async () => {
    const { result, log } = await readScenario("ready-to-install");
    const { facts } = result;
    // PIM needs P2, which this tenant lacks: eligibility answers the premium error and is read as "none".
    expect(kinds(facts)).toEqual({});
    expect(result.signedIn).toEqual({ id: "aaaaaaaa-0000-4000-8000-000000000001", upn: "admin@contoso.com", name: "Avery Admin" });
    expect(facts.tenantId).toBe("00000000-0000-4000-8000-000000000001");
    expect(facts.serviceAccount.user).toEqual({
      ok: true,
      value: { id: "aaaaaaaa-0000-4000-8000-000000000002", userPrincipalName: "w365serv@contoso.com", displayName: "Work 365 Service", accountEnabled: true },
    });
    expect(facts.serviceAccount.mfa).toEqual({ ok: true, value: { methods: ["microsoftAuthenticatorPush"], readFrom: "report", isMfaRegistered: true } });
    // /me's UPN is learnt in round 1, so its methods are read in round 2.
    expect(facts.globalAdministrator.upn).toBe("admin@contoso.com");
    expect(facts.globalAdministrator.mfa).toEqual({
      ok: true,
      value: { methods: ["passwordAuthenticationMethod", "microsoftAuthenticatorAuthenticationMethod"], readFrom: "methods" },
    });
    const licences = facts.serviceAccountLicences.ok ? facts.serviceAccountLicences.value : [];
    expect(licences.map((l) => l.skuPartNumber).sort()).toEqual(["AAD_PREMIUM", "DYN365_ENTERPRISE_SALES"]);
    expect(licences.flatMap((l) => l.servicePlans).filter((p) => p.servicePlanName === "DYN365_ENTERPRISE_SALES")).toEqual([
      { servicePlanId: "2da8e897-7791-486b-b08f-cc63c8129df7", servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success" },
    ]);
    expect(facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: null, eligible: false, eligibilityUnread: true } });
    expect(facts.securityDefaultsEnabled).toEqual({ ok: true, value: false });
    const policies = facts.conditionalAccessPolicies.ok ? facts.conditionalAccessPolicies.value : [];
    expect(policies.map((p) => [p.displayName, p.requiresMfa, p.changedAt])).toEqual(
      expect.arrayContaining([
        ["Block legacy authentication", false, "2025-05-03T12:00:00Z"],
        ["Require MFA for all users", true, "2025-05-31T12:00:00Z"],
      ]),
    );
    expect(facts.premiumSubscriptions).toEqual({ ok: true, value: [{ skuPartNumber: "AAD_PREMIUM", capabilityStatus: "Enabled", consumedUnits: 2, enabledUnits: 5 }] });
    expect(facts.federatedDomains).toEqual({ ok: true, value: [] });
    expect(facts.work365ServicePrincipals).toEqual({ ok: true, value: [] });
    // Enforced by the all-users policy: no per-user read.
    expect(facts.serviceAccountPerUserMfa).toBeUndefined();
    expect(log.some((l) => l.path.startsWith("/beta/"))).toBe(false);
    expect(result.stats).toEqual({ httpRequests: 2, rounds: 2, innerRequests: 15, roundReasons: [["MFA methods of admin@contoso.com"]] });
    // The signed-in admin's own licences (/me/licenseDetails): it signs in to CRM for the consent.
    const gaLicences = facts.globalAdministratorLicences;
    expect(gaLicences?.ok && gaLicences.value.map((l) => l.skuPartNumber)).toEqual(["AAD_PREMIUM", "DYN365_ENTERPRISE_SALES"]);
  });

  describe("app-only-sign-in: signed in as an application", () => {
    const innerUrls = (log: EmulatorLog[]) => log.flatMap((entry) => (entry.inner ?? []).map((i) => i.url));

    it("a token without scp: no /me and no licenseDetails; licences from the account's assignments; nobody stands for the Global Administrator", async () => {
      const { result, log } = await readScenario("app-only-sign-in");
      const { facts } = result;
      expect(result.signIn).toBe("application");
      expect(result.signedIn).toBeNull();
      const urls = innerUrls(log);
      expect(urls.filter((u) => u.startsWith("/me"))).toEqual([]);
      expect(urls.filter((u) => u.includes("/licenseDetails"))).toEqual([]);
      const licences = facts.serviceAccountLicences.ok ? facts.serviceAccountLicences.value : [];
      expect(licences.map((l) => l.skuPartNumber).sort()).toEqual(["AAD_PREMIUM", "DYN365_ENTERPRISE_SALES"]);
      expect(licences.flatMap((l) => l.servicePlans).filter((p) => p.servicePlanName === "DYN365_ENTERPRISE_SALES")).toEqual([
        { servicePlanId: "2da8e897-7791-486b-b08f-cc63c8129df7", servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success" },
      ]);
      expect(failures(facts)).toMatchObject({
        "globalAdministratorLicences": { kind: "app-sign-in" },
        "globalAdministrator.user": { kind: "app-sign-in" },
        "globalAdministrator.mfa": { kind: "app-sign-in" },
      });
      // Limited objects: the group ids are there, the role template ids are not.
      expect(facts.serviceAccountMembership).toMatchObject({ ok: true, value: { roleTemplateIds: [], rolesUnread: true } });
      expect(facts.globalAdminRole).toMatchObject({ ok: true, value: { active: true } });
      expect(result.stats.rounds).toBeLessThanOrEqual(2);
    });

    it("a token that does not show what it is: /me's 400 says it, and round 1's answers still give the same facts", async () => {
      const opaque = await readScenario("app-only-sign-in", { getToken: async () => "opaque-token" });
      const byToken = await readScenario("app-only-sign-in");
      expect(opaque.result.signIn).toBe("application");
      expect(opaque.result.facts.serviceAccountLicences).toEqual(byToken.result.facts.serviceAccountLicences);
      expect(opaque.result.facts.globalAdministratorLicences).toMatchObject({ ok: false, failure: { kind: "app-sign-in" } });
      expect(opaque.result.stats.rounds).toBe(byToken.result.stats.rounds);
    });

    it("with --global-admin, that account's licences come from its own assignments too", async () => {
      const { result } = await readScenario("app-only-sign-in", {}, { globalAdminUpn: "dana@contoso.com" });
      const { facts } = result;
      expect(facts.globalAdministrator.user).toMatchObject({ ok: true, value: { userPrincipalName: "dana@contoso.com" } });
      // dana holds Team Members only (the scenario's users): its SKU, named from subscribedSkus, keeps the Team Members rule working.
      expect(facts.globalAdministratorLicences?.ok && facts.globalAdministratorLicences.value.map((l) => l.skuPartNumber)).toEqual(["DYN365_ENTERPRISE_TEAM_MEMBERS"]);
    });
  });

  it("no-premium: registration from each account's methods, Conditional Access premium-required", async () => {
    const { result } = await readScenario("no-premium");
    const { facts } = result;
    expect(facts.serviceAccount.mfa.ok && facts.serviceAccount.mfa.value.readFrom).toBe("methods");
    expect(facts.serviceAccount.mfa.ok && facts.serviceAccount.mfa.value.methods.sort()).toEqual(["emailAuthenticationMethod", "passwordAuthenticationMethod"]);
    expect(facts.globalAdministrator.mfa.ok && facts.globalAdministrator.mfa.value.methods).toContain("phoneAuthenticationMethod");
    expect(failures(facts).conditionalAccessPolicies).toMatchObject({ kind: "premium-required", service: "graph" });
    expect(facts.securityDefaultsEnabled).toEqual({ ok: true, value: true });
    expect(facts.premiumSubscriptions).toEqual({ ok: true, value: [] });
  });

  it("paging: the deciding rows on later pages are found", async () => {
    const { result, log } = await readScenario("paging");
    const { facts } = result;
    expect(kinds(facts)).toEqual({});
    // Next pages go inside the batches, relative to /v1.0, never as plain GETs.
    expect(log.some((l) => l.inner?.some((i) => i.url.includes("$skiptoken")))).toBe(true);
    expect(log.filter((l) => !l.path.endsWith("/$batch")).map((l) => l.path)).toEqual([expect.stringMatching(/^\/beta\//)]);
    const plans = facts.serviceAccountLicences.ok ? facts.serviceAccountLicences.value.flatMap((l) => l.servicePlans.map((p) => p.servicePlanName)) : [];
    expect(plans).toContain("DYN365_ENTERPRISE_SALES");
    expect(facts.premiumSubscriptions.ok && facts.premiumSubscriptions.value.map((s) => s.skuPartNumber)).toContain("AAD_PREMIUM");
    const policies = facts.conditionalAccessPolicies.ok ? facts.conditionalAccessPolicies.value : [];
    expect(policies.some((p) => p.state === "enabled" && p.requiresMfa && p.includeUsers.includes("All"))).toBe(true);
    expect(facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Work 365 Admins", eligible: false, eligibilityUnread: true } });
    // Round 2: every second page together; round 3: only the third page of the groups, a page of a round-2 page.
    expect(result.stats.rounds).toBe(3);
    expect(result.stats.roundReasons[1]).toEqual(["next page of the service account's groups (page 3)"]);
    expect(result.stats.roundReasons[0]).toEqual(expect.arrayContaining(["next page of Conditional Access (page 2)", "next page of the service account's groups (page 2)"]));
  });

  it("throttled: retried after Retry-After, with the same facts as without throttling", async () => {
    const calm = await readScenario("ready-to-install");
    const { result, sleeps } = await readScenario("throttled");
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps.every((ms) => ms === 1000)).toBe(true);
    expect(result.facts).toEqual(calm.result.facts);
    expect(result.stats.httpRequests).toBeGreaterThan(calm.result.stats.httpRequests);
  });

  it("one-tier-with-admin-agents: the integration account and the native app", async () => {
    const { result } = await readScenario("one-tier-with-admin-agents");
    const { facts } = result;
    expect(facts.integrationAccount?.upn).toBe("pcia@contoso.com");
    expect(facts.integrationAccount?.user.ok && facts.integrationAccount.user.value?.accountEnabled).toBe(true);
    expect(facts.integrationAccount?.adminAgents).toEqual({ ok: true, value: true });
    expect(facts.integrationAccount?.mfa.ok).toBe(true);
    const app = facts.nativeApp?.app;
    expect(app?.ok && app.value?.publicClient).toBe(true);
    expect(app?.ok && app.value?.requiredResourceAppIds).toContain("fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd");
  });

  it("no-policy-read: the permission is named", async () => {
    const { result } = await readScenario("no-policy-read");
    expect(failures(result.facts)).toMatchObject({
      securityDefaultsEnabled: { kind: "privilege-denied", privilege: "Policy.Read.All" },
      conditionalAccessPolicies: { kind: "privilege-denied", privilege: "Policy.Read.All" },
    });
  });
});

describe("sign-in and connection against the emulator", () => {
  afterEach(() => server.emulator.setFaults({}));

  it("an expired token is refreshed once, silently", async () => {
    server.emulator.setScenario("ready-to-install");
    const { result, tokenCalls } = await readScenario("ready-to-install");
    server.emulator.setFaults({ "*": { expireTokens: STALE } });
    const again = createGraphReader({ endpoint: server.url, getToken: async ({ forceRefresh }) => (tokenCalls.push(forceRefresh), forceRefresh ? FRESH : STALE) });
    const refreshed = await again.read(requestOf(server.emulator.scenario.args));
    expect(tokenCalls).toEqual([false, false, true]);
    expect(refreshed.facts).toEqual(result.facts);
  });

  it("a token still refused after the refresh is a GraphAuthError", async () => {
    server.emulator.setScenario("ready-to-install");
    server.emulator.setFaults({ "*": { expireTokens: [STALE, FRESH] } });
    const reader = createGraphReader({ endpoint: server.url, getToken: async ({ forceRefresh }) => (forceRefresh ? FRESH : STALE) });
    await expect(reader.read({ serviceAccountUpn: "w365serv@contoso.com" })).rejects.toBeInstanceOf(GraphAuthError);
  });

  it("a closed port on 127.0.0.1 is a GraphConnectionError", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const reader = createGraphReader({ endpoint: `http://127.0.0.1:${port}` });
    await expect(reader.read({ serviceAccountUpn: "w365serv@contoso.com" })).rejects.toBeInstanceOf(GraphConnectionError);
  });
});
