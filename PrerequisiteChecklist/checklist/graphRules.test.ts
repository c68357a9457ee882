import { DATAVERSE_APP_ID, PARTNER_CENTER_API_APP_IDS } from "./entraIds";
import type { GraphFacts } from "./graph";
import { mfaEnforcedByPolicy, policyCoversAccount, policyCoversDynamics, readGraphFacts, type GraphContext } from "./graphRules";
import { ENTRA_SERVICE_ACCOUNT_ID, SALES_ENTERPRISE_PLAN, TEAM_MEMBERS_PLAN, graphFacts, mfaPolicy } from "./testing";
import type { ReadFailure } from "./types";

const NOW = new Date("2026-11-27T09:00:00Z");
const BEFORE: GraphContext = { stage: "before-install", consentConfirmedAt: null, readAt: "2026-11-27T08:30:00Z", now: NOW };
const AFTER: GraphContext = { stage: "after-consent", consentConfirmedAt: "2026-11-27T08:00:00Z", readAt: "2026-11-27T08:30:00Z", now: NOW };

const denied = (permission: string): ReadFailure => ({ kind: "privilege-denied", privilege: permission, detail: "Insufficient privileges", service: "graph" });
const noPremium: ReadFailure = { kind: "premium-required", detail: "not premium", service: "graph" };

function part(facts: GraphFacts, key: string, ctx: GraphContext = BEFORE) {
  return readGraphFacts(facts, ctx).parts[key];
}
const statusOf = (facts: GraphFacts, key: string, ctx?: GraphContext) => part(facts, key, ctx)?.status;
const reasonKey = (facts: GraphFacts, key: string, ctx?: GraphContext) => part(facts, key, ctx)?.reason.key;

describe("service-account-licence/customer-engagement", () => {
  const licences = (plans: { servicePlanId: string; servicePlanName: string; provisioningStatus: string }[], sku = "SKU") =>
    graphFacts({ serviceAccountLicences: { ok: true, value: [{ skuId: "s", skuPartNumber: sku, servicePlans: plans }] } });

  it("is met by an active Customer Engagement plan, naming it", () => {
    const verdict = part(licences([{ ...SALES_ENTERPRISE_PLAN, provisioningStatus: "Success" }]), "service-account-licence/customer-engagement");
    expect(verdict).toMatchObject({ status: "met", decided: true, reason: { key: "Graph_Licence_CustomerEngagement", args: { plans: "DYN365_ENTERPRISE_SALES" } } });
  });

  it.each(["PendingActivation", "PendingProvisioning", "PendingInput"])("reads a plan in %s as assigned, not active yet: pending, naming the state", (state) => {
    const verdict = part(licences([{ ...SALES_ENTERPRISE_PLAN, provisioningStatus: state }]), "service-account-licence/customer-engagement");
    expect(verdict).toMatchObject({ status: "pending", reason: { key: "Graph_Licence_Pending", args: { plans: `DYN365_ENTERPRISE_SALES (${state})` } } });
  });

  it("does not count a plan that is disabled or suspended", () => {
    for (const state of ["Disabled", "Suspended"]) expect(statusOf(licences([{ ...SALES_ENTERPRISE_PLAN, provisioningStatus: state }]), "service-account-licence/customer-engagement")).toBe("not-met");
  });

  it("is not met with only Team Members, and says so", () => {
    const facts = licences([{ ...TEAM_MEMBERS_PLAN, provisioningStatus: "Success" }]);
    expect(part(facts, "service-account-licence/customer-engagement")).toMatchObject({ status: "not-met", reason: { key: "Graph_Licence_OnlyOthers" } });
  });

  it("is not met with other licences, naming the SKUs, or with none", () => {
    expect(reasonKey(licences([{ servicePlanId: "0000", servicePlanName: "EXCHANGE_S_STANDARD", provisioningStatus: "Success" }], "O365_BUSINESS"), "service-account-licence/customer-engagement")).toBe("Graph_Licence_NoEngagement");
    expect(reasonKey(graphFacts({ serviceAccountLicences: { ok: true, value: [] } }), "service-account-licence/customer-engagement")).toBe("Graph_Licence_None");
  });

  it("cannot be checked when licenseDetails could not be read, naming the permission", () => {
    const verdict = part(graphFacts({ serviceAccountLicences: { ok: false, failure: denied("User.Read.All") } }), "service-account-licence/customer-engagement");
    expect(verdict).toMatchObject({ status: "cannot-check", decided: false, reason: { key: "Failure_Graph_PermissionMissing", args: { permission: "User.Read.All" } } });
  });
});

