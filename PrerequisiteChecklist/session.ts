import {
  addChanges,
  changeSettings,
  emptyState,
  holdsChanges,
  mergeStates,
  parseState,
  resolveSettings,
  serializeState,
  setConfirmation,
  type ConfirmationChange,
  type FormProperties,
  type ParsedState,
  type PendingChanges,
  type SettingsChange,
} from "./checklist/state";
import type { ChecklistSettings, ChecklistState, ConfirmedBy, EnvironmentFacts, Message } from "./checklist/types";
import type { EnvironmentReader } from "./dataverse/reader";

export interface SessionDeps {
  reader: EnvironmentReader;
  /** Re-reads the bound column from the form's own record; absent while the record is not created yet. */
  readSavedValue?: () => Promise<string | null>;
  currentUser: ConfirmedBy;
  now: () => Date;
  notifyOutputChanged: () => void;
}

/** What the form supplies on each `updateView`. */
export interface FormInput {
  value: string | null;
  properties: FormProperties;
  /** The column's maximum length, when the host tells it. */
  maxLength?: number;
}

/** A still picture of the session, for rendering. */
export interface SessionSnapshot {
  facts: EnvironmentFacts | null;
  checking: boolean;
  checkedAt: string | null;
  stored: ParsedState;
  settings: ChecklistSettings;
  /** Ticks written to the form in this session; they are kept when the form is saved. */
  unsaved: boolean;
  /** Something the admin should know about their last change (too long, could not re-read). */
  notice: Message | null;
}

/**
 * One form session: the checks that run and the changes an admin makes. No React and no PCF
 * types; `index.ts` feeds it the form's values and renders its snapshots.
 */
export class ChecklistSession {
  private readonly deps: SessionDeps;
  private readonly listeners = new Set<() => void>();
  private boundValue: string | null | undefined = undefined;
  private stored: ParsedState = { kind: "ok", state: emptyState(), ignoredSettings: [] };
  private properties: FormProperties = {};
  private maxLength = Number.POSITIVE_INFINITY;
  private facts: EnvironmentFacts | null = null;
  /** What the facts were read for: facts about another account are never shown as this one's. */
  private factsKey = "";
  private checkedAt: string | null = null;
  private running: Promise<void> | null = null;
  private recheckWanted = false;
  private lastCheckedSettings = "";
  private saving: Promise<void> = Promise.resolve();
  /** What the admin changed that the record has not been seen to hold; null: nothing unsaved. */
  private pending: PendingChanges | null = null;
  private notice: Message | null = null;
  private destroyed = false;
  private snapshotCache: SessionSnapshot | null = null;
  /** The value handed to the form through `getOutputs`. */
  output: string | undefined;

  constructor(deps: SessionDeps) {
    this.deps = deps;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): SessionSnapshot {
    this.snapshotCache ??= {
      facts: this.factsKey && sameAccount(this.factsKey, this.readKey()) ? this.facts : null,
      checking: this.running !== null,
      checkedAt: this.checkedAt,
      stored: this.stored,
      settings: this.settings(),
      unsaved: this.pending !== null,
      notice: this.notice,
    };
    return this.snapshotCache;
  }

  /** The form's values, on every `updateView`. The first call starts the first check. */
  update(input: FormInput): void {
    if (this.destroyed) return;
    let changed = false;
    if (input.value !== this.boundValue) {
      this.adopt(input.value);
      changed = true;
    }
    if (JSON.stringify(input.properties) !== JSON.stringify(this.properties)) {
      this.properties = { ...input.properties };
      changed = true;
    }
    if (input.maxLength && input.maxLength > 0) this.maxLength = input.maxLength;
    if (changed) this.changed();
    if (this.readKey() !== this.lastCheckedSettings) void this.check();
  }

