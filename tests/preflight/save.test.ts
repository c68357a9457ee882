/**
 * `check --save` end to end: the built command as a child process writes what Microsoft Graph
 * said into the settings record as `evidence.graph`, with the control's stored-state rules.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulatorServer, type Emulator } from "../../playground/emulator/emulator.cjs";
import { startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { graphEvidenceOf, parseState } from "../../PrerequisiteChecklist/checklist/state";
import { ensureBuilt, oneLine, ROOT, runPreflight } from "./helpers";

jest.setTimeout(120_000);

const RECORD_ID = "99999999-0000-4000-8000-000000000001";
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
const scenarioFile = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "playground", "scenarios", `${name}.json`), "utf8"));

let graph: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
let dataverse: Awaited<ReturnType<typeof startEmulatorServer>>;
let emulator: Emulator;

beforeAll(async () => {
  ensureBuilt();
  graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: "ready-to-install" });
  dataverse = await startEmulatorServer({ port: 0, host: "127.0.0.1", scenario: "ready-to-install" });
  emulator = dataverse.emulator;
});
afterAll(async () => {
  await dataverse?.close();
  await graph?.close();
});
beforeEach(() => graph.emulator.reset());

/** The ready-to-install Dataverse scenario with the record changed (or removed). */
function dataverseWith(record: Record<string, unknown> | null) {
  const data = scenarioFile("ready-to-install");
  if (record === null) delete data.record;
  else data.record = { ...data.record, ...record };
  emulator.setScenario({ ...data, name: "save-test" });
  emulator.reset();
}

const save = (extra: string[] = []) =>
  runPreflight(["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", "--upn", "w365serv@contoso.com", "--format", "json", "--save", ...extra]);

const ADMIN = { id: "11111111-0000-4000-8000-000000000001", name: "Avery Admin" };
/** Who the server says saved the reading, and when (within the last minute). */
function savedStamp(stored: string): { savedBy: unknown; savedAt: unknown } {
  const graphReading = JSON.parse(stored).evidence.graph;
  expect(Math.abs(Date.parse(graphReading.savedAt) - Date.now())).toBeLessThan(60_000);
  return { savedBy: graphReading.savedBy, savedAt: graphReading.savedAt };
}

const rows = () => emulator.store.rows("w365_setup");
const writes = () => emulator.requests.filter((r) => r.method !== "GET");

