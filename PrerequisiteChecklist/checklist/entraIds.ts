/**
 * Microsoft's published identifiers that the Graph rules rely on, each with the page it was
 * checked against. Domain data only: no I/O, no React, no Node (bundled into the control too).
 *
 * A value that could not be confirmed on a Microsoft page says so (`confirmed: false` or a note),
 * and where it came from. Work 365's own application ids live in catalogue.ts.
 */

/**
 * The source of every plan and SKU below: "Product names and service plan identifiers for
 * licensing". Each entry's comment gives the plan's display name and the products that carry it;
 * they stay comments so that the control's bundle carries only the ids.
 */
export const LICENSING_PAGE = "https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference";

/** A service plan as Graph reports it in licenseDetails.servicePlans / subscribedSkus.servicePlans. */
export interface ServicePlan {
  servicePlanName: string;
  /** Lower-case GUID, as Graph returns it. */
  servicePlanId: string;
}

/** A product (SKU) as Graph reports it in licenseDetails / subscribedSkus. */
export interface Sku {
  skuPartNumber: string;
  skuId: string;
}

/**
 * Service plans that mean a Dynamics 365 Customer Engagement app licence (checked on the
 * licensing page, "last updated October 29, 2025"). Sales Premium carries DYN365_ENTERPRISE_SALES;
 * "Dynamics 365 Plan" is the SKU DYN365_ENTERPRISE_PLAN1, whose CE plan is DYN365_ENTERPRISE_P1.
 * Government (GCC) variants and viral trials are left out on purpose.
 * Caution: the Team Members SKUs also carry DYN365_ENTERPRISE_FIELD_SERVICE; see TEAM_MEMBERS_SKUS.
 */
export const CUSTOMER_ENGAGEMENT_SERVICE_PLANS: readonly ServicePlan[] = [
  // Dynamics 365 for Sales: Dynamics 365 for Sales Enterprise Edition, Dynamics 365 Sales Premium, Dynamics 365 Multi-app
  { servicePlanName: "DYN365_ENTERPRISE_SALES", servicePlanId: "2da8e897-7791-486b-b08f-cc63c8129df7" },
  // Dynamics 365 for Sales Professional: Dynamics 365 for Sales Professional
  { servicePlanName: "DYN365_SALES_PRO", servicePlanId: "88d83950-ff78-4e85-aa66-abfc787f8090" },
  // Dynamics 365 for Sales Enterprise Attach: Dynamics 365 Sales Enterprise Attach to Qualifying Dynamics 365 Base Offer
  { servicePlanName: "D365_SALES_ENT_ATTACH", servicePlanId: "3ae52229-572e-414f-937c-ff35a87d4f29" },
  // Dynamics 365 for Sales Pro Attach: Dynamics 365 for Sales Professional Attach to Qualifying Dynamics 365 Base Offer
  { servicePlanName: "D365_SALES_PRO_ATTACH", servicePlanId: "065f3c64-0649-4ec7-9f47-ef5cf134c751" },
  // Dynamics 365 for Customer Service: Dynamics 365 for Customer Service Enterprise Edition, Dynamics 365 Multi-app
  { servicePlanName: "DYN365_ENTERPRISE_CUSTOMER_SERVICE", servicePlanId: "99340b49-fb81-4b1e-976b-8f2ae8e9394f" },
  // Dynamics 365 for Customer Service Pro: Dynamics 365 Customer Service Professional
  { servicePlanName: "DYN365_CUSTOMER_SERVICE_PRO", servicePlanId: "6929f657-b31b-4947-b4ce-5066c3214f54" },
  // Dynamics 365 for Customer Service Enterprise Attach: Dynamics 365 for Customer Service Enterprise Attach to Qualifying Dynamics 365 Base Offer A
  { servicePlanName: "D365_CUSTOMER_SERVICE_ENT_ATTACH", servicePlanId: "61a2665f-1873-488c-9199-c3d0bc213fdf" },
  // Dynamics 365 for Customer Service Pro Attach: Dynamics 365 for Customer Service Professional Attach to Qualifying Dynamics 365 Base Offer
  { servicePlanName: "D365_CUSTOMER_SERVICE_PRO_ATTACH", servicePlanId: "a9dd2dca-10ae-4da2-aaf0-d3fe8a825110" },
  // Dynamics 365 for Field Service: Dynamics 365 for Field Service Enterprise Edition, Dynamics 365 Plan 1 Enterprise Edition, Dynamics 365 Multi-app
  { servicePlanName: "DYN365_ENTERPRISE_FIELD_SERVICE", servicePlanId: "8c66ef8a-177f-4c0d-853c-d4f219331d09" },
  // Dynamics 365 for Field Service Attach: Dynamics 365 for Field Service Attach to Qualifying Dynamics 365 Base Offer
  { servicePlanName: "D365_FIELD_SERVICE_ATTACH", servicePlanId: "55c9148b-d5f0-4101-b5a0-b2727cfc0916" },
  // Dynamics 365 Project Operations: Dynamics 365 Project Operations, Dynamics 365 Project Operations Attach, Dynamics 365 Plan 1 Enterprise Edition
  { servicePlanName: "D365_ProjectOperations", servicePlanId: "69f07c66-bee4-4222-b051-195095efee5b" },
  // Dynamics 365 Project Operations Attach: Dynamics 365 Project Operations Attach
  { servicePlanName: "D365_ProjectOperationsAttach", servicePlanId: "fa7675bd-6717-40e7-8172-d0bbcbe1ab12" },
  // Dynamics 365 Customer Engagement Plan: Dynamics 365 Plan 1 Enterprise Edition (DYN365_ENTERPRISE_PLAN1), Dynamics 365 for Sales and Customer Service Enterprise Edition
  { servicePlanName: "DYN365_ENTERPRISE_P1", servicePlanId: "d56f3deb-50d8-465a-bedb-f079817ccac1" },
];

