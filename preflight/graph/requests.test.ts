import { ENDPOINT, fakeGraph, type FakeRoute } from "./fakeGraph";
import { contoso, list, NATIVE_APP_ID, P, partnerRoutes } from "./fixtures";
import { createGraphReader, type GraphReadRequest } from "./reader";
import { inPath, literal } from "./requests";

/** The inner URLs one read sends, in order; `round1`: the first batch's only. */
async function sent(routes: Record<string, FakeRoute>, request: GraphReadRequest, round1 = false): Promise<string[]> {
  const graph = fakeGraph(routes);
  await createGraphReader({ endpoint: ENDPOINT, fetch: graph.fetch, sleep: async () => undefined }).read(request);
  return round1 ? graph.batches[0].urls : graph.innerUrls;
}

/** What a server sees: the path decoded, and `$filter` as URLSearchParams decodes it. */
function asServerSees(url: string): { path: string; filter: string | null } {
  const parsed = new URL(`${ENDPOINT}/v1.0${url}`);
  return { path: decodeURIComponent(parsed.pathname), filter: parsed.searchParams.get("$filter") };
}

describe("quoting", () => {
  it("percent-encodes a UPN in a path, so '@', quotes and non-ASCII survive", () => {
    expect(inPath("o'brien@contoso.com")).toBe("o'brien%40contoso.com");
    expect(inPath("jörg@contoso.com")).toBe("j%C3%B6rg%40contoso.com");
    expect(inPath("a+b#c/d?e@contoso.com")).toBe("a%2Bb%23c%2Fd%3Fe%40contoso.com");
  });

  it("doubles quotes in an OData literal, then percent-encodes it", () => {
    expect(literal("o'brien@contoso.com")).toBe("'o''brien%40contoso.com'");
    expect(literal("jörg@contoso.com")).toBe("'j%C3%B6rg%40contoso.com'");
    // '&' and '+' would otherwise end the query option or become a space.
    expect(literal("r&d+x@contoso.com")).toBe("'r%26d%2Bx%40contoso.com'");
  });

  it("sends o'brien and jörg so that Graph reads them back as written", async () => {
    const obrien = "o'brien@contoso.com";
    const jorg = "jörg@contoso.com";
    const urls = await sent(contoso(), { serviceAccountUpn: obrien, globalAdminUpn: jorg, integrationAccountUpn: "r&d+pc@contoso.com" });

    expect(urls).toEqual(
      expect.arrayContaining([
        "/users/o'brien%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled,assignedLicenses,assignedPlans",
        "/users/o'brien%40contoso.com/licenseDetails?$select=skuId,skuPartNumber,servicePlans",
        "/users/o'brien%40contoso.com/transitiveMemberOf",
        "/users/j%C3%B6rg%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled,assignedLicenses,assignedPlans",
        "/users/r%26d%2Bpc%40contoso.com/memberOf?$select=id,displayName",
      ]),
    );
    // One report request per account, `eq` alone (Learn documents neither `or` nor `$select` there).
    const reports = urls.filter((u) => u.startsWith(P.report));
    expect(reports).toEqual([
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'o''brien%40contoso.com'",
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'j%C3%B6rg%40contoso.com'",
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'r%26d%2Bpc%40contoso.com'",
    ]);
    expect(reports.map((u) => asServerSees(u).filter)).toEqual([
      "userPrincipalName eq 'o''brien@contoso.com'",
      "userPrincipalName eq 'jörg@contoso.com'",
      "userPrincipalName eq 'r&d+pc@contoso.com'",
    ]);
    expect(asServerSees(urls[2]).path).toBe("/v1.0/users/o'brien@contoso.com");
    expect(asServerSees(urls.find((u) => u.startsWith("/users/j%C3%B6rg")) as string).path).toBe("/v1.0/users/jörg@contoso.com");
  });

  it("sends a fallback methods read for a quoted UPN the same way", async () => {
    const urls = await sent(contoso({ [P.report]: list() }), { serviceAccountUpn: "o'brien@contoso.com", globalAdminUpn: "jörg@contoso.com" });
    expect(urls).toEqual(
      expect.arrayContaining(["/users/o'brien%40contoso.com/authentication/methods", "/users/j%C3%B6rg%40contoso.com/authentication/methods"]),
    );
  });
});

describe("the requests of graph-requests.md, exactly", () => {
  it("round 1, 1-Tier, in order r1-r18 (r6, r6b, r6c: the report, one account each; r18, the Global Administrator's licences, after r7)", async () => {
    const urls = await sent(contoso(partnerRoutes()), {
      serviceAccountUpn: "w365serv@contoso.com",
      globalAdminUpn: "dana@contoso.com",
      integrationAccountUpn: "pc-integration@contoso.com",
      nativeAppId: NATIVE_APP_ID,
    }, true);
    expect(urls).toEqual([
      "/me?$select=id,userPrincipalName,displayName",
      "/organization?$select=id",
      "/users/w365serv%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled,assignedLicenses,assignedPlans",
      "/users/w365serv%40contoso.com/licenseDetails?$select=skuId,skuPartNumber,servicePlans",
      "/users/w365serv%40contoso.com/transitiveMemberOf",
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'w365serv%40contoso.com'",
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'dana%40contoso.com'",
      "/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq 'pc-integration%40contoso.com'",
      "/users/dana%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled,assignedLicenses,assignedPlans",
      "/users/dana%40contoso.com/licenseDetails?$select=skuId,skuPartNumber,servicePlans",
      "/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'&$expand=principal",
      "/roleManagement/directory/roleEligibilityScheduleInstances?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'",
      "/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled",
      "/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,createdDateTime,modifiedDateTime",
      "/domains?$select=id,authenticationType",
      "/subscribedSkus?$select=skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits,servicePlans",
      "/servicePrincipals?$filter=appId in ('e4b1a995-abe3-4350-a61c-65fccd32e8bd','5e56ae97-9be1-40d3-938b-99ea52175a30')&$select=id,appId,displayName",
      "/users/pc-integration%40contoso.com?$select=id,userPrincipalName,displayName,accountEnabled",
      "/users/pc-integration%40contoso.com/memberOf?$select=id,displayName",
      `/applications(appId='${NATIVE_APP_ID}')?$select=appId,displayName,isFallbackPublicClient,publicClient,requiredResourceAccess`,
    ]);
  });
});
