/**
 * The words of the prerequisite catalogue (see README "Checklist items").
 * Plain types only: the domain has no React, no I/O and no PCF types.
 */

export type ItemId =
  | "premium-licences"
  | "mfa-policies"
  | "mfa-policy-wait"
  | "mfa-registration"
  | "service-account"
  | "service-account-licence"
  | "service-account-mfa"
  | "service-account-settings"
  | "global-admin"
  | "global-admin-licence"
  | "system-administrator-role"
  | "english-language"
  | "partner-center"
  | "system-jobs-completed"
  | "work365-installed"
  | "consent-completed"
  | "admin-field-security-profile"
  | "sales-role";

/** The groups, in the order an admin works through them. */
export type GroupId = "prepare-tenant" | "before-installing" | "install-and-consent" | "after-consent";

/** Status words: stored, rendered as `data-status`, and used by tests exactly as written here. */
export type Status =
  | "met"
  | "not-met"
  | "warning"
  | "needs-confirmation"
  | "confirmed"
  | "cannot-check"
  | "not-applicable"
  | "pending";

/**
 * Where an item's or part's answer came from: read from Dataverse now, read from Microsoft Entra ID
 * by the preflight, confirmed by a person, worked out from other answers, or nothing yet.
 */
export type Source = "dataverse" | "graph" | "person" | "derived" | "none";

export type Stage = "before-install" | "awaiting-consent" | "after-consent" | "unknown";

/** `direct`: 1-Tier (Direct Bill). `indirect`: 2-Tier. */
export type PartnerTier = "direct" | "indirect";

export type Mode = "install" | "upgrade";

/** Why a read failed, in terms an admin can act on. */
export type ReadFailureKind =
  | "privilege-denied"
  | "throttled"
  | "offline"
  | "timeout"
  | "not-found"
  | "server-error"
  /** Microsoft Graph: the tenant lacks the Entra ID P1/P2 licence this read needs. */
  | "premium-required"
  /** Microsoft Graph: signed in as an application, so no signed-in admin stands for the account. */
  | "app-sign-in"
  | "unexpected";

export interface ReadFailure {
  kind: ReadFailureKind;
  /** The privilege Dataverse named, e.g. `prvReadRole`, when it named one. */
  privilege?: string;
  /** Dataverse's own message, for the copied report. */
  detail: string;
  /** Set when the read was a Microsoft Graph read (then `privilege` names a Graph permission). */
  service?: "graph";
}

export type Reading<T> = { ok: true; value: T } | { ok: false; failure: ReadFailure };

/**
 * Rows a principal holds, gathered from one or more reads (direct and through teams).
 * `found` is what the successful reads returned; `failure` is set when any read failed,
 * so "held" can still be proved while "not held" cannot.
 */
export interface HeldReading<T> {
  found: T[];
  failure?: ReadFailure;
}

export interface UserRow {
  id: string;
  fullName: string;
  domainName: string;
  isDisabled: boolean;
  isLicensed: boolean;
  /** 0 Read-Write, 1 Administrative, 2 Read, 3 Support User, 4 Non-interactive, 5 Delegated Admin. */
  accessMode: number;
}

export interface ApplicationUserRow {
  id: string;
  fullName: string;
  applicationId: string;
}

export interface RoleRow {
  id: string;
  name: string;
  roleTemplateId: string | null;
  businessUnitId: string | null;
}

export interface ProfileRow {
  id: string;
  name: string;
}

export interface SolutionRow {
  id: string;
  uniqueName: string;
  friendlyName: string;
  version: string;
  installedOn: string | null;
  createdById: string | null;
  createdByName: string | null;
}

/** The service account's personal options (`usersettings`): its format and time zone. */
export interface PersonalSettings {
  /** The format (`localeid`), e.g. 1033 English (United States). */
  localeId: number;
  timeZoneCode: number;
  /** `timezonedefinition.userinterfacename`; null when the time zones could not be read. */
  timeZoneName: string | null;
}

