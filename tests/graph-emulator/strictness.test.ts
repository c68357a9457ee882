/**
 * Strict as Graph: a path segment, a query option, a `$select` property, a `$filter` or `$expand`
 * the endpoint does not have is refused with Graph's 400 error body, so a client that sends what
 * real Graph would refuse fails here too.
 */
import { startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { filter, request, seg } from "./helpers";

let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
beforeAll(async () => {
  server = await startGraphEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());

const get = (path: string) => request(server.url + path);
const SA = seg("w365serv@contoso.com");
const GA = "62e90394-69f5-4237-9190-012177145e10";

async function refused(path: string, status: number, code: string, message?: string) {
  const answer = await get(path);
  expect([path, answer.status, answer.json?.error?.code]).toEqual([path, status, code]);
  if (message) expect(answer.json.error.message).toBe(message);
  expect(Object.keys(answer.json.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
  expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  return answer;
}

describe("unknown path segments", () => {
  test.each([
    ["/v1.0/userz/x", "userz"],
    [`/v1.0/users/${SA}/licenceDetails`, "licenceDetails"],
    ["/v1.0/reports/authenticationMethods/registrationDetails", "registrationDetails"],
    ["/v1.0/identity/conditionalAccess/policy", "policy"],
    ["/v1.0/applications(displayName='x')", "applications(displayName='x')"],
    ["/beta/users/x/authentication/methods", "methods"],
  ])("%s → 400 naming '%s'", async (path, segment) => {
    await refused(path, 400, "BadRequest", `Resource not found for the segment '${segment}'.`);
  });

  test("a real Graph path the emulator does not serve is 501, not a made-up 200", async () => {
    await refused("/v1.0/users", 501, "NotImplemented");
    await refused(`/v1.0/users/${SA}/authentication`, 501, "NotImplemented");
    await refused("/v1.0/applications", 501, "NotImplemented");
  });

  test("segments are matched case-insensitively, as Graph does", async () => {
    expect((await get(`/v1.0/Users/${SA}/LicenseDetails`)).status).toBe(200);
  });
});

describe("query options", () => {
  test.each([
    ["/v1.0/me?$orderby=displayName", "$orderby"],
    ["/v1.0/domains?$count=true", "$count"],
    ["/v1.0/me?foo=bar", "foo"],
    ["/v1.0/policies/identitySecurityDefaultsEnforcementPolicy?$top=1", "$top"],
    [`/beta/users/${SA}/authentication/requirements?$select=perUserMfaState`, "$select"],
  ])("%s → 400 (option %s not supported)", async (path, option) => {
    await refused(path, 400, "BadRequest", `The query parameter '${option}' is not supported.`);
  });

  test("an option given twice is refused", async () => {
    await refused("/v1.0/me?$select=id&$select=displayName", 400, "BadRequest");
  });

  test("$top outside 1..999 is refused; inside it sets the page size", async () => {
    await refused("/v1.0/organization?$top=0", 400, "BadRequest");
    await refused("/v1.0/organization?$top=1000", 400, "BadRequest");
    const page = await get(`/v1.0/users/${SA}/licenseDetails?$top=1`);
    expect(page.json.value).toHaveLength(1);
    expect(page.json["@odata.nextLink"]).toContain("$top=1");
  });
});

describe("$select", () => {
  test.each([
    ["/v1.0/me?$select=id,nickname", "nickname", "user"],
    [`/v1.0/users/${SA}/licenseDetails?$select=skuId,servicePlanNames`, "servicePlanNames", "licenseDetails"],
    ["/v1.0/subscribedSkus?$select=skuId,prepaidUnits/enabled", "prepaidUnits/enabled", "subscribedSku"],
    ["/v1.0/identity/conditionalAccess/policies?$select=id,sessionControls", "sessionControls", "conditionalAccessPolicy"],
    [`/v1.0/users/${SA}/transitiveMemberOf?$select=id,userPrincipalName`, "userPrincipalName", "directoryObject"],
    ["/v1.0/me?$select=", "", "user"],
  ])("%s → 400 naming '%s' on %s", async (path, property, type) => {
    await refused(path, 400, "BadRequest", `Could not find a property named '${property}' on type 'microsoft.graph.${type}'.`);
  });

  test("memberOf accepts displayName, which its groups and roles have (as Graph does)", async () => {
    expect((await get(`/v1.0/users/${SA}/memberOf?$select=id,displayName`)).status).toBe(200);
  });
});

describe("$filter and $expand", () => {
  test("$filter on an endpoint that takes none is Request_UnsupportedQuery", async () => {
    await refused(`/v1.0/domains?$filter=${filter("authenticationType eq 'Managed'")}`, 400, "Request_UnsupportedQuery");
    await refused(`/v1.0/users/${SA}/transitiveMemberOf?$filter=${filter("displayName eq 'x'")}`, 400, "Request_UnsupportedQuery");
  });

  test("an unsupported property, operator or mix of and/or is Request_UnsupportedQuery", async () => {
    const base = "/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=";
    await refused(base + filter("isMfaRegistered eq 'true'"), 400, "Request_UnsupportedQuery");
    await refused(base + filter("userPrincipalName ne 'x'"), 400, "Request_UnsupportedQuery");
    await refused(base + filter("userPrincipalName eq 'a' and userPrincipalName eq 'b'"), 400, "Request_UnsupportedQuery");
    await refused(`/v1.0/roleManagement/directory/roleAssignments?$filter=${filter(`roleDefinitionId eq '${GA}' or principalId eq 'x'`)}`, 400, "Request_UnsupportedQuery");
    await refused(`/v1.0/servicePrincipals?$filter=${filter("displayName eq 'Work 365'")}`, 400, "Request_UnsupportedQuery");
  });

  test("a $filter that does not parse is BadRequest", async () => {
    await refused(`/v1.0/servicePrincipals?$filter=${filter("appId eq 'unterminated")}`, 400, "BadRequest");
    await refused(`/v1.0/servicePrincipals?$filter=${filter("appId in ('a' 'b')")}`, 400, "BadRequest");
  });

  test("roleAssignments take roleDefinitionId and principalId joined by and", async () => {
    const answer = await get(`/v1.0/roleManagement/directory/roleAssignments?$filter=${filter(`roleDefinitionId eq '${GA}' and principalId eq 'aaaaaaaa-0000-4000-8000-000000000002'`)}`);
    expect(answer.status).toBe(200);
    expect(answer.json.value.map((a: { id: string }) => a.id)).toEqual(["ga-w365serv"]);
  });

  test("$expand of anything but principal, where principal is not offered, or with nested options, is refused", async () => {
    await refused("/v1.0/me?$expand=manager", 400, "BadRequest", "Parsing OData Select and Expand failed: Could not find a property named 'manager' on type 'microsoft.graph.user'.");
    await refused(`/v1.0/roleManagement/directory/roleAssignments?$expand=roleDefinition`, 400, "BadRequest");
    await refused(`/v1.0/roleManagement/directory/roleAssignments?$expand=principal($select=id)`, 400, "BadRequest");
  });
});

test("only GET: other methods are 405 with Graph's body", async () => {
  const answer = await request(`${server.url}/v1.0/me`, { method: "PATCH", body: { displayName: "x" } });
  expect(answer.status).toBe(405);
  expect(answer.json.error.code).toBe("Request_BadRequest");
});
