import type { GraphFacts } from "../../PrerequisiteChecklist/checklist/graph";
import { ENDPOINT, type FakeAnswer, fakeGraph, type FakeRoute, notFound, notPremium, denied, throttled, graphError } from "./fakeGraph";
import {
  contoso,
  GA_ROLE,
  GA_UPN,
  GROUP_ID,
  IA_ID,
  IA_UPN,
  list,
  ME_ID,
  MFA_FOR_ALL_POLICY,
  NATIVE_APP_ID,
  P,
  PARTNER_CENTER_API,
  partnerRoutes,
  registrationReport,
  REPORT_ONLY_STRENGTH_POLICY,
  ROLE_GROUP_ID,
  SA_ID,
  SALES_PLAN_ID,
  SA_UPN,
  SP_ID,
  TENANT_ID,
  WORK365_US_APP_ID,
} from "./fixtures";
import { createGraphReader, GraphAuthError, GraphConnectionError, type GraphReaderDeps, type GraphReadRequest } from "./reader";

const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.fake-token-1";
const FRESH_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.fake-token-2";

const TWO_TIER: GraphReadRequest = { serviceAccountUpn: SA_UPN, globalAdminUpn: GA_UPN };
const ONE_TIER: GraphReadRequest = { ...TWO_TIER, integrationAccountUpn: IA_UPN, nativeAppId: NATIVE_APP_ID };

function setup(
  routes: Record<string, FakeRoute>,
  options: Parameters<typeof fakeGraph>[1] & { deps?: Partial<GraphReaderDeps> } = {},
) {
  const graph = fakeGraph(routes, options);
  const progress: string[] = [];
  const sleeps: number[] = [];
  const tokenCalls: boolean[] = [];
  const reader = createGraphReader({
    endpoint: ENDPOINT,
    fetch: graph.fetch,
    getToken: async ({ forceRefresh }) => {
      tokenCalls.push(forceRefresh);
      return forceRefresh ? FRESH_TOKEN : TOKEN;
    },
    sleep: async (ms) => void sleeps.push(ms),
    onProgress: (line) => progress.push(line),
    ...options.deps,
  });
  return { graph, progress, sleeps, tokenCalls, read: (request: GraphReadRequest = TWO_TIER) => reader.read(request) };
}

const failureOf = (reading: { ok: boolean; failure?: unknown }) => (reading.ok ? undefined : reading.failure);