/**
 * Plans that look like Dynamics but are not a Customer Engagement app licence, so a rule can say
 * what it found ("only Team Members", "only Power Apps").
 */
export const NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS: readonly ServicePlan[] = [
  // Dynamics 365 for Team Members: Dynamics 365 for Team Members Enterprise Edition
  { servicePlanName: "DYN365_ENTERPRISE_TEAM_MEMBERS", servicePlanId: "6a54b05e-4fab-40e7-9828-428db3b336fa" },
  // Dynamics 365 Team Members: Dynamics 365 Team Members_wDynamicsRetail
  { servicePlanName: "DYN365_TEAM_MEMBERS", servicePlanId: "4092fdb5-8d81-41d3-be76-aaba4074530b" },
  // Power Apps for Dynamics 365 (Team Members): Dynamics 365 for Team Members Enterprise Edition, Dynamics 365 Team Members_wDynamicsRetail
  { servicePlanName: "POWERAPPS_DYN_TEAM", servicePlanId: "52e619e2-2730-439a-b0d3-d09ab7e8b705" },
  // Power Apps for Dynamics 365: comes with every CE SKU too; alone it is not an app licence.
  { servicePlanName: "POWERAPPS_DYN_APPS", servicePlanId: "874fc546-6efe-4d22-90b8-5c4e7aa59f4b" },
  // Power Apps per User Plan: Power Apps Per User BD Only
  { servicePlanName: "POWERAPPS_PER_USER", servicePlanId: "ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86" },
  // Power Apps per App Plan: Power Apps per app Plan
  { servicePlanName: "POWERAPPS_PER_APP", servicePlanId: "b4f657ff-d83e-4053-909d-baa2b595ec97" },
  // Power Apps per app: Power Apps per app Plan (1 app or portal)
  { servicePlanName: "POWERAPPS_PER_APP_NEW", servicePlanId: "14f8dac2-0784-4daa-9cb2-6d670b088d64" },
  // Power Apps for Office 365: Office 365 and Microsoft 365 suites (see the licensing page)
  { servicePlanName: "POWERAPPS_O365_P1", servicePlanId: "92f7a6f3-b89b-4bbd-8c30-809e6da5ad1c" },
  // Power Apps for Office 365: Microsoft 365 A3 for faculty, other Office 365 and Microsoft 365 suites
  { servicePlanName: "POWERAPPS_O365_P2", servicePlanId: "c68f8d98-5534-41c8-bf36-22fa496fa792" },
  // Power Apps for Office 365 (Plan 3): Office 365 E5 EEA (no Teams), other E5 suites
  { servicePlanName: "POWERAPPS_O365_P3", servicePlanId: "9c0dab89-a30c-4117-86e7-97bda240acd2" },
  // Common Data Service for Teams (Dataverse for Teams): Office 365 and Microsoft 365 suites (see the licensing page)
  { servicePlanName: "CDS_O365_P1", servicePlanId: "bed136c6-b799-4462-824d-fc045d3a9d25" },
  // Common Data Service for Teams (Dataverse for Teams): Microsoft 365 A3 for faculty, other Office 365 and Microsoft 365 suites
  { servicePlanName: "CDS_O365_P2", servicePlanId: "95b76021-6a53-4741-ab8b-1d1f3d66a95a" },
  // Common Data Service for Teams (Dataverse for Teams): Office 365 E5 EEA (no Teams), other E5 suites
  { servicePlanName: "CDS_O365_P3", servicePlanId: "afa73018-811e-46e9-988f-f75d2b1b8430" },
];