describe("global-admin-licence", () => {
  it("reads the Global Administrator's licences with the same plan rules", () => {
    expect(statusOf(graphFacts(), "global-admin-licence")).toBe("met");
    const teamMembers = graphFacts({
      globalAdministratorLicences: { ok: true, value: [{ skuId: "s", skuPartNumber: "TEAM", servicePlans: [{ ...TEAM_MEMBERS_PLAN, provisioningStatus: "Success" }] }] },
    });
    expect(part(teamMembers, "global-admin-licence")).toMatchObject({ status: "not-met", reason: { key: "Graph_Licence_OnlyOthers" } });
    expect(reasonKey(graphFacts({ globalAdministratorLicences: { ok: true, value: [] } }), "global-admin-licence")).toBe("Graph_Licence_None");
    expect(statusOf(graphFacts({ globalAdministratorLicences: { ok: false, failure: denied("User.Read.All") } }), "global-admin-licence")).toBe("cannot-check");
  });

  it("leaves the part to a person when the reading predates it", () => {
    expect(part(graphFacts({ globalAdministratorLicences: undefined }), "global-admin-licence")).toBeUndefined();
  });
});

describe("mfa-registration parts and partner-center/integration-mfa", () => {
  it("is met with a strong method and not met with only weak ones", () => {
    expect(statusOf(graphFacts(), "mfa-registration/service-account")).toBe("met");
    expect(statusOf(graphFacts(), "mfa-registration/global-administrator")).toBe("met");
    const weak = graphFacts();
    weak.serviceAccount.mfa = { ok: true, value: { methods: ["email", "password"], readFrom: "methods" } };
    expect(part(weak, "mfa-registration/service-account")).toMatchObject({ status: "not-met", reason: { key: "Graph_Mfa_NotRegistered" } });
  });

  it("is pending, not decided, for an account that is not in Entra ID yet", () => {
    const facts = graphFacts();
    facts.globalAdministrator.user = { ok: true, value: null };
    expect(part(facts, "mfa-registration/global-administrator")).toMatchObject({ status: "pending", decided: false, reason: { key: "Graph_Account_NotInEntra" } });
  });

  it("cannot be checked when neither the report nor the methods could be read", () => {
    const facts = graphFacts();
    facts.serviceAccount.mfa = { ok: false, failure: denied("UserAuthenticationMethod.Read.All") };
    expect(statusOf(facts, "mfa-registration/service-account")).toBe("cannot-check");
  });
});

describe("the registration report's answer", () => {
  it("decides on isMfaRegistered, naming what it lists even when the names are new", () => {
    const facts = graphFacts();
    facts.serviceAccount.mfa = { ok: true, value: { methods: ["someFutureMethod"], readFrom: "report", isMfaRegistered: true } };
    expect(part(facts, "mfa-registration/service-account")).toMatchObject({ status: "met", reason: { key: "Graph_Mfa_Registered", args: { methods: "someFutureMethod" } } });
    facts.serviceAccount.mfa = { ok: true, value: { methods: ["microsoftAuthenticatorPush"], readFrom: "report", isMfaRegistered: false } };
    expect(statusOf(facts, "mfa-registration/service-account")).toBe("not-met");
  });

  it("is no not-met on its own when it may lag behind and the methods could not be read: a person checks", () => {
    const facts = graphFacts();
    facts.serviceAccount.mfa = { ok: true, value: { methods: [], readFrom: "report", isMfaRegistered: false, reportMayLag: true } };
    expect(part(facts, "mfa-registration/service-account")).toMatchObject({ status: "needs-confirmation", decided: false, reason: { key: "Graph_Mfa_ReportMayLag" } });
    expect(statusOf(facts, "service-account-mfa")).toBe("needs-confirmation");
  });
});