describe("a 2-Tier tenant that is ready (every fact's normal path)", () => {
  it("reads everything in one batch of 16 and normalises it as graph.ts documents", async () => {
    const { graph, read, progress } = setup(contoso());
    const result = await read();

    expect(result.stats).toEqual({ httpRequests: 1, rounds: 1, innerRequests: 16, roundReasons: [] });
    expect(graph.batches[0].ids).toEqual(["r1", "r2", "r3", "r4", "r5", "r6", "r6b", "r7", "r18", "r8", "r9", "r10", "r11", "r12", "r13", "r14"]);
    expect(result.signedIn).toEqual({ id: ME_ID.toLowerCase(), upn: GA_UPN, name: "Dana Admin" });
    expect(progress).toEqual([expect.stringMatching(/^Reading Microsoft Entra ID: .*licences.*MFA.*roles.* \(batch of 16\)$/)]);

    const expected: GraphFacts = {
      tenantId: TENANT_ID.toLowerCase(),
      serviceAccount: {
        upn: SA_UPN,
        user: { ok: true, value: { id: SA_ID.toLowerCase(), userPrincipalName: SA_UPN, displayName: "W365 Service", accountEnabled: true } },
        mfa: { ok: true, value: { methods: ["microsoftAuthenticatorPush", "email"], readFrom: "report", isMfaRegistered: true } },
      },
      serviceAccountLicences: {
        ok: true,
        value: [
          {
            skuId: "1e1e1e1e-0000-4000-8000-00000000000b",
            skuPartNumber: "DYN365_ENTERPRISE_SALES",
            servicePlans: [
              { servicePlanId: "2da8e897-7791-486b-b08f-cc63c8129df7", servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success" },
            ],
          },
        ],
      },
      serviceAccountMembership: { ok: true, value: { groupIds: [GROUP_ID.toLowerCase()], roleTemplateIds: [GA_ROLE] } },
      globalAdministrator: {
        upn: GA_UPN,
        user: { ok: true, value: { id: ME_ID.toLowerCase(), userPrincipalName: GA_UPN, displayName: "Dana Admin", accountEnabled: true } },
        mfa: { ok: true, value: { methods: ["fido2"], readFrom: "report", isMfaRegistered: true } },
      },
      globalAdministratorLicences: {
        ok: true,
        value: [{ skuId: "1e1e1e1e-0000-4000-8000-00000000000b", skuPartNumber: "DYN365_ENTERPRISE_SALES", servicePlans: [{ servicePlanId: SALES_PLAN_ID.toLowerCase(), servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success" }] }],
      },
      globalAdminRole: { ok: true, value: { active: true, throughGroup: null, eligible: false } },
      securityDefaultsEnabled: { ok: true, value: false },
      conditionalAccessPolicies: {
        ok: true,
        value: [
          {
            id: MFA_FOR_ALL_POLICY.id.toLowerCase(),
            displayName: "Require MFA for all users",
            state: "enabled",
            requiresMfa: true,
            includeUsers: ["All"],
            excludeUsers: ["b0b0b0b0-0000-4000-8000-000000000007"],
            includeGroups: [],
            excludeGroups: [],
            includeRoles: [],
            excludeRoles: [],
            includeApplications: ["All"],
            excludeApplications: [],
            changedAt: "2024-03-01T09:30:00Z",
          },
          {
            id: REPORT_ONLY_STRENGTH_POLICY.id.toLowerCase(),
            displayName: "Phishing-resistant MFA for admins (report-only)",
            state: "enabledForReportingButNotEnforced",
            // An authentication strength, no "mfa" control: still requires MFA.
            requiresMfa: true,
            includeUsers: [],
            excludeUsers: [],
            includeGroups: [],
            excludeGroups: [],
            includeRoles: [GA_ROLE],
            excludeRoles: [],
            includeApplications: ["00000007-0000-0000-c000-000000000000"],
            excludeApplications: [],
            // modifiedDateTime null: created is the later.
            changedAt: "2024-05-02T10:00:00Z",
          },
        ],
      },
      federatedDomains: { ok: true, value: ["corp.contoso.com"] },
      premiumSubscriptions: { ok: true, value: [{ skuPartNumber: "AAD_PREMIUM", capabilityStatus: "Enabled", consumedUnits: 3, enabledUnits: 25 }] },
      work365ServicePrincipals: { ok: true, value: [] },
    };
    expect(result.facts).toEqual(expected);
  });

  it("sends the token, and never puts it in a progress line", async () => {
    const { graph, read, progress } = setup(contoso({ [P.saLicences]: () => throttled(1) }));
    await read();
    expect(graph.batches.every((b) => b.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(progress.length).toBeGreaterThan(1); // The throttling line too.
    for (const line of progress) expect(line).not.toContain("fake-token");
  });

  it("sends no Authorization header without getToken (--auth none)", async () => {
    const { graph, read } = setup(contoso(), { deps: { getToken: undefined } });
    const result = await read();
    expect(graph.batches[0].authorization).toBeNull();
    expect(result.facts.tenantId).toBe(TENANT_ID.toLowerCase());
  });

  it("takes the later of modified and created, whichever order they come in", async () => {
    const policy = { ...MFA_FOR_ALL_POLICY, createdDateTime: "2024-06-01T00:00:00Z", modifiedDateTime: "2024-02-01T00:00:00Z" };
    const { read } = setup(contoso({ [P.policies]: list(policy) }));
    const policies = (await read()).facts.conditionalAccessPolicies;
    expect(policies.ok && policies.value[0].changedAt).toBe("2024-06-01T00:00:00Z");
  });

  it("counts a policy that grants without MFA as not requiring it", async () => {
    const policy = { ...MFA_FOR_ALL_POLICY, grantControls: { operator: "OR", builtInControls: ["compliantDevice"], authenticationStrength: null } };
    const { read } = setup(contoso({ [P.policies]: list(policy) }));
    const policies = (await read()).facts.conditionalAccessPolicies;
    expect(policies.ok && policies.value[0].requiresMfa).toBe(false);
  });

  it("reads a Global Administrator given as the service account once", async () => {
    const { graph, read } = setup(contoso());
    const result = await read({ serviceAccountUpn: SA_UPN, globalAdminUpn: "W365Serv@Contoso.com" });
    expect(graph.batches[0].ids).not.toContain("r7");
    expect(graph.batches[0].ids).not.toContain("r18");
    expect(result.facts.globalAdministrator.user).toEqual(result.facts.serviceAccount.user);
    expect(result.facts.globalAdministratorLicences).toEqual(result.facts.serviceAccountLicences);
    expect(result.facts.globalAdministrator.mfa).toEqual(result.facts.serviceAccount.mfa);
  });
});

describe("the MFA registration report: one request per account, as Learn documents its $filter", () => {
  it("sends `userPrincipalName eq` for each account in round 1, with neither `or` nor `$select`", async () => {
    const { graph, read } = setup(contoso(partnerRoutes()));
    const result = await read(ONE_TIER);
    const reports = graph.batches[0].ids.map((id, i) => [id, graph.batches[0].urls[i]]).filter(([, url]) => url.startsWith(P.report));
    expect(reports).toEqual([
      ["r6", `${P.report}?$filter=userPrincipalName eq 'w365serv%40contoso.com'`],
      ["r6b", `${P.report}?$filter=userPrincipalName eq 'dana%40contoso.com'`],
      ["r6c", `${P.report}?$filter=userPrincipalName eq 'pc-integration%40contoso.com'`],
    ]);
    for (const [, url] of reports) expect(url).not.toMatch(/ or |\$select/);
    // Each account's registration comes from its own row; the integration account has none, so its methods are read.
    expect(result.facts.serviceAccount.mfa).toMatchObject({ ok: true, value: { readFrom: "report" } });
    expect(result.facts.globalAdministrator.mfa).toMatchObject({ ok: true, value: { readFrom: "report", methods: ["fido2"] } });
    expect(graph.batches[1].urls).toEqual([P.iaMethods]);
  });

  it("one account's report refused fails over to that account's methods only", async () => {
    const rows = registrationReport({ userPrincipalName: SA_UPN, isMfaRegistered: true, methodsRegistered: ["fido2"] });
    const routes = contoso({
      [P.report]: (call) => (call.url.includes("dana") ? notPremium() : (rows as (c: typeof call) => FakeAnswer)(call)),
      [P.gaMethods]: list({ "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "f" }),
    });
    const { graph, read } = setup(routes);
    const result = await read();
    expect(result.facts.serviceAccount.mfa).toMatchObject({ ok: true, value: { readFrom: "report" } });
    expect(result.facts.globalAdministrator.mfa).toEqual({ ok: true, value: { methods: ["fido2AuthenticationMethod"], readFrom: "methods" } });
    expect(graph.batches[1].urls).toEqual([P.gaMethods]);
  });
});

describe("the signed-in admin as the Global Administrator (no --global-admin)", () => {
  it("uses /me, and reads its MFA methods in round 2 (the report could not name it in round 1)", async () => {
    const { graph, read } = setup(
      contoso({
        [P.gaMethods]: list(
          { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" },
          { "@odata.type": "#microsoft.graph.phoneAuthenticationMethod", id: "ph", phoneType: "mobile" },
        ),
      }),
    );
    const result = await read({ serviceAccountUpn: SA_UPN });

    expect(graph.batches[0].ids).not.toContain("r7");
    // The report for the service account alone: the signed-in admin's UPN is not known yet.
    expect(graph.batches[0].urls.filter((u) => u.startsWith(P.report))).toEqual([
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'w365serv%40contoso.com'",
    ]);
    expect(graph.batches[1].urls).toEqual([P.gaMethods]);
    expect(result.stats).toEqual({ httpRequests: 2, rounds: 2, innerRequests: 15, roundReasons: [[`MFA methods of ${GA_UPN}`]] });
    expect(result.facts.globalAdministrator).toEqual({
      upn: GA_UPN,
      user: { ok: true, value: { id: ME_ID.toLowerCase(), userPrincipalName: GA_UPN, displayName: "Dana Admin", accountEnabled: true } },
      mfa: { ok: true, value: { methods: ["passwordAuthenticationMethod", "phoneAuthenticationMethod"], readFrom: "methods" } },
    });
  });

  it("fails the Global Administrator with /me's failure when /me cannot be read", async () => {
    const { read } = setup(contoso({ [P.me]: graphError(500, "UnknownError", "Something broke.") }));
    const result = await read({ serviceAccountUpn: SA_UPN });
    expect(result.signedIn).toBeNull();
    expect(failureOf(result.facts.globalAdministrator.user)).toMatchObject({ kind: "server-error" });
    expect(failureOf(result.facts.globalAdministrator.mfa)).toMatchObject({ kind: "server-error" });
    expect(result.facts.serviceAccount.user.ok).toBe(true);
  });
});

describe("1-Tier: the integration account and the native app", () => {
  it("reads them in round 1 (r15-r17, the report names all three accounts)", async () => {
    const routes = contoso({
      ...partnerRoutes(),
      [P.report]: registrationReport(
        { id: SA_ID, userPrincipalName: SA_UPN, methodsRegistered: ["softwareOneTimePasscode"] },
        { id: ME_ID, userPrincipalName: GA_UPN, methodsRegistered: ["fido2"] },
        { id: IA_ID, userPrincipalName: IA_UPN, methodsRegistered: ["mobilePhone"] },
      ),
    });
    const { graph, read } = setup(routes);
    const result = await read(ONE_TIER);

    expect(result.stats).toEqual({ httpRequests: 1, rounds: 1, innerRequests: 20, roundReasons: [] });
    expect(graph.batches[0].urls).toEqual(
      expect.arrayContaining([
        "/users/pc-integration%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled",
        "/users/pc-integration%40contoso.com/memberOf?$select=id,displayName",
        `/applications(appId='${NATIVE_APP_ID}')?$select=appId,displayName,isFallbackPublicClient,publicClient,requiredResourceAccess`,
      ]),
    );
    expect(result.facts.integrationAccount).toEqual({
      upn: IA_UPN,
      user: { ok: true, value: { id: IA_ID.toLowerCase(), userPrincipalName: IA_UPN, displayName: "Partner Center integration", accountEnabled: true } },
      mfa: { ok: true, value: { methods: ["mobilePhone"], readFrom: "report" } },
      adminAgents: { ok: true, value: true },
    });
    expect(result.facts.nativeApp).toEqual({
      appId: NATIVE_APP_ID.toLowerCase(),
      app: {
        ok: true,
        value: {
          appId: NATIVE_APP_ID.toLowerCase(),
          displayName: "Work 365 Partner Center",
          publicClient: true,
          requiredResourceAppIds: [PARTNER_CENTER_API.toLowerCase(), "00000003-0000-0000-c000-000000000000"],
        },
      },
    });
  });

  it("sees no AdminAgents membership, and a confidential client, as such", async () => {
    const app = { appId: NATIVE_APP_ID, displayName: "Native", isFallbackPublicClient: false, publicClient: { redirectUris: [] }, requiredResourceAccess: [] };
    const { read } = setup(contoso({ ...partnerRoutes(), [P.iaMemberOf]: list({ "@odata.type": "#microsoft.graph.group", id: GROUP_ID, displayName: "SalesAgents" }), [P.nativeApp]: { body: app } }));
    const result = await read(ONE_TIER);
    expect(result.facts.integrationAccount?.adminAgents).toEqual({ ok: true, value: false });
    expect(result.facts.nativeApp?.app).toEqual({ ok: true, value: { appId: NATIVE_APP_ID.toLowerCase(), displayName: "Native", publicClient: false, requiredResourceAppIds: [] } });
  });

  it("counts isFallbackPublicClient alone as a public client", async () => {
    const app = { appId: NATIVE_APP_ID, displayName: "Native", isFallbackPublicClient: true, publicClient: { redirectUris: [] }, requiredResourceAccess: [] };
    const { read } = setup(contoso({ ...partnerRoutes(), [P.nativeApp]: { body: app } }));
    const app2 = (await read(ONE_TIER)).facts.nativeApp?.app;
    expect(app2?.ok && app2.value?.publicClient).toBe(true);
  });

  it("leaves integrationAccount and nativeApp out for 2-Tier", async () => {
    const { read } = setup(contoso());
    const facts = (await read()).facts;
    expect("integrationAccount" in facts).toBe(false);
    expect("nativeApp" in facts).toBe(false);
  });
});

describe("404: no such user or app", () => {
  it("is the answer null, not a failure; its MFA and groups are not looked for", async () => {
    const routes = contoso({
      ...partnerRoutes(),
      [P.sa]: notFound(SA_UPN),
      [P.saLicences]: notFound(SA_UPN),
      [P.saMemberOf]: notFound(SA_UPN),
      [P.ia]: notFound(IA_UPN),
      [P.iaMemberOf]: notFound(IA_UPN),
      [P.nativeApp]: notFound(NATIVE_APP_ID),
      [P.report]: list({ id: ME_ID, userPrincipalName: GA_UPN, methodsRegistered: ["fido2"] }),
      [P.roleAssignments]: list(),
    });
    const { graph, read } = setup(routes);
    const result = await read(ONE_TIER);

    expect(result.facts.serviceAccount.user).toEqual({ ok: true, value: null });
    expect(failureOf(result.facts.serviceAccount.mfa)).toMatchObject({ kind: "not-found" });
    expect(failureOf(result.facts.serviceAccountLicences)).toMatchObject({ kind: "not-found" });
    expect(result.facts.integrationAccount?.user).toEqual({ ok: true, value: null });
    expect(result.facts.nativeApp?.app).toEqual({ ok: true, value: null });
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: false, throughGroup: null, eligible: false } });
    // Nothing left to ask: no per-user MFA (no id), no methods (no user).
    expect(result.stats.rounds).toBe(1);
    expect(graph.http).toEqual(["POST $batch"]);
  });

  it("is a failure where the thing must exist (a 404 on security defaults)", async () => {
    const { read } = setup(contoso({ [P.securityDefaults]: notFound("identitySecurityDefaultsEnforcementPolicy") }));
    expect(failureOf((await read()).facts.securityDefaultsEnabled)).toMatchObject({ kind: "not-found", service: "graph" });
  });
});

describe("403: a missing permission or licence fails only its own fact", () => {
  it("names the permission the read needs", async () => {
    const { read } = setup(contoso({ [P.policies]: denied(), [P.roleAssignments]: denied(), [P.saLicences]: denied() }));
    const facts = (await read()).facts;
    expect(failureOf(facts.conditionalAccessPolicies)).toEqual({
      kind: "privilege-denied",
      privilege: "Policy.Read.All",
      detail: "403 Authorization_RequestDenied: Insufficient privileges to complete the operation.",
      service: "graph",
    });
    expect(failureOf(facts.globalAdminRole)).toMatchObject({ kind: "privilege-denied", privilege: "RoleManagement.Read.Directory" });
    expect(failureOf(facts.serviceAccountLicences)).toMatchObject({ kind: "privilege-denied", privilege: "LicenseAssignment.Read.All" });
    // The others are still read.
    expect(facts.serviceAccount.user.ok && facts.securityDefaultsEnabled.ok && facts.premiumSubscriptions.ok).toBe(true);
  });

  it("a tenant without P1 or P2: registration falls back to /authentication/methods; CA and PIM say premium-required", async () => {
    const routes = contoso({
      [P.report]: notPremium(),
      [P.policies]: graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Tenant is not premium."),
      [P.roleEligibility]: notPremium(),
      [P.securityDefaults]: { body: { isEnabled: true } },
      [P.saMethods]: list(
        { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", id: "m1", displayName: "iPhone" },
        { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "m2" },
      ),
      [P.gaMethods]: list({ "@odata.type": "#microsoft.graph.emailAuthenticationMethod", id: "e" }),
    });
    const { graph, read } = setup(routes);
    const result = await read();

    expect(graph.batches[1].urls.sort()).toEqual([P.gaMethods, P.saMethods]);
    expect(result.facts.serviceAccount.mfa).toEqual({
      ok: true,
      value: { methods: ["microsoftAuthenticatorAuthenticationMethod", "passwordAuthenticationMethod"], readFrom: "methods" },
    });
    expect(result.facts.globalAdministrator.mfa).toEqual({ ok: true, value: { methods: ["emailAuthenticationMethod"], readFrom: "methods" } });
    expect(failureOf(result.facts.conditionalAccessPolicies)).toMatchObject({ kind: "premium-required" });
    // PIM needs P2: without it no one is eligible, and the active assignment still answers.
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: null, eligible: false, eligibilityUnread: true } });
    // Security defaults prove enforcement: no per-user MFA read.
    expect(graph.http.filter((h) => h.includes("/beta/"))).toEqual([]);
    expect(result.stats).toEqual({ httpRequests: 2, rounds: 2, innerRequests: 18, roundReasons: [[`MFA methods of ${SA_UPN}`, `MFA methods of ${GA_UPN}`]] });
  });

  it("the report refused for want of a permission: the fallback too, and its own failure is the answer", async () => {
    const { read } = setup(contoso({ [P.report]: denied(), [P.saMethods]: denied(), [P.gaMethods]: list() }));
    const facts = (await read()).facts;
    expect(failureOf(facts.serviceAccount.mfa)).toMatchObject({ kind: "privilege-denied", privilege: "UserAuthenticationMethod.Read.All" });
    expect(facts.globalAdministrator.mfa).toEqual({ ok: true, value: { methods: [], readFrom: "methods" } });
  });

  it("a report without a row for an existing user (not refreshed yet) reads that user's methods", async () => {
    const routes = contoso({
      [P.report]: list({ id: ME_ID, userPrincipalName: GA_UPN, methodsRegistered: ["fido2"] }),
      [P.saMethods]: list({ "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "f" }),
    });
    const { graph, read } = setup(routes);
    const facts = (await read()).facts;
    expect(graph.batches[1].urls).toEqual([P.saMethods]);
    expect(facts.serviceAccount.mfa).toEqual({ ok: true, value: { methods: ["fido2AuthenticationMethod"], readFrom: "methods" } });
    expect(facts.globalAdministrator.mfa).toEqual({ ok: true, value: { methods: ["fido2"], readFrom: "report" } });
  });
});

describe("round 2: only what round 1's answers call for", () => {
  const roleGroupAssignment = list({
    id: "ra3",
    roleDefinitionId: GA_ROLE,
    principalId: ROLE_GROUP_ID,
    directoryScopeId: "/",
    principal: { "@odata.type": "#microsoft.graph.group", id: ROLE_GROUP_ID, displayName: "Tenant admins" },
  });
  const roleGroup = { "@odata.type": "#microsoft.graph.group", id: ROLE_GROUP_ID, displayName: "Tenant admins" };

  it("the Global Administrator role through a role-assignable group the account's own groups list: no member read", async () => {
    const routes = contoso({
      [P.roleAssignments]: roleGroupAssignment,
      [P.roleEligibility]: list({ id: "e1", roleDefinitionId: GA_ROLE, principalId: SA_ID, directoryScopeId: "/", startDateTime: null, endDateTime: null }),
      [P.saMemberOf]: list({ "@odata.type": "#microsoft.graph.group", id: GROUP_ID, displayName: "Dynamics users" }, roleGroup),
      [P.roleGroupMembers]: list({ id: SA_ID }),
    });
    const { graph, read } = setup(routes);
    const result = await read();
    expect(graph.innerUrls.filter((u) => u.includes("/transitiveMembers"))).toEqual([]);
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Tenant admins", eligible: true } });
    expect(result.stats.rounds).toBe(1);
  });

  it("a complete list of the account's groups without the role group: not a member, no member read", async () => {
    const { graph, read } = setup(contoso({ [P.roleAssignments]: roleGroupAssignment, [P.roleGroupMembers]: list({ id: SA_ID }) }));
    const result = await read();
    expect(graph.batches).toHaveLength(1);
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: false, throughGroup: null, eligible: false } });
  });

  it("the account's groups unread: the role group's members are read in round 2 and decide; a failed member read: no answer", async () => {
    const unread = { [P.roleAssignments]: roleGroupAssignment, [P.saMemberOf]: denied() };
    const member = setup(contoso({ ...unread, [P.roleGroupMembers]: list({ "@odata.type": "#microsoft.graph.user", id: ME_ID }, { "@odata.type": "#microsoft.graph.user", id: SA_ID }) }));
    const result = await member.read();
    expect(member.graph.batches[1].urls).toEqual([`${P.roleGroupMembers}?$select=id`]);
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Tenant admins", eligible: false } });
    expect(result.stats.roundReasons).toEqual([["members of role group Tenant admins"]]);

    const without = setup(contoso({ ...unread, [P.roleGroupMembers]: list({ id: ME_ID }) }));
    expect((await without.read()).facts.globalAdminRole).toEqual({ ok: true, value: { active: false, throughGroup: null, eligible: false } });

    const refused = setup(contoso({ ...unread, [P.roleGroupMembers]: denied() }));
    expect(failureOf((await refused.read()).facts.globalAdminRole)).toMatchObject({ kind: "privilege-denied", privilege: "GroupMember.Read.All" });
  });

  it("the account's groups on more pages: a role group not on the first page has its members read beside the next page", async () => {
    const more = "/v1.0/users/w365serv%40contoso.com/transitiveMemberOf?$skiptoken=m2";
    const routes = contoso({
      [P.roleAssignments]: roleGroupAssignment,
      [P.saMemberOf]: { body: { value: [{ "@odata.type": "#microsoft.graph.group", id: GROUP_ID }], "@odata.nextLink": ENDPOINT + more } },
      [more.slice("/v1.0".length)]: list(roleGroup),
      [P.roleGroupMembers]: list({ id: SA_ID }),
    });
    const { graph, read } = setup(routes);
    const result = await read();
    expect(graph.batches.map((b) => b.ids)).toEqual([expect.arrayContaining(["r5"]), ["g1", "r5p2"]]);
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Tenant admins", eligible: false } });
    expect(result.stats.rounds).toBe(2);
  });

  it("an eligibility that cannot be read leaves the active assignments to decide: PIM's 400 without P2, a 403", async () => {
    const noAssignment = list();
    const pim = setup(contoso({ [P.roleAssignments]: noAssignment, [P.roleEligibility]: graphError(400, "AadPremiumLicenseRequired", "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.") }));
    expect((await pim.read()).facts.globalAdminRole).toEqual({ ok: true, value: { active: false, throughGroup: null, eligible: false, eligibilityUnread: true } });
    const refused = setup(contoso({ [P.roleAssignments]: noAssignment, [P.roleEligibility]: denied() }));
    expect((await refused.read()).facts.globalAdminRole).toEqual({ ok: true, value: { active: false, throughGroup: null, eligible: false, eligibilityUnread: true } });
    // The active assignments themselves unread: no answer.
    const unread = setup(contoso({ [P.roleAssignments]: denied() }));
    expect(failureOf((await unread.read()).facts.globalAdminRole)).toMatchObject({ kind: "privilege-denied" });
  });

  it("more than 20 requests go in batches of 20, sent together", async () => {
    const groups = Array.from({ length: 21 }, (_, i) => `71717171-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const routes = contoso({
      [P.roleAssignments]: list(
        ...groups.map((id, i) => ({ id: `ra${i}`, roleDefinitionId: GA_ROLE, principalId: id, principal: { "@odata.type": "#microsoft.graph.group", id, displayName: `Admins ${i}` } })),
      ),
      ...Object.fromEntries(groups.map((id, i) => [`/groups/${id}/transitiveMembers`, list(...(i === 20 ? [{ id: SA_ID }] : []))])),
      // Unread: the account's own groups cannot decide, so every group's members are read.
      [P.saMemberOf]: denied(),
    });
    const { graph, read } = setup(routes, { pause: () => new Promise<void>((resolve) => setImmediate(resolve)) });
    const result = await read();
    expect(graph.batches.map((b) => b.ids.length)).toEqual([16, 20, 1]);
    expect(graph.events.indexOf("start batch 3")).toBeLessThan(graph.events.indexOf("end batch 2"));
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Admins 20", eligible: false } });
    expect(result.stats).toMatchObject({ httpRequests: 3, rounds: 2, innerRequests: 37 });
    expect(result.stats.roundReasons[0]).toHaveLength(21);
  });

  it("Work 365's service principal: admin consent from an AllPrincipals grant or an app role assignment", async () => {
    const sp = list({ id: SP_ID, appId: WORK365_US_APP_ID.toUpperCase(), displayName: "Work 365" });
    const consented = setup(
      contoso({
        [P.servicePrincipals]: sp,
        [P.spGrants]: list({ consentType: "Principal", scope: "User.Read" }, { consentType: "AllPrincipals", scope: "User.Read offline_access" }),
        [P.spAppRoles]: list(),
      }),
    );
    const result = await consented.read();
    expect(consented.graph.batches[1].urls).toEqual([
      `${P.spGrants}?$select=consentType,scope`,
      `${P.spAppRoles}?$select=id,resourceDisplayName`,
    ]);
    expect(result.facts.work365ServicePrincipals).toEqual({ ok: true, value: [{ appId: WORK365_US_APP_ID, displayName: "Work 365", adminConsent: true }] });

    const appRoleOnly = setup(contoso({ [P.servicePrincipals]: sp, [P.spGrants]: list(), [P.spAppRoles]: list({ id: "x", resourceDisplayName: "Microsoft Graph" }) }));
    expect((await appRoleOnly.read()).facts.work365ServicePrincipals).toEqual({ ok: true, value: [{ appId: WORK365_US_APP_ID, displayName: "Work 365", adminConsent: true }] });

    const none = setup(contoso({ [P.servicePrincipals]: sp, [P.spGrants]: list({ consentType: "Principal" }), [P.spAppRoles]: list() }));
    expect((await none.read()).facts.work365ServicePrincipals).toEqual({ ok: true, value: [{ appId: WORK365_US_APP_ID, displayName: "Work 365", adminConsent: false }] });

    const unreadable = setup(contoso({ [P.servicePrincipals]: sp, [P.spGrants]: denied(), [P.spAppRoles]: list() }));
    expect(failureOf((await unreadable.read()).facts.work365ServicePrincipals)).toMatchObject({ kind: "privilege-denied", privilege: "Directory.Read.All" });
  });
});

describe("per-user MFA (beta)", () => {
  /** Strong registration, no security defaults, no policy that covers Dynamics 365. */
  const unenforced = (over: Record<string, FakeRoute> = {}) =>
    contoso({ [P.policies]: list(REPORT_ONLY_STRENGTH_POLICY), [P.perUserMfa]: { body: { perUserMfaState: "enforced" } }, ...over });

  it("is read when nothing else proves enforcement, concurrently with the round-2 batch", async () => {
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    const routes = unenforced({
      [P.servicePrincipals]: list({ id: SP_ID, appId: WORK365_US_APP_ID, displayName: "Work 365" }),
      [P.spGrants]: list(),
      [P.spAppRoles]: list(),
    });
    const { graph, read } = setup(routes, { pause });
    const result = await read();

    expect(result.facts.serviceAccountPerUserMfa).toEqual({ ok: true, value: "enforced" });
    expect(result.stats).toEqual({
      httpRequests: 3,
      rounds: 2,
      innerRequests: 18,
      roundReasons: [["admin consent of Work 365", `per-user MFA of ${SA_UPN} (beta)`]],
    });
    const beta = `GET ${P.perUserMfa}`;
    expect(graph.http).toEqual(["POST $batch", "POST $batch", beta]);
    // Both started before either ended.
    const at = (event: string) => graph.events.indexOf(event);
    expect(at(`start ${P.perUserMfa}`)).toBeLessThan(at("end batch 2"));
    expect(at("start batch 2")).toBeLessThan(at(`end ${P.perUserMfa}`));
  });

  it("is the only round-2 request when nothing else is called for", async () => {
    const { graph, read } = setup(unenforced());
    const result = await read();
    expect(graph.http).toEqual(["POST $batch", `GET ${P.perUserMfa}`]);
    expect(result.stats).toEqual({ httpRequests: 2, rounds: 2, innerRequests: 16, roundReasons: [[`per-user MFA of ${SA_UPN} (beta)`]] });
  });

  it("is not read when security defaults or an enabled policy prove enforcement, or with no strong method", async () => {
    const byDefaults = setup(unenforced({ [P.securityDefaults]: { body: { isEnabled: true } } }));
    const r1 = await byDefaults.read();
    expect(r1.stats.rounds).toBe(1);
    expect(r1.facts.serviceAccountPerUserMfa).toBeUndefined();

    const noStrong = setup(
      unenforced({ [P.report]: list({ userPrincipalName: SA_UPN, methodsRegistered: ["email"] }, { userPrincipalName: GA_UPN, methodsRegistered: ["fido2"] }) }),
    );
    const r2 = await noStrong.read();
    // The report may lag: the methods are read in round 2 (this fake does not answer them: so it says the report may lag).
    expect(noStrong.graph.http).toEqual(expect.arrayContaining(["POST $batch", "POST $batch"]));
    expect(r2.stats.rounds).toBe(2);
    expect(r2.facts.serviceAccount.mfa).toMatchObject({ ok: true, value: { readFrom: "report", reportMayLag: true } });
    expect(r2.facts.serviceAccountPerUserMfa).toBeUndefined();
  });

  it("a report that says not registered is checked against the methods: they decide, and if unread the report may lag", async () => {
    const lagging = { [P.report]: list({ userPrincipalName: SA_UPN, isMfaRegistered: false, methodsRegistered: [] }, { userPrincipalName: GA_UPN, isMfaRegistered: true, methodsRegistered: ["fido2"] }) };
    const fresh = setup(unenforced({ ...lagging, [P.saMethods]: list({ "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod", id: "m1" }) }));
    const registered = await fresh.read();
    expect(registered.facts.serviceAccount.mfa).toEqual({ ok: true, value: { methods: ["microsoftAuthenticatorAuthenticationMethod"], readFrom: "methods" } });
    expect(registered.stats.rounds).toBe(2);

    const unread = setup(unenforced({ ...lagging, [P.saMethods]: denied() }));
    expect((await unread.read()).facts.serviceAccount.mfa).toEqual({ ok: true, value: { methods: [], readFrom: "report", isMfaRegistered: false, reportMayLag: true } });
  });

  it("is read beside the methods fallback when the report could not say, and dropped if no strong method shows", async () => {
    const routes = unenforced({
      [P.report]: notPremium(),
      [P.saMethods]: list({ "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" }),
      [P.gaMethods]: list(),
    });
    const { graph, read } = setup(routes);
    const result = await read();
    expect(graph.http).toContain(`GET ${P.perUserMfa}`);
    // Registration alone settles it (no strong method), so the reading is not kept.
    expect(result.facts.serviceAccountPerUserMfa).toBeUndefined();
  });

  it("a refusal names the permission", async () => {
    const { read } = setup(unenforced({ [P.perUserMfa]: denied() }));
    expect(failureOf((await read()).facts.serviceAccountPerUserMfa ?? { ok: true })).toMatchObject({
      kind: "privilege-denied",
      privilege: "Policy.Read.All",
    });
  });
});

describe("paging: next pages go in the next round's batch, relative to /v1.0", () => {
  /** A page of `rows` whose `@odata.nextLink` is `next` (relative to /v1.0, made absolute as Graph writes it). */
  const paged = (next: string, ...rows: unknown[]) => ({ body: { value: rows, "@odata.nextLink": `${ENDPOINT}/v1.0${next}` } });
  const policies2 = "/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,createdDateTime,modifiedDateTime&$skiptoken=p2";
  const domains2 = "/domains?$select=id,authenticationType&$skiptoken=d2";
  const domains3 = "/domains?$select=id,authenticationType&$skiptoken=d3";
  const second = { ...MFA_FOR_ALL_POLICY, id: "C2C2C2C2-0000-4000-8000-000000000011", displayName: "Second" };

  it("fetches the second pages of two collections together in round 2's one batch, beside its other reads and the beta read", async () => {
    const routes = contoso({
      [P.policies]: paged(policies2, REPORT_ONLY_STRENGTH_POLICY),
      [policies2]: list(second),
      [P.domains]: paged("/domains?$select=id,authenticationType&$skiptoken=only2", { id: "a.com", authenticationType: "Federated" }),
      "/domains?$select=id,authenticationType&$skiptoken=only2": list({ id: "b.com", authenticationType: "Federated" }),
      [P.report]: registrationReport({ userPrincipalName: SA_UPN, isMfaRegistered: true, methodsRegistered: ["fido2"] }),
      [P.gaMethods]: list({ "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "f" }),
      [P.perUserMfa]: { body: { perUserMfaState: "disabled" } },
    });
    const { graph, read } = setup(routes, { pause: () => new Promise<void>((resolve) => setImmediate(resolve)) });
    const result = await read();

    // No plain GET but the beta read: both pages and the methods in batch 2.
    expect(graph.http).toEqual(["POST $batch", "POST $batch", `GET ${P.perUserMfa}`]);
    expect(graph.batches[1].urls).toEqual([P.gaMethods, policies2, "/domains?$select=id,authenticationType&$skiptoken=only2"]);
    const at = (event: string) => graph.events.indexOf(event);
    expect(at(`start ${P.perUserMfa}`)).toBeLessThan(at("end batch 2"));
    expect(at("start batch 2")).toBeLessThan(at(`end ${P.perUserMfa}`));
    const policies = result.facts.conditionalAccessPolicies;
    expect(policies.ok && policies.value.map((p) => p.displayName)).toEqual([REPORT_ONLY_STRENGTH_POLICY.displayName, "Second"]);
    expect(result.facts.federatedDomains).toEqual({ ok: true, value: ["a.com", "b.com"] });
    expect(result.stats).toEqual({
      httpRequests: 3,
      rounds: 2,
      innerRequests: 19,
      roundReasons: [[`MFA methods of ${GA_UPN}`, "next page of Conditional Access (page 2)", "next page of domains (page 2)", `per-user MFA of ${SA_UPN} (beta)`]],
    });
    // The second page proves enforcement: the per-user read (made while it was unknown) is not kept.
    expect(result.facts.serviceAccountPerUserMfa).toBeUndefined();
  });

  it("fetches a third page in round 3, together with the second page of a read made in round 2", async () => {
    const methods2 = `${P.gaMethods}?$skiptoken=g2`;
    const routes = contoso({
      [P.policies]: paged(policies2, REPORT_ONLY_STRENGTH_POLICY),
      [policies2]: list(second),
      [P.domains]: paged(domains2, { id: "a.com", authenticationType: "Federated" }),
      [domains2]: paged(domains3, { id: "b.com", authenticationType: "Managed" }),
      [domains3]: list({ id: "c.com", authenticationType: "Federated" }),
      [P.report]: registrationReport({ userPrincipalName: SA_UPN, isMfaRegistered: true, methodsRegistered: ["fido2"] }),
      [P.gaMethods]: paged(methods2, { "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "p" }),
      [methods2]: list({ "@odata.type": "#microsoft.graph.fido2AuthenticationMethod", id: "f" }),
      [P.perUserMfa]: { body: { perUserMfaState: "disabled" } },
    });
    const { graph, read } = setup(routes);
    const result = await read();

    expect(graph.batches.map((b) => b.urls)).toEqual([expect.any(Array), [P.gaMethods, policies2, domains2], [domains3, methods2]]);
    expect(result.facts.federatedDomains).toEqual({ ok: true, value: ["a.com", "c.com"] });
    expect(result.facts.globalAdministrator.mfa).toEqual({ ok: true, value: { methods: ["passwordAuthenticationMethod", "fido2AuthenticationMethod"], readFrom: "methods" } });
    expect(result.stats.rounds).toBe(3);
    expect(result.stats.roundReasons[1]).toEqual(["next page of domains (page 3)", `next page of MFA methods of ${GA_UPN} (page 2)`]);
  });

  it("reads the members of a role group that only a round-2 page of the assignments names, in round 3 with the pages of pages", async () => {
    const assignments2 = `${P.roleAssignments}?$filter=x&$skiptoken=a2`;
    const routes = contoso({
      [P.roleAssignments]: paged(assignments2, { id: "ra2", roleDefinitionId: GA_ROLE, principalId: ME_ID, principal: { "@odata.type": "#microsoft.graph.user", id: ME_ID, userPrincipalName: GA_UPN } }),
      [assignments2]: list({ id: "ra3", roleDefinitionId: GA_ROLE, principalId: ROLE_GROUP_ID, principal: { "@odata.type": "#microsoft.graph.group", id: ROLE_GROUP_ID, displayName: "Tenant admins" } }),
      [P.saMemberOf]: denied(),
      [P.roleGroupMembers]: list({ id: SA_ID }),
      [P.domains]: paged(domains2, { id: "a.com", authenticationType: "Federated" }),
      [domains2]: paged(domains3),
      [domains3]: list(),
    });
    const { graph, read } = setup(routes);
    const result = await read();

    expect(graph.batches.slice(1).map((b) => b.urls)).toEqual([[assignments2, domains2], [`${P.roleGroupMembers}?$select=id`, domains3]]);
    expect(result.facts.globalAdminRole).toEqual({ ok: true, value: { active: true, throughGroup: "Tenant admins", eligible: false } });
    expect(result.stats.roundReasons).toEqual([
      ["next page of Global Administrator assignments (page 2)", "next page of domains (page 2)"],
      ["members of role group Tenant admins, found on page 2 of Global Administrator assignments", "next page of domains (page 3)"],
    ]);
  });

  it("stops after maxPages and fails that collection only", async () => {
    const loop = "/domains?$skiptoken=again";
    const routes = contoso({
      [P.domains]: paged(loop, { id: "a.com", authenticationType: "Federated" }),
      [loop]: paged(loop),
    });
    const { graph, read } = setup(routes, { deps: { maxPages: 3 } });
    const result = await read();
    expect(graph.innerUrls.filter((u) => u === loop)).toHaveLength(2);
    expect(failureOf(result.facts.federatedDomains)).toMatchObject({ kind: "unexpected", detail: expect.stringContaining("3 pages") });
    expect(result.facts.conditionalAccessPolicies.ok).toBe(true);
    expect(result.stats.rounds).toBe(3);
  });

  it("never follows a link to another host, or outside /v1.0 (the token would go with it)", async () => {
    for (const link of ["https://elsewhere.example/v1.0/domains?$skiptoken=x", `${ENDPOINT}/beta/domains?$skiptoken=x`, "http://graph.microsoft.com/v1.0/domains?$skiptoken=x"]) {
      const { graph, read } = setup(contoso({ [P.domains]: { body: { value: [], "@odata.nextLink": link } } }));
      const result = await read();
      expect(graph.http).toEqual(["POST $batch"]);
      expect(graph.innerUrls.some((u) => u.includes("skiptoken"))).toBe(false);
      expect(failureOf(result.facts.federatedDomains)).toMatchObject({ kind: "unexpected", detail: expect.stringContaining("not followed") });
    }
  });
});

describe("429: throttling", () => {
  it("retries only the throttled inner requests after Retry-After", async () => {
    const routes = contoso({ [P.saLicences]: ({ nth }) => (nth === 1 ? throttled(2) : (contoso()[P.saLicences] as FakeAnswer)) });
    const { graph, read, sleeps, progress } = setup(routes);
    const result = await read();
    expect(graph.batches.map((b) => b.ids)).toEqual([expect.arrayContaining(["r4", "r5"]), ["r4"]]);
    expect(sleeps).toEqual([2000]);
    expect(progress).toContainEqual(expect.stringContaining("slow down"));
    expect(result.facts.serviceAccountLicences.ok).toBe(true);
    // A retry is not a round of its own in the reader's count: round 1 still, with one more inner request.
    expect(result.stats).toEqual({ httpRequests: 2, rounds: 1, innerRequests: 17, roundReasons: [] });
  });

  it("gives up after retryDelaysMs.length retries: that fact is throttled, the rest are read", async () => {
    const { graph, read, sleeps } = setup(contoso({ [P.policies]: throttled(), [P.domains]: throttled(120) }), { deps: { retryDelaysMs: [10, 20] } });
    const result = await read();
    expect(graph.batches).toHaveLength(3);
    // Retry-After (capped at 60 s) wins over the delay when present.
    expect(sleeps).toEqual([60_000, 60_000]);
    expect(failureOf(result.facts.conditionalAccessPolicies)).toMatchObject({ kind: "throttled" });
    expect(failureOf(result.facts.federatedDomains)).toMatchObject({ kind: "throttled" });
    expect(result.facts.premiumSubscriptions.ok).toBe(true);
  });

  it("uses the delays when no Retry-After is given", async () => {
    const { read, sleeps } = setup(contoso({ [P.policies]: throttled() }), { deps: { retryDelaysMs: [10, 20, 40] } });
    await read();
    expect(sleeps).toEqual([10, 20, 40]);
  });

  it("a throttled batch (outer 429) is sent again whole", async () => {
    const { graph, read, sleeps } = setup(contoso(), { outer: (n) => (n === 1 ? throttled(3) : undefined) });
    const result = await read();
    expect(graph.batches.map((b) => b.ids.length)).toEqual([16, 16]);
    expect(sleeps).toEqual([3000]);
    expect(result.facts.tenantId).toBe(TENANT_ID.toLowerCase());
  });

  it("a throttled page is retried too", async () => {
    const next = "/domains?$skiptoken=2";
    const routes = contoso({
      [P.domains]: { body: { value: [], "@odata.nextLink": `${ENDPOINT}/v1.0${next}` } },
      [next]: ({ nth }) => (nth === 1 ? throttled(1) : list({ id: "x.com", authenticationType: "Federated" })),
    });
    const { read, sleeps } = setup(routes);
    expect((await read()).facts.federatedDomains).toEqual({ ok: true, value: ["x.com"] });
    expect(sleeps).toEqual([1000]);
  });
});

describe("401: one silent refresh, then GraphAuthError", () => {
  it("refreshes once and sends the same requests again with the new token", async () => {
    const { graph, read, tokenCalls } = setup(contoso(), { outer: (n) => (n === 1 ? graphError(401, "InvalidAuthenticationToken", "Access token has expired.") : undefined) });
    const result = await read();
    expect(tokenCalls).toEqual([false, true]);
    expect(graph.batches.map((b) => b.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${FRESH_TOKEN}`]);
    expect(graph.batches[1].ids).toEqual(graph.batches[0].ids);
    expect(result.facts.tenantId).toBe(TENANT_ID.toLowerCase());
  });

  it("an inner 401: only that request again", async () => {
    const routes = contoso({ [P.policies]: ({ nth }) => (nth === 1 ? graphError(401, "InvalidAuthenticationToken") : list()) });
    const { graph, read, tokenCalls } = setup(routes);
    const result = await read();
    expect(tokenCalls).toEqual([false, true]);
    expect(graph.batches[1]).toEqual({ ids: ["r11"], urls: [expect.stringContaining(P.policies)], authorization: `Bearer ${FRESH_TOKEN}` });
    expect(result.facts.conditionalAccessPolicies).toEqual({ ok: true, value: [] });
  });

  it("a second 401 throws GraphAuthError, whose message holds no token", async () => {
    const { read, tokenCalls } = setup(contoso({ [P.policies]: graphError(401, "InvalidAuthenticationToken", "Access token validation failure.") }));
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as Error).message).toContain("Access token validation failure");
    expect((error as Error).message).not.toContain("fake-token");
    expect(tokenCalls).toEqual([false, true]);
  });

  it("with --auth none, a 401 throws GraphAuthError at once", async () => {
    const { graph, read } = setup(contoso(), { deps: { getToken: undefined }, outer: () => graphError(401, "InvalidAuthenticationToken") });
    await expect(read()).rejects.toBeInstanceOf(GraphAuthError);
    expect(graph.batches).toHaveLength(1);
  });

  it("a 401 on the beta read refreshes too", async () => {
    const routes = contoso({
      [P.policies]: list(),
      [P.perUserMfa]: ({ nth }) => (nth === 1 ? graphError(401, "InvalidAuthenticationToken") : { body: { perUserMfaState: "enabled" } }),
    });
    const { read, tokenCalls } = setup(routes);
    expect((await read()).facts.serviceAccountPerUserMfa).toEqual({ ok: true, value: "enabled" });
    expect(tokenCalls).toEqual([false, true]);
  });

  it("a credential that cannot give a token is a GraphAuthError", async () => {
    const { read } = setup(contoso(), { deps: { getToken: async () => Promise.reject(new Error("AADSTS700082: The refresh token has expired.")) } });
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphAuthError);
    expect((error as Error).message).toMatch(/AADSTS700082/);
  });
});