/**
 * Team Members SKUs. They carry DYN365_ENTERPRISE_FIELD_SERVICE (a CE plan) beside the Team
 * Members plan, so a plan under one of these SKUs is not a CE app licence.
 */
export const TEAM_MEMBERS_SKUS: readonly Sku[] = [
  // Dynamics 365 for Team Members Enterprise Edition
  { skuPartNumber: "DYN365_ENTERPRISE_TEAM_MEMBERS", skuId: "8e7a3d30-d97d-43ab-837c-d7701cef83dc" },
  // Dynamics 365 Team Members_wDynamicsRetail
  { skuPartNumber: "DYN365_TEAM_MEMBERS", skuId: "7ac9fe77-66b7-4e5e-9e46-10eed1cff547" },
];

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** What one assigned plan means for the service-account licence, taking the SKU it came with into account. */
export function classifyServicePlan(skuId: string, servicePlanId: string): "customer-engagement" | "not-customer-engagement" | "other" {
  const underTeamMembers = TEAM_MEMBERS_SKUS.some((sku) => sameId(sku.skuId, skuId));
  if (!underTeamMembers && CUSTOMER_ENGAGEMENT_SERVICE_PLANS.some((plan) => sameId(plan.servicePlanId, servicePlanId))) return "customer-engagement";
  if (underTeamMembers || NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS.some((plan) => sameId(plan.servicePlanId, servicePlanId))) return "not-customer-engagement";
  return "other";
}

/**
 * Microsoft Entra ID P1 and P2 service plans. Any SKU carrying one counts (the licensing page lists
 * AAD_PREMIUM in EMS E3/E5 and in the Entra ID P1/P2 products, AAD_PREMIUM_P2 in EMS E5 and Entra ID P2).
 */
export const ENTRA_PREMIUM_SERVICE_PLANS: readonly ServicePlan[] = [
  // Microsoft Entra ID P1: Microsoft Entra ID P1, Microsoft Entra ID P2, Enterprise Mobility + Security E3, Enterprise Mobility + Security E5
  { servicePlanName: "AAD_PREMIUM", servicePlanId: "41781fb2-bc02-4b7c-bd55-b576c07bb09d" },
  // Microsoft Entra ID P2: Microsoft Entra ID P2, Enterprise Mobility + Security E5
  { servicePlanName: "AAD_PREMIUM_P2", servicePlanId: "eec0eb4f-6444-4f95-aba0-50c24d67f998" },
];

/* ---------------------------------------------------------------------------------------------
 * MFA methods. Strong = usable as a second factor (MFA) per "Authentication and verification
 * methods in Microsoft Entra ID" (its table: password and QR code are primary only; email and
 * security questions are SSPR only). Temporary Access Pass is time-limited onboarding/recovery,
 * so it does not count as a standing registration.
 * Registration names: userRegistrationDetails.methodsRegistered, whose vocabulary is the
 * usageAuthMethod enumeration (beta reference page). Types: the v1.0 authenticationMethod
 * derived types (checked in the v1.0 CSDL; hardwareOathAuthenticationMethod is beta only).
 * ------------------------------------------------------------------------------------------- */

