import { DEFAULT_ADMIN_PROFILE_NAME, DEFAULT_SALES_ROLE_NAME } from "./catalogue";
import type { GraphEvidence } from "./graph";
import type { ChecklistSettings, ChecklistState, ConfirmationEntry, ConfirmedBy, Mode, PartnerTier, StoredSettings } from "./types";

export const STATE_VERSION = 1;

/**
 * What the bound column held. Parsing never throws: a value this version cannot use is
 * reported and kept untouched until the admin chooses to reset it.
 */
export type ParsedState =
  | { kind: "ok"; state: ChecklistState; ignoredSettings: string[] }
  | { kind: "not-json"; raw: string }
  | { kind: "not-a-checklist"; raw: string }
  | { kind: "newer-version"; raw: string; version: number };

const PARTNER_TIERS: readonly PartnerTier[] = ["direct", "indirect"];
const MODES: readonly Mode[] = ["install", "upgrade"];

export const emptyState = (): ChecklistState => ({ version: STATE_VERSION, settings: {}, confirmations: {} });

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A time as the stored state writes it: ISO 8601 with a date, a time and a zone
 * (`2026-11-27T08:40:00.000Z`, `…+01:00`). Milliseconds since 1970, or NaN for anything else.
 * Stricter than `Date.parse`, whose other formats differ between engines and read zone-less times
 * as local: the plug-in's port (`StateRules.cs`) reads times exactly so.
 */
export function parseTime(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return NaN;
  const ms = Number((m[7] ?? "").slice(0, 3).padEnd(3, "0"));
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // years below 100 too, which Date.UTC would shift
  utc.setUTCHours(hour, minute, second, ms);
  const sign = m[9] === "-" ? -1 : 1;
  return utc.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** How deeply a stored state may nest (it needs under 10): deeper values are refused before anything recurses through them. */
export const MAX_DEPTH = 64;

function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (limit === 0) return true;
  return Object.values(value).some((child) => nestsDeeperThan(child, limit - 1));
}

const isTime = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(parseTime(value));

/** A stored confirmation this version can use. Anything else under a key is kept but ignored. */
export function isValidEntry(value: unknown): value is ConfirmationEntry {
  return (
    isObject(value) &&
    typeof value.confirmed === "boolean" &&
    isTime(value.at) &&
    isObject(value.by) &&
    typeof value.by.id === "string" &&
    typeof value.by.name === "string"
  );
}

export function parseState(raw: string | null | undefined): ParsedState {
  if (raw == null || raw.trim() === "") return { kind: "ok", state: emptyState(), ignoredSettings: [] };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { kind: "not-json", raw };
  }
  if (value === null) return { kind: "ok", state: emptyState(), ignoredSettings: [] };
  if (!isObject(value) || typeof value.version !== "number" || nestsDeeperThan(value, MAX_DEPTH)) return { kind: "not-a-checklist", raw };
  if (value.version > STATE_VERSION) return { kind: "newer-version", raw, version: value.version };
  if (value.version < STATE_VERSION) return { kind: "not-a-checklist", raw };
  const settings = isObject(value.settings) ? (value.settings as StoredSettings) : {};
  const confirmations = isObject(value.confirmations) ? (value.confirmations as Record<string, ConfirmationEntry>) : {};
  return {
    kind: "ok",
    state: { ...value, version: STATE_VERSION, settings, confirmations },
    ignoredSettings: unknownSettingValues(settings),
  };
}

/** Setting values this version does not know: they are ignored (defaults apply) and kept as stored. */
function unknownSettingValues(settings: StoredSettings): string[] {
  const ignored: string[] = [];
  if (settings.partnerTier !== undefined && !PARTNER_TIERS.includes(settings.partnerTier)) ignored.push("partnerTier");
  if (settings.mode !== undefined && !MODES.includes(settings.mode)) ignored.push("mode");
  if (settings.serviceAccountUpn !== undefined && typeof settings.serviceAccountUpn !== "string") ignored.push("serviceAccountUpn");
  if (settings.cycleStartedAt !== undefined && !isTime(settings.cycleStartedAt)) ignored.push("cycleStartedAt");
  return ignored;
}

export function storedPartnerTier(settings: StoredSettings): PartnerTier {
  return PARTNER_TIERS.includes(settings.partnerTier as PartnerTier) ? (settings.partnerTier as PartnerTier) : "indirect";
}

export function storedMode(settings: StoredSettings): Mode {
  return MODES.includes(settings.mode as Mode) ? (settings.mode as Mode) : "install";
}