  /**
   * Runs a check. One runs at a time: asking again while one runs discards that one's result
   * (it may predate what the admin just changed) and runs once more after it.
   */
  check(): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    if (this.running) {
      this.recheckWanted = true;
      return this.running;
    }
    this.running = this.runChecks().finally(() => {
      this.running = null;
      this.changed();
    });
    this.changed();
    return this.running;
  }

  private async runChecks(): Promise<void> {
    do {
      this.recheckWanted = false;
      const settings = this.settings();
      const key = this.readKey();
      this.lastCheckedSettings = key;
      if (this.pending) void this.noticeSave();
      const facts = await this.deps.reader.read({
        serviceAccountUpn: settings.serviceAccountUpn,
        work365SolutionName: settings.work365SolutionName,
        adminProfileName: settings.adminProfileName,
        salesRoleName: settings.salesRoleName,
        consentConfirmedInCycle: this.consentConfirmedInCycle(),
        upgradeMode: settings.mode === "upgrade",
      });
      if (this.destroyed) return;
      if (!this.recheckWanted) {
        this.facts = facts;
        this.factsKey = key;
        this.checkedAt = this.deps.now().toISOString();
      }
    } while (this.recheckWanted);
  }

  /**
   * PCF tells a control nothing when its form is saved. After a change, a check also looks at the
   * record: once it holds what this session changed (stamped by the server with its own who and
   * when), the change is saved.
   */
  private async noticeSave(): Promise<void> {
    try {
      const saved = await this.deps.readSavedValue?.();
      if (this.destroyed || saved === undefined) return;
      const parsed = parseState(saved);
      if (this.pending && parsed.kind === "ok" && holdsChanges(parsed.state, this.pending)) {
        this.pending = null;
        this.changed();
      }
    } catch {
      // Unknown: keep saying the change may not be saved.
    }
  }

  confirm(change: Omit<ConfirmationChange, "work365Version">): Promise<void> {
    const installed = this.facts?.work365Solutions.ok ? this.facts.work365Solutions.value[0] : undefined;
    const work365Version = change.key === "consent-completed" ? installed?.version : undefined;
    return this.write((state) => setConfirmation(state, { ...change, work365Version }, this.deps.currentUser, this.deps.now()));
  }

  /** A new UPN is checked at once, while the change is being written. */
  changeSettings(change: SettingsChange): Promise<void> {
    const written = this.write((state) => changeSettings(state, change, this.deps.now()));
    const checked = this.readKey() !== this.lastCheckedSettings ? this.check() : Promise.resolve();
    return Promise.all([written, checked]).then(() => undefined);
  }

  /** Replaces a stored value this version cannot read, at the admin's request. */
  reset(): Promise<void> {
    return this.write(() => emptyState(), { overwrite: true });
  }

  destroy(): void {
    this.destroyed = true;
    this.listeners.clear();
  }

  settings(): ChecklistSettings {
    return resolveSettings(this.stored.kind === "ok" ? this.stored.state.settings : {}, this.properties);
  }

  /** A person's change: applied at once, then merged with what is saved on the record, then written. */
  private write(apply: (state: ChecklistState) => ChecklistState, options: { overwrite?: boolean } = {}): Promise<void> {
    if (this.destroyed || (this.stored.kind !== "ok" && !options.overwrite)) return Promise.resolve();
    const base = this.stored.kind === "ok" ? this.stored.state : emptyState();
    const next = apply(base);
    const pendingBefore = this.pending;
    this.pending = addChanges(this.pending, base, next);
    this.stored = { kind: "ok", state: next, ignoredSettings: this.ignoredSettings() };
    this.notice = null;
    this.changed();
    // Writes go one after another, so each merges over the one before it.
    this.saving = this.saving.then(() => this.save(options.overwrite ?? false, base, pendingBefore));
    return this.saving;
  }

  /** `before`, `pendingBefore`: what was shown and unsaved before the change, again if the change cannot be kept. */
  private async save(overwrite: boolean, before: ChecklistState, pendingBefore: PendingChanges | null): Promise<void> {
    if (this.destroyed || this.stored.kind !== "ok") return;
    let state = this.stored.state;
    if (!overwrite && this.deps.readSavedValue) {
      try {
        const saved = parseState(await this.deps.readSavedValue());
        if (saved.kind === "ok") state = mergeStates(saved.state, this.stored.kind === "ok" ? this.stored.state : state);
      } catch {
        this.notice = { key: "Notice_CouldNotReReadSaved" };
      }
      if (this.destroyed) return;
    }
    const text = serializeState(state);
    if (text.length > this.maxLength) {
      this.stored = { kind: "ok", state: before, ignoredSettings: this.ignoredSettings() };
      this.pending = pendingBefore;
      this.notice = { key: "Notice_TooLong", args: { length: text.length, maxLength: this.maxLength } };
      this.changed();
      return;
    }
    this.stored = { kind: "ok", state, ignoredSettings: this.ignoredSettings() };
    this.output = text;
    this.boundValue = text;
    this.changed();
    this.deps.notifyOutputChanged();
  }

  /** A value the form brought: merged with our own changes, so neither side's ticks are lost. */
  private adopt(value: string | null): void {
    this.boundValue = value;
    const incoming = parseState(value);
    if (incoming.kind === "ok" && this.pending && holdsChanges(incoming.state, this.pending)) {
      // The saved record, as the server wrote it: this session's changes with the server's who and when.
      this.pending = null;
      this.stored = incoming;
      return;
    }
    if (incoming.kind !== "ok" || this.stored.kind !== "ok" || !this.pending) {
      this.stored = incoming;
      return;
    }
    const merged = mergeStates(incoming.state, this.stored.state);
    this.stored = { ...incoming, state: merged };
    const text = serializeState(merged);
    // The form now holds a value without this session's ticks: hand the merged value back, or a save would drop them.
    if (text !== value && text.length <= this.maxLength) {
      this.output = text;
      this.boundValue = text;
      queueMicrotask(() => this.deps.notifyOutputChanged());
    }
  }

  private ignoredSettings(): string[] {
    return this.stored.kind === "ok" ? this.stored.ignoredSettings : [];
  }

  private consentConfirmedInCycle(): boolean {
    if (this.stored.kind !== "ok") return false;
    const entry = this.stored.state.confirmations["consent-completed"];
    const cycle = this.settings().cycleStartedAt;
    return !!entry?.confirmed && (!cycle || Date.parse(entry.at) >= Date.parse(cycle));
  }

  /**
   * What a check reads depends on these; a change to them calls for a new check. The mode last:
   * an upgrade reads the service account's system jobs, and facts read in the other mode stay
   * shown meanwhile (see `sameAccount`).
   */
  private readKey(): string {
    const s = this.settings();
    return JSON.stringify([s.serviceAccountUpn.toLowerCase(), s.work365SolutionName, s.adminProfileName, s.salesRoleName, s.mode]);
  }

  private changed(): void {
    this.snapshotCache = null;
    for (const listener of [...this.listeners]) listener();
  }
}

/** Two read keys that differ in the mode at most: the facts of one still describe the other's account. */
function sameAccount(a: string, b: string): boolean {
  return JSON.stringify((JSON.parse(a) as unknown[]).slice(0, -1)) === JSON.stringify((JSON.parse(b) as unknown[]).slice(0, -1));
}
