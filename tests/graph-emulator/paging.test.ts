/**
 * Paging: a collection longer than the scenario's page size answers `@odata.nextLink`, an absolute
 * URL on this server (also inside a batch) that keeps the other query options and adds `$skiptoken`;
 * following the links yields every item once, in order.
 */
import { listScenarios, loadScenario, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { allPages, batchOf, filter, postBatch, request, seg } from "./helpers";

let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
beforeAll(async () => {
  server = await startGraphEmulatorServer({ scenario: "paging" });
});
afterAll(() => server.close());
beforeEach(() => server.emulator.setScenario("paging"));

const SA = seg("w365serv@contoso.com");
const collections: [string, number][] = [
  [`/v1.0/users/${SA}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`, 3],
  [`/v1.0/users/${SA}/transitiveMemberOf`, 5],
  [`/v1.0/users/${SA}/memberOf?$select=id,displayName`, 3],
  [`/v1.0/roleManagement/directory/roleAssignments?$filter=${filter("roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'")}&$expand=principal`, 3],
  ["/v1.0/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,createdDateTime,modifiedDateTime", 4],
  ["/v1.0/domains?$select=id,authenticationType", 3],
  ["/v1.0/subscribedSkus?$select=skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits,servicePlans", 4],
  ["/v1.0/groups/00000000-0000-4000-8000-000000000016/transitiveMembers?$select=id", 3],
];

test("the paging scenario's page size is 2", () => {
  expect(loadScenario("paging").pageSize).toBe(2);
  expect(server.emulator.scenario.pageSize).toBe(2);
});

test.each(collections)("%s: pages of 2, every item once, absolute nextLinks on this server keeping the options", async (path, count) => {
  const first = await request(server.url + path);
  expect(first.status).toBe(200);
  expect(first.json.value).toHaveLength(2);
  const { items, pages, links } = await allPages(first.json);
  expect(items).toHaveLength(count);
  expect(pages).toBe(Math.ceil(count / 2));
  const [pathPart, queryPart] = path.split("?");
  for (const link of links) {
    expect(link.startsWith(`${server.url}${pathPart}?`)).toBe(true);
    const options = new URLSearchParams(link.split("?")[1]);
    for (const [k, v] of new URLSearchParams(queryPart)) expect(options.get(k)).toBe(v);
    expect(options.get("$skiptoken")).toMatch(/\S/);
  }
  // Same items, in the same order, as one big page.
  server.emulator.setScenario({ ...loadScenario("paging"), pageSize: 999 });
  const whole = await request(server.url + path);
  expect(whole.json["@odata.nextLink"]).toBeUndefined();
  expect(items).toEqual(whole.json.value);
});

test("the deciding rows sit on later pages", async () => {
  const licences = await allPages((await request(`${server.url}${collections[0][0]}`)).json);
  expect(licences.items.map((l) => l.skuPartNumber).indexOf("DYN365_ENTERPRISE_SALES")).toBeGreaterThanOrEqual(2);
  const policies = await allPages((await request(`${server.url}${collections[4][0]}`)).json);
  expect(policies.items.findIndex((p) => p.displayName === "Require MFA for all users")).toBeGreaterThanOrEqual(2);
  const members = await allPages((await request(`${server.url}${collections[7][0]}`)).json);
  expect(members.items.findIndex((m) => m.id === "aaaaaaaa-0000-4000-8000-000000000002")).toBeGreaterThanOrEqual(2);
});

test("a nextLink inside a batch answer is absolute on this server too", async () => {
  const answer = await postBatch(server.url, batchOf({ a: "/domains?$select=id" }));
  expect(answer.json.responses[0].body["@odata.nextLink"]).toMatch(new RegExp(`^${server.url}/v1\\.0/domains\\?\\$select=id&\\$skiptoken=`));
});

test("a bad $skiptoken is Graph's expired page token", async () => {
  const answer = await request(`${server.url}/v1.0/domains?$skiptoken=nonsense`);
  expect(answer.status).toBe(400);
  expect(answer.json.error.code).toBe("Directory_ExpiredPageToken");
  // A token of another collection does not page this one.
  const link = (await request(`${server.url}/v1.0/domains`)).json["@odata.nextLink"] as string;
  const token = new URLSearchParams(link.split("?")[1]).get("$skiptoken") as string;
  expect((await request(`${server.url}/v1.0/subscribedSkus?$skiptoken=${token}`)).status).toBe(400);
});

test("other scenarios keep the default page size of 100: no nextLink", async () => {
  const others = listScenarios().filter((s) => s.name !== "paging");
  expect(others.every((s) => loadScenario(s.name).pageSize === undefined)).toBe(true);
  server.emulator.setScenario("ready-to-install");
  expect(server.emulator.scenario.pageSize).toBe(100);
  expect((await request(`${server.url}/v1.0/users/${SA}/transitiveMemberOf`)).json["@odata.nextLink"]).toBeUndefined();
});
