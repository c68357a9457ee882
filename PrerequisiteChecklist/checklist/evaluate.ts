import {
  CATALOGUE,
  ENGLISH_LCID,
  ENGLISH_US_FORMAT,
  LINKS,
  MFA_POLICY_WAIT_MINUTES,
  NEWER_SALES_ROLE_NAME,
  SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID,
  type CatalogueItem,
} from "./catalogue";
import type {
  ChecklistSettings,
  ConfirmationEntry,
  EnvironmentFacts,
  GroupId,
  ItemId,
  Link,
  Message,
  ReadFailure,
  SolutionRow,
  Source,
  Stage,
  Status,
  UserRow,
} from "./types";
import type { GraphEvidence } from "./graph";
import { graphFailureMessage, readGraphFacts, type GraphReadings } from "./graphRules";
import { isValidEntry } from "./state";

/** A Graph reading older than this still counts, but the row asks for a new preflight run. */
export const GRAPH_EVIDENCE_FRESH_DAYS = 7;

export interface PartView {
  key: string;
  labelKey: string;
  /** The stored entry, when a valid one exists (ticked or un-ticked). */
  entry?: ConfirmationEntry;
  /** Ticked, and the tick counts now. */
  checked: boolean;
  /** Ticked in an earlier upgrade cycle: shown, but it no longer counts. */
  outdated: boolean;
  /** The part's answer: a person's tick or a Graph reading, whichever is later. */
  status: Status;
  source: Source;
  /** What Graph read, when its reading is shown for this part. */
  reason?: Message;
}

export interface ItemResult {
  id: ItemId;
  group: GroupId;
  titleKey: string;
  status: Status;
  reason: Message;
  /** The one next action. */
  action?: Link;
  help: Link;
  parts: PartView[];
  /** What was read that backs the status up (e.g. the solution that matched). */
  evidence: Message[];
  recommendation: boolean;
  /** Where the deciding answer came from. */
  source: Source;
}

export interface SummaryCounts {
  done: number;
  toDo: number;
  needsYou: number;
  later: number;
  /** Recommendations are counted apart and never block. */
  recommendationsOpen: number;
}

export interface Evaluation {
  items: ItemResult[];
  stage: Stage;
  /** Why the stage is what it is (or why it cannot be told). */
  stageReason: Message;
  /** Items that keep the environment from the next stage, in catalogue order. */
  blockers: ItemId[];
  headline: Message;
  counts: SummaryCounts;
  /** The Work 365 solution the checklist is reading, when found. */
  work365: SolutionRow | null;
  /** When an item changes by itself (the MFA wait), so the UI can re-evaluate then. */
  nextChangeAt: string | null;
  /** The preflight's Microsoft Graph reading the evaluation used; `stale` past GRAPH_EVIDENCE_FRESH_DAYS. */
  graph: (Pick<GraphEvidence, "readAt" | "by" | "tool"> & { stale: boolean; ageDays: number }) | null;
}

export interface EvaluationInput {
  facts: EnvironmentFacts;
  confirmations: Record<string, unknown>;
  settings: ChecklistSettings;
  now: Date;
  /** What the preflight read from Microsoft Graph (`evidence.graph` of the stored state), if anything. */
  graph?: GraphEvidence | null;
}

/** An item rule that names no source: these statuses mean nothing answered yet; the rest were read from Dataverse. */
const NOBODY_ANSWERED: readonly Status[] = ["pending", "not-applicable", "needs-confirmation"];
const DONE: readonly Status[] = ["met", "confirmed", "not-applicable"];
const TO_DO: readonly Status[] = ["not-met", "warning", "cannot-check"];

/** Needed to install (or upgrade); consent needs all of them too. */
const NEEDED_TO_INSTALL: readonly ItemId[] = [
  "mfa-policies",
  "mfa-policy-wait",
  "mfa-registration",
  "service-account",
  "service-account-licence",
  "service-account-mfa",
  "service-account-settings",
  "global-admin",
  "system-administrator-role",
  "english-language",
  "partner-center",
  "system-jobs-completed",
];
/** The Global Administrator signs in to CRM for the consent, so needs a licence by then. */
const NEEDED_FOR_CONSENT: readonly ItemId[] = [...NEEDED_TO_INSTALL, "global-admin-licence", "work365-installed", "consent-completed"];

const msg = (key: string, args?: Message["args"]): Message => (args ? { key, args } : { key });
const link = (labelKey: string, target: Link["target"]): Link => ({ label: msg(labelKey), target });
const webLink = (labelKey: string, url: string) => link(labelKey, { kind: "web", url });