const timeOf = (value: unknown): number => {
  return isObject(value) && isTime(value.at) ? parseTime(value.at) : -Infinity;
};

/**
 * Merge two versions of the stored state: per confirmation key the later `at` wins (an un-tick
 * carries its own time, so an old tick cannot come back); settings go with the later `changedAt`;
 * keys this version does not know are kept. On a tie the saved side wins.
 */
export function mergeStates(saved: ChecklistState, local: ChecklistState): ChecklistState {
  // A Map, not an object: a key such as "__proto__" stays a key like any other.
  const entries = new Map(Object.entries(saved.confirmations));
  for (const [key, entry] of Object.entries(local.confirmations)) {
    if (!entries.has(key) || timeOf(entry) > timeOf(entries.get(key))) entries.set(key, entry);
  }
  const confirmations: Record<string, ConfirmationEntry> = Object.fromEntries(entries);
  const settingsTime = (s: StoredSettings) => (isTime(s.changedAt) ? parseTime(s.changedAt) : -Infinity);
  const settings = settingsTime(local.settings) > settingsTime(saved.settings) ? local.settings : saved.settings;
  const merged: ChecklistState = { ...local, ...saved, version: STATE_VERSION, settings, confirmations };
  const evidence = mergeEvidence(saved.evidence, local.evidence);
  if (evidence !== undefined) merged.evidence = evidence;
  return merged;
}

/** `evidence.graph`: the reading with the later `readAt` wins whole. Other evidence keys: the saved side's, else local's. */
function mergeEvidence(saved: unknown, local: unknown): unknown {
  if (!isObject(local)) return saved;
  if (!isObject(saved)) return local;
  const readAt = (e: Record<string, unknown>) => (isObject(e.graph) && isTime(e.graph.readAt) ? parseTime(e.graph.readAt) : -Infinity);
  const merged: Record<string, unknown> = { ...local, ...saved };
  if (readAt(local) > readAt(saved)) merged.graph = local.graph;
  return merged;
}

const READING_KEYS = [
  "serviceAccountLicences",
  "serviceAccountMembership",
  "globalAdminRole",
  "securityDefaultsEnabled",
  "conditionalAccessPolicies",
  "federatedDomains",
  "premiumSubscriptions",
  "work365ServicePrincipals",
] as const;

const isReading = (value: unknown) => isObject(value) && (value.ok === true ? "value" in value : value.ok === false && isObject(value.failure));
const isAccount = (value: unknown) => isObject(value) && typeof value.upn === "string" && isReading(value.user) && isReading(value.mfa);

/**
 * The preflight's Graph reading kept in the stored state, when it has the shape this version
 * reads. Anything else is kept as stored and not used: a damaged reading never decides a status.
 */
export function graphEvidenceOf(state: ChecklistState): GraphEvidence | null {
  const graph = isObject(state.evidence) ? state.evidence.graph : undefined;
  if (!isObject(graph) || !isTime(graph.readAt) || !isObject(graph.by) || typeof graph.tool !== "string") return null;
  const facts = graph.facts;
  if (!isObject(facts) || !isAccount(facts.serviceAccount) || !isAccount(facts.globalAdministrator)) return null;
  if (!READING_KEYS.every((key) => isReading(facts[key]))) return null;
  if (facts.integrationAccount !== undefined && !(isAccount(facts.integrationAccount) && isReading((facts.integrationAccount as Record<string, unknown>).adminAgents))) return null;
  if (facts.nativeApp !== undefined && !(isObject(facts.nativeApp) && isReading(facts.nativeApp.app))) return null;
  if (facts.globalAdministratorLicences !== undefined && !isReading(facts.globalAdministratorLicences)) return null;
  return graph as unknown as GraphEvidence;
}

export function serializeState(state: ChecklistState): string {
  return JSON.stringify(state);
}

export interface ConfirmationChange {
  key: string;
  confirmed: boolean;
  answer?: "assigned" | "none";
  /** Recorded with `consent-completed`. */
  work365Version?: string;
}

/** A person ticks or un-ticks a part. Confirming consent during an upgrade ends the upgrade. */
export function setConfirmation(state: ChecklistState, change: ConfirmationChange, by: ConfirmedBy, now: Date): ChecklistState {
  const at = now.toISOString();
  const entry: ConfirmationEntry = { confirmed: change.confirmed, by: { id: normaliseUserId(by.id), name: by.name }, at };
  if (change.answer && change.confirmed) entry.answer = change.answer;
  if (change.work365Version && change.confirmed) entry.work365Version = change.work365Version;
  const next: ChecklistState = { ...state, confirmations: { ...state.confirmations, [change.key]: entry } };
  if (change.key === "consent-completed" && change.confirmed && storedMode(state.settings) === "upgrade") {
    next.settings = { ...state.settings, mode: "install", changedAt: at };
  }
  return next;
}