export const MFA_METHOD_SOURCES: readonly string[] = [
  "https://learn.microsoft.com/en-us/entra/identity/authentication/concept-authentication-methods",
  "https://learn.microsoft.com/en-us/graph/api/resources/userregistrationdetails",
  "https://learn.microsoft.com/en-us/graph/api/resources/usageauthmethod?view=graph-rest-beta",
  "https://learn.microsoft.com/en-us/graph/api/resources/authenticationmethods-overview",
];

const GRAPH_TYPE = "#microsoft.graph.";

/** Methods that count as a strong (MFA-capable) registration, in both forms. */
export const STRONG_MFA_METHODS: readonly string[] = [
  // methodsRegistered values
  "microsoftAuthenticatorPush",
  "microsoftAuthenticatorPasswordless",
  "softwareOneTimePasscode",
  "hardwareOneTimePasscode",
  "mobilePhone",
  "alternateMobilePhone",
  "officePhone",
  "sms",
  "fido2", // the v1.0 page's own example value
  "fido2SecurityKey",
  "passKeyDeviceBound",
  "passKeyDeviceBoundAuthenticator",
  "passKeyDeviceBoundWindowsHello",
  "passKeySynced",
  "windowsHelloForBusiness",
  "macOsSecureEnclaveKey", // Platform Credential for macOS
  "externalAuthMethod", // external authentication methods: MFA only
  // authenticationMethod @odata.type values
  `${GRAPH_TYPE}microsoftAuthenticatorAuthenticationMethod`,
  `${GRAPH_TYPE}phoneAuthenticationMethod`,
  `${GRAPH_TYPE}fido2AuthenticationMethod`,
  `${GRAPH_TYPE}softwareOathAuthenticationMethod`,
  `${GRAPH_TYPE}windowsHelloForBusinessAuthenticationMethod`,
  `${GRAPH_TYPE}platformCredentialAuthenticationMethod`,
  `${GRAPH_TYPE}externalAuthenticationMethod`,
];

/** Methods a user can have registered that do not make MFA possible, in both forms. */
export const NOT_STRONG_MFA_METHODS: readonly string[] = [
  "email",
  "securityQuestion",
  "temporaryAccessPass",
  "password",
  "appPassword",
  "qrCode",
  `${GRAPH_TYPE}passwordAuthenticationMethod`,
  `${GRAPH_TYPE}emailAuthenticationMethod`,
  `${GRAPH_TYPE}temporaryAccessPassAuthenticationMethod`,
  `${GRAPH_TYPE}qrCodePinAuthenticationMethod`,
];

