/**
 * Test support (no test itself): one Contoso tenant as Graph answers it, ready for Work 365
 * (2-Tier), in the fake's route table. Ids are upper-case on purpose: the reader lower-cases them.
 */
import type { FakeRoute } from "./fakeGraph";

export const GA_ROLE = "62e90394-69f5-4237-9190-012177145e10";
export const TENANT_ID = "7E7E7E7E-0000-4000-8000-000000000003";
export const ME_ID = "D1D1D1D1-0000-4000-8000-000000000001";
export const SA_ID = "5A5A5A5A-0000-4000-8000-000000000002";
export const IA_ID = "1A1A1A1A-0000-4000-8000-000000000004";
export const GROUP_ID = "60606060-0000-4000-8000-000000000005";
export const ROLE_GROUP_ID = "70707070-0000-4000-8000-000000000006";
export const BREAK_GLASS_ID = "B0B0B0B0-0000-4000-8000-000000000007";
export const POLICY_ID = "C0C0C0C0-0000-4000-8000-000000000008";
export const SP_ID = "E0E0E0E0-0000-4000-8000-000000000009";
export const NATIVE_APP_ID = "3C3C3C3C-0000-4000-8000-00000000000A";
export const SALES_PLAN_ID = "2DA8E897-7791-486B-B08F-CC63C8129DF7";
export const AAD_PREMIUM_PLAN_ID = "41781FB2-BC02-4B7C-BD55-B576C07BB09D";
export const WORK365_US_APP_ID = "e4b1a995-abe3-4350-a61c-65fccd32e8bd";
export const PARTNER_CENTER_API = "FA3D9A0C-3FB0-42CC-9193-47C7ECD2EDBD";

export const SA_UPN = "w365serv@contoso.com";
export const GA_UPN = "dana@contoso.com";
export const IA_UPN = "pc-integration@contoso.com";

/** Route keys: the paths the reader sends (UPNs percent-encoded). */
export const P = {
  me: "/me",
  organization: "/organization",
  sa: "/users/w365serv%40contoso.com",
  saLicences: "/users/w365serv%40contoso.com/licenseDetails",
  gaLicences: "/users/dana%40contoso.com/licenseDetails",
  meLicences: "/me/licenseDetails",
  saMemberOf: "/users/w365serv%40contoso.com/transitiveMemberOf",
  saMethods: "/users/w365serv%40contoso.com/authentication/methods",
  report: "/reports/authenticationMethods/userRegistrationDetails",
  ga: "/users/dana%40contoso.com",
  gaMethods: "/users/dana%40contoso.com/authentication/methods",
  roleAssignments: "/roleManagement/directory/roleAssignments",
  roleEligibility: "/roleManagement/directory/roleEligibilityScheduleInstances",
  securityDefaults: "/policies/identitySecurityDefaultsEnforcementPolicy",
  policies: "/identity/conditionalAccess/policies",
  domains: "/domains",
  skus: "/subscribedSkus",
  servicePrincipals: "/servicePrincipals",
  ia: "/users/pc-integration%40contoso.com",
  iaMemberOf: "/users/pc-integration%40contoso.com/memberOf",
  iaMethods: "/users/pc-integration%40contoso.com/authentication/methods",
  nativeApp: `/applications(appId='${NATIVE_APP_ID}')`,
  roleGroupMembers: `/groups/${ROLE_GROUP_ID.toLowerCase()}/transitiveMembers`,
  spGrants: `/servicePrincipals/${SP_ID.toLowerCase()}/oauth2PermissionGrants`,
  spAppRoles: `/servicePrincipals/${SP_ID.toLowerCase()}/appRoleAssignments`,
  perUserMfa: `/beta/users/${SA_ID.toLowerCase()}/authentication/requirements`,
};

export const list = (...value: unknown[]) => ({ body: { value } });

/**
 * The MFA registration report as Learn documents its `$filter`: `userPrincipalName eq '<upn>'`
 * answers that account's row; `or`, `$select` or anything else is refused (400), so a test fails
 * if the reader sends them.
 */
export function registrationReport(...rows: ({ userPrincipalName: string } & Record<string, unknown>)[]): FakeRoute {
  return ({ url }) => {
    const query = new URLSearchParams(url.slice(url.indexOf("?") + 1));
    const eq = /^userPrincipalName eq '((?:[^']|'')*)'$/.exec(query.get("$filter") ?? "");
    if (!eq || [...query.keys()].some((k) => k !== "$filter")) {
      return { status: 400, body: { error: { code: "BadRequest", message: `Invalid filter clause (fake): ${url}` } } };
    }
    const upn = eq[1].replace(/''/g, "'").toLowerCase();
    return list(...rows.filter((r) => r.userPrincipalName.toLowerCase() === upn));
  };
}

export const MFA_FOR_ALL_POLICY = {
  id: POLICY_ID,
  displayName: "Require MFA for all users",
  state: "enabled",
  conditions: {
    users: {
      includeUsers: ["All"],
      excludeUsers: [BREAK_GLASS_ID],
      includeGroups: [],
      excludeGroups: [],
      includeRoles: [],
      excludeRoles: [],
    },
    applications: { includeApplications: ["All"], excludeApplications: [] },
  },
  grantControls: { operator: "OR", builtInControls: ["mfa"], authenticationStrength: null },
  createdDateTime: "2024-01-10T08:00:00Z",
  modifiedDateTime: "2024-03-01T09:30:00Z",
};

