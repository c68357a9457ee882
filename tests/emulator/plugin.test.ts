/**
 * The Dataverse plug-in inside the emulator: every create and update of the settings row goes
 * through ChecklistStatePlugin's net10.0 build, as Work365Setup registers it (npm run build:plugin).
 */
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { request } from "./helpers";

let server: Awaited<ReturnType<typeof startEmulatorServer>>;
const RECORD = "99999999-0000-4000-8000-000000000001";
const ADMIN = { id: "11111111-0000-4000-8000-000000000001", name: "Avery Admin" };
const api = (path: string) => `${server.url}/api/data/v9.2/${path}`;
const stored = async (id = RECORD) => (await request(api(`w365_setups(${id})?$select=w365_checkliststate`))).json.w365_checkliststate as string | null;
const patch = (body: unknown, id = RECORD) => request(api(`w365_setups(${id})`), { method: "PATCH", body });
const state = (confirmations: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ version: 1, settings: {}, confirmations, ...extra });
const forged = { confirmed: true, by: { id: "00000000-0000-0000-0000-0000000000ff", name: "Someone Else" }, at: "2099-01-01T00:00:00.000Z" };

beforeAll(async () => {
  server = await startEmulatorServer({ scenario: "ready-to-install" });
});
afterAll(() => server.close());
beforeEach(() => server.emulator.reset());

describe("the plug-in on the settings row", () => {
  it("stamps a forged by and at sent by a raw PATCH with the caller and the server's time, keeping every stored tick", async () => {
    const before = JSON.parse((await stored())!);
    const key = "partner-center/native-app";
    expect(before.confirmations).not.toHaveProperty([key]);
    const started = Date.now();
    const answer = await patch({ w365_checkliststate: state({ [key]: forged }) });
    expect(answer.status).toBe(204);
    const after = JSON.parse((await stored())!);
    expect(after.confirmations[key]).toEqual({ confirmed: true, by: ADMIN, at: expect.any(String) });
    const at = Date.parse(after.confirmations[key].at);
    expect(at).toBeGreaterThanOrEqual(started - 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    for (const stored of Object.keys(before.confirmations)) expect(after.confirmations[stored]).toEqual(before.confirmations[stored]);
    expect(server.emulator.pluginRuns.at(-1)).toMatchObject({ message: "Update", outcome: "done", trace: [expect.stringContaining(`stamped: ${key}`)] });
  });

  it("keeps the stored who and when of a tick sent back with a forged by and a later at", async () => {
    const before = JSON.parse((await stored())!);
    const tick = before.confirmations["service-account-mfa"];
    expect(tick.confirmed).toBe(true);
    expect((await patch({ w365_checkliststate: state({ "service-account-mfa": { ...tick, ...forged } }) })).status).toBe(204);
    expect(JSON.parse((await stored())!).confirmations["service-account-mfa"]).toEqual(tick);
  });

  it("refuses JSON that is not JSON with Dataverse's answer to a plug-in's refusal, and keeps the row", async () => {
    const before = await stored();
    const answer = await patch({ w365_checkliststate: '{"version":1,' });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({ code: "0x80040265", message: expect.stringContaining("not valid JSON") });
    expect(await stored()).toBe(before);
  });

  it("guards a row made by a POST, which has no pre-image", async () => {
    const id = "99999999-0000-4000-8000-0000000000aa";
    const answer = await request(api("w365_setups"), { method: "POST", body: { w365_setupid: id, w365_name: "Second", w365_checkliststate: state({ "mfa-policies": forged }) } });
    expect(answer.status).toBe(204);
    expect(JSON.parse((await stored(id))!).confirmations["mfa-policies"].by).toEqual(ADMIN);
    expect(server.emulator.pluginRuns.at(-1)).toMatchObject({ message: "Create", outcome: "done" });
  });

  it("does not run for a write that leaves the column alone", async () => {
    const runs = server.emulator.pluginRuns.length;
    expect((await patch({ w365_name: "Renamed" })).status).toBe(204);
    expect(server.emulator.pluginRuns.length).toBe(runs);
  });

  it("loses no tick when two forms that each hold only their own tick save at once", async () => {
    const [first, second] = await Promise.all([
      patch({ w365_checkliststate: state({ "partner-center/native-app": { ...forged, at: "2026-01-01T00:00:00.000Z" } }) }),
      patch({ w365_checkliststate: state({ "partner-center/admin-agent-role": { ...forged, at: "2026-01-01T00:00:00.000Z" } }) }),
    ]);
    expect([first.status, second.status]).toEqual([204, 204]);
    const after = JSON.parse((await stored())!);
    expect(after.confirmations["partner-center/native-app"].by).toEqual(ADMIN);
    expect(after.confirmations["partner-center/admin-agent-role"].by).toEqual(ADMIN);
  });
});