describe("service-account-mfa: registered and enforced", () => {
  it("is met when security defaults are on and the account is an administrator (Global Administrator, or another role they cover)", () => {
    const facts = graphFacts({ securityDefaultsEnabled: { ok: true, value: true }, conditionalAccessPolicies: { ok: true, value: [] } });
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "met", reason: { key: "Graph_ServiceAccountMfa_Enforced" } });
    const userAdmin = graphFacts({
      securityDefaultsEnabled: { ok: true, value: true },
      globalAdminRole: { ok: true, value: { active: false, throughGroup: null, eligible: false } },
      serviceAccountMembership: { ok: true, value: { groupIds: [], roleTemplateIds: ["FE930BE7-5E62-47DB-91AF-98C3A49A38B1"] } },
    });
    expect(statusOf(userAdmin, "service-account-mfa")).toBe("met");
  });

  it("is not proven by security defaults for an account that is no longer an administrator, and says why", () => {
    const notAdmin = {
      securityDefaultsEnabled: { ok: true as const, value: true },
      globalAdminRole: { ok: true as const, value: { active: false, throughGroup: null, eligible: false } },
    };
    const facts = graphFacts(notAdmin);
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "needs-confirmation", decided: false, reason: { key: "Graph_ServiceAccountMfa_SecurityDefaultsNotAdmin" } });
    expect(mfaEnforcedByPolicy(facts)).toBe(false);
    // The membership unread: whether it is an administrator is unknown, so is enforcement.
    expect(mfaEnforcedByPolicy(graphFacts({ ...notAdmin, serviceAccountMembership: { ok: false, failure: denied("User.Read.All") } }))).toBe("unknown");
    // Per-user MFA enforced still proves it.
    expect(statusOf(graphFacts({ ...notAdmin, serviceAccountPerUserMfa: { ok: true, value: "enforced" } }), "service-account-mfa")).toBe("met");
  });

  it("is met by an enabled policy for All users and all cloud apps", () => {
    expect(statusOf(graphFacts(), "service-account-mfa")).toBe("met");
  });

  it("is met by per-user MFA when no policy proves it", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: true, value: [] }, serviceAccountPerUserMfa: { ok: true, value: "enforced" } });
    expect(reasonKey(facts, "service-account-mfa")).toBe("Graph_ServiceAccountMfa_PerUser");
  });

  it("is not met when no strong method is registered, whatever the policies", () => {
    const facts = graphFacts({ securityDefaultsEnabled: { ok: true, value: true } });
    facts.serviceAccount.mfa = { ok: true, value: { methods: [], readFrom: "report" } };
    expect(statusOf(facts, "service-account-mfa")).toBe("not-met");
  });

  it("needs a person when the only policies are report-only, saying so", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ state: "enabledForReportingButNotEnforced" })] } });
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "needs-confirmation", decided: false, reason: { key: "Graph_ServiceAccountMfa_ReportOnly" } });
  });

  it("is not proven by a policy that requires MFA only for some sign-ins (a location, a risk level…)", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ narrowedBy: ["locations"] })] } });
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "needs-confirmation", decided: false, reason: { key: "Graph_ServiceAccountMfa_NotProven" } });
  });

  it("needs a person when sign-in is federated, naming the domains", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: true, value: [] }, federatedDomains: { ok: true, value: ["contoso.com"] } });
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "needs-confirmation", reason: { key: "Graph_ServiceAccountMfa_Federated", args: { domains: "contoso.com" } } });
  });

  it("needs a person when nothing proves enforcement", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: true, value: [] }, serviceAccountPerUserMfa: { ok: true, value: "disabled" } });
    expect(reasonKey(facts, "service-account-mfa")).toBe("Graph_ServiceAccountMfa_NotProven");
  });

  it("cannot be checked when the policies could not be read for a missing permission", () => {
    const facts = graphFacts({ securityDefaultsEnabled: { ok: false, failure: denied("Policy.Read.All") }, conditionalAccessPolicies: { ok: false, failure: denied("Policy.Read.All") } });
    expect(part(facts, "service-account-mfa")).toMatchObject({ status: "cannot-check", reason: { args: { permission: "Policy.Read.All" } } });
  });

  it("treats a tenant without P1 as having no Conditional Access policies", () => {
    const facts = graphFacts({ conditionalAccessPolicies: { ok: false, failure: noPremium }, securityDefaultsEnabled: { ok: true, value: true } });
    expect(statusOf(facts, "service-account-mfa")).toBe("met");
    expect(mfaEnforcedByPolicy(graphFacts({ conditionalAccessPolicies: { ok: false, failure: noPremium } }))).toBe(false);
  });
});