describe("check --save", () => {
  it("creates the settings record when there is none, with evidence.graph and nothing else", async () => {
    dataverseWith(null);
    expect(rows()).toHaveLength(0);
    const run = await save();
    // 1: without a record nobody has confirmed the service account's time zone yet, which only a person can.
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).items.find((i: { id: string }) => i.id === "service-account-settings")).toMatchObject({ status: "needs-confirmation" });
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(/^Created a settings record in w365_setup \([0-9a-f-]{36}\)/)]);
    expect(writes().map((w) => `${w.method} ${w.path.split("?")[0]} ${w.status}`)).toEqual(["POST /api/data/v9.2/w365_setups 204"]);
    expect(rows()).toHaveLength(1);
    const stored = String(rows()[0].w365_checkliststate);
    const parsed = parseState(stored);
    expect(parsed.kind).toBe("ok");
    if (parsed.kind !== "ok") return;
    expect(parsed.state.confirmations).toEqual({});
    const evidence = graphEvidenceOf(parsed.state);
    expect(evidence).not.toBeNull();
    expect(evidence).toMatchObject({ by: { upn: "admin@contoso.com", name: "Avery Admin" }, tool: `w365-preflight ${VERSION}`, tenantId: graph.emulator.scenario.tenantId });
    expect(Math.abs(Date.parse(evidence!.readAt) - Date.now())).toBeLessThan(60_000);
    expect(evidence!.facts.serviceAccount.upn).toBe("w365serv@contoso.com");
    // The plug-in ran on the Create and stamped who saved it and when, by the server's clock.
    expect(emulator.pluginRuns.map((r) => `${r.message} ${r.outcome}`)).toEqual(["Create done"]);
    expect(savedStamp(stored)).toEqual({ savedBy: ADMIN, savedAt: expect.any(String) });
    expect(stored).not.toMatch(/Bearer|eyJ[\w-]+\.|access_?token/i);
    // The metadata read gave the column's limit once; the requests count includes the save's.
    expect(emulator.requests.filter((r) => r.path.includes("MemoAttributeMetadata"))).toHaveLength(1);
    expect(JSON.parse(run.stdout).requests.dataverse).toBe(emulator.requests.length);
  });

  it("merges into the existing record with If-Match, keeping every confirmation and setting", async () => {
    dataverseWith({});
    const before = parseState(String(rows()[0].w365_checkliststate));
    const run = await save();
    expect(run.code).toBe(0);
    expect(oneLine(run.stderr)).toEqual([`Saved what Microsoft Graph said to w365_setup ${RECORD_ID} (w365_checkliststate).`]);
    expect(writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PATCH 204"]);
    const after = parseState(String(emulator.store.get("w365_setup", RECORD_ID)!.w365_checkliststate));
    expect(before.kind === "ok" && after.kind === "ok").toBe(true);
    if (before.kind !== "ok" || after.kind !== "ok") return;
    expect(after.state.confirmations).toEqual(before.state.confirmations);
    expect(after.state.settings).toEqual(before.state.settings);
    expect(graphEvidenceOf(after.state)?.by.upn).toBe("admin@contoso.com");
    expect(emulator.pluginRuns.map((r) => `${r.message} ${r.outcome}`)).toEqual(["Update done"]);
    expect(savedStamp(String(emulator.store.get("w365_setup", RECORD_ID)!.w365_checkliststate))).toEqual({ savedBy: ADMIN, savedAt: expect.any(String) });
  });

  it("another admin's tick saved between the read and the write survives: 412, read again, merge, write", async () => {
    dataverseWith({});
    const tick = { confirmed: true, by: { id: "22222222-0000-4000-8000-000000000002", name: "Blake Admin" }, at: new Date().toISOString() };
    // Every request on the record is held back a little, so Blake can save while the preflight's PATCH is on its way.
    emulator.setFaults({ w365_setups: { kind: "delay", ms: 300 } });
    const saving = save();
    let interfered = false;
    while (!interfered) {
      const patch = emulator.requests.find((r) => r.method === "PATCH");
      if (patch) {
        // Blake ticks consent in the form while the preflight's write waits.
        const row = emulator.store.get("w365_setup", RECORD_ID)!;
        const state = JSON.parse(String(row.w365_checkliststate));
        state.confirmations["consent-completed"] = tick;
        emulator.store.patch("w365_setup", RECORD_ID, { w365_checkliststate: JSON.stringify(state) });
        interfered = true;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
    const run = await saving;
    expect(run.code).toBe(0);
    expect(writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PATCH 412", "PATCH 204"]);
    const after = parseState(String(emulator.store.get("w365_setup", RECORD_ID)!.w365_checkliststate));
    expect(after.kind).toBe("ok");
    if (after.kind !== "ok") return;
    expect(after.state.confirmations["consent-completed"]).toEqual(tick);
    expect(after.state.confirmations["mfa-policies"]).toMatchObject({ confirmed: true });
    expect(graphEvidenceOf(after.state)).not.toBeNull();
  });

  it("never writes more than the column's MaxLength: refuses, says why, writes nothing", async () => {
    const maxLength = 1_048_576;
    const state = { ...scenarioFile("ready-to-install").record.checklistState };
    const base = JSON.stringify(state).length;
    // Kept by every version (an unknown key), and just small enough to fit as it is.
    state.padding = "x".repeat(maxLength - base - 40);
    dataverseWith({ checklistState: state });
    expect(String(rows()[0].w365_checkliststate).length).toBeLessThanOrEqual(maxLength);
    const run = await save();
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(/^w365-preflight: saving would make w365_setup\.w365_checkliststate \d+ characters long, more than its maximum of 1048576: nothing was saved$/)]);
    expect(writes()).toEqual([]);
  });

  it("when only the server's stamps make it too long, the plug-in refuses: its words, nothing saved", async () => {
    const maxLength = 1_048_576;
    dataverseWith({});
    expect((await save()).code).toBe(0);
    // How many characters the server's savedBy and savedAt add to what the preflight sends.
    const stored = String(rows()[0].w365_checkliststate);
    const saved = JSON.parse(stored);
    const { savedBy: _by, savedAt: _at, ...sentReading } = saved.evidence.graph;
    const sent = JSON.stringify({ ...saved, evidence: { ...saved.evidence, graph: sentReading } }).length;
    const stampChars = stored.length - sent;
    expect(stampChars).toBeGreaterThan(50);

    // Padding that leaves the preflight's value just under the maximum, and the server's just over.
    const state = { ...scenarioFile("ready-to-install").record.checklistState };
    const extra = JSON.stringify({ ...state, padding: "" }).length - JSON.stringify(state).length;
    state.padding = "x".repeat(maxLength - Math.floor(stampChars / 2) - sent - extra);
    dataverseWith({ checklistState: state });
    const before = rows()[0].w365_checkliststate;
    const run = await save();
    expect({ code: run.code, stderr: oneLine(run.stderr) }).toEqual({
      code: 3,
      stderr: [expect.stringMatching(/The checklist was not saved: together with what is already on the record it would be 1,048,\d{3} characters, more than the column's 1,048,576\. The record keeps what it had\./)],
    });
    expect(writes().map((w) => `${w.method} ${w.status}`)).toEqual(["PATCH 400"]);
    expect(rows()[0].w365_checkliststate).toBe(before);
  });

  it.each([
    ["not valid JSON", "{\"version\":1,\"confirmations\":", /does not hold valid JSON, so nothing was saved/],
    ["of a newer version", { version: 2, settings: {}, confirmations: {} }, /written by a newer checklist \(version 2\), so nothing was saved/],
  ])("a stored value %s is left alone: exit 3 and why", async (_what, checklistState, message) => {
    dataverseWith({ checklistState });
    const before = rows()[0].w365_checkliststate;
    const run = await save();
    expect(run.code).toBe(3);
    expect(oneLine(run.stderr)).toEqual([expect.stringMatching(message)]);
    expect(writes()).toEqual([]);
    expect(rows()[0].w365_checkliststate).toBe(before);
  });
});
