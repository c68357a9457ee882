/**
 * Every endpoint answers each scenario: the requests of graph-requests.md, sent as the preflight
 * sends them (round 1 in one batch, round 2 after it, nextLinks followed, 429s retried after
 * Retry-After), get the status the scenario's data calls for — worked out here from the scenario
 * file itself (users, SKUs, faults), not from the emulator's own derivations.
 */
import { ENDPOINTS, SKUS, listScenarios, loadScenario, startGraphEmulatorServer, type GraphScenario } from "../../playground/graph-emulator/emulator.cjs";
import { GA_TEMPLATE, REPORT_IDS, filter, literal, parseArgs, readLikeThePreflight, request, seg, type Reads } from "./helpers";

type Row = Record<string, unknown>;
const lower = (v: unknown) => String(v ?? "").toLowerCase();
const STRONG = [
  "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
  "#microsoft.graph.phoneAuthenticationMethod",
  "#microsoft.graph.fido2AuthenticationMethod",
  "#microsoft.graph.softwareOathAuthenticationMethod",
  "#microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
];

/** Whether the tenant owns a usable SKU carrying the plan (AAD_PREMIUM for P1, AAD_PREMIUM_P2 for P2). */
function owns(s: GraphScenario, planName: string): boolean {
  return (s.subscribedSkus ?? []).some(
    (sku) =>
      ["Enabled", "Warning", undefined].includes(sku.capabilityStatus as string | undefined) &&
      SKUS[sku.skuPartNumber as string].servicePlans.some((p) => p.servicePlanName === planName),
  );
}
const userOf = (s: GraphScenario, upn?: unknown) => (s.users ?? []).find((u) => lower(u.userPrincipalName) === lower(upn));
const faultStatus = (s: GraphScenario, endpoint: string) => {
  const f = s.faults?.[endpoint as keyof typeof s.faults];
  return typeof f === "number" ? f : undefined;
};

