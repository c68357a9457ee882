/** Builders for tests: a healthy environment, to be spoiled one fact at a time. */
import { SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID } from "./catalogue";
import { resolveSettings, setConfirmation } from "./state";
import type { ConditionalAccessPolicy, GraphEvidence, GraphFacts } from "./graph";
import type { ChecklistSettings, ChecklistState, EnvironmentFacts, ReadFailure, RoleRow, SolutionRow, UserRow } from "./types";

export const SERVICE_ACCOUNT: UserRow = {
  id: "0c3a5d4e-1111-4c1e-9a55-000000000001",
  fullName: "Work 365 Service",
  domainName: "w365serv@contoso.com",
  isDisabled: false,
  isLicensed: true,
  accessMode: 0,
};

export const SYSTEM_ADMINISTRATOR: RoleRow = {
  id: "a1000000-0000-0000-0000-000000000001",
  name: "System Administrator",
  roleTemplateId: SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID,
  businessUnitId: "b1000000-0000-0000-0000-000000000001",
};

export const SALES_ROLE: RoleRow = {
  id: "a1000000-0000-0000-0000-000000000002",
  name: "Work 365 Sales",
  roleTemplateId: null,
  businessUnitId: "b1000000-0000-0000-0000-000000000001",
};

export const WORK365: SolutionRow = {
  id: "50000000-0000-0000-0000-000000000001",
  uniqueName: "Work365",
  friendlyName: "Work 365",
  version: "4.5.0.12",
  installedOn: "2026-11-01T10:00:00Z",
  createdById: SERVICE_ACCOUNT.id,
  createdByName: SERVICE_ACCOUNT.fullName,
};

export const ADMIN: { id: string; name: string } = { id: "9a000000-0000-0000-0000-00000000000a", name: "Dana Admin" };

export const failure = (kind: ReadFailure["kind"], privilege?: string): ReadFailure => ({
  kind,
  privilege,
  detail: `${kind} from test`,
});

/** Ready to install: the account exists with the System Administrator role and English is on. */
export function facts(overrides: Partial<EnvironmentFacts> = {}): EnvironmentFacts {
  return {
    serviceAccount: { ok: true, value: SERVICE_ACCOUNT },
    work365ApplicationUsers: { ok: true, value: [] },
    rolesHeld: { found: [SYSTEM_ADMINISTRATOR] },
    profilesHeld: { found: [] },
    work365Solutions: { ok: true, value: [] },
    provisionedLanguages: { ok: true, value: [1033] },
    personalSettings: { ok: true, value: { localeId: 1033, timeZoneCode: 35, timeZoneName: "(GMT-05:00) Eastern Time (US & Canada)" } },
    ...overrides,
  };
}

export function settings(overrides: Partial<ChecklistSettings> = {}): ChecklistSettings {
  return {
    ...resolveSettings({ serviceAccountUpn: SERVICE_ACCOUNT.domainName }, {}),
    ...overrides,
  };
}

/** Tick keys at a time (default: an hour before `now` in tests). */
export function ticked(keys: string[], at = new Date("2026-11-27T08:00:00Z"), state?: ChecklistState): ChecklistState {
  let next: ChecklistState = state ?? { version: 1, settings: {}, confirmations: {} };
  for (const key of keys) {
    const answer = key === "premium-licences" ? "assigned" : undefined;
    next = setConfirmation(next, { key, confirmed: true, answer }, ADMIN, at);
  }
  return next;
}

/** Every human confirmation needed before install. */
export const BEFORE_INSTALL_TICKS = [
  "premium-licences",
  "mfa-policies",
  "mfa-registration/service-account",
  "mfa-registration/global-administrator",
  "service-account-licence/customer-engagement",
  "service-account-mfa",
  "service-account-settings/time-zone",
  "global-admin/granted",
  "global-admin-licence",
];

/** Entra ID as the preflight reads it for a tenant ready to install: every Graph item clears. */
export const ENTRA_SERVICE_ACCOUNT_ID = "5a000000-0000-4000-8000-000000000001";
export const ENTRA_GLOBAL_ADMIN_ID = "5a000000-0000-4000-8000-000000000002";
export const SALES_ENTERPRISE_PLAN = { servicePlanId: "2da8e897-7791-486b-b08f-cc63c8129df7", servicePlanName: "DYN365_ENTERPRISE_SALES" };
export const TEAM_MEMBERS_PLAN = { servicePlanId: "6a54b05e-4fab-40e7-9828-428db3b336fa", servicePlanName: "DYN365_ENTERPRISE_TEAM_MEMBERS" };

export function mfaPolicy(overrides: Partial<ConditionalAccessPolicy> = {}): ConditionalAccessPolicy {
  return {
    id: "ca000000-0000-4000-8000-000000000001",
    displayName: "Require MFA for all users",
    state: "enabled",
    requiresMfa: true,
    includeUsers: ["All"],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    includeApplications: ["All"],
    excludeApplications: [],
    changedAt: "2026-11-20T08:00:00Z",
    ...overrides,
  };
}

export function graphFacts(overrides: Partial<GraphFacts> = {}): GraphFacts {
  const user = (id: string, upn: string, displayName: string) => ({ ok: true as const, value: { id, userPrincipalName: upn, displayName, accountEnabled: true } });
  return {
    tenantId: "7e000000-0000-4000-8000-000000000001",
    serviceAccount: {
      upn: SERVICE_ACCOUNT.domainName,
      user: user(ENTRA_SERVICE_ACCOUNT_ID, SERVICE_ACCOUNT.domainName, SERVICE_ACCOUNT.fullName),
      mfa: { ok: true, value: { methods: ["microsoftAuthenticatorPush"], readFrom: "report" } },
    },
    serviceAccountLicences: {
      ok: true,
      value: [{ skuId: "1e1a282c-9c54-43a2-9310-98ef728faace", skuPartNumber: "DYN365_ENTERPRISE_SALES", servicePlans: [{ ...SALES_ENTERPRISE_PLAN, provisioningStatus: "Success" }] }],
    },
    serviceAccountMembership: { ok: true, value: { groupIds: [], roleTemplateIds: [] } },
    globalAdministrator: {
      upn: "dana@contoso.com",
      user: user(ENTRA_GLOBAL_ADMIN_ID, "dana@contoso.com", "Dana Admin"),
      mfa: { ok: true, value: { methods: ["mobilePhone"], readFrom: "report" } },
    },
    globalAdministratorLicences: {
      ok: true,
      value: [{ skuId: "1e1a282c-9c54-43a2-9310-98ef728faace", skuPartNumber: "DYN365_ENTERPRISE_SALES", servicePlans: [{ ...SALES_ENTERPRISE_PLAN, provisioningStatus: "Success" }] }],
    },
    globalAdminRole: { ok: true, value: { active: true, throughGroup: null, eligible: false } },
    securityDefaultsEnabled: { ok: true, value: false },
    conditionalAccessPolicies: { ok: true, value: [mfaPolicy()] },
    federatedDomains: { ok: true, value: [] },
    premiumSubscriptions: { ok: true, value: [{ skuPartNumber: "AAD_PREMIUM", capabilityStatus: "Enabled", consumedUnits: 3, enabledUnits: 5 }] },
    work365ServicePrincipals: { ok: true, value: [] },
    ...overrides,
  };
}

export function graphEvidence(facts: GraphFacts = graphFacts(), readAt = "2026-11-27T08:30:00Z"): GraphEvidence {
  return { readAt, by: { upn: "dana@contoso.com", name: "Dana Admin" }, tool: "w365-preflight 1.0.0", tenantId: facts.tenantId, facts };
}
