/** What the preflight's --save needs of the form's own table: metadata, ETags and optimistic concurrency. */
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { request } from "./helpers";

let server: Awaited<ReturnType<typeof startEmulatorServer>>;
const RECORD = "99999999-0000-4000-8000-000000000001";
// Valid checklists, so the plug-in that guards the column lets them through.
const EMPTY = JSON.stringify({ version: 1, settings: {}, confirmations: {} });
const OTHER = JSON.stringify({ version: 1, settings: { mode: "upgrade" }, confirmations: {} });
const api = (path: string) => `${server.url}/api/data/v9.2/${path}`;

beforeAll(async () => {
  server = await startEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());
beforeEach(() => server.emulator.reset());

describe("table and column metadata", () => {
  it("gives a table's entity set and primary key", async () => {
    const answer = await request(api("EntityDefinitions(LogicalName='w365_setup')?$select=EntitySetName,PrimaryIdAttribute"));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ EntitySetName: "w365_setups", PrimaryIdAttribute: "w365_setupid" });
    expect(answer.json).not.toHaveProperty("LogicalName");
  });

  it("gives a memo column's MaxLength through the type cast, and refuses the wrong cast", async () => {
    const path = "EntityDefinitions(LogicalName='w365_setup')/Attributes(LogicalName='w365_checkliststate')";
    expect((await request(api(`${path}/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=MaxLength`))).json).toMatchObject({ MaxLength: 1048576 });
    expect((await request(api(`${path}/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength`))).status).toBe(400);
    const upn = "EntityDefinitions(LogicalName='w365_setup')/Attributes(LogicalName='w365_serviceaccountupn')";
    expect((await request(api(`${upn}/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength`))).json).toMatchObject({ MaxLength: 320 });
  });

  it("answers 404 for a table or column that does not exist, and 400 for an unknown property", async () => {
    expect((await request(api("EntityDefinitions(LogicalName='nope')?$select=EntitySetName"))).status).toBe(404);
    expect((await request(api("EntityDefinitions(LogicalName='w365_setup')/Attributes(LogicalName='nope')"))).status).toBe(404);
    expect((await request(api("EntityDefinitions(LogicalName='w365_setup')?$select=Nope"))).status).toBe(400);
  });
});

describe("If-Match on the row's ETag", () => {
  const read = async () => (await request(api(`w365_setups(${RECORD})?$select=w365_checkliststate`))).json as { "@odata.etag": string };
  const patch = (etag: string, value: string) =>
    request(api(`w365_setups(${RECORD})`), { method: "PATCH", headers: { "If-Match": etag }, body: { w365_checkliststate: value } });

  it("writes when the ETag is current, and answers 412 when someone saved in between", async () => {
    const first = await read();
    expect(first["@odata.etag"]).toMatch(/^W\/"\d+"$/);
    expect((await patch(first["@odata.etag"], EMPTY)).status).toBe(204);
    const stale = await patch(first["@odata.etag"], OTHER);
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe("0x80060882");
    const second = await read();
    expect(second["@odata.etag"]).not.toBe(first["@odata.etag"]);
    expect((await patch(second["@odata.etag"], OTHER)).status).toBe(204);
    expect((await patch("*", EMPTY)).status).toBe(204);
  });

  it("does not create a row under If-Match", async () => {
    const missing = "99999999-0000-4000-8000-0000000000ff";
    const answer = await request(api(`w365_setups(${missing})`), { method: "PATCH", headers: { "If-Match": 'W/"1"' }, body: { w365_checkliststate: EMPTY } });
    expect(answer.status).toBe(404);
  });
});