describe("Conditional Access scoping", () => {
  const id = ENTRA_SERVICE_ACCOUNT_ID;
  const group = "9e000000-0000-4000-8000-000000000001";
  const role = "62e90394-69f5-4237-9190-012177145e10";

  it("covers the account directly, by group, by role and through All", () => {
    expect(policyCoversAccount(mfaPolicy({ includeUsers: [id] }), id, [], [])).toBe(true);
    expect(policyCoversAccount(mfaPolicy({ includeUsers: [], includeGroups: [group] }), id, [group], [])).toBe(true);
    expect(policyCoversAccount(mfaPolicy({ includeUsers: [], includeRoles: [role] }), id, [], [role])).toBe(true);
    expect(policyCoversAccount(mfaPolicy({ includeUsers: ["All"] }), id, [], [])).toBe(true);
  });

  it("does not cover an account it excludes by user, group or role, even under All", () => {
    expect(policyCoversAccount(mfaPolicy({ excludeUsers: [id] }), id, [], [])).toBe(false);
    expect(policyCoversAccount(mfaPolicy({ excludeGroups: [group] }), id, [group], [])).toBe(false);
    expect(policyCoversAccount(mfaPolicy({ excludeRoles: [role] }), id, [], [role])).toBe(false);
  });

  it("does not cover an account it neither includes nor can be resolved for, and says unknown for guests", () => {
    expect(policyCoversAccount(mfaPolicy({ includeUsers: ["None"] }), id, [], [])).toBe(false);
    expect(policyCoversAccount(mfaPolicy({ includeUsers: ["GuestsOrExternalUsers"] }), id, [], [])).toBe("unknown");
  });

  it("counts policies for all cloud apps or for Dataverse, unless they exclude it", () => {
    expect(policyCoversDynamics(mfaPolicy())).toBe(true);
    expect(policyCoversDynamics(mfaPolicy({ includeApplications: [DATAVERSE_APP_ID] }))).toBe(true);
    expect(policyCoversDynamics(mfaPolicy({ includeApplications: ["00000002-0000-0ff1-ce00-000000000000"] }))).toBe(false);
    expect(policyCoversDynamics(mfaPolicy({ excludeApplications: [DATAVERSE_APP_ID] }))).toBe(false);
  });

  it("ignores disabled policies and policies that do not require MFA", () => {
    const only = (p = mfaPolicy()) => mfaEnforcedByPolicy(graphFacts({ conditionalAccessPolicies: { ok: true, value: [p] } }));
    expect(only()).toBe(true);
    expect(only(mfaPolicy({ state: "disabled" }))).toBe(false);
    expect(only(mfaPolicy({ requiresMfa: false }))).toBe(false);
    expect(only(mfaPolicy({ state: "enabledForReportingButNotEnforced" }))).toBe(false);
  });

  it("is unknown when the account's groups could not be read and no policy covers it outright", () => {
    const facts = graphFacts({
      conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ includeUsers: [], includeGroups: [group] })] },
      serviceAccountMembership: { ok: false, failure: denied("Directory.Read.All") },
    });
    expect(mfaEnforcedByPolicy(facts)).toBe("unknown");
  });
});

