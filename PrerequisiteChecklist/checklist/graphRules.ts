/**
 * What Microsoft Graph's answers mean for the checklist (preflight.md, "What Graph answers, item by
 * item"). Plain functions of the facts: the preflight and the form run them on the same facts, so
 * they agree on every status. A reading that cannot decide says what was read and leaves the
 * answer to a person's tick.
 */
import { MFA_POLICY_WAIT_MINUTES } from "./catalogue";
import {
  ADMIN_AGENTS_GROUP_NAME,
  DATAVERSE_APP_ID,
  PARTNER_CENTER_API_APP_IDS,
  SECURITY_DEFAULTS_ADMIN_ROLE_TEMPLATE_IDS,
  classifyServicePlan,
  isStrongMfaMethod,
} from "./entraIds";
import type { ConditionalAccessPolicy, EntraAccount, GraphFacts, LicenceDetail } from "./graph";
import type { Message, ReadFailure, Reading, Stage, Status } from "./types";

/** A Graph reading of one item or part. `decided`: a fact, which a later tick may overrule; else it only informs. */
export interface GraphVerdict {
  status: Status;
  reason: Message;
  decided: boolean;
}

export interface GraphContext {
  stage: Stage;
  /** When consent was confirmed in the current cycle, if it was. */
  consentConfirmedAt: string | null;
  /** When the preflight read the facts. */
  readAt: string;
  now: Date;
}

/** Graph's readings, by stored key (`<item id>` or `<item id>/<part id>`), plus what only informs. */
export interface GraphReadings {
  parts: Record<string, GraphVerdict>;
  /** `mfa-policy-wait`, when the policies were read rather than ticked. */
  policyWait?: { status: Status; reason: Message; readyAt: string | null };
  /** The service account exists in Entra ID (shown when Dataverse does not have it yet). */
  serviceAccountInEntra: boolean;
  consentEvidence: Message[];
}

const msg = (key: string, args?: Message["args"]): Message => (args ? { key, args } : { key });
const ALL = "all";
const lower = (values: string[]) => values.map((v) => v.toLowerCase());

export function graphFailureMessage(failure: ReadFailure): Message {
  switch (failure.kind) {
    case "privilege-denied":
      return failure.privilege
        ? msg("Failure_Graph_PermissionMissing", { permission: failure.privilege })
        : msg("Failure_Graph_PermissionMissingUnnamed");
    case "premium-required":
      return msg("Failure_Graph_PremiumRequired");
    case "app-sign-in":
      return msg("Failure_Graph_AppSignIn");
    case "throttled":
      return msg("Failure_Graph_Throttled");
    default:
      return msg("Failure_Graph_ReadFailed", { detail: failure.detail });
  }
}

const cannotCheck = (failure: ReadFailure): GraphVerdict => ({ status: "cannot-check", reason: graphFailureMessage(failure), decided: false });
const fact = (status: Status, reason: Message): GraphVerdict => ({ status, reason, decided: true });
const informs = (reason: Message): GraphVerdict => ({ status: "needs-confirmation", reason, decided: false });

/** At least one strong method, from the report or the methods list. */
function mfaRegistered(account: EntraAccount): Reading<{ strong: string[]; all: string[] }> {
  if (!account.mfa.ok) return account.mfa;
  const all = account.mfa.value.methods;
  return { ok: true, value: { strong: all.filter(isStrongMfaMethod), all } };
}

/** Nothing about an account can be acted on before it exists: pending, as the catalogue treats the missing service account. */
const accountMissing = (account: EntraAccount): GraphVerdict => ({
  status: "pending",
  reason: msg("Graph_Account_NotInEntra", { upn: account.upn }),
  decided: false,
});

function registrationVerdict(account: EntraAccount): GraphVerdict {
  if (account.user.ok && account.user.value === null) return accountMissing(account);
  const registered = mfaRegistered(account);
  if (!registered.ok) return cannotCheck(registered.failure);
  const { strong, all } = registered.value;
  const { isMfaRegistered, reportMayLag } = account.mfa.ok ? account.mfa.value : { isMfaRegistered: undefined, reportMayLag: undefined };
  if (isMfaRegistered === true || (isMfaRegistered === undefined && strong.length > 0)) {
    return fact("met", msg("Graph_Mfa_Registered", { upn: account.upn, methods: (strong.length ? strong : all).join(", ") || "—" }));
  }
  if (reportMayLag) return informs(msg("Graph_Mfa_ReportMayLag", { upn: account.upn }));
  return fact("not-met", msg("Graph_Mfa_NotRegistered", { upn: account.upn, methods: all.join(", ") || "—" }));
}