export interface SettingsChange {
  serviceAccountUpn?: string;
  partnerTier?: PartnerTier;
  mode?: Mode;
}

/** A person changes a setting. Choosing upgrade starts a new cycle. */
export function changeSettings(state: ChecklistState, change: SettingsChange, now: Date): ChecklistState {
  const at = now.toISOString();
  const settings: StoredSettings = { ...state.settings, ...change, changedAt: at };
  if (change.serviceAccountUpn !== undefined) settings.serviceAccountUpn = change.serviceAccountUpn.trim();
  if (change.mode === "upgrade" && storedMode(state.settings) !== "upgrade") settings.cycleStartedAt = at;
  return { ...state, settings };
}

/** What a person changed in one form session and has not yet seen saved: per key the entry, per setting the value. */
export interface PendingChanges {
  confirmations: Record<string, ConfirmationEntry>;
  settings: StoredSettings;
}

/** Who and when are the server's to say: it stamps them with the writer and its own clock. */
const withoutStamps = (value: unknown): unknown => {
  if (!isObject(value)) return value;
  const rest = { ...value };
  delete rest.by;
  delete rest.at;
  return rest;
};

const STAMPED_SETTINGS = ["changedAt", "cycleStartedAt"];

/** The changes from one state to the next, added to those not yet seen saved (`pending`). */
export function addChanges(pending: PendingChanges | null, before: ChecklistState, after: ChecklistState): PendingChanges {
  const confirmations = { ...pending?.confirmations };
  for (const [key, entry] of Object.entries(after.confirmations)) {
    if (!sameJson(entry, before.confirmations[key])) confirmations[key] = entry;
  }
  const settings: StoredSettings = { ...pending?.settings };
  for (const [key, value] of Object.entries(after.settings)) {
    if (!STAMPED_SETTINGS.includes(key) && !sameJson(value, before.settings[key])) settings[key] = value;
  }
  return { confirmations, settings };
}

/**
 * Whether a saved state holds what a person changed: each changed entry says the same as theirs
 * and each changed setting has their value. Who and when are not compared: the server stamps them.
 */
export function holdsChanges(saved: ChecklistState, pending: PendingChanges): boolean {
  return (
    Object.entries(pending.confirmations).every(([key, entry]) => sameJson(withoutStamps(saved.confirmations[key]), withoutStamps(entry))) &&
    Object.entries(pending.settings).every(([key, value]) => sameJson(saved.settings[key], value))
  );
}

/** User ids are stored as lower-case GUIDs without braces. */
export function normaliseUserId(id: string): string {
  return id.replace(/[{}]/g, "").toLowerCase();
}

/** What the form's properties supply; empty values fall back to the stored state and the defaults. */
export interface FormProperties {
  serviceAccountUpn?: string | null;
  work365SolutionName?: string | null;
  adminProfileName?: string | null;
  salesRoleName?: string | null;
}

export function resolveSettings(stored: StoredSettings, form: FormProperties): ChecklistSettings {
  const formUpn = form.serviceAccountUpn?.trim() ?? "";
  const storedUpn = typeof stored.serviceAccountUpn === "string" ? stored.serviceAccountUpn.trim() : "";
  return {
    serviceAccountUpn: formUpn || storedUpn,
    upnFromForm: formUpn !== "",
    partnerTier: storedPartnerTier(stored),
    mode: storedMode(stored),
    cycleStartedAt: isTime(stored.cycleStartedAt) ? stored.cycleStartedAt : null,
    work365SolutionName: form.work365SolutionName?.trim() ?? "",
    adminProfileName: form.adminProfileName?.trim() || DEFAULT_ADMIN_PROFILE_NAME,
    salesRoleName: form.salesRoleName?.trim() || DEFAULT_SALES_ROLE_NAME,
  };
}

// ---------------------------------------------------------------------------------------------
// What the server does with a write: the rules of the Dataverse plug-in (ChecklistStatePlugin),
// which ports them to C#. The vectors in tests/state-vectors/ hold the two to the same answers.

