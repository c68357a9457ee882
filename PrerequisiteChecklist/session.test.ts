import { parseState, serializeState } from "./checklist/state";
import { ADMIN, facts, ticked } from "./checklist/testing";
import type { ChecklistState, EnvironmentFacts } from "./checklist/types";
import type { EnvironmentReader, ReadRequest } from "./dataverse/reader";
import { ChecklistSession, type SessionDeps } from "./session";

/** A reader whose answers the test releases one by one. */
function controlledReader() {
  const calls: { request: ReadRequest; resolve: (facts: EnvironmentFacts) => void }[] = [];
  const reader: EnvironmentReader = {
    read: (request) => new Promise((resolve) => calls.push({ request, resolve })),
  };
  return { reader, calls };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function session(overrides: Partial<SessionDeps> = {}) {
  const { reader, calls } = controlledReader();
  let clock = new Date("2026-11-27T09:00:00Z");
  const notify = jest.fn();
  const deps: SessionDeps = {
    reader,
    currentUser: { id: "{9A000000-0000-0000-0000-00000000000B}", name: "Lee Admin" },
    now: () => clock,
    notifyOutputChanged: notify,
    ...overrides,
  };
  const s = new ChecklistSession(deps);
  return {
    s,
    calls,
    notify,
    advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
    stored: (): ChecklistState => {
      const parsed = parseState(s.output);
      if (parsed.kind !== "ok") throw new Error("output is not a checklist");
      return parsed.state;
    },
  };
}

const form = (value: string | null, upn = "w365serv@contoso.com") => ({ value, properties: { serviceAccountUpn: upn } });

describe("ChecklistSession", () => {
  it("starts one check on the first update and never writes on opening", async () => {
    const { s, calls, notify } = session();
    s.update(form(null));
    s.update(form(null));
    expect(calls).toHaveLength(1);
    expect(calls[0].request).toEqual({
      serviceAccountUpn: "w365serv@contoso.com",
      work365SolutionName: "",
      adminProfileName: "Work 365 Admin",
      salesRoleName: "Work 365 Sales",
      consentConfirmedInCycle: false,
      upgradeMode: false,
    });
    expect(s.snapshot().checking).toBe(true);
    calls[0].resolve(facts());
    await flush();
    expect(s.snapshot().checking).toBe(false);
    expect(s.snapshot().facts).toEqual(facts());
    expect(s.snapshot().checkedAt).toBe("2026-11-27T09:00:00.000Z");
    expect(notify).not.toHaveBeenCalled();
    expect(s.output).toBeUndefined();
  });

  it("runs one check at a time, and never shows a result that predates the last request", async () => {
    const { s, calls } = session();
    s.update(form(null));
    for (let i = 0; i < 10; i++) void s.check();
    expect(calls).toHaveLength(1);
    const stale = facts({ provisionedLanguages: { ok: true, value: [1031] } });
    calls[0].resolve(stale);
    await flush();
    expect(s.snapshot().facts).toBeNull();
    expect(calls).toHaveLength(2);
    calls[1].resolve(facts());
    await flush();
    expect(calls).toHaveLength(2);
    expect(s.snapshot().facts).toEqual(facts());
  });

  it("re-checks when the UPN changes, and reads the new account", async () => {
    const { s, calls } = session();
    s.update(form(null, ""));
    calls[0].resolve(facts());
    await flush();
    void s.changeSettings({ serviceAccountUpn: "  svc@contoso.com " });
    await flush();
    expect(calls).toHaveLength(2);
    expect(calls[1].request.serviceAccountUpn).toBe("svc@contoso.com");
  });

  it("writes a tick with who and when, re-reading the saved record first and keeping another admin's ticks", async () => {
    const otherAdmin = serializeState(ticked(["service-account-mfa"], new Date("2026-11-27T08:59:00Z")));
    const readSavedValue = jest.fn().mockResolvedValue(otherAdmin);
    const { s, calls, notify, stored } = session({ readSavedValue });
    s.update(form(null));
    calls[0].resolve(facts());
    await s.confirm({ key: "mfa-policies", confirmed: true });
    expect(readSavedValue).toHaveBeenCalledTimes(1);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(stored().confirmations).toEqual({
      "service-account-mfa": expect.objectContaining({ confirmed: true, by: ADMIN }),
      "mfa-policies": {
        confirmed: true,
        by: { id: "9a000000-0000-0000-0000-00000000000b", name: "Lee Admin" },
        at: "2026-11-27T09:00:00.000Z",
      },
    });
    expect(s.snapshot().unsaved).toBe(true);
  });

  it("stops saying a change is unsaved once a check finds it on the record", async () => {
    let saved: string | null = null;
    const { s, calls } = session({ readSavedValue: async () => saved });
    s.update(form(null));
    calls[0].resolve(facts());
    await s.confirm({ key: "mfa-policies", confirmed: true });
    expect(s.snapshot().unsaved).toBe(true);
    void s.check();
    calls[1].resolve(facts());
    await flush();
    expect(s.snapshot().unsaved).toBe(true);
    saved = s.output!;
    void s.check();
    calls[2].resolve(facts());
    await flush();
    expect(s.snapshot().unsaved).toBe(false);
  });

  it("takes the saved record as the server wrote it: its own who and when on this session's change", async () => {
    const { s, notify } = session();
    s.update(form(null));
    await s.confirm({ key: "mfa-policies", confirmed: true });
    notify.mockClear();
    // The plug-in stamped the tick with the server's clock, a minute behind the browser's, and the user's full name.
    const asSaved = JSON.parse(s.output!);
    asSaved.confirmations["mfa-policies"].by = { id: "9a000000-0000-0000-0000-00000000000b", name: "Lee Admin (Contoso)" };
    asSaved.confirmations["mfa-policies"].at = "2026-11-27T08:59:00.000Z";
    s.update(form(JSON.stringify(asSaved)));
    await flush();
    expect(s.snapshot().unsaved).toBe(false);
    expect(notify).not.toHaveBeenCalled();
    const shown = s.snapshot().stored;
    expect(shown.kind === "ok" && shown.state.confirmations["mfa-policies"]).toMatchObject({ by: { name: "Lee Admin (Contoso)" }, at: "2026-11-27T08:59:00.000Z" });
  });

  it("keeps a change unsaved while the record says otherwise, and after a refused save", async () => {
    let saved: string | null = null;
    const { s, calls } = session({ readSavedValue: async () => saved });
    s.update(form(null));
    calls[0].resolve(facts());
    await s.confirm({ key: "mfa-policies", confirmed: true });
    saved = serializeState({ version: 1, settings: {}, confirmations: { "mfa-policies": { confirmed: false, by: ADMIN, at: "2026-11-27T09:00:01.000Z" } } });
    void s.check();
    calls[1].resolve(facts());
    await flush();
    expect(s.snapshot().unsaved).toBe(true);
  });

  it("un-ticking writes confirmed: false with its own time, so a merge cannot bring the tick back", async () => {
    const { s, advance, stored } = session();
    s.update(form(serializeState(ticked(["service-account-mfa"]))));
    advance(60_000);
    await s.confirm({ key: "service-account-mfa", confirmed: false });
    expect(stored().confirmations["service-account-mfa"]).toMatchObject({ confirmed: false, at: "2026-11-27T09:01:00.000Z" });
  });

  it("merges a value the form brings while it has unsaved ticks, and hands the merged value back", async () => {
    const { s, notify, stored } = session();
    s.update(form(null));
    await s.confirm({ key: "mfa-policies", confirmed: true });
    notify.mockClear();
    s.update(form(serializeState(ticked(["service-account-mfa"], new Date("2026-11-27T08:00:00Z")))));
    await flush();
    expect(notify).toHaveBeenCalledTimes(1);
    expect(Object.keys(stored().confirmations).sort()).toEqual(["mfa-policies", "service-account-mfa"]);
  });

  it("records the Work 365 version with the consent, and ends an upgrade", async () => {
    const { s, calls, stored } = session();
    const upgrading = serializeState({ version: 1, settings: { mode: "upgrade", cycleStartedAt: "2026-11-27T08:00:00Z", changedAt: "2026-11-27T08:00:00Z" }, confirmations: {} });
    s.update(form(upgrading));
    calls[0].resolve(facts({ work365Solutions: { ok: true, value: [{ id: "s", uniqueName: "Work365", friendlyName: "Work 365", version: "4.6.0.1", installedOn: null, createdById: null, createdByName: null }] } }));
    await flush();
    await s.confirm({ key: "consent-completed", confirmed: true });
    expect(stored().confirmations["consent-completed"]).toMatchObject({ confirmed: true, work365Version: "4.6.0.1" });
    expect(stored().settings).toMatchObject({ mode: "install", cycleStartedAt: "2026-11-27T08:00:00Z" });
  });

  it("starts a new cycle when the admin chooses upgrade, and checks again, reading the system jobs too", async () => {
    const { s, stored, calls } = session();
    s.update(form(null));
    calls[0].resolve(facts());
    await flush();
    void s.changeSettings({ mode: "upgrade" });
    await flush();
    expect(stored().settings).toEqual({ mode: "upgrade", cycleStartedAt: "2026-11-27T09:00:00.000Z", changedAt: "2026-11-27T09:00:00.000Z" });
    expect(calls.map((c) => c.request.upgradeMode)).toEqual([false, true]);
    // The install-mode facts stay shown while the upgrade's check runs.
    expect(s.snapshot().facts).not.toBeNull();
  });

  it("keeps unknown keys of the stored value", async () => {
    const { s, stored } = session();
    const value = JSON.stringify({ version: 1, settings: { theme: "dark" }, confirmations: { "future-item": { confirmed: true, by: ADMIN, at: "2026-01-01T00:00:00Z" } }, notes: "keep me" });
    s.update(form(value));
    await s.confirm({ key: "mfa-policies", confirmed: true });
    expect(stored()).toMatchObject({ notes: "keep me", settings: { theme: "dark" }, confirmations: { "future-item": { confirmed: true } } });
  });

  it.each([
    ["not JSON", "{not json", "not-json"],
    ["a newer version", JSON.stringify({ version: 2, confirmations: {} }), "newer-version"],
    ["not a checklist", JSON.stringify([1, 2]), "not-a-checklist"],
  ])("leaves %s alone until the admin resets it", async (_, value, kind) => {
    const { s, notify } = session();
    s.update(form(value));
    expect(s.snapshot().stored.kind).toBe(kind);
    await s.confirm({ key: "mfa-policies", confirmed: true });
    await s.changeSettings({ partnerTier: "direct" });
    expect(notify).not.toHaveBeenCalled();
    await s.reset();
    expect(notify).toHaveBeenCalledTimes(1);
    expect(JSON.parse(s.output!)).toEqual({ version: 1, settings: {}, confirmations: {} });
  });

  it("never writes more than the column allows, and says so", async () => {
    const { s, notify } = session();
    s.update({ ...form(null), maxLength: 150 });
    await s.confirm({ key: "mfa-policies", confirmed: true });
    expect(notify).not.toHaveBeenCalled();
    expect(s.output).toBeUndefined();
    expect(s.snapshot().notice).toEqual({ key: "Notice_TooLong", args: { length: expect.any(Number), maxLength: 150 } });
  });

  it("still writes when the saved record cannot be re-read, and says the merge may be incomplete", async () => {
    const { s, notify } = session({ readSavedValue: () => Promise.reject(new Error("offline")) });
    s.update(form(null));
    await s.confirm({ key: "mfa-policies", confirmed: true });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(s.snapshot().notice).toEqual({ key: "Notice_CouldNotReReadSaved" });
  });

  it("keeps ticks made while a check is in flight", async () => {
    const { s, calls, stored } = session();
    s.update(form(null));
    await s.confirm({ key: "mfa-policies", confirmed: true });
    calls[0].resolve(facts());
    await flush();
    expect(stored().confirmations["mfa-policies"]).toMatchObject({ confirmed: true });
    expect(s.snapshot().facts).not.toBeNull();
  });

  it("does nothing after destroy, even when a pending check answers", async () => {
    const { s, calls } = session();
    const listener = jest.fn();
    s.update(form(null));
    s.subscribe(listener);
    s.destroy();
    calls[0].resolve(facts());
    await flush();
    expect(listener).not.toHaveBeenCalled();
    expect(s.snapshot().facts).toBeNull();
  });
});