describe("no Graph there", () => {
  it("a refused connection to the first batch is a GraphConnectionError", async () => {
    const { read } = setup(contoso(), { outer: () => "network-error" });
    const error = await read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
  });

  it("an endpoint that is not a URL is a GraphConnectionError", async () => {
    const { read } = setup(contoso(), { deps: { endpoint: "graph.microsoft.com" } });
    await expect(read()).rejects.toThrow(/"graph.microsoft.com" is not a URL/);
  });

  it("no answer in time is a GraphConnectionError", async () => {
    const { read } = setup(contoso(), { outer: () => "hang", deps: { requestTimeoutMs: 20 } });
    await expect(read()).rejects.toThrow(/within 20 ms/);
  });

  it("an answer that is not Graph's (HTML, or JSON without responses) is a GraphConnectionError", async () => {
    const html = setup(contoso(), { outer: () => ({ status: 200, text: "<html>Sign in to the proxy</html>" }) });
    await expect(html.read()).rejects.toBeInstanceOf(GraphConnectionError);
    const json = setup(contoso(), { outer: () => ({ status: 200, body: { hello: "world" } }) });
    await expect(json.read()).rejects.toThrow(/no responses/);
    const notFoundPage = setup(contoso(), { outer: () => ({ status: 404, text: "Not Found" }) });
    await expect(notFoundPage.read()).rejects.toBeInstanceOf(GraphConnectionError);
  });

  it("after round 1, a lost connection fails only what was lost", async () => {
    const routes = contoso({ [P.report]: notPremium(), [P.securityDefaults]: { body: { isEnabled: true } } });
    const { read } = setup(routes, { outer: (n) => (n === 2 ? "network-error" : undefined) });
    const facts = (await read()).facts;
    expect(failureOf(facts.serviceAccount.mfa)).toMatchObject({ kind: "offline", detail: expect.stringContaining("ECONNREFUSED") });
    expect(facts.serviceAccount.user.ok).toBe(true);
    expect(facts.conditionalAccessPolicies.ok).toBe(true);
  });

  it("a 5xx on one inner request is a server-error of that fact alone", async () => {
    const { read } = setup(contoso({ [P.skus]: graphError(503, "ServiceUnavailable", "Try later.") }));
    const facts = (await read()).facts;
    expect(failureOf(facts.premiumSubscriptions)).toMatchObject({ kind: "server-error", detail: "503 ServiceUnavailable: Try later." });
    expect(facts.tenantId).toBe(TENANT_ID.toLowerCase());
  });

  it("an answer of the wrong shape fails that fact alone", async () => {
    const { read } = setup(contoso({ [P.domains]: { body: { nothing: true } }, [P.sa]: { body: { displayName: "no id" } } }));
    const facts = (await read()).facts;
    expect(failureOf(facts.federatedDomains)).toMatchObject({ kind: "unexpected" });
    expect(failureOf(facts.serviceAccount.user)).toMatchObject({ kind: "unexpected" });
    expect(facts.premiumSubscriptions.ok).toBe(true);
  });
});

describe("no service account UPN", () => {
  it("reads nothing about it, and says so", async () => {
    const { graph, read } = setup(contoso({ [P.gaMethods]: list() }));
    const result = await read({ serviceAccountUpn: "  " });
    expect(graph.batches[0].ids).toEqual(["r1", "r2", "r18", "r10", "r11", "r12", "r13", "r14"]);
    expect(result.facts.serviceAccount.user).toEqual({ ok: true, value: null });
    expect(failureOf(result.facts.serviceAccountLicences)).toMatchObject({ kind: "not-found", detail: expect.stringContaining("No service account") });
    expect(failureOf(result.facts.globalAdminRole)).toMatchObject({ kind: "not-found" });
  });
});