describe("roles read as limited objects (ids only)", () => {
  const ROLE = "fe930be7-5e62-47db-91af-98c3a49a38b1";
  const byRole = (over: Partial<ReturnType<typeof mfaPolicy>>) => mfaPolicy({ includeUsers: [], ...over });
  it("cannot tell a policy scoped by role, but still decides one scoped by user or group", () => {
    expect(policyCoversAccount(byRole({ includeRoles: [ROLE] }), ENTRA_SERVICE_ACCOUNT_ID, [], [], true)).toBe("unknown");
    expect(policyCoversAccount(byRole({ includeRoles: [ROLE] }), ENTRA_SERVICE_ACCOUNT_ID, [], [], false)).toBe(false);
    expect(policyCoversAccount(mfaPolicy({ excludeRoles: [ROLE] }), ENTRA_SERVICE_ACCOUNT_ID, [], [], true)).toBe("unknown");
    expect(policyCoversAccount(byRole({ includeGroups: ["g1"] }), ENTRA_SERVICE_ACCOUNT_ID, ["g1"], [], true)).toBe(true);
  });

  it("leaves security defaults' administrator question open", () => {
    const facts = graphFacts({
      securityDefaultsEnabled: { ok: true, value: true },
      globalAdminRole: { ok: true, value: { active: false, throughGroup: null, eligible: false } },
      serviceAccountMembership: { ok: true, value: { groupIds: [], roleTemplateIds: [], rolesUnread: true } },
    });
    expect(mfaEnforcedByPolicy(facts)).toBe("unknown");
  });
});

describe("mfa-policies, tenant-wide, and the wait after them", () => {
  it("is met by security defaults, settled long ago", () => {
    const readings = readGraphFacts(graphFacts({ securityDefaultsEnabled: { ok: true, value: true } }), BEFORE);
    expect(readings.parts["mfa-policies"]).toMatchObject({ status: "met", reason: { key: "Graph_MfaPolicies_SecurityDefaults" } });
    expect(readings.policyWait).toMatchObject({ status: "met" });
  });

  it("is met by an enabled policy for all users; the wait runs from its last change", () => {
    const recent = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ changedAt: "2026-11-27T08:55:00Z" })] } });
    const readings = readGraphFacts(recent, BEFORE);
    expect(readings.parts["mfa-policies"].status).toBe("met");
    expect(readings.policyWait).toEqual(expect.objectContaining({ status: "pending", readyAt: "2026-11-27T09:05:00.000Z" }));
    expect(readGraphFacts(graphFacts(), BEFORE).policyWait?.status).toBe("met");
  });

  it("warns when an all-users policy requires MFA only for some sign-ins, naming it", () => {
    const narrowed = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ narrowedBy: ["signInRiskLevels"] })] } });
    expect(part(narrowed, "mfa-policies")).toMatchObject({ status: "warning", reason: { key: "Graph_MfaPolicies_SomeSignIns" } });
  });

  it("warns when MFA is required only for some users or only in report-only mode", () => {
    const some = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ includeUsers: [], includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] })] } });
    expect(part(some, "mfa-policies")).toMatchObject({ status: "warning", reason: { key: "Graph_MfaPolicies_SomeUsers" } });
    const reporting = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ state: "enabledForReportingButNotEnforced" })] } });
    expect(part(reporting, "mfa-policies")).toMatchObject({ status: "warning", reason: { key: "Graph_MfaPolicies_ReportOnly" } });
    expect(readGraphFacts(reporting, BEFORE).policyWait).toBeUndefined();
  });

  it("asks a person, never says not met, when no policy is seen", () => {
    const none = graphFacts({ conditionalAccessPolicies: { ok: false, failure: noPremium } });
    expect(part(none, "mfa-policies")).toMatchObject({ status: "needs-confirmation", decided: false, reason: { key: "Graph_MfaPolicies_NoneSeen" } });
  });

  it("cannot be checked when neither security defaults nor policies could be read", () => {
    const facts = graphFacts({ securityDefaultsEnabled: { ok: false, failure: denied("Policy.Read.All") }, conditionalAccessPolicies: { ok: false, failure: denied("Policy.Read.All") } });
    expect(statusOf(facts, "mfa-policies")).toBe("cannot-check");
  });
});