/** "#microsoft.graph.fooAuthenticationMethod", "microsoft.graph.foo…" and "foo…" compare equal, in any case. */
function methodKey(name: string): string {
  return name.trim().toLowerCase().replace(/^#/, "").replace(/^microsoft\.graph\./, "");
}

const STRONG_KEYS = new Set(STRONG_MFA_METHODS.map(methodKey));

/** Whether a methodsRegistered value or an authenticationMethod @odata.type is a strong method. Unknown names are not. */
export function isStrongMfaMethod(name: string): boolean {
  return STRONG_KEYS.has(methodKey(name));
}

/* ---------------------------------------------------------------------------------------------
 * Roles, applications, Conditional Access values.
 * ------------------------------------------------------------------------------------------- */

/** Global Administrator's role template id (Microsoft Entra built-in roles). */
export const GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID = "62e90394-69f5-4237-9190-012177145e10";
export const GLOBAL_ADMINISTRATOR_ROLE_SOURCE = "https://learn.microsoft.com/en-us/entra/identity/role-based-access-control/permissions-reference";

/**
 * The roles security defaults require MFA of at every sign-in (Learn, "Security defaults in
 * Microsoft Entra ID", "Require administrators to do multifactor authentication"), by template id
 * (the built-in roles page). Anyone else is prompted only when Entra ID decides it is necessary.
 */
export const SECURITY_DEFAULTS_ADMIN_ROLE_TEMPLATE_IDS: readonly string[] = [
  GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID,
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
  "c4e39bd9-1100-46d3-8c65-fb160da0071f", // Authentication Administrator
  "b0f54661-2d74-4c50-afa3-1ec803f12efe", // Billing Administrator
  "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
  "29232cdf-9323-42fd-ade2-1d097af3e4de", // Exchange Administrator
  "729827e3-9c14-49f7-bb1b-9608f156bbb8", // Helpdesk Administrator
  "966707d0-3269-4727-9be2-8c3a10f19b9d", // Password Administrator
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
  "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
  "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", // SharePoint Administrator
  "69091246-20e8-4a56-aa4d-066075b2a7a8", // Teams Administrator
  "fe930be7-5e62-47db-91af-98c3a49a38b1", // User Administrator
  "0526716b-113d-4c15-b2c8-68e3c22b9f80", // Authentication Policy Administrator
  "45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", // Identity Governance Administrator
];

/**
 * Dataverse's first-party application id ("Dataverse" in Microsoft's list; "Dynamics CRM" in the
 * API-permission picker, formerly Common Data Service). A Conditional Access policy that includes
 * it covers Dynamics 365.
 */
export const DATAVERSE_APP_ID = "00000007-0000-0000-c000-000000000000";
export const DATAVERSE_APP_SOURCE = "https://learn.microsoft.com/en-us/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in";

/** conditions.applications.includeApplications / conditions.users.includeUsers value for "all". */
export const CONDITIONAL_ACCESS_ALL = "All";
/** grantControls.builtInControls value that requires MFA. */
export const CONDITIONAL_ACCESS_MFA_CONTROL = "mfa";
export const CONDITIONAL_ACCESS_SOURCES: readonly string[] = [
  "https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccessapplications",
  "https://learn.microsoft.com/en-us/graph/api/resources/conditionalaccessusers",
  "https://learn.microsoft.com/en-us/graph/api/conditionalaccessroot-list-policies",
];

/* ---------------------------------------------------------------------------------------------
 * Partner Center.
 * ------------------------------------------------------------------------------------------- */

export interface PublishedId {
  id: string;
  displayName: string;
  /** false: not found on a Microsoft page; `source` then says where it came from. */
  confirmed: boolean;
  source: string;
  note?: string;
}

const PARTNER_CENTER_AUTH_PAGE = "https://learn.microsoft.com/en-us/partner-center/developer/partner-center-authentication";

/** Resource applications a Partner Center native app may request (requiredResourceAccess.resourceAppId). */
export const PARTNER_CENTER_API_APP_IDS: readonly PublishedId[] = [
  {
    id: "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd",
    displayName: "Microsoft Partner Center",
    confirmed: true,
    source: PARTNER_CENTER_AUTH_PAGE,
    note:
      "Delegated scope user_impersonation. The GUID is on Microsoft's 'Partner API authentication' page " +
      "(\"Search for the Microsoft Partner (Microsoft Partner Center) API (fa3d9a0c-…)… check user_impersonation\"); " +
      "the authentication page names the app 'Microsoft Partner Center'.",
  },
  {
    id: "4990cffe-04e8-4e8b-808a-1175604b879f",
    displayName: "MicrosoftPartner",
    confirmed: true,
    source: PARTNER_CENTER_AUTH_PAGE,
    note: "Shown on Microsoft's 'Partner API authentication' page as the 'Microsoft Partner (Microsoft Dev Center) API'.",
  },
  {
    id: "fabfbdc4-5751-471c-ac43-3826fa1afc31",
    displayName: "Microsoft Partner Center",
    confirmed: false,
    source: "design/preflight.md",
    note: "Not found on any Microsoft page; seen only in third-party setup guides naming it a second 'Microsoft Partner Center' entry.",
  },
];

const GDAP_SECURE_APP_PAGE = "https://learn.microsoft.com/en-us/partner-center/developer/gdap-and-secure-app-model";

/**
 * What shows groups in full in another user's memberships: without it Graph returns them as limited
 * objects (type and id, no name). Learn lists it among the higher permissions of memberOf; whether
 * User.Read.All alone shows group names was not verified on a real tenant.
 */
export const LIMITED_GROUPS_PERMISSION = "GroupMember.Read.All";

/** Partner Center's admin-agent security group, in the partner's own tenant. */
export const ADMIN_AGENTS_GROUP_NAME = "AdminAgents";

/**
 * Partner Center agent roles kept as security groups in the partner's tenant. Microsoft's page
 * ("Migrate your CPV/CSP applications to use GDAP") says the partner user "must also be a member
 * of the AdminAgents security group, which is required for calling the Partner Center APIs".
 */
export const PARTNER_CENTER_AGENT_GROUPS: readonly PublishedId[] = [
  { id: ADMIN_AGENTS_GROUP_NAME, displayName: "Admin agent", confirmed: true, source: GDAP_SECURE_APP_PAGE },
  { id: "SalesAgents", displayName: "Sales agent", confirmed: false, source: "design/preflight.md", note: "Group name not found on a Microsoft page." },
  { id: "HelpdeskAgents", displayName: "Helpdesk agent", confirmed: false, source: "design/preflight.md", note: "Group name not found on a Microsoft page." },
];

/* ---------------------------------------------------------------------------------------------
 * Graph permissions: per read of graph-requests.md, the least-privileged delegated permission and
 * the least-privileged Entra roles the signed-in admin needs, from each endpoint's Permissions
 * section. This is what a cannot-check reason names after a 403.
 * ------------------------------------------------------------------------------------------- */

export type GraphReadName =
  | "me"
  | "organization"
  | "users"
  | "licenseDetails"
  | "transitiveMemberOf"
  | "memberOf"
  | "userRegistrationDetails"
  | "authenticationMethods"
  | "roleAssignments"
  | "roleEligibilityScheduleInstances"
  | "securityDefaults"
  | "conditionalAccessPolicies"
  | "domains"
  | "subscribedSkus"
  | "servicePrincipals"
  | "oauth2PermissionGrants"
  | "appRoleAssignments"
  | "transitiveMembers"
  | "applications"
  | "authenticationRequirements";

export interface GraphPermission {
  /** Least-privileged delegated permission for what the preflight reads. */
  permission: string;
  /** Least-privileged Entra roles named on the page; empty when any member user may read it. */
  roles: string[];
  source: string;
  /** Where the entry is a reading of the page rather than a quotation, or the page was cut short. */
  note?: string;
}

const GRAPH_API = "https://learn.microsoft.com/en-us/graph/api/";

export const GRAPH_PERMISSIONS: Readonly<Record<GraphReadName, GraphPermission>> = {
  me: { permission: "User.Read", roles: [], source: `${GRAPH_API}user-get`, note: "Needs a signed-in user: application permissions are not supported for /me." },
  organization: {
    permission: "User.Read",
    roles: [],
    source: `${GRAPH_API}organization-list`,
    note: "User.Read reads only id, displayName and verifiedDomains of the organization, which is all r2 selects.",
  },
  users: {
    permission: "User.Read.All",
    roles: [],
    source: `${GRAPH_API}user-get`,
    note: "accountEnabled is not a basic-profile property, so User.ReadBasic.All does not return it; members may read other users by default.",
  },
  licenseDetails: {
    permission: "LicenseAssignment.Read.All",
    roles: ["Guest Inviter", "Directory Readers", "Directory Writers", "License Administrator", "User Administrator"],
    source: `${GRAPH_API}user-list-licensedetails`,
    note: "Application permissions are not supported: an app-only sign-in reads the user's assignedLicenses and assignedPlans instead (User.Read.All).",
  },
  transitiveMemberOf: {
    permission: "User.Read.All",
    roles: [],
    source: `${GRAPH_API}user-list-transitivememberof`,
    note: "'Permissions for another user's memberships' (User.Read covers only the signed-in user's).",
  },
  memberOf: {
    permission: "User.Read.All",
    roles: [],
    source: `${GRAPH_API}user-list-memberof`,
    note: "'Permissions for another user's direct memberships' (application: Directory.Read.All). Groups the token may not read come back as limited objects without a name.",
  },
  userRegistrationDetails: {
    permission: "AuditLog.Read.All",
    roles: ["Reports Reader", "Security Reader", "Security Administrator", "Global Reader"],
    source: `${GRAPH_API}authenticationmethodsroot-list-userregistrationdetails`,
    note: "Needs Entra ID P1 or P2; the report leaves out disabled users.",
  },
  authenticationMethods: {
    permission: "UserAuthenticationMethod.Read.All",
    roles: ["Global Reader", "Authentication Administrator", "Privileged Authentication Administrator"],
    source: `${GRAPH_API}authentication-list-methods`,
    note: "UserAuthenticationMethod.Read is the least for the signed-in user's own methods only.",
  },
  roleAssignments: {
    permission: "RoleManagement.Read.Directory",
    roles: ["Directory Readers", "Global Reader", "Privileged Role Administrator"],
    source: `${GRAPH_API}rbacapplication-list-roleassignments`,
  },
  roleEligibilityScheduleInstances: {
    permission: "RoleEligibilitySchedule.Read.Directory",
    roles: ["Global Reader", "Security Operator", "Security Reader", "Security Administrator", "Privileged Role Administrator"],
    source: `${GRAPH_API}rbacapplication-list-roleeligibilityscheduleinstances`,
    note: "PIM: Microsoft's page asks for sufficient licences; without Entra ID P2 Graph answers 400 AadPremiumLicenseRequired.",
  },
  securityDefaults: {
    permission: "Policy.Read.All",
    roles: [],
    source: `${GRAPH_API}identitysecuritydefaultsenforcementpolicy-get`,
    note: "The page names no Entra role.",
  },
  conditionalAccessPolicies: {
    permission: "Policy.Read.All",
    roles: ["Security Reader", "Security Administrator", "Global Secure Access Administrator", "Global Reader", "Conditional Access Administrator"],
    source: `${GRAPH_API}conditionalaccessroot-list-policies`,
  },
  domains: {
    permission: "Domain.Read.All",
    roles: ["Directory Readers", "Global Reader"],
    source: `${GRAPH_API}domain-list`,
    note: "The page's long role list also names Users (any member).",
  },
  subscribedSkus: {
    // The page's least privileged permission (Organization.Read.All and Directory.Read.All also serve).
    permission: "LicenseAssignment.Read.All",
    roles: ["Directory Readers", "Global Reader", "Dynamics 365 Business Central Administrator"],
    source: `${GRAPH_API}subscribedsku-list`,
  },
  servicePrincipals: {
    permission: "Application.Read.All",
    roles: [],
    source: `${GRAPH_API}serviceprincipal-list`,
    note: "A member or guest with default user permissions may read it; Directory Readers and Global Reader also can.",
  },
  oauth2PermissionGrants: {
    permission: "Directory.Read.All",
    roles: ["Directory Readers", "Global Reader", "Application Developer", "Cloud Application Administrator", "Application Administrator"],
    source: `${GRAPH_API}serviceprincipal-list-oauth2permissiongrants`,
    note: "The page marks Directory.Read.All as least privileged for this read.",
  },
  appRoleAssignments: {
    permission: "Application.Read.All",
    roles: ["Directory Readers", "Application Administrator", "Cloud Application Administrator"],
    source: `${GRAPH_API}serviceprincipal-list-approleassignments`,
    note: "Roles from Microsoft's app-role-assignment read include, which does not name Global Reader.",
  },
  transitiveMembers: {
    permission: "GroupMember.Read.All",
    roles: [],
    source: `${GRAPH_API}group-list-transitivemembers`,
    note: "The page names no Entra role; ids come back even as limited objects; hidden-membership groups need Member.Read.Hidden.",
  },
  applications: {
    permission: "Application.Read.All",
    roles: [],
    source: `${GRAPH_API}application-get`,
    note: "A non-admin member with default user permissions may read it; Directory Readers and Global Reader also can.",
  },
  authenticationRequirements: {
    permission: "Policy.Read.All",
    roles: ["Global Reader", "Authentication Policy Administrator"],
    source: `${GRAPH_API}authentication-get?view=graph-rest-beta`,
    note: "Beta. 'Permissions acting on others' (delegated and application).",
  },
};