/** Whether a Conditional Access policy applies to the account: included directly, by group, role or All, and not excluded. */
export function policyCoversAccount(
  policy: ConditionalAccessPolicy,
  userId: string,
  groupIds: string[],
  roleTemplateIds: string[],
  rolesUnread = false,
): boolean | "unknown" {
  const id = userId.toLowerCase();
  const groups = lower(groupIds);
  const roles = lower(roleTemplateIds);
  const has = (list: string[], values: string[]) => lower(list).some((v) => values.includes(v));
  if (lower(policy.excludeUsers).includes(id) || has(policy.excludeGroups, groups) || has(policy.excludeRoles, roles)) return false;
  // Roles read as ids only: a role exclusion might apply, and a role inclusion cannot be told.
  if (rolesUnread && policy.excludeRoles.length > 0) return "unknown";
  const included =
    lower(policy.includeUsers).includes(ALL) ||
    lower(policy.includeUsers).includes(id) ||
    has(policy.includeGroups, groups) ||
    has(policy.includeRoles, roles);
  if (included) return true;
  if (rolesUnread && policy.includeRoles.length > 0) return "unknown";
  // GuestsOrExternalUsers and the like cannot be resolved from what was read.
  return policy.includeUsers.some((v) => v.toLowerCase() !== "none" && !/^[0-9a-f-]{36}$/i.test(v)) ? "unknown" : false;
}

/** For all cloud apps, or for Dynamics 365 / Dataverse, and not excluding it. */
export function policyCoversDynamics(policy: ConditionalAccessPolicy): boolean {
  const include = lower(policy.includeApplications);
  const exclude = lower(policy.excludeApplications);
  if (exclude.includes(ALL) || exclude.includes(DATAVERSE_APP_ID)) return false;
  return include.includes(ALL) || include.includes(DATAVERSE_APP_ID);
}

const narrowed = (policy: ConditionalAccessPolicy) => (policy.narrowedBy?.length ?? 0) > 0;
/** Enabled, requiring MFA, for every sign-in of those it covers: only such a policy proves enforcement. */
const enforcing = (policy: ConditionalAccessPolicy) => policy.state === "enabled" && policy.requiresMfa && !narrowed(policy);
/** Enabled and requiring MFA, but only for some sign-ins (locations, risk, platforms…). */
const enforcingSomeSignIns = (policy: ConditionalAccessPolicy) => policy.state === "enabled" && policy.requiresMfa && narrowed(policy);
const reportOnly = (policy: ConditionalAccessPolicy) => policy.state === "enabledForReportingButNotEnforced" && policy.requiresMfa;

/** Conditional Access is a P1 feature: a tenant without P1 has no policies, which is an answer, not a failure. */
function policiesOf(facts: GraphFacts): Reading<ConditionalAccessPolicy[]> {
  const read = facts.conditionalAccessPolicies;
  return !read.ok && read.failure.kind === "premium-required" ? { ok: true, value: [] } : read;
}

/**
 * Whether security defaults or an enabled Conditional Access policy enforce MFA for the service
 * account. `"unknown"` when a policy's scope cannot be resolved or a needed read failed.
 * The Graph reader uses it to decide whether per-user MFA is worth reading.
 */
export function mfaEnforcedByPolicy(facts: GraphFacts): boolean | "unknown" {
  // Security defaults and Conditional Access cannot be on together: with defaults on, the role decides.
  if (facts.securityDefaultsEnabled.ok && facts.securityDefaultsEnabled.value) return securityDefaultsRequireMfa(facts);
  const policies = policiesOf(facts);
  const user = facts.serviceAccount.user;
  if (!policies.ok || !user.ok || !user.value) return "unknown";
  const membership = facts.serviceAccountMembership.ok ? facts.serviceAccountMembership.value : null;
  let unknown = !facts.securityDefaultsEnabled.ok;
  for (const policy of policies.value.filter(enforcing).filter(policyCoversDynamics)) {
    const covers = policyCoversAccount(policy, user.value.id, membership?.groupIds ?? [], membership?.roleTemplateIds ?? [], membership?.rolesUnread);
    if (covers === true) return true;
    if (covers === "unknown" || !membership) unknown = true;
  }
  return unknown ? "unknown" : false;
}