describe("global-admin parts", () => {
  const role = (active: boolean, eligible = false, throughGroup: string | null = null) =>
    graphFacts({ globalAdminRole: { ok: true, value: { active, eligible, throughGroup } } });

  it("before consent: active is granted, also through a group; only eligible asks to activate; neither is not met", () => {
    expect(part(role(true), "global-admin/granted")).toMatchObject({ status: "met", reason: { key: "Graph_GlobalAdmin_Active" } });
    expect(part(role(true, false, "Consent admins"), "global-admin/granted")?.reason.args?.how).toEqual({ key: "Graph_GlobalAdmin_ThroughGroup", args: { group: "Consent admins" } });
    expect(part(role(false, true), "global-admin/granted")).toMatchObject({ status: "needs-confirmation", reason: { key: "Graph_GlobalAdmin_OnlyEligible" } });
    expect(statusOf(role(false), "global-admin/granted")).toBe("not-met");
    expect(part(role(false), "global-admin/removed")).toBeUndefined();
  });

  it("an eligibility that could not be read (no P2, denied) does not hide what the active assignments say", () => {
    const unread = (active: boolean) => graphFacts({ globalAdminRole: { ok: true, value: { active, eligible: false, throughGroup: null, eligibilityUnread: true } } });
    expect(part(unread(false), "global-admin/granted")).toMatchObject({ status: "not-met", reason: { key: "Graph_GlobalAdmin_NotAssignedEligibilityUnread" } });
    expect(part(unread(true), "global-admin/granted")).toMatchObject({ status: "met", reason: { key: "Graph_GlobalAdmin_Active" } });
    expect(statusOf(unread(false), "global-admin/removed", AFTER)).toBe("met");
    expect(part(unread(true), "global-admin/removed", AFTER)).toMatchObject({ status: "not-met", reason: { key: "Graph_GlobalAdmin_StillActive" } });
  });

  it("after consent: still active is read as not removed", () => {
    expect(part(role(true), "global-admin/removed", AFTER)).toMatchObject({ status: "not-met", reason: { key: "Graph_GlobalAdmin_StillActive" } });
  });

  it("after consent: not active counts as removed only when read after consent was confirmed", () => {
    expect(statusOf(role(false), "global-admin/removed", AFTER)).toBe("met");
    expect(part(role(false), "global-admin/removed", { ...AFTER, readAt: "2026-11-27T07:00:00Z" })).toBeUndefined();
  });

  it("is pending while the service account is not in Entra ID", () => {
    const missing = role(false);
    missing.serviceAccount.user = { ok: true, value: null };
    expect(part(missing, "global-admin/granted")).toMatchObject({ status: "pending", decided: false });
    expect(part(missing, "global-admin/removed", AFTER)).toMatchObject({ status: "pending", decided: false });
  });

  it("cannot be checked without RoleManagement.Read.Directory, on the part the stage asks about", () => {
    const facts = graphFacts({ globalAdminRole: { ok: false, failure: denied("RoleManagement.Read.Directory") } });
    expect(statusOf(facts, "global-admin/granted")).toBe("cannot-check");
    expect(statusOf(facts, "global-admin/removed", AFTER)).toBe("cannot-check");
  });
});

describe("premium-licences", () => {
  const skus = (value: { skuPartNumber: string; capabilityStatus: string; consumedUnits: number; enabledUnits: number }[]) =>
    graphFacts({ premiumSubscriptions: { ok: true, value } });

  it("is not applicable when the tenant owns none, met when assigned, a warning when owned but unassigned", () => {
    expect(statusOf(skus([]), "premium-licences")).toBe("not-applicable");
    expect(statusOf(skus([{ skuPartNumber: "EMS", capabilityStatus: "Enabled", consumedUnits: 1, enabledUnits: 10 }]), "premium-licences")).toBe("met");
    expect(statusOf(skus([{ skuPartNumber: "AAD_PREMIUM_P2", capabilityStatus: "Enabled", consumedUnits: 0, enabledUnits: 10 }]), "premium-licences")).toBe("warning");
  });

  it("does not count a suspended subscription or one with no enabled units as owned", () => {
    expect(statusOf(skus([{ skuPartNumber: "AAD_PREMIUM", capabilityStatus: "Suspended", consumedUnits: 1, enabledUnits: 5 }]), "premium-licences")).toBe("not-applicable");
    expect(statusOf(skus([{ skuPartNumber: "AAD_PREMIUM", capabilityStatus: "Enabled", consumedUnits: 0, enabledUnits: 0 }]), "premium-licences")).toBe("not-applicable");
  });
});