/** What an item's own rule decides; the catalogue fills in the rest. */
interface Verdict {
  status: Status;
  reason: Message;
  action?: Link;
  evidence?: Message[];
  /** Default: `none` when nothing answered (pending, not applicable, needs confirmation), else `dataverse`. */
  source?: Source;
}

/** One part's answer: the later of a person's tick and a Graph reading that decides. */
interface PartAnswer {
  status: Status;
  source: Source;
  reason?: Message;
}

/** Everything the item rules share, worked out once. */
interface Context {
  input: EvaluationInput;
  settings: ChecklistSettings;
  stage: Stage;
  stageReason: Message;
  /** undefined: the read failed; null: no such user, or no UPN given. */
  serviceAccount: UserRow | null | undefined;
  serviceAccountFailure?: ReadFailure;
  /** undefined: the read failed; null: not installed. */
  work365: SolutionRow | null | undefined;
  counts(key: string): boolean;
  entry(key: string): ConfirmationEntry | undefined;
  answer(key: string): PartAnswer;
  graph: GraphReadings | null;
}

export function failureMessage(failure: ReadFailure): Message {
  if (failure.service === "graph") return graphFailureMessage(failure);
  switch (failure.kind) {
    case "privilege-denied":
      return failure.privilege
        ? msg("Failure_PrivilegeDenied", { privilege: failure.privilege })
        : msg("Failure_PrivilegeDeniedUnnamed");
    case "throttled":
      return msg("Failure_Throttled");
    case "offline":
      return msg("Failure_Offline");
    case "timeout":
      return msg("Failure_Timeout");
    case "not-found":
      return msg("Failure_NotFound", { detail: failure.detail });
    case "server-error":
      return msg("Failure_ServerError", { detail: failure.detail });
    default:
      return msg("Failure_Unexpected", { detail: failure.detail });
  }
}

const cannotCheck = (failure: ReadFailure): Verdict => ({ status: "cannot-check", reason: failureMessage(failure) });