/** Security defaults require MFA at every sign-in of an administrator only (the service account is one while it holds Global Administrator). */
function securityDefaultsRequireMfa(facts: GraphFacts): boolean | "unknown" {
  const role = facts.globalAdminRole;
  if (role.ok && role.value.active) return true;
  const membership = facts.serviceAccountMembership;
  if (membership.ok && lower(membership.value.roleTemplateIds).some((id) => SECURITY_DEFAULTS_ADMIN_ROLE_TEMPLATE_IDS.includes(id))) return true;
  return role.ok && membership.ok && !membership.value.rolesUnread ? false : "unknown";
}

function serviceAccountMfaVerdict(facts: GraphFacts): GraphVerdict {
  const account = facts.serviceAccount;
  const registration = registrationVerdict(account);
  if (registration.status !== "met") return registration;
  if (mfaEnforcedByPolicy(facts) === true) return fact("met", msg("Graph_ServiceAccountMfa_Enforced", { upn: account.upn }));
  const perUser = facts.serviceAccountPerUserMfa;
  if (perUser?.ok && perUser.value === "enforced") return fact("met", msg("Graph_ServiceAccountMfa_PerUser", { upn: account.upn }));
  // Registered, enforcement not proven: a missing permission is named; otherwise say what was read.
  const policyRead = [facts.securityDefaultsEnabled, policiesOf(facts)].find((r) => !r.ok);
  if (policyRead && !policyRead.ok && policyRead.failure.kind === "privilege-denied") return cannotCheck(policyRead.failure);
  if (facts.securityDefaultsEnabled.ok && facts.securityDefaultsEnabled.value) {
    return informs(msg("Graph_ServiceAccountMfa_SecurityDefaultsNotAdmin", { upn: account.upn }));
  }
  const policies = policiesOf(facts);
  if (policies.ok && policies.value.some(reportOnly)) return informs(msg("Graph_ServiceAccountMfa_ReportOnly"));
  if (facts.federatedDomains.ok && facts.federatedDomains.value.length > 0) {
    return informs(msg("Graph_ServiceAccountMfa_Federated", { domains: facts.federatedDomains.value.join(", ") }));
  }
  return informs(msg("Graph_ServiceAccountMfa_NotProven"));
}

/** `met` with the newest change of the policies that made it so (null: security defaults, long settled). */
function mfaPoliciesVerdict(facts: GraphFacts): { verdict: GraphVerdict; settledAt: string | null } {
  if (facts.securityDefaultsEnabled.ok && facts.securityDefaultsEnabled.value) {
    return { verdict: fact("met", msg("Graph_MfaPolicies_SecurityDefaults")), settledAt: null };
  }
  const policies = policiesOf(facts);
  if (!policies.ok) return { verdict: cannotCheck(policies.failure), settledAt: null };
  if (!facts.securityDefaultsEnabled.ok && policies.value.length === 0) {
    return { verdict: cannotCheck(facts.securityDefaultsEnabled.failure), settledAt: null };
  }
  const forAll = policies.value.filter((p) => enforcing(p) && lower(p.includeUsers).includes(ALL) && policyCoversDynamics(p));
  if (forAll.length > 0) {
    const settledAt = forAll.map((p) => p.changedAt).filter((t): t is string => !!t).sort().pop() ?? null;
    return { verdict: fact("met", msg("Graph_MfaPolicies_AllUsers", { names: forAll.map((p) => p.displayName).join(", ") })), settledAt };
  }
  const some = policies.value.filter(enforcing);
  if (some.length > 0) return { verdict: fact("warning", msg("Graph_MfaPolicies_SomeUsers", { names: some.map((p) => p.displayName).join(", ") })), settledAt: null };
  const someSignIns = policies.value.filter(enforcingSomeSignIns);
  if (someSignIns.length > 0) {
    return { verdict: fact("warning", msg("Graph_MfaPolicies_SomeSignIns", { names: someSignIns.map((p) => p.displayName).join(", ") })), settledAt: null };
  }
  const reporting = policies.value.filter(reportOnly);
  if (reporting.length > 0) {
    return { verdict: fact("warning", msg("Graph_MfaPolicies_ReportOnly", { names: reporting.map((p) => p.displayName).join(", ") })), settledAt: null };
  }
  return { verdict: informs(msg("Graph_MfaPolicies_NoneSeen")), settledAt: null };
}