export const REPORT_ONLY_STRENGTH_POLICY = {
  id: "C1C1C1C1-0000-4000-8000-000000000010",
  displayName: "Phishing-resistant MFA for admins (report-only)",
  state: "enabledForReportingButNotEnforced",
  conditions: {
    users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [GA_ROLE.toUpperCase()], excludeRoles: [] },
    applications: { includeApplications: ["00000007-0000-0000-C000-000000000000"], excludeApplications: [] },
  },
  grantControls: { operator: "AND", builtInControls: [], authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA", requirementsSatisfied: "mfa" } },
  createdDateTime: "2024-05-02T10:00:00Z",
  modifiedDateTime: null,
};

const saUser = { id: SA_ID, userPrincipalName: SA_UPN, displayName: "W365 Service", accountEnabled: true };
const gaUser = { id: ME_ID, userPrincipalName: GA_UPN, displayName: "Dana Admin", accountEnabled: true };

/** The Global Administrator's licence: Dynamics 365 Sales, to sign in to CRM for the consent. */
const gaLicences = list({
  skuId: "1E1E1E1E-0000-4000-8000-00000000000B",
  skuPartNumber: "DYN365_ENTERPRISE_SALES",
  servicePlans: [{ servicePlanId: SALES_PLAN_ID, servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success", appliesTo: "User" }],
});

/** The tenant: 2-Tier, ready before consent; `over` replaces routes. */
export function contoso(over: Record<string, FakeRoute> = {}): Record<string, FakeRoute> {
  return {
    [P.me]: { body: { id: ME_ID, userPrincipalName: GA_UPN, displayName: "Dana Admin" } },
    [P.organization]: list({ id: TENANT_ID }),
    [P.sa]: { body: saUser },
    [P.saLicences]: list({
      skuId: "1E1E1E1E-0000-4000-8000-00000000000B",
      skuPartNumber: "DYN365_ENTERPRISE_SALES",
      servicePlans: [
        { servicePlanId: SALES_PLAN_ID, servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success", appliesTo: "User" },
      ],
    }),
    [P.gaLicences]: gaLicences,
    [P.meLicences]: gaLicences,
    [P.saMemberOf]: list(
      { "@odata.type": "#microsoft.graph.group", id: GROUP_ID, displayName: "Dynamics users" },
      { "@odata.type": "#microsoft.graph.directoryRole", id: "80808080-0000-4000-8000-00000000000C", displayName: "Global Administrator", roleTemplateId: GA_ROLE.toUpperCase() },
    ),
    [P.report]: registrationReport(
      { id: SA_ID, userPrincipalName: SA_UPN, isMfaRegistered: true, methodsRegistered: ["microsoftAuthenticatorPush", "email"] },
      { id: ME_ID, userPrincipalName: "Dana@Contoso.com", isMfaRegistered: true, methodsRegistered: ["fido2"] },
    ),
    [P.ga]: { body: gaUser },
    [P.roleAssignments]: list(
      {
        id: "ra1",
        roleDefinitionId: GA_ROLE,
        principalId: SA_ID,
        directoryScopeId: "/",
        principal: { "@odata.type": "#microsoft.graph.user", id: SA_ID, userPrincipalName: SA_UPN },
      },
      {
        id: "ra2",
        roleDefinitionId: GA_ROLE,
        principalId: ME_ID,
        directoryScopeId: "/",
        principal: { "@odata.type": "#microsoft.graph.user", id: ME_ID, userPrincipalName: GA_UPN },
      },
    ),
    [P.roleEligibility]: list(),
    [P.securityDefaults]: { body: { isEnabled: false } },
    [P.policies]: list(MFA_FOR_ALL_POLICY, REPORT_ONLY_STRENGTH_POLICY),
    [P.domains]: list({ id: "contoso.com", authenticationType: "Managed" }, { id: "corp.contoso.com", authenticationType: "Federated" }),
    [P.skus]: list(
      {
        skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4",
        skuPartNumber: "AAD_PREMIUM",
        capabilityStatus: "Enabled",
        consumedUnits: 3,
        prepaidUnits: { enabled: 25, suspended: 0, warning: 0 },
        servicePlans: [{ servicePlanId: AAD_PREMIUM_PLAN_ID, servicePlanName: "AAD_PREMIUM" }],
      },
      {
        skuId: "18181a46-0d4e-45cd-891e-60aabd171b4e",
        skuPartNumber: "STANDARDPACK",
        capabilityStatus: "Enabled",
        consumedUnits: 10,
        prepaidUnits: { enabled: 10, suspended: 0, warning: 0 },
        servicePlans: [{ servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c", servicePlanName: "EXCHANGE_S_STANDARD" }],
      },
    ),
    [P.servicePrincipals]: list(),
    ...over,
  };
}

/** 1-Tier additions: the integration account, its groups, the native app. */
export function partnerRoutes(): Record<string, FakeRoute> {
  return {
    [P.ia]: { body: { id: IA_ID, userPrincipalName: IA_UPN, displayName: "Partner Center integration", accountEnabled: true } },
    [P.iaMemberOf]: list(
      { "@odata.type": "#microsoft.graph.group", id: "90909090-0000-4000-8000-00000000000D", displayName: "adminagents" },
      { "@odata.type": "#microsoft.graph.group", id: "91919191-0000-4000-8000-00000000000E", displayName: "SalesAgents" },
    ),
    [P.nativeApp]: {
      body: {
        appId: NATIVE_APP_ID,
        displayName: "Work 365 Partner Center",
        isFallbackPublicClient: false,
        publicClient: { redirectUris: ["urn:ietf:wg:oauth:2.0:oob"] },
        requiredResourceAccess: [
          { resourceAppId: PARTNER_CENTER_API, resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }] },
          { resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }] },
        ],
      },
    },
  };
}