/** System jobs (`asyncoperations`) of the service account that have not completed. */
export interface SystemJobsInFlight {
  count: number;
  /** The oldest of them, when there is one. */
  oldest: { name: string; createdOn: string | null } | null;
}

/** Everything the reader learned about the environment in one check. */
export interface EnvironmentFacts {
  /** `value: null`: no user has that UPN. Not read (ok, null) when no UPN is set. */
  serviceAccount: Reading<UserRow | null>;
  /** Work 365's application users (read in the same request as the service account). */
  work365ApplicationUsers: Reading<ApplicationUserRow[]>;
  /** Roles the service account holds directly or through a team (only the ones the checklist looks for). */
  rolesHeld: HeldReading<RoleRow>;
  /** Field security profiles the service account holds directly or through a team. */
  profilesHeld: HeldReading<ProfileRow>;
  /** Solutions that may be Work 365 (patches excluded), newest install first. */
  work365Solutions: Reading<SolutionRow[]>;
  /** `RetrieveProvisionedLanguages()`. */
  provisionedLanguages: Reading<number[]>;
  /** The organization's base language; read only when the provisioned languages do not prove 1033. */
  baseLanguage?: Reading<number>;
  /** Whether the environment has Microsoft Entra group teams; read only when the System Administrator role is not held. */
  entraGroupTeamsExist?: Reading<boolean>;
  /** Read when a UPN is set; `value: null`: no personal settings row for that UPN. */
  personalSettings?: Reading<PersonalSettings | null>;
  /** Read in upgrade mode when a UPN is set. */
  systemJobs?: Reading<SystemJobsInFlight>;
}

/** What the admin chose, merged from the form properties and the stored state. */
export interface ChecklistSettings {
  serviceAccountUpn: string;
  /** True when the form supplies the UPN (then it cannot be typed in the control). */
  upnFromForm: boolean;
  partnerTier: PartnerTier;
  mode: Mode;
  /** When the current upgrade cycle began; cycle-bound confirmations count only from then on. */
  cycleStartedAt: string | null;
  /** Unique name of the Work 365 solution; empty: find it by name. */
  work365SolutionName: string;
  adminProfileName: string;
  salesRoleName: string;
}

export interface ConfirmedBy {
  /** Lower-case GUID without braces. */
  id: string;
  name: string;
}

/** One stored confirmation. Unknown fields are kept as they are. */
export interface ConfirmationEntry {
  confirmed: boolean;
  by: ConfirmedBy;
  /** ISO 8601 UTC. */
  at: string;
  /** `premium-licences` only. */
  answer?: "assigned" | "none";
  /** `consent-completed` only: the Work 365 version installed when consent was confirmed. */
  work365Version?: string;
  [extra: string]: unknown;
}

export interface StoredSettings {
  serviceAccountUpn?: string;
  partnerTier?: PartnerTier;
  mode?: Mode;
  cycleStartedAt?: string;
  changedAt?: string;
  [extra: string]: unknown;
}

/** The JSON kept in the bound column `checklistState`. */
export interface ChecklistState {
  version: 1;
  settings: StoredSettings;
  confirmations: Record<string, ConfirmationEntry>;
  [extra: string]: unknown;
}

/** A value of a message argument: plain text, a number, a time the UI formats for the user, or another message. */
export type MessageArg = string | number | { time: string } | Message;

/** A user-visible sentence: a resx key and its arguments (`{name}` placeholders). */
export interface Message {
  key: string;
  args?: Record<string, MessageArg>;
}

/** Where a link goes. The control turns these into navigation calls. */
export type LinkTarget =
  | { kind: "record"; entityName: string; id: string }
  | { kind: "environment"; path: string }
  | { kind: "web"; url: string };

export interface Link {
  label: Message;
  target: LinkTarget;
}