/** Graph's plan states for "assigned, not active yet" (Learn: servicePlanInfo, provisioningStatus). */
const PENDING_PLAN_STATES = ["pendingactivation", "pendingprovisioning", "pendinginput"];

function licenceVerdict(licences: Reading<LicenceDetail[]>): GraphVerdict {
  if (!licences.ok) return cannotCheck(licences.failure);
  const plans = licences.value.flatMap((l) => l.servicePlans.map((p) => ({ ...p, kind: classifyServicePlan(l.skuId, p.servicePlanId) })));
  const active = plans.filter((p) => p.provisioningStatus.toLowerCase() === "success");
  const engagement = active.filter((p) => p.kind === "customer-engagement");
  if (engagement.length > 0) return fact("met", msg("Graph_Licence_CustomerEngagement", { plans: engagement.map((p) => p.servicePlanName).join(", ") }));
  const pending = plans.filter((p) => p.kind === "customer-engagement" && PENDING_PLAN_STATES.includes(p.provisioningStatus.toLowerCase()));
  if (pending.length > 0) {
    return fact("pending", msg("Graph_Licence_Pending", { plans: pending.map((p) => `${p.servicePlanName} (${p.provisioningStatus})`).join(", ") }));
  }
  const others = active.filter((p) => p.kind === "not-customer-engagement");
  if (others.length > 0) return fact("not-met", msg("Graph_Licence_OnlyOthers", { plans: others.map((p) => p.servicePlanName).join(", ") }));
  const skus = licences.value.map((l) => l.skuPartNumber).join(", ");
  return fact("not-met", skus ? msg("Graph_Licence_NoEngagement", { skus }) : msg("Graph_Licence_None"));
}

/** Global Administrator: granted before consent; after it, removed, which counts only when read after consent was confirmed. */
function globalAdminVerdicts(facts: GraphFacts, ctx: GraphContext): Record<string, GraphVerdict> {
  const account = facts.serviceAccount;
  const part = ctx.stage === "after-consent" ? "global-admin/removed" : "global-admin/granted";
  if (account.user.ok && account.user.value === null) return { [part]: accountMissing(account) };
  const role = facts.globalAdminRole;
  if (!role.ok) return { [part]: cannotCheck(role.failure) };
  const { active, eligible, throughGroup, eligibilityUnread } = role.value;
  const how = throughGroup ? msg("Graph_GlobalAdmin_ThroughGroup", { group: throughGroup }) : msg("Graph_GlobalAdmin_Directly");
  if (ctx.stage === "after-consent") {
    if (active) return { "global-admin/removed": fact("not-met", msg("Graph_GlobalAdmin_StillActive", { how })) };
    const readAfterConsent = ctx.consentConfirmedAt !== null && Date.parse(ctx.readAt) > Date.parse(ctx.consentConfirmedAt);
    return readAfterConsent ? { "global-admin/removed": fact("met", msg("Graph_GlobalAdmin_NotActive")) } : {};
  }
  if (active) return { "global-admin/granted": fact("met", msg("Graph_GlobalAdmin_Active", { how })) };
  if (eligible) return { "global-admin/granted": informs(msg("Graph_GlobalAdmin_OnlyEligible")) };
  return { "global-admin/granted": fact("not-met", msg(eligibilityUnread ? "Graph_GlobalAdmin_NotAssignedEligibilityUnread" : "Graph_GlobalAdmin_NotAssigned")) };
}

function premiumVerdict(facts: GraphFacts): GraphVerdict {
  const read = facts.premiumSubscriptions;
  if (!read.ok) return cannotCheck(read.failure);
  const owned = read.value.filter((s) => s.enabledUnits > 0 && s.capabilityStatus.toLowerCase() !== "suspended");
  if (owned.length === 0) return fact("not-applicable", msg("Graph_Premium_None"));
  const names = owned.map((s) => s.skuPartNumber).join(", ");
  if (owned.some((s) => s.consumedUnits > 0)) return fact("met", msg("Graph_Premium_Assigned", { skus: names }));
  return fact("warning", msg("Graph_Premium_Unassigned", { skus: names }));
}