function openServiceAccount(user: UserRow | null | undefined, labelKey = "Action_OpenServiceAccount"): Link | undefined {
  return user ? link(labelKey, { kind: "record", entityName: "systemuser", id: user.id }) : undefined;
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Worst first: the part that decides an item's status. */
const PART_ORDER: readonly Status[] = ["not-met", "warning", "cannot-check", "needs-confirmation", "pending"];

/**
 * An item answered part by part, by a person's ticks or Graph's readings: the worst part decides;
 * when every part is answered, `met` if Graph read any of them, else `confirmed`.
 */
function answeredParts(ctx: Context, item: CatalogueItem, needs: Message, action?: Link): Verdict {
  const answers = item.parts.map((p) => ctx.answer(p.key));
  const single = answers.length === 1;
  for (const status of PART_ORDER) {
    const worst = answers.find((a) => a.status === status);
    if (!worst) continue;
    if (status !== "needs-confirmation") return { status, reason: worst.reason ?? needs, action, source: worst.source };
    const done = answers.filter((a) => DONE.includes(a.status)).length;
    const reason = single ? (worst.reason ?? needs) : msg("Reason_PartsConfirmed", { done, total: answers.length, need: needs });
    return { status, reason, action, source: worst.source };
  }
  const read = answers.find((a) => a.source === "graph");
  if (read) return { status: "met", reason: single && read.reason ? read.reason : msg("Reason_PartsRead"), action, source: "graph" };
  return { status: "confirmed", reason: msg("Reason_Confirmed"), action, source: "person" };
}

/** The service account is needed before its licence, roles and profiles mean anything. */
function waitingForServiceAccount(ctx: Context): Verdict | undefined {
  if (!ctx.settings.serviceAccountUpn) return { status: "pending", reason: msg("Reason_WaitingForUpn") };
  if (ctx.serviceAccount === null) return { status: "pending", reason: msg("Reason_WaitingForServiceAccount") };
  return undefined;
}

/** A fact the reader should have read for this check and did not (a caller that predates it). */
const notRead = (what: string): { ok: false; failure: ReadFailure } => ({ ok: false, failure: { kind: "unexpected", detail: `The ${what} were not read.` } });

/**
 * A format (`localeid`) as its language tag and number, e.g. "en-GB (2057)": the tag reads the
 * same in every language, and the number is what Dataverse shows in its own tools.
 */
const LOCALE_TAGS: Readonly<Record<number, string>> = {
  1025: "ar-SA", 1026: "bg-BG", 1027: "ca-ES", 1028: "zh-TW", 1029: "cs-CZ", 1030: "da-DK", 1031: "de-DE", 1032: "el-GR",
  1033: "en-US", 1035: "fi-FI", 1036: "fr-FR", 1037: "he-IL", 1038: "hu-HU", 1040: "it-IT", 1041: "ja-JP", 1042: "ko-KR",
  1043: "nl-NL", 1044: "nb-NO", 1045: "pl-PL", 1046: "pt-BR", 1048: "ro-RO", 1049: "ru-RU", 1050: "hr-HR", 1051: "sk-SK",
  1053: "sv-SE", 1054: "th-TH", 1055: "tr-TR", 1057: "id-ID", 1058: "uk-UA", 1060: "sl-SI", 1061: "et-EE", 1062: "lv-LV",
  1063: "lt-LT", 1066: "vi-VN", 1081: "hi-IN", 1086: "ms-MY", 2052: "zh-CN", 2055: "de-CH", 2057: "en-GB", 2058: "es-MX",
  2060: "fr-BE", 2064: "it-CH", 2067: "nl-BE", 2070: "pt-PT", 3076: "zh-HK", 3079: "de-AT", 3081: "en-AU", 3082: "es-ES",
  3084: "fr-CA", 4100: "zh-SG", 4105: "en-CA", 4108: "fr-CH", 5129: "en-NZ", 6153: "en-IE", 7177: "en-ZA", 16393: "en-IN",
};
const formatName = (localeId: number): string => (LOCALE_TAGS[localeId] ? `${LOCALE_TAGS[localeId]} (${localeId})` : String(localeId));

const stageUnknown = (ctx: Context): Verdict => ({ status: "cannot-check", reason: ctx.stageReason });

type Rule = (ctx: Context, item: CatalogueItem) => Verdict;

const RULES: Record<ItemId, Rule> = {
  "premium-licences": (ctx) => {
    const answer = ctx.answer("premium-licences");
    if (answer.source === "graph") return { status: answer.status, reason: answer.reason!, source: "graph" };
    const entry = ctx.entry("premium-licences");
    if (entry?.confirmed && entry.answer === "none") return { status: "not-applicable", reason: msg("Reason_PremiumLicences_None"), source: "person" };
    if (entry?.confirmed && entry.answer === "assigned") return { status: "confirmed", reason: msg("Reason_PremiumLicences_Assigned"), source: "person" };
    return { status: "needs-confirmation", reason: msg("Reason_PremiumLicences_Needs"), source: "none" };
  },

  "mfa-policies": (ctx, item) =>
    answeredParts(ctx, item, msg("Reason_MfaPolicies_Needs"), webLink("Action_OpenPartnerSecurityRequirements", LINKS.partnerSecurityRequirements)),

  "mfa-policy-wait": (ctx) => {
    // The wait follows whatever answers the MFA policies: a reading that is not `met` does not start it.
    if (ctx.answer("mfa-policies").source === "graph") {
      const read = ctx.graph?.policyWait;
      return read
        ? { status: read.status, reason: read.reason, source: "derived" }
        : { status: "pending", reason: msg("Reason_MfaPolicyWait_AfterPolicies"), source: "derived" };
    }
    const policies = ctx.entry("mfa-policies");
    if (!policies?.confirmed) return { status: "pending", reason: msg("Reason_MfaPolicyWait_AfterPolicies"), source: "derived" };
    const readyAt = new Date(Date.parse(policies.at) + MFA_POLICY_WAIT_MINUTES * 60_000);
    if (ctx.input.now < readyAt) {
      return { status: "pending", reason: msg("Reason_MfaPolicyWait_Until", { time: { time: readyAt.toISOString() } }), source: "derived" };
    }
    return { status: "met", reason: msg("Reason_MfaPolicyWait_Done"), source: "derived" };
  },

  "mfa-registration": (ctx, item) =>
    answeredParts(ctx, item, msg("Reason_MfaRegistration_Needs"), webLink("Action_OpenMfaSetup", LINKS.mfaSetup)),

  "service-account": (ctx) => {
    const upn = ctx.settings.serviceAccountUpn;
    if (!upn) return { status: "not-met", reason: msg("Reason_ServiceAccount_NoUpn") };
    if (ctx.serviceAccount === undefined) return cannotCheck(ctx.serviceAccountFailure!);
    const user = ctx.serviceAccount;
    if (!user) {
      return {
        status: "not-met",
        reason: msg(ctx.graph?.serviceAccountInEntra ? "Reason_ServiceAccount_OnlyInEntra" : "Reason_ServiceAccount_NotFound", { upn }),
        action: webLink("Action_OpenMicrosoft365Users", LINKS.microsoft365Users),
      };
    }
    if (user.isDisabled) {
      return { status: "not-met", reason: msg("Reason_ServiceAccount_Disabled", { name: user.fullName }), action: openServiceAccount(user) };
    }
    return { status: "met", reason: msg("Reason_ServiceAccount_Found", { name: user.fullName, upn: user.domainName }), action: openServiceAccount(user) };
  },

  "service-account-licence": (ctx, item) => {
    const waiting = waitingForServiceAccount(ctx);
    if (waiting) {
      // Entra ID may already know the licence is the wrong one: that is worth saying before the user reaches Dataverse.
      const read = ctx.answer("service-account-licence/customer-engagement");
      return read.source === "graph" && read.status === "not-met" ? { status: "not-met", reason: read.reason!, source: "graph" } : waiting;
    }
    if (ctx.serviceAccount === undefined) return cannotCheck(ctx.serviceAccountFailure!);
    const user = ctx.serviceAccount!;
    const action = openServiceAccount(user);
    if (!user.isLicensed) return { status: "not-met", reason: msg("Reason_Licence_NotLicensed", { name: user.fullName }), action };
    if (user.accessMode !== 0) {
      return { status: "not-met", reason: msg("Reason_Licence_AccessMode", { mode: msg(accessModeKey(user.accessMode)) }), action };
    }
    return answeredParts(ctx, item, msg("Reason_Licence_Needs"), action);
  },

  "service-account-mfa": (ctx, item) =>
    answeredParts(ctx, item, msg("Reason_ServiceAccountMfa_Needs"), webLink("Action_OpenMfaSetup", LINKS.mfaSetup)),

  "service-account-settings": (ctx, item) => {
    const waiting = waitingForServiceAccount(ctx);
    if (waiting) return waiting;
    const action = webLink("Action_OpenPersonalOptionsHelp", LINKS.personalOptions);
    const read = ctx.input.facts.personalSettings ?? notRead("personal settings");
    if (!read.ok) return { ...cannotCheck(read.failure), action };
    if (!read.value) return { status: "cannot-check", reason: msg("Reason_Settings_NoRow", { upn: ctx.settings.serviceAccountUpn }), action };
    const { localeId, timeZoneCode, timeZoneName } = read.value;
    const format = formatName(localeId);
    const timeZone: Message | string = timeZoneName ?? msg("TimeZone_Code", { code: timeZoneCode });
    const evidence = [msg("Evidence_Settings", { format, timeZone })];
    if (localeId !== ENGLISH_US_FORMAT) return { status: "not-met", reason: msg("Reason_Settings_Format", { format }), action, evidence };
    return { ...answeredParts(ctx, item, msg("Reason_Settings_ConfirmTimeZone", { timeZone }), action), evidence };
  },

  "global-admin": (ctx) => {
    const action = webLink("Action_OpenMicrosoft365Users", LINKS.microsoft365Users);
    if (ctx.stage === "unknown") return stageUnknown(ctx);
    const granted = ctx.answer("global-admin/granted");
    const removed = ctx.answer("global-admin/removed");
    const yes = (a: PartAnswer) => DONE.includes(a.status);
    const fromPart = (a: PartAnswer, status: Status, fallback: Message): Verdict => ({ status, reason: a.reason ?? fallback, action, source: a.source });
    if (ctx.stage !== "after-consent") {
      return fromPart(granted, granted.status, msg(yes(granted) ? "Reason_GlobalAdmin_Granted" : "Reason_GlobalAdmin_GrantForConsent"));
    }
    if (yes(removed)) return fromPart(removed, removed.status, msg("Reason_GlobalAdmin_Removed"));
    // Graph read the role still active after consent: a fact, and the one thing to do.
    if (removed.status === "not-met") return fromPart(removed, "warning", msg("Reason_GlobalAdmin_StillGranted"));
    if (yes(granted)) return { status: "warning", reason: msg("Reason_GlobalAdmin_StillGranted"), action, source: granted.source };
    return fromPart(removed, removed.status === "cannot-check" ? "cannot-check" : "needs-confirmation", msg("Reason_GlobalAdmin_ConfirmRemoved"));
  },

  "global-admin-licence": (ctx, item) =>
    answeredParts(ctx, item, msg("Reason_GlobalAdminLicence_Needs"), webLink("Action_OpenMicrosoft365Users", LINKS.microsoft365Users)),

  "system-administrator-role": (ctx) => {
    const waiting = waitingForServiceAccount(ctx);
    if (waiting) return waiting;
    const { rolesHeld, entraGroupTeamsExist } = ctx.input.facts;
    const held = rolesHeld.found.some((role) => role.roleTemplateId?.toLowerCase() === SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID);
    const action = openServiceAccount(ctx.serviceAccount, "Action_ManageServiceAccountRoles");
    if (!held) {
      if (rolesHeld.failure) return cannotCheck(rolesHeld.failure);
      if (ctx.serviceAccount === undefined) return cannotCheck(ctx.serviceAccountFailure!);
    }
    if (ctx.stage === "unknown") return stageUnknown(ctx);
    if (ctx.stage === "after-consent") {
      return held
        ? { status: "warning", reason: msg("Reason_SystemAdministrator_StillHeld"), action }
        : { status: "met", reason: msg("Reason_SystemAdministrator_Removed") };
    }
    if (held) return { status: "met", reason: msg("Reason_SystemAdministrator_Held"), action };
    const groupTeams = entraGroupTeamsExist?.ok && entraGroupTeamsExist.value;
    return {
      status: "not-met",
      reason: msg(groupTeams ? "Reason_SystemAdministrator_NotHeldGroupTeams" : "Reason_SystemAdministrator_NotHeld"),
      action,
    };
  },

  "english-language": (ctx) => {
    const { provisionedLanguages, baseLanguage } = ctx.input.facts;
    const action = webLink("Action_OpenLanguageSettings", LINKS.languageSettings);
    if (provisionedLanguages.ok && provisionedLanguages.value.includes(ENGLISH_LCID)) {
      return { status: "met", reason: msg("Reason_English_Provisioned") };
    }
    if (baseLanguage?.ok && baseLanguage.value === ENGLISH_LCID) return { status: "met", reason: msg("Reason_English_BaseLanguage") };
    if (!provisionedLanguages.ok) return { ...cannotCheck(provisionedLanguages.failure), action };
    if (baseLanguage && !baseLanguage.ok) return { ...cannotCheck(baseLanguage.failure), action };
    return {
      status: "not-met",
      reason: msg("Reason_English_NotEnabled", { languages: provisionedLanguages.value.join(", ") }),
      action,
    };
  },

  "partner-center": (ctx, item) => {
    if (ctx.settings.partnerTier === "indirect") return { status: "not-applicable", reason: msg("Reason_PartnerCenter_TwoTier") };
    return answeredParts(ctx, item, msg("Reason_PartnerCenter_Needs"), webLink("Action_OpenPartnerCenterHelp", LINKS.partnerCenterProvider));
  },

  "system-jobs-completed": (ctx) => {
    if (ctx.settings.mode !== "upgrade") return { status: "not-applicable", reason: msg("Reason_SystemJobs_InstallMode") };
    const upn = ctx.settings.serviceAccountUpn;
    if (!upn) return { status: "pending", reason: msg("Reason_WaitingForUpn") };
    const action = link("Action_OpenSystemJobs", { kind: "environment", path: LINKS.systemJobs });
    const jobs = ctx.input.facts.systemJobs;
    // Facts read in install mode, while the check that reads the jobs runs.
    if (!jobs) return { status: "pending", reason: msg("Reason_SystemJobs_NotRead") };
    // Read by the account's UPN: the jobs answer even when the user read failed.
    if (!jobs.ok) return { ...cannotCheck(jobs.failure), action };
    const { count, oldest } = jobs.value;
    if (count === 0 || !oldest) return { status: "met", reason: msg("Reason_SystemJobs_None", { upn }) };
    const job = { count, upn, name: oldest.name || "—" };
    const reason = oldest.createdOn
      ? msg("Reason_SystemJobs_InFlight", { ...job, createdOn: { time: oldest.createdOn } })
      : msg("Reason_SystemJobs_InFlightNoDate", job);
    return { status: "warning", reason, action };
  },

  "work365-installed": (ctx) => {
    const { work365Solutions } = ctx.input.facts;
    if (!work365Solutions.ok) return cannotCheck(work365Solutions.failure);
    const [newest, ...others] = work365Solutions.value;
    const help = webLink("Action_OpenWork365Help", LINKS.prerequisites);
    if (!newest) {
      const searched = ctx.settings.work365SolutionName || "Work365 / Work 365";
      return { status: "not-met", reason: msg("Reason_Work365_NotFound", { searched }), action: help };
    }
    const evidence = others.length
      ? [msg("Evidence_Work365_OtherMatches", { names: others.map((s) => `${s.friendlyName} (${s.uniqueName} ${s.version})`).join(", ") })]
      : [];
    const found = { name: newest.friendlyName, uniqueName: newest.uniqueName, version: newest.version };
    const installer = ctx.serviceAccount && newest.createdById && newest.createdById.toLowerCase() !== ctx.serviceAccount.id.toLowerCase();
    if (installer) {
      return {
        status: "warning",
        reason: msg("Reason_Work365_InstalledByOther", { ...found, installer: newest.createdByName ?? newest.createdById! }),
        evidence,
      };
    }
    const reason = newest.installedOn
      ? msg("Reason_Work365_Found", { ...found, installedOn: { time: newest.installedOn } })
      : msg("Reason_Work365_FoundNoDate", found);
    return { status: "met", reason, evidence };
  },

  "consent-completed": (ctx) => {
    const entry = ctx.entry("consent-completed");
    const appUsers = ctx.input.facts.work365ApplicationUsers;
    const evidence = [
      ...(appUsers.ok
        ? appUsers.value.map((user) => msg("Evidence_Consent_ApplicationUser", { name: user.fullName, applicationId: user.applicationId }))
        : []),
      ...(ctx.graph?.consentEvidence ?? []),
    ];
    if (ctx.counts("consent-completed")) {
      const version = entry?.work365Version;
      const reason = version ? msg("Reason_Consent_ConfirmedVersion", { version }) : msg("Reason_Confirmed");
      return { status: "confirmed", reason, evidence, source: "person" };
    }
    if (ctx.stage === "unknown") return stageUnknown(ctx);
    if (!ctx.work365) return { status: "pending", reason: msg("Reason_Consent_AfterInstall"), evidence };
    const reason = ctx.settings.mode === "upgrade" ? msg("Reason_Consent_NeedsAfterUpgrade") : msg("Reason_Consent_Needs");
    return { status: "needs-confirmation", reason, evidence };
  },

  "admin-field-security-profile": (ctx) => {
    const name = ctx.settings.adminProfileName;
    const { profilesHeld } = ctx.input.facts;
    const held = profilesHeld.found.some((profile) => sameText(profile.name, name));
    return heldAfterConsent(ctx, held, profilesHeld.failure, {
      held: msg("Reason_AdminProfile_Held", { name }),
      later: msg("Reason_AdminProfile_AfterInstall", { name }),
      notHeld: msg("Reason_AdminProfile_NotHeld", { name }),
    });
  },

  "sales-role": (ctx) => {
    const name = ctx.settings.salesRoleName;
    const { rolesHeld } = ctx.input.facts;
    const held = rolesHeld.found.some((role) => sameText(role.name, name));
    return heldAfterConsent(ctx, held, rolesHeld.failure, {
      held: msg("Reason_SalesRole_Held", { name }),
      later: msg("Reason_SalesRole_AfterInstall", { name }),
      notHeld: msg("Reason_SalesRole_NotHeld", { name, newerName: NEWER_SALES_ROLE_NAME }),
    });
  },
};

/** The Work 365 profile and role: they exist only once Work 365 is installed, and are assigned after consent. */
function heldAfterConsent(
  ctx: Context,
  held: boolean,
  failure: ReadFailure | undefined,
  reasons: { held: Message; later: Message; notHeld: Message },
): Verdict {
  const action = openServiceAccount(ctx.serviceAccount, "Action_ManageServiceAccountRoles");
  if (held) return { status: "met", reason: reasons.held, action };
  const waiting = waitingForServiceAccount(ctx);
  if (waiting) return waiting;
  if (failure) return cannotCheck(failure);
  if (ctx.serviceAccount === undefined) return cannotCheck(ctx.serviceAccountFailure!);
  if (ctx.work365 === undefined) return stageUnknown(ctx);
  if (ctx.work365 === null) return { status: "pending", reason: reasons.later };
  return { status: "not-met", reason: reasons.notHeld, action };
}

const ACCESS_MODE_KEYS = [
  "AccessMode_ReadWrite",
  "AccessMode_Administrative",
  "AccessMode_Read",
  "AccessMode_SupportUser",
  "AccessMode_NonInteractive",
  "AccessMode_DelegatedAdmin",
];
const accessModeKey = (accessMode: number): string => ACCESS_MODE_KEYS[accessMode] ?? "AccessMode_Other";

/** Whether a stored confirmation counts now: ticked, and for cycle-bound items given in the current cycle. */
function countsInCycle(entry: ConfirmationEntry | undefined, cycleBound: boolean, cycleStartedAt: string | null): boolean {
  if (!entry?.confirmed) return false;
  if (!cycleBound || !cycleStartedAt) return true;
  return Date.parse(entry.at) >= Date.parse(cycleStartedAt);
}

function stageOf(facts: EnvironmentFacts, consentInCycle: boolean, settings: ChecklistSettings): { stage: Stage; reason: Message } {
  if (!facts.work365Solutions.ok) {
    return { stage: "unknown", reason: msg("Reason_StageUnknown", { why: failureMessage(facts.work365Solutions.failure) }) };
  }
  if (facts.work365Solutions.value.length === 0) return { stage: "before-install", reason: msg("StageReason_NotInstalled") };
  if (settings.mode === "upgrade" && !consentInCycle) return { stage: "before-install", reason: msg("StageReason_Upgrading") };
  if (!consentInCycle) return { stage: "awaiting-consent", reason: msg("StageReason_AwaitingConsent") };
  return { stage: "after-consent", reason: msg("StageReason_AfterConsent") };
}

function headlineOf(stage: Stage, blockers: readonly ItemId[], settings: ChecklistSettings): Message {
  if (stage === "unknown") return msg("Headline_StageUnknown");
  if (blockers.length === 0) {
    if (stage === "after-consent") return msg("Headline_SetupComplete");
    if (stage === "before-install") return msg(settings.mode === "upgrade" ? "Headline_ReadyToUpgrade" : "Headline_ReadyToInstall");
  }
  const next =
    stage === "before-install"
      ? msg(settings.mode === "upgrade" ? "Next_Upgrade" : "Next_Install")
      : stage === "awaiting-consent"
        ? msg("Next_Consent")
        : msg("Next_Complete");
  return msg("Headline_Blocked", { count: blockers.length, next });
}

function blocks(status: Status, stage: Stage): boolean {
  if (DONE.includes(status)) return false;
  // A warning is true but should change: it keeps setup from being complete, not the install or the consent.
  return !(status === "warning" && stage !== "after-consent");
}

function requiredFor(stage: Stage): readonly ItemId[] {
  switch (stage) {
    case "before-install":
      return NEEDED_TO_INSTALL;
    case "awaiting-consent":
      return NEEDED_FOR_CONSENT;
    case "after-consent":
      return CATALOGUE.filter((item) => !item.recommendation).map((item) => item.id);
    default:
      return [];
  }
}

/** Facts, confirmations, settings and the time in; every item's status, the stage and what blocks it out. */
export function evaluate(input: EvaluationInput): Evaluation {
  const { facts, settings, confirmations } = input;
  const entry = (key: string): ConfirmationEntry | undefined => {
    const value = confirmations[key];
    return isValidEntry(value) ? value : undefined;
  };
  const cycleBound = (key: string) => CATALOGUE.some((item) => item.cycleBound && item.parts.some((p) => p.key === key));
  const counts = (key: string) => countsInCycle(entry(key), cycleBound(key), settings.cycleStartedAt);

  const consentInCycle = counts("consent-completed");
  const { stage, reason: stageReason } = stageOf(facts, consentInCycle, settings);
  const evidence = input.graph ?? null;
  const graph = evidence
    ? readGraphFacts(evidence.facts, {
        stage,
        consentConfirmedAt: consentInCycle ? entry("consent-completed")!.at : null,
        readAt: evidence.readAt,
        now: input.now,
      })
    : null;
  const answer = (key: string): PartAnswer => partAnswer(key, entry(key), counts(key), cycleBound(key), settings, graph, evidence?.readAt);
  const ctx: Context = {
    input,
    settings,
    stage,
    stageReason,
    serviceAccount: !settings.serviceAccountUpn ? null : facts.serviceAccount.ok ? facts.serviceAccount.value : undefined,
    serviceAccountFailure: facts.serviceAccount.ok ? undefined : facts.serviceAccount.failure,
    work365: facts.work365Solutions.ok ? (facts.work365Solutions.value[0] ?? null) : undefined,
    counts,
    entry,
    answer,
    graph,
  };

  const items = CATALOGUE.map((item): ItemResult => {
    const verdict = RULES[item.id](ctx, item);
    return {
      id: item.id,
      group: item.group,
      titleKey: item.titleKey,
      status: verdict.status,
      reason: verdict.reason,
      action: verdict.action,
      help: link("Help_Link", item.help),
      parts: item.parts.map((p) => {
        const stored = entry(p.key);
        const checked = counts(p.key);
        const { status: answered, source, reason } = answer(p.key);
        const notYet = p.afterConsent && stage !== "after-consent" && source === "none";
        const status = notYet ? "pending" : answered;
        const part: PartView = { key: p.key, labelKey: p.labelKey, entry: stored, checked, outdated: !!stored?.confirmed && !checked, status, source };
        if (reason && source === "graph") part.reason = reason;
        return part;
      }),
      evidence: verdict.evidence ?? [],
      recommendation: item.recommendation,
      source: verdict.source ?? (NOBODY_ANSWERED.includes(verdict.status) ? "none" : "dataverse"),
    };
  });

  const required = requiredFor(stage);
  const blockers = items.filter((item) => required.includes(item.id) && blocks(item.status, stage)).map((item) => item.id);
  const essential = items.filter((item) => !item.recommendation);
  const policies = entry("mfa-policies");
  const waitEnds = policies?.confirmed ? Date.parse(policies.at) + MFA_POLICY_WAIT_MINUTES * 60_000 : NaN;

  return {
    items,
    stage,
    stageReason,
    blockers,
    headline: headlineOf(stage, blockers, settings),
    counts: {
      done: essential.filter((item) => DONE.includes(item.status)).length,
      toDo: essential.filter((item) => TO_DO.includes(item.status)).length,
      needsYou: essential.filter((item) => item.status === "needs-confirmation").length,
      later: essential.filter((item) => item.status === "pending").length,
      recommendationsOpen: items.filter((item) => item.recommendation && item.status === "needs-confirmation").length,
    },
    work365: ctx.work365 ?? null,
    nextChangeAt: nextChange(waitEnds, graph?.policyWait?.readyAt, input.now),
    graph: evidence && {
      readAt: evidence.readAt,
      by: evidence.by,
      tool: evidence.tool,
      ...evidenceAge(evidence.readAt, input.now),
    },
  };
}

const DAY_MS = 86_400_000;

function evidenceAge(readAt: string, now: Date): { ageDays: number; stale: boolean } {
  const ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(readAt)) / DAY_MS));
  return { ageDays, stale: now.getTime() - Date.parse(readAt) > GRAPH_EVIDENCE_FRESH_DAYS * DAY_MS };
}