let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
beforeAll(async () => {
  server = await startGraphEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());

const answered = new Set<string>();
const scenarios = listScenarios().map((s) => s.name);

describe("every endpoint answers each scenario", () => {
  test.each(scenarios)("%s", async (name) => {
    const s = loadScenario(name);
    server.emulator.setScenario(name);
    const a = parseArgs(s.args);
    const reads: Reads = await readLikeThePreflight(server.url, s.args);
    reads.endpointsAnswered.forEach((e) => answered.add(e));
    const r = (id: string) => reads.round1.get(id);
    const sa = userOf(s, a.upn);
    const signedIn = userOf(s, s.signedInUser);
    const p1 = owns(s, "AAD_PREMIUM");
    const p2 = owns(s, "AAD_PREMIUM_P2");

    const asApp = s.signIn === "application";
    if (asApp) {
      // An app-only token: Graph has no /me for it, and licenseDetails has no application permission.
      expect([r("r1")?.status, r("r1")?.body.error.message]).toEqual([400, "/me request is only valid with delegated authentication flow."]);
      expect([r("r4")?.status, r("r4")?.body.error.code]).toEqual([sa ? 403 : 404, sa ? "Authorization_RequestDenied" : "Request_ResourceNotFound"]);
      for (const id of ["r3", "r5"]) expect([id, r(id)?.status]).toEqual([id, sa ? 200 : 404]);
    } else {
      expect(r("r1")?.status).toBe(200);
      expect(r("r1")?.body.userPrincipalName).toBe(signedIn?.userPrincipalName);
      for (const id of ["r3", "r4", "r5"]) expect([id, r(id)?.status]).toEqual([id, sa ? 200 : 404]);
    }
    expect(r("r2")?.body.value).toEqual([{ id: s.tenant.id }]);
    if (!sa) expect(r("r3")?.body.error.code).toBe("Request_ResourceNotFound");
    else {
      expect(r("r3")?.body).toMatchObject({ id: sa.id, userPrincipalName: sa.userPrincipalName, accountEnabled: sa.accountEnabled });
      const skuIds = ((sa.licenses ?? []) as Row[]).map((l) => SKUS[l.skuPartNumber as string].skuId);
      if (!asApp) expect((reads.items("r4") as Row[]).map((l) => l.skuId)).toEqual(skuIds);
      // The same licences as the user's own assignments (what an app-only sign-in reads).
      expect((r("r3")?.body.assignedLicenses as Row[]).map((l) => l.skuId)).toEqual(skuIds);
      const planIds = ((sa.licenses ?? []) as Row[]).flatMap((l) =>
        SKUS[l.skuPartNumber as string].servicePlans.filter((p) => !((l.disabledPlans as string[] | undefined) ?? []).includes(p.servicePlanName)).map((p) => p.servicePlanId),
      );
      expect((r("r3")?.body.assignedPlans as Row[]).map((p) => [p.servicePlanId, p.capabilityStatus])).toEqual(planIds.map((id) => [id, "Enabled"]));
    }
    if (s.membershipObjects === "limited" && sa) {
      // Limited objects: type and id, every other property null.
      for (const row of reads.items("r5") as Row[]) expect(Object.entries(row).filter(([k, v]) => k !== "@odata.type" && k !== "id" && v !== null)).toEqual([]);
    }

    // Registration: the report when the tenant has P1 (one request per account it can name in round 1), else the premium error and each account's methods.
    const accounts: string[] = [a.upn, a.globalAdmin ?? String(signedIn?.userPrincipalName), ...(a.integrationAccount ? [a.integrationAccount] : [])];
    const reported = [a.upn, ...(a.globalAdmin ? [a.globalAdmin] : []), ...(a.integrationAccount ? [a.integrationAccount] : [])].filter((u, i, all) => all.findIndex((o) => lower(o) === lower(u)) === i);
    const reportIds = REPORT_IDS.filter((id) => reads.round1.has(id));
    expect(reportIds).toHaveLength(reported.length);
    if (p1) {
      for (const id of reportIds) expect([id, r(id)?.status]).toEqual([id, 200]);
      const rows = reportIds.flatMap((id) => reads.items(id)) as Row[];
      // The report leaves out disabled users and knows only the methods registered before its last refresh.
      expect(rows.map((x) => lower(x.userPrincipalName)).sort()).toEqual(reported.filter((u) => userOf(s, u) && userOf(s, u)?.accountEnabled !== false).map(lower).sort());
      const asOf = s.registrationReportAsOf ? Date.parse(s.registrationReportAsOf) : Infinity;
      for (const row of rows) {
        const methods = ((userOf(s, row.userPrincipalName as string)?.authenticationMethods ?? []) as Row[]).filter((m) => !(Date.parse(String(m.createdDateTime)) > asOf));
        expect([row.userPrincipalName, row.isMfaRegistered]).toEqual([row.userPrincipalName, methods.some((m) => STRONG.includes(m["@odata.type"] as string))]);
      }
    } else {
      for (const id of reportIds) {
        expect([id, r(id)?.status]).toEqual([id, 403]);
        expect(r(id)?.body.error.code).toBe("Authentication_RequestFromNonPremiumTenantOrB2CTenant");
      }
      const methods = reads.bodies.filter((b) => b.endpoint === "authenticationMethods").sort((x, y) => x.id.localeCompare(y.id));
      expect(methods.map((m) => m.status)).toEqual(accounts.map((u) => (userOf(s, u) ? 200 : 404)));
    }

    // Roles: active assignments always readable; eligibility needs P2.
    expect(r("r8")?.status).toBe(200);
    const principals = (reads.items("r8") as Row[]).map((x) => (x.principal as Row).id).sort();
    expect(principals).toEqual((s.roleAssignments ?? []).filter((x) => x.roleDefinitionId === GA_TEMPLATE).map((x) => x.principalId).sort());
    // PIM without P2: 400 AadPremiumLicenseRequired, its own answer (the other premium reads answer 403).
    expect([r("r9")?.status, p2 ? undefined : (r("r9")?.body as { error?: { code?: string } })?.error?.code]).toEqual(p2 ? [200, undefined] : [400, "AadPremiumLicenseRequired"]);

    // Policies: Policy.Read.All faults, else security defaults always and Conditional Access with P1.
    const sd = faultStatus(s, "securityDefaults");
    expect(r("r10")?.status).toBe(sd ?? 200);
    if (!sd) expect(r("r10")?.body.isEnabled).toBe(s.securityDefaults?.isEnabled ?? false);
    const ca = faultStatus(s, "conditionalAccessPolicies");
    expect(r("r11")?.status).toBe(ca ?? (p1 ? 200 : 403));
    if (ca === 403) expect(r("r11")?.body.error.code).toBe("Authorization_RequestDenied");
    else if (p1) expect((reads.items("r11") as Row[]).map((p) => p.id)).toEqual((s.conditionalAccessPolicies ?? []).map((p) => p.id));

    for (const id of ["r12", "r13", "r14"]) expect([id, r(id)?.status]).toEqual([id, 200]);
    if (a.integrationAccount) {
      const ia = userOf(s, a.integrationAccount);
      expect([r("r15")?.status, r("r16")?.status]).toEqual(ia ? [200, 200] : [404, 404]);
    }
    if (a.nativeAppId) {
      const app = (s.applications ?? []).find((x) => lower(x.appId) === lower(a.nativeAppId));
      expect(r("r17")?.status).toBe(app ? 200 : 404);
    }

    // Round 2 and beta: every request answered 200.
    const second = reads.bodies.filter((b) => ["transitiveMembers", "oauth2PermissionGrants", "appRoleAssignments", "authenticationRequirements"].includes(b.endpoint));
    expect(second.every((b) => b.status === 200)).toBe(true);
    if (sa) expect(second.find((b) => b.endpoint === "authenticationRequirements")?.body.perUserMfaState).toBe(sa.perUserMfaState ?? "disabled");
  });

  test("across the scenarios, every endpoint of the emulator answered 200 at least once", () => {
    expect([...answered].sort()).toEqual([...ENDPOINTS].sort());
  });
});

describe("direct GETs", () => {
  beforeEach(() => {
    server.emulator.setScenario("paging");
  });
  const get = async (path: string, headers: Record<string, string> = {}) => request(server.url + path, { headers });

  test("a user by UPN in any case, or by object id, is the same user; an unknown one is 404 naming it", async () => {
    const byUpn = await get("/v1.0/users/W365SERV%40Contoso.COM?$select=id,userPrincipalName");
    const byId = await get("/v1.0/users/aaaaaaaa-0000-4000-8000-000000000002?$select=id,userPrincipalName");
    expect(byUpn.status).toBe(200);
    expect(byUpn.json).toMatchObject({ id: "aaaaaaaa-0000-4000-8000-000000000002", userPrincipalName: "w365serv@contoso.com" });
    expect(byId.json.id).toBe(byUpn.json.id);
    const missing = await get(`/v1.0/users/${seg("nobody@contoso.com")}`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({
      code: "Request_ResourceNotFound",
      message: "Resource 'nobody@contoso.com' does not exist or one of its queried reference-property objects are not present.",
    });
  });

  test("memberOf is direct; transitiveMemberOf adds nested groups and the role held through a group", async () => {
    const direct = await get(`/v1.0/users/${seg("w365serv@contoso.com")}/memberOf?$select=id,displayName&$top=50`);
    const transitive = await get(`/v1.0/users/${seg("w365serv@contoso.com")}/transitiveMemberOf?$top=50`);
    expect(direct.json.value.map((g: Row) => g.displayName).sort()).toEqual(["All Staff", "Sales Team", "Work 365 Admins"]);
    expect(direct.json.value.every((g: Row) => g["@odata.type"] === "#microsoft.graph.group")).toBe(true);
    const names = transitive.json.value.map((g: Row) => `${g["@odata.type"]} ${g.displayName}`).sort();
    expect(names).toEqual([
      "#microsoft.graph.directoryRole Global Administrator",
      "#microsoft.graph.group All Staff",
      "#microsoft.graph.group Contoso Everyone",
      "#microsoft.graph.group Sales Team",
      "#microsoft.graph.group Work 365 Admins",
    ]);
    expect(transitive.json.value.find((g: Row) => g.displayName === "Global Administrator").roleTemplateId).toBe(GA_TEMPLATE);
  });

  test("$expand=principal adds the principal with its @odata.type; without it there is none", async () => {
    const f = `$filter=${filter(`roleDefinitionId eq '${GA_TEMPLATE}'`)}`;
    const expanded = await get(`/v1.0/roleManagement/directory/roleAssignments?${f}&$expand=principal&$top=10`);
    const plain = await get(`/v1.0/roleManagement/directory/roleAssignments?${f}&$top=10`);
    const group = expanded.json.value.find((x: Row) => (x.principal as Row)["@odata.type"] === "#microsoft.graph.group");
    expect(group.principal).toMatchObject({ id: "00000000-0000-4000-8000-000000000016", displayName: "Work 365 Admins", isAssignableToRole: true });
    expect(plain.json.value.every((x: Row) => !("principal" in x))).toBe(true);
    expect(plain.json.value).toHaveLength(3); // Global Reader's assignment is filtered out
  });

  test("$filter on the registration report: quotes doubled inside literals, joined by or, case-insensitive", async () => {
    server.emulator.setScenario({
      ...loadScenario("ready-to-install"),
      users: [
        ...(loadScenario("ready-to-install").users ?? []),
        { id: "00000000-0000-4000-8000-0000000000e1", userPrincipalName: "o'neil@contoso.com", displayName: "Pat O'Neil", accountEnabled: true, authenticationMethods: [] },
      ],
    });
    const text = `userPrincipalName eq '${literal("O'Neil@contoso.com")}' or userPrincipalName eq '${literal("admin@contoso.com")}'`;
    const answer = await get(`/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=${text.replace(/ /g, "%20")}&$select=userPrincipalName,isMfaRegistered`);
    expect(answer.status).toBe(200);
    expect(answer.json.value).toEqual([
      { userPrincipalName: "admin@contoso.com", isMfaRegistered: true },
      { userPrincipalName: "o'neil@contoso.com", isMfaRegistered: false },
    ]);
  });

  test("servicePrincipals: appId in (…) and appId eq '…'", async () => {
    server.emulator.setScenario("after-consent-global-admin-still-held");
    const inList = await get(`/v1.0/servicePrincipals?$filter=${filter("appId in ('e4b1a995-abe3-4350-a61c-65fccd32e8bd','5e56ae97-9be1-40d3-938b-99ea52175a30')")}&$select=id,appId,displayName`);
    expect(inList.json.value).toEqual([{ id: "00000000-0000-4000-8000-000000000041", appId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd", displayName: "Work 365" }]);
    const eq = await get(`/v1.0/servicePrincipals?$filter=${filter("appId eq '00000003-0000-0000-c000-000000000000'")}&$select=displayName`);
    expect(eq.json.value).toEqual([{ displayName: "Microsoft Graph" }]);
    const grants = await get("/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000041/oauth2PermissionGrants?$select=consentType,scope");
    expect(grants.json.value).toEqual([{ consentType: "AllPrincipals", scope: "user_impersonation" }]);
    const roles = await get("/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000041/appRoleAssignments?$select=id,resourceDisplayName");
    expect(roles.json.value).toEqual([{ id: "w365-graph-directory-read", resourceDisplayName: "Microsoft Graph" }]);
  });

  test("applications(appId='…'): the registration, or 404 naming the id", async () => {
    server.emulator.setScenario("one-tier-with-admin-agents");
    const app = await get("/v1.0/applications(appId='00000000-0000-4000-8000-000000000052')?$select=appId,isFallbackPublicClient,publicClient,requiredResourceAccess");
    expect(app.status).toBe(200);
    expect(app.json.isFallbackPublicClient).toBe(true);
    expect(app.json.requiredResourceAccess.map((r: Row) => r.resourceAppId)).toContain("fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd");
    const none = await get("/v1.0/applications(appId='00000000-0000-4000-8000-0000000000ff')");
    expect(none.status).toBe(404);
    expect(none.json.error.message).toContain("'00000000-0000-4000-8000-0000000000ff'");
  });

  test("groups/{id}/transitiveMembers lists members of nested groups too", async () => {
    const answer = await get("/v1.0/groups/00000000-0000-4000-8000-000000000017/transitiveMembers?$select=id&$top=20");
    expect(answer.json.value.map((m: Row) => m.id).sort()).toEqual(
      ["00000000-0000-4000-8000-000000000011", "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002", "aaaaaaaa-0000-4000-8000-000000000003"].sort(),
    );
  });

  test("beta authentication/requirements by id or UPN; me and organization; no Authorization header is fine", async () => {
    const byId = await get("/beta/users/aaaaaaaa-0000-4000-8000-000000000002/authentication/requirements");
    const byUpn = await get(`/beta/users/${seg("w365serv@contoso.com")}/authentication/requirements`);
    expect(byId.json.perUserMfaState).toBe("disabled");
    expect(byUpn.json.perUserMfaState).toBe("disabled");
    expect((await get("/v1.0/me")).json.userPrincipalName).toBe("admin@contoso.com");
    expect((await get("/v1.0/organization?$select=id")).json.value).toEqual([{ id: "00000000-0000-4000-8000-000000000001" }]);
    expect((await get("/v1.0/me", { Authorization: "Bearer any-token" })).status).toBe(200);
  });

  test("without $select a user has Graph's default properties only: accountEnabled must be asked for", async () => {
    const plain = await get(`/v1.0/users/${seg("w365serv@contoso.com")}`);
    expect(Object.keys(plain.json).sort()).toEqual(["@odata.context", "displayName", "id", "mail", "userPrincipalName"]);
    const asked = await get(`/v1.0/users/${seg("w365serv@contoso.com")}?$select=id,accountEnabled`);
    expect(asked.json.accountEnabled).toBe(true);
    const members = await get("/v1.0/groups/00000000-0000-4000-8000-000000000017/transitiveMembers?$top=10");
    const user = members.json.value.find((m: Row) => m["@odata.type"] === "#microsoft.graph.user");
    expect(Object.keys(user).sort()).toEqual(["@odata.type", "displayName", "id", "mail", "userPrincipalName"]);
  });

  test("$select keeps only the named properties (null when unset) and @odata.type on polymorphic items", async () => {
    const me = await get("/v1.0/me?$select=displayName");
    expect(Object.keys(me.json).sort()).toEqual(["@odata.context", "displayName"]);
    const methods = await get(`/v1.0/users/${seg("admin@contoso.com")}/authentication/methods?$select=id`);
    expect(methods.json.value[0]).toEqual({ "@odata.type": "#microsoft.graph.passwordAuthenticationMethod", id: "28c10230-6103-485e-b985-444c60001490" });
    const skus = await get("/v1.0/subscribedSkus?$select=skuPartNumber,consumedUnits");
    expect(skus.json.value[0]).toEqual({ skuPartNumber: "DYN365_ENTERPRISE_SALES", consumedUnits: 2 });
  });
});
