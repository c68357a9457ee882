import { emptyState, graphEvidenceOf, mergeStates, parseState, resolveSettings, serializeState, setConfirmation } from "./state";
import { ADMIN, graphEvidence, graphFacts, ticked } from "./testing";
import type { ChecklistState } from "./types";

const at = (time: string) => new Date(`2026-11-27T${time}:00Z`);

describe("parseState", () => {
  it.each([null, undefined, "", "   ", "null"])("treats %p as an empty checklist", (raw) => {
    expect(parseState(raw)).toEqual({ kind: "ok", state: { version: 1, settings: {}, confirmations: {} }, ignoredSettings: [] });
  });
  it("never throws on values it cannot use, and keeps them raw", () => {
    expect(parseState("{oops")).toEqual({ kind: "not-json", raw: "{oops" });
    expect(parseState('"text"')).toEqual({ kind: "not-a-checklist", raw: '"text"' });
    expect(parseState('{"confirmations":{}}')).toEqual({ kind: "not-a-checklist", raw: '{"confirmations":{}}' });
    expect(parseState('{"version":3}')).toEqual({ kind: "newer-version", raw: '{"version":3}', version: 3 });
  });
  it("names setting values this version does not know, and keeps them stored", () => {
    const parsed = parseState(JSON.stringify({ version: 1, settings: { partnerTier: "gold", mode: "repair", serviceAccountUpn: "a@b.c" }, confirmations: {} }));
    expect(parsed).toMatchObject({ kind: "ok", ignoredSettings: ["partnerTier", "mode"], state: { settings: { partnerTier: "gold" } } });
    if (parsed.kind !== "ok") throw new Error();
    expect(resolveSettings(parsed.state.settings, {})).toMatchObject({ partnerTier: "indirect", mode: "install", serviceAccountUpn: "a@b.c" });
  });
});

describe("mergeStates", () => {
  it("keeps the later entry per key, so an un-tick beats an older tick and a newer tick beats an older un-tick", () => {
    const saved = ticked(["service-account-mfa", "mfa-policies"], at("08:00"));
    let local = ticked(["mfa-registration/service-account"], at("08:30"), ticked([], at("08:00")));
    local = { ...local, confirmations: { ...local.confirmations, "mfa-policies": { confirmed: false, by: ADMIN, at: "2026-11-27T08:10:00Z" } } };
    const merged = mergeStates(saved, local);
    expect(Object.keys(merged.confirmations).sort()).toEqual(["mfa-policies", "mfa-registration/service-account", "service-account-mfa"]);
    expect(merged.confirmations["mfa-policies"].confirmed).toBe(false);
    expect(mergeStates(local, saved).confirmations["mfa-policies"].confirmed).toBe(false);
  });
  it("takes the settings with the later changedAt, whole", () => {
    const saved: ChecklistState = { version: 1, settings: { partnerTier: "direct", changedAt: "2026-11-27T08:00:00Z" }, confirmations: {} };
    const local: ChecklistState = { version: 1, settings: { mode: "upgrade", changedAt: "2026-11-27T09:00:00Z" }, confirmations: {} };
    expect(mergeStates(saved, local).settings).toEqual(local.settings);
    expect(mergeStates(local, saved).settings).toEqual(local.settings);
  });
  it("keeps keys this version does not know, on both sides", () => {
    const saved = { version: 1 as const, settings: {}, confirmations: { "future/item": { confirmed: true, by: ADMIN, at: "2026-11-27T08:00:00Z" } }, savedExtra: 1 };
    const local = { version: 1 as const, settings: {}, confirmations: {}, localExtra: 2 };
    const merged = mergeStates(saved, local);
    expect(merged).toMatchObject({ savedExtra: 1, localExtra: 2, confirmations: { "future/item": { confirmed: true } } });
  });
  it("lets a valid entry beat a corrupt one under the same key", () => {
    const saved = { version: 1 as const, settings: {}, confirmations: { "mfa-policies": "garbage" as never } };
    const local = ticked(["mfa-policies"], at("08:00"));
    expect(mergeStates(saved, local).confirmations["mfa-policies"]).toMatchObject({ confirmed: true });
  });
  it("round-trips through the column", () => {
    const state = ticked(["global-admin/granted"]);
    expect(parseState(serializeState(state))).toEqual({ kind: "ok", state, ignoredSettings: [] });
  });
});

describe("resolveSettings", () => {
  it("lets the form's UPN win, trimmed, and uses the default names when the form gives none", () => {
    expect(resolveSettings({ serviceAccountUpn: "typed@contoso.com" }, { serviceAccountUpn: "  form@contoso.com " })).toMatchObject({
      serviceAccountUpn: "form@contoso.com",
      upnFromForm: true,
      adminProfileName: "Work 365 Admin",
      salesRoleName: "Work 365 Sales",
      work365SolutionName: "",
    });
    expect(resolveSettings({ serviceAccountUpn: "typed@contoso.com" }, { serviceAccountUpn: "" })).toMatchObject({
      serviceAccountUpn: "typed@contoso.com",
      upnFromForm: false,
    });
  });
});

describe("evidence.graph", () => {
  const withEvidence = (readAt: string): ChecklistState => ({ ...emptyState(), evidence: { graph: graphEvidence(graphFacts(), readAt), other: { kept: true } } });

  it("merges by readAt: the later reading wins whole, other evidence keys are kept", () => {
    const older = withEvidence("2026-11-20T08:00:00Z");
    const newer = withEvidence("2026-11-27T08:00:00Z");
    expect(graphEvidenceOf(mergeStates(older, newer))?.readAt).toBe("2026-11-27T08:00:00Z");
    expect(graphEvidenceOf(mergeStates(newer, older))?.readAt).toBe("2026-11-27T08:00:00Z");
    expect((mergeStates(older, emptyState()).evidence as Record<string, unknown>).other).toEqual({ kept: true });
  });

  it("survives a tick made by a control that knows nothing of evidence", () => {
    const saved = withEvidence("2026-11-27T08:00:00Z");
    const raw = serializeState(saved);
    // An older control parses the column, ticks, re-reads the saved value and merges before writing.
    const parsed = parseState(raw);
    if (parsed.kind !== "ok") throw new Error("expected a parsed state");
    const local = setConfirmation(parsed.state, { key: "service-account-mfa", confirmed: true }, ADMIN, new Date("2026-11-27T09:00:00Z"));
    const written = JSON.parse(serializeState(mergeStates(saved, local)));
    expect(written.evidence).toEqual(JSON.parse(raw).evidence);
    expect(written.confirmations["service-account-mfa"].confirmed).toBe(true);
  });

  it("is used only when it has the shape this version reads", () => {
    expect(graphEvidenceOf(withEvidence("2026-11-27T08:00:00Z"))?.facts.tenantId).toBe(graphFacts().tenantId);
    expect(graphEvidenceOf(emptyState())).toBeNull();
    const damaged = withEvidence("2026-11-27T08:00:00Z");
    (damaged.evidence as { graph: { facts: Record<string, unknown> } }).graph.facts.conditionalAccessPolicies = "yes";
    expect(graphEvidenceOf(damaged)).toBeNull();
    expect(graphEvidenceOf({ ...emptyState(), evidence: { graph: { readAt: "not a time" } } })).toBeNull();
    expect(graphEvidenceOf({ ...emptyState(), evidence: "text" })).toBeNull();
  });
});
