/**
 * The Graph requests the preflight sends, in one place (the contract with the Graph emulator:
 * /tmp/spec/graph-requests.md). URLs are relative to `/v1.0`, as `$batch` items take them.
 */
import { WORK365_APPLICATION_IDS } from "../../PrerequisiteChecklist/checklist/catalogue";
import { GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID, type GraphReadName } from "../../PrerequisiteChecklist/checklist/entraIds";

/** What a request reads: the key of `GRAPH_PERMISSIONS` that names the permission a 403 is missing. */
export type ReadName = GraphReadName;

export interface GraphRequest {
  /** The `$batch` item id; round 1 uses the ids of graph-requests.md (`r1`…`r17`; `r6`, `r6b`, `r6c` one report row each). */
  id: string;
  read: ReadName;
  /** Relative to `/v1.0` (or `/beta` for the one beta read). */
  url: string;
  /** A few words for the progress line: what this tells the admin. */
  what: string;
}

/** A UPN or id in a path segment. */
export const inPath = (value: string): string => encodeURIComponent(value);

/** An OData string literal in `$filter` or a key: quotes doubled, then percent-encoded (so `'`, `&`, `#`, `+` and non-ASCII survive). */
export const literal = (value: string): string => `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;

const USER_SELECT = "$select=id,userPrincipalName,displayName,accountEnabled";
/** The accounts that need a licence also bring their assignments: what an app-only sign-in judges licences by. */
const LICENSED_USER_SELECT = `${USER_SELECT},assignedLicenses,assignedPlans`;

export const requests = {
  signedInUser: (): GraphRequest => ({
    id: "r1",
    read: "me",
    url: "/me?$select=id,userPrincipalName,displayName",
    what: "accounts",
  }),
  organization: (): GraphRequest => ({ id: "r2", read: "organization", url: "/organization?$select=id", what: "tenant" }),
  serviceAccount: (upn: string): GraphRequest => ({
    id: "r3",
    read: "users",
    url: `/users/${inPath(upn)}?${LICENSED_USER_SELECT}`,
    what: "accounts",
  }),
  licenseDetails: (upn: string): GraphRequest => ({
    id: "r4",
    read: "licenseDetails",
    url: `/users/${inPath(upn)}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`,
    what: "licences",
  }),
  /** The Global Administrator's own: by UPN when given, else the signed-in user's (`/me`). */
  globalAdministratorLicences: (upn: string | undefined): GraphRequest => ({
    id: "r18",
    read: "licenseDetails",
    url: `${upn ? `/users/${inPath(upn)}` : "/me"}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`,
    what: "licences",
  }),
  transitiveMemberOf: (upn: string): GraphRequest => ({
    id: "r5",
    read: "transitiveMemberOf",
    url: `/users/${inPath(upn)}/transitiveMemberOf`,
    what: "groups",
  }),
  /**
   * One account's row of the MFA registration report. Learn documents `eq` on userPrincipalName for
   * this report, but neither `or` nor `$select`: one request per account (`r6` the service account's).
   */
  registrationDetails: (id: string, upn: string): GraphRequest => ({
    id,
    read: "userRegistrationDetails",
    url: `/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName eq ${literal(upn)}`,
    what: "MFA",
  }),
  globalAdministrator: (upn: string): GraphRequest => ({
    id: "r7",
    read: "users",
    url: `/users/${inPath(upn)}?${LICENSED_USER_SELECT}`,
    what: "accounts",
  }),
  roleAssignments: (): GraphRequest => ({
    id: "r8",
    read: "roleAssignments",
    url: `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq ${literal(GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID)}&$expand=principal`,
    what: "roles",
  }),
  roleEligibility: (): GraphRequest => ({
    id: "r9",
    read: "roleEligibilityScheduleInstances",
    url: `/roleManagement/directory/roleEligibilityScheduleInstances?$filter=roleDefinitionId eq ${literal(GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID)}`,
    what: "roles",
  }),
  securityDefaults: (): GraphRequest => ({
    id: "r10",
    read: "securityDefaults",
    url: "/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled",
    what: "security defaults",
  }),
  conditionalAccessPolicies: (): GraphRequest => ({
    id: "r11",
    read: "conditionalAccessPolicies",
    url: "/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,createdDateTime,modifiedDateTime",
    what: "Conditional Access",
  }),
  domains: (): GraphRequest => ({ id: "r12", read: "domains", url: "/domains?$select=id,authenticationType", what: "domains" }),
  subscribedSkus: (): GraphRequest => ({
    id: "r13",
    read: "subscribedSkus",
    url: "/subscribedSkus?$select=skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits,servicePlans",
    what: "subscriptions",
  }),
  servicePrincipals: (): GraphRequest => ({
    id: "r14",
    read: "servicePrincipals",
    url: `/servicePrincipals?$filter=appId in (${WORK365_APPLICATION_IDS.map(literal).join(",")})&$select=id,appId,displayName`,
    what: "Work 365 consent",
  }),
  integrationAccount: (upn: string): GraphRequest => ({
    id: "r15",
    read: "users",
    url: `/users/${inPath(upn)}?${USER_SELECT}`,
    what: "accounts",
  }),
  integrationAccountMemberOf: (upn: string): GraphRequest => ({
    id: "r16",
    read: "memberOf",
    url: `/users/${inPath(upn)}/memberOf?$select=id,displayName`,
    what: "groups",
  }),
  nativeApp: (appId: string): GraphRequest => ({
    id: "r17",
    read: "applications",
    url: `/applications(appId=${literal(appId)})?$select=appId,displayName,isFallbackPublicClient,publicClient,requiredResourceAccess`,
    what: "native app",
  }),

  // Round 2: only what round 1's answers call for.
  authenticationMethods: (id: string, upn: string): GraphRequest => ({
    id,
    read: "authenticationMethods",
    url: `/users/${inPath(upn)}/authentication/methods`,
    what: "MFA methods",
  }),
  groupMembers: (id: string, groupId: string): GraphRequest => ({
    id,
    read: "transitiveMembers",
    url: `/groups/${inPath(groupId)}/transitiveMembers?$select=id`,
    what: "role group members",
  }),
  oauth2PermissionGrants: (id: string, servicePrincipalId: string): GraphRequest => ({
    id,
    read: "oauth2PermissionGrants",
    url: `/servicePrincipals/${inPath(servicePrincipalId)}/oauth2PermissionGrants?$select=consentType,scope`,
    what: "consent grants",
  }),
  appRoleAssignments: (id: string, servicePrincipalId: string): GraphRequest => ({
    id,
    read: "appRoleAssignments",
    url: `/servicePrincipals/${inPath(servicePrincipalId)}/appRoleAssignments?$select=id,resourceDisplayName`,
    what: "consent grants",
  }),
  /** Beta, never batched: relative to `/beta`. */
  authenticationRequirements: (userId: string): GraphRequest => ({
    id: "beta",
    read: "authenticationRequirements",
    url: `/users/${inPath(userId)}/authentication/requirements`,
    what: "per-user MFA",
  }),
};

/** "licences, MFA, roles": the distinct `what`s of a set of requests, in order. */
export function describe(list: GraphRequest[]): string {
  return [...new Set(list.map((r) => r.what))].join(", ");
}