function nextChange(tickWaitEnds: number, readWaitEnds: string | null | undefined, now: Date): string | null {
  const times = [tickWaitEnds, readWaitEnds ? Date.parse(readWaitEnds) : NaN].filter((t) => t > now.getTime());
  return times.length ? new Date(Math.min(...times)).toISOString() : null;
}

/**
 * A part's answer. A Graph reading that decides stands unless a person answered later; one that
 * cannot decide only informs, and a tick answers. Readings of cycle-bound parts count only when
 * read in the current cycle.
 */
function partAnswer(
  key: string,
  stored: ConfirmationEntry | undefined,
  ticked: boolean,
  cycleBound: boolean,
  settings: ChecklistSettings,
  graph: GraphReadings | null,
  readAt: string | undefined,
): PartAnswer {
  const inCycle = (at: string) => !cycleBound || !settings.cycleStartedAt || Date.parse(at) >= Date.parse(settings.cycleStartedAt);
  const reading = graph && readAt && inCycle(readAt) ? graph.parts[key] : undefined;
  const person: PartAnswer = ticked
    ? { status: "confirmed", source: "person" }
    : { status: "needs-confirmation", source: stored && inCycle(stored.at) ? "person" : "none" };
  if (!reading) return person;
  const personLater = stored !== undefined && inCycle(stored.at) && Date.parse(stored.at) > Date.parse(readAt!);
  if (reading.decided) return personLater ? person : { status: reading.status, source: "graph", reason: reading.reason };
  if (ticked) return person;
  // Pending: nothing has answered yet (the account it is about does not exist).
  return { status: reading.status, source: reading.status === "pending" ? "none" : "graph", reason: reading.reason };
}