/** Why the server refuses a write. The stored value stays as it was. */
export type WriteRefusal =
  | { reason: "incoming-not-json" }
  | { reason: "incoming-not-a-checklist" }
  | { reason: "incoming-newer-version"; version: number }
  | { reason: "stored-unreadable"; problem: "not-json" | "not-a-checklist" | "newer-version"; version?: number }
  | { reason: "too-long"; length: number; maxLength: number };

export type GuardedWrite =
  /** `value`: what is stored instead of what was sent; `stamped`: what now carries the writer and the server's time. */
  | { kind: "write"; value: string | null; stamped: string[] }
  | ({ kind: "refuse" } & WriteRefusal);

/** The writer as the server knows it, and the server's clock. */
export interface WriteAuthor {
  by: ConfirmedBy;
  now: Date;
}

const isBlank = (raw: string | null | undefined) => raw == null || raw.trim() === "";

/** Nothing a person gave: what the control's Reset writes. */
const isEmpty = (state: ChecklistState) =>
  Object.keys(state).every((key) => key === "version" || key === "settings" || key === "confirmations") &&
  Object.keys(state.settings).length === 0 &&
  Object.keys(state.confirmations).length === 0;

/** JSON values compared as JSON: objects by their keys whatever the order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && sameJson(a[key], b[key]));
}

/**
 * A write of the bound column as the server takes it: the stored value (the pre-image) and the
 * incoming one merge with `mergeStates`, so no write loses a tick; whatever this write adds or
 * changes carries the writer and the server's time, not what the client claimed; a value that is
 * damaged, newer, or too long is refused. Over a stored value this version cannot read, only an
 * empty state (the control's Reset, or a blank value) is taken: it replaces nothing usable.
 */
export function guardWrite(stored: string | null, incoming: string | null, author: WriteAuthor, maxLength: number): GuardedWrite {
  const sent = parseState(incoming);
  if (sent.kind === "not-json") return { kind: "refuse", reason: "incoming-not-json" };
  if (sent.kind === "not-a-checklist") return { kind: "refuse", reason: "incoming-not-a-checklist" };
  if (sent.kind === "newer-version") return { kind: "refuse", reason: "incoming-newer-version", version: sent.version };

  const saved = parseState(stored);
  if (saved.kind !== "ok") {
    if (isEmpty(sent.state)) return { kind: "write", value: isBlank(incoming) ? incoming : serializeState(sent.state), stamped: [] };
    return saved.kind === "newer-version"
      ? { kind: "refuse", reason: "stored-unreadable", problem: saved.kind, version: saved.version }
      : { kind: "refuse", reason: "stored-unreadable", problem: saved.kind };
  }

  const merged = mergeStates(saved.state, sent.state);
  if (isBlank(incoming) && isEmpty(merged)) return { kind: "write", value: incoming, stamped: [] };

  const at = author.now.toISOString();
  const by = { id: normaliseUserId(author.by.id), name: author.by.name };
  const stamped: string[] = [];
  const entries = new Map(Object.entries(merged.confirmations));
  const before = new Map(Object.entries(saved.state.confirmations));
  for (const [key, entry] of entries) {
    const kept = before.get(key);
    // Saying what the record says, only with another who or when, changes nothing: the stored entry stays.
    if (before.has(key) && sameJson(withoutStamps(kept), withoutStamps(entry))) entries.set(key, kept as ConfirmationEntry);
    else if (isObject(entry)) {
      entries.set(key, { ...entry, by, at });
      stamped.push(key);
    }
  }
  merged.confirmations = Object.fromEntries(entries);
  // Settings carry the server's time too: the cycle and the confirmations in it then share one clock.
  if (!sameJson(merged.settings, saved.state.settings)) {
    const settings: StoredSettings = { ...merged.settings, changedAt: at };
    if (settings.cycleStartedAt !== undefined && !sameJson(settings.cycleStartedAt, saved.state.settings.cycleStartedAt)) settings.cycleStartedAt = at;
    merged.settings = settings;
    stamped.push("settings");
  }
  const graph = isObject(merged.evidence) ? merged.evidence.graph : undefined;
  const savedGraph = isObject(saved.state.evidence) ? saved.state.evidence.graph : undefined;
  if (isObject(graph) && !sameJson(graph, savedGraph)) {
    merged.evidence = { ...(merged.evidence as Record<string, unknown>), graph: { ...graph, savedBy: by, savedAt: at } };
    stamped.push("evidence.graph");
  }

  const value = serializeState(merged);
  if (value.length > maxLength) return { kind: "refuse", reason: "too-long", length: value.length, maxLength };
  return { kind: "write", value, stamped };
}