function partnerCenterVerdicts(facts: GraphFacts): Record<string, GraphVerdict> {
  const verdicts: Record<string, GraphVerdict> = {};
  const account = facts.integrationAccount;
  if (account) {
    const user = account.user;
    verdicts["partner-center/integration-account"] = !user.ok
      ? cannotCheck(user.failure)
      : !user.value
        ? fact("not-met", msg("Graph_Account_NotInEntra", { upn: account.upn }))
        : user.value.accountEnabled
          ? fact("met", msg("Graph_IntegrationAccount_Enabled", { upn: account.upn }))
          : fact("not-met", msg("Graph_IntegrationAccount_Disabled", { upn: account.upn }));
    if (user.ok && user.value) {
      verdicts["partner-center/admin-agent-role"] = !account.adminAgents.ok
        ? cannotCheck(account.adminAgents.failure)
        : account.adminAgents.value
          ? fact("met", msg("Graph_AdminAgents_Member", { group: ADMIN_AGENTS_GROUP_NAME }))
          : fact("not-met", msg("Graph_AdminAgents_NotMember", { group: ADMIN_AGENTS_GROUP_NAME }));
      verdicts["partner-center/integration-mfa"] = registrationVerdict(account);
    }
  }
  const native = facts.nativeApp;
  if (native) {
    const app = native.app;
    if (!app.ok) verdicts["partner-center/native-app"] = cannotCheck(app.failure);
    else if (!app.value) verdicts["partner-center/native-app"] = fact("not-met", msg("Graph_NativeApp_NotFound", { appId: native.appId }));
    else {
      const name = app.value.displayName;
      const publicClient = app.value.publicClient;
      const partnerCenterApi = app.value.requiredResourceAppIds.some((id) => PARTNER_CENTER_API_APP_IDS.some((api) => api.id === id.toLowerCase()));
      verdicts["partner-center/native-app"] =
        publicClient && partnerCenterApi
          ? fact("met", msg("Graph_NativeApp_Ready", { name }))
          : fact("not-met", msg(publicClient ? "Graph_NativeApp_NoPartnerCenterApi" : partnerCenterApi ? "Graph_NativeApp_NotPublic" : "Graph_NativeApp_NotPublicNoApi", { name }));
    }
  }
  return verdicts;
}

/** Every reading the facts give, keyed as the stored confirmations are. */
export function readGraphFacts(facts: GraphFacts, ctx: GraphContext): GraphReadings {
  const policies = mfaPoliciesVerdict(facts);
  const parts: Record<string, GraphVerdict> = {
    "premium-licences": premiumVerdict(facts),
    "mfa-policies": policies.verdict,
    "mfa-registration/service-account": registrationVerdict(facts.serviceAccount),
    "mfa-registration/global-administrator": registrationVerdict(facts.globalAdministrator),
    "service-account-licence/customer-engagement": licenceVerdict(facts.serviceAccountLicences),
    // The same plan rules: signing in to CRM needs a Customer Engagement app.
    ...(facts.globalAdministratorLicences ? { "global-admin-licence": licenceVerdict(facts.globalAdministratorLicences) } : {}),
    "service-account-mfa": serviceAccountMfaVerdict(facts),
    ...globalAdminVerdicts(facts, ctx),
    ...partnerCenterVerdicts(facts),
  };

  let policyWait: GraphReadings["policyWait"];
  if (policies.verdict.status === "met") {
    const readyAt = policies.settledAt ? new Date(Date.parse(policies.settledAt) + MFA_POLICY_WAIT_MINUTES * 60_000) : null;
    policyWait =
      readyAt && ctx.now < readyAt
        ? { status: "pending", reason: msg("Reason_MfaPolicyWait_Until", { time: { time: readyAt.toISOString() } }), readyAt: readyAt.toISOString() }
        : { status: "met", reason: msg("Reason_MfaPolicyWait_Done"), readyAt: null };
  }

  const principals = facts.work365ServicePrincipals;
  const consentEvidence = principals.ok
    ? principals.value.map((sp) =>
        msg(sp.adminConsent ? "Graph_Consent_Granted" : "Graph_Consent_NoGrant", { name: sp.displayName, appId: sp.appId }),
      )
    : [];

  return {
    parts,
    policyWait,
    serviceAccountInEntra: facts.serviceAccount.user.ok && facts.serviceAccount.user.value !== null,
    consentEvidence,
  };
}
