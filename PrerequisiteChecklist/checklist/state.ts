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

const isTime = (value: unknown): value is string => typeof value === "string" && !Number.isNaN(Date.parse(value));

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
  if (!isObject(value) || typeof value.version !== "number") return { kind: "not-a-checklist", raw };
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
  const at = isObject(value) && isTime(value.at) ? Date.parse(value.at) : NaN;
  return Number.isNaN(at) ? -Infinity : at;
};

/**
 * Merge two versions of the stored state: per confirmation key the later `at` wins (an un-tick
 * carries its own time, so an old tick cannot come back); settings go with the later `changedAt`;
 * keys this version does not know are kept. On a tie the saved side wins.
 */
export function mergeStates(saved: ChecklistState, local: ChecklistState): ChecklistState {
  const confirmations: Record<string, ConfirmationEntry> = { ...saved.confirmations };
  for (const [key, entry] of Object.entries(local.confirmations)) {
    if (!(key in confirmations) || timeOf(entry) > timeOf(confirmations[key])) confirmations[key] = entry;
  }
  const settingsTime = (s: StoredSettings) => (isTime(s.changedAt) ? Date.parse(s.changedAt) : -Infinity);
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
  const readAt = (e: Record<string, unknown>) => (isObject(e.graph) && isTime(e.graph.readAt) ? Date.parse(e.graph.readAt) : -Infinity);
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