describe("partner-center parts (1-Tier)", () => {
  const oneTier = (overrides: Partial<GraphFacts> = {}) =>
    graphFacts({
      integrationAccount: {
        upn: "pcintegration@contoso.com",
        user: { ok: true, value: { id: "5a000000-0000-4000-8000-000000000003", userPrincipalName: "pcintegration@contoso.com", displayName: "PC", accountEnabled: true } },
        mfa: { ok: true, value: { methods: ["softwareOneTimePasscode"], readFrom: "report" } },
        adminAgents: { ok: true, value: true },
      },
      nativeApp: {
        appId: "a9000000-0000-4000-8000-000000000001",
        app: { ok: true, value: { appId: "a9000000-0000-4000-8000-000000000001", displayName: "Work 365 PC", publicClient: true, requiredResourceAppIds: [PARTNER_CENTER_API_APP_IDS[0].id] } },
      },
      ...overrides,
    });

  it("is met part by part when everything is in place", () => {
    const parts = readGraphFacts(oneTier(), BEFORE).parts;
    expect(["integration-account", "admin-agent-role", "integration-mfa", "native-app"].map((p) => parts[`partner-center/${p}`]?.status)).toEqual(["met", "met", "met", "met"]);
  });

  it("is not met without AdminAgents membership, mentioning the newer wording", () => {
    const facts = oneTier();
    facts.integrationAccount!.adminAgents = { ok: true, value: false };
    expect(part(facts, "partner-center/admin-agent-role")).toMatchObject({ status: "not-met", reason: { key: "Graph_AdminAgents_NotMember" } });
  });

  it("says what the native app lacks, or that it is missing", () => {
    const app = (publicClient: boolean, ids: string[]) =>
      oneTier({ nativeApp: { appId: "x", app: { ok: true, value: { appId: "x", displayName: "App", publicClient, requiredResourceAppIds: ids } } } });
    expect(reasonKey(app(false, [PARTNER_CENTER_API_APP_IDS[0].id]), "partner-center/native-app")).toBe("Graph_NativeApp_NotPublic");
    expect(reasonKey(app(true, []), "partner-center/native-app")).toBe("Graph_NativeApp_NoPartnerCenterApi");
    expect(reasonKey(app(false, []), "partner-center/native-app")).toBe("Graph_NativeApp_NotPublicNoApi");
    expect(reasonKey(oneTier({ nativeApp: { appId: "x", app: { ok: true, value: null } } }), "partner-center/native-app")).toBe("Graph_NativeApp_NotFound");
  });

  it("is not met for a missing or disabled integration account", () => {
    const missing = oneTier();
    missing.integrationAccount!.user = { ok: true, value: null };
    expect(statusOf(missing, "partner-center/integration-account")).toBe("not-met");
    expect(part(missing, "partner-center/admin-agent-role")).toBeUndefined();
    const disabled = oneTier();
    disabled.integrationAccount!.user = { ok: true, value: { id: "i", userPrincipalName: "pc", displayName: "PC", accountEnabled: false } };
    expect(reasonKey(disabled, "partner-center/integration-account")).toBe("Graph_IntegrationAccount_Disabled");
  });

  it("reads nothing of Partner Center when the accounts were not given", () => {
    const parts = readGraphFacts(graphFacts(), BEFORE).parts;
    expect(Object.keys(parts).filter((k) => k.startsWith("partner-center/"))).toEqual([]);
  });
});

describe("evidence that only informs", () => {
  it("shows Work 365's service principal and whether it has admin consent", () => {
    const facts = graphFacts({
      work365ServicePrincipals: { ok: true, value: [{ appId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd", displayName: "Work 365", adminConsent: true }] },
    });
    expect(readGraphFacts(facts, BEFORE).consentEvidence).toEqual([
      { key: "Graph_Consent_Granted", args: { name: "Work 365", appId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd" } },
    ]);
  });

  it("tells whether the service account exists in Entra ID", () => {
    expect(readGraphFacts(graphFacts(), BEFORE).serviceAccountInEntra).toBe(true);
    const missing = graphFacts();
    missing.serviceAccount.user = { ok: true, value: null };
    expect(readGraphFacts(missing, BEFORE).serviceAccountInEntra).toBe(false);
  });
});
