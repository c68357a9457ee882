"use strict";
/**
 * What the Graph emulator serves: the entity and complex types it returns (each property with its
 * CSDL type, as in Graph v1.0 `$metadata`), and the routes (the paths of graph-requests.md), each
 * with the query options, `$filter` shapes and `$expand`s it accepts. `tests/graph-emulator/metadata.test.ts`
 * checks every name here against the real v1.0 CSDL; only the beta route is exempt.
 */

/**
 * Entity types, each property with its CSDL type name (`graph.` is the CSDL's alias of microsoft.graph).
 * `defaultProperties`: what Graph returns without `$select` (for users, not `accountEnabled`).
 * @type {Record<string, { properties: Record<string, string>, navigation?: Record<string, string>, defaultProperties?: string[] }>}
 */
const TYPES = {
  user: {
    defaultProperties: ["id", "displayName", "userPrincipalName", "mail"],
    properties: {
      id: "Edm.String",
      userPrincipalName: "Edm.String",
      displayName: "Edm.String",
      accountEnabled: "Edm.Boolean",
      mail: "Edm.String",
      userType: "Edm.String",
      // Derived from the scenario's `licenses`: what an app-only sign-in reads instead of licenseDetails.
      assignedLicenses: "Collection(graph.assignedLicense)",
      assignedPlans: "Collection(graph.assignedPlan)",
    },
  },
  group: {
    properties: {
      id: "Edm.String",
      displayName: "Edm.String",
      description: "Edm.String",
      securityEnabled: "Edm.Boolean",
      mailEnabled: "Edm.Boolean",
      isAssignableToRole: "Edm.Boolean",
      groupTypes: "Collection(Edm.String)",
    },
  },
  directoryRole: {
    properties: { id: "Edm.String", displayName: "Edm.String", description: "Edm.String", roleTemplateId: "Edm.String" },
  },
  servicePrincipal: {
    properties: {
      id: "Edm.String",
      appId: "Edm.String",
      displayName: "Edm.String",
      servicePrincipalType: "Edm.String",
      accountEnabled: "Edm.Boolean",
    },
  },
  organization: { properties: { id: "Edm.String", displayName: "Edm.String", tenantType: "Edm.String" } },
  licenseDetails: {
    properties: {
      id: "Edm.String",
      skuId: "Edm.Guid",
      skuPartNumber: "Edm.String",
      servicePlans: "Collection(graph.servicePlanInfo)",
    },
  },
  userRegistrationDetails: {
    properties: {
      id: "Edm.String",
      userPrincipalName: "Edm.String",
      userDisplayName: "Edm.String",
      userType: "graph.signInUserType",
      isAdmin: "Edm.Boolean",
      isMfaRegistered: "Edm.Boolean",
      isMfaCapable: "Edm.Boolean",
      methodsRegistered: "Collection(Edm.String)",
    },
  },
  microsoftAuthenticatorAuthenticationMethod: {
    properties: {
      id: "Edm.String",
      createdDateTime: "Edm.DateTimeOffset",
      displayName: "Edm.String",
      deviceTag: "Edm.String",
      phoneAppVersion: "Edm.String",
    },
  },
  phoneAuthenticationMethod: {
    properties: {
      id: "Edm.String",
      phoneNumber: "Edm.String",
      phoneType: "graph.authenticationPhoneType",
      smsSignInState: "graph.authenticationMethodSignInState",
    },
  },
  fido2AuthenticationMethod: {
    properties: {
      id: "Edm.String",
      createdDateTime: "Edm.DateTimeOffset",
      displayName: "Edm.String",
      model: "Edm.String",
      aaGuid: "Edm.String",
    },
  },
  softwareOathAuthenticationMethod: { properties: { id: "Edm.String", createdDateTime: "Edm.DateTimeOffset", secretKey: "Edm.String" } },
  windowsHelloForBusinessAuthenticationMethod: {
    properties: {
      id: "Edm.String",
      createdDateTime: "Edm.DateTimeOffset",
      displayName: "Edm.String",
      keyStrength: "graph.authenticationMethodKeyStrength",
    },
  },
  passwordAuthenticationMethod: { properties: { id: "Edm.String", createdDateTime: "Edm.DateTimeOffset", password: "Edm.String" } },
  emailAuthenticationMethod: { properties: { id: "Edm.String", emailAddress: "Edm.String" } },
  temporaryAccessPassAuthenticationMethod: {
    properties: {
      id: "Edm.String",
      createdDateTime: "Edm.DateTimeOffset",
      startDateTime: "Edm.DateTimeOffset",
      lifetimeInMinutes: "Edm.Int32",
      isUsableOnce: "Edm.Boolean",
      isUsable: "Edm.Boolean",
      methodUsabilityReason: "Edm.String",
    },
  },
  platformCredentialAuthenticationMethod: {
    properties: {
      id: "Edm.String",
      createdDateTime: "Edm.DateTimeOffset",
      displayName: "Edm.String",
      platform: "graph.authenticationMethodPlatform",
      keyStrength: "graph.authenticationMethodKeyStrength",
    },
  },
  unifiedRoleAssignment: {
    properties: {
      id: "Edm.String",
      roleDefinitionId: "Edm.String",
      principalId: "Edm.String",
      directoryScopeId: "Edm.String",
    },
    navigation: { principal: "graph.directoryObject" },
  },
  unifiedRoleEligibilityScheduleInstance: {
    properties: {
      id: "Edm.String",
      roleDefinitionId: "Edm.String",
      principalId: "Edm.String",
      directoryScopeId: "Edm.String",
      startDateTime: "Edm.DateTimeOffset",
      endDateTime: "Edm.DateTimeOffset",
      memberType: "Edm.String",
      roleEligibilityScheduleId: "Edm.String",
    },
    navigation: { principal: "graph.directoryObject" },
  },
  identitySecurityDefaultsEnforcementPolicy: {
    properties: { id: "Edm.String", displayName: "Edm.String", description: "Edm.String", isEnabled: "Edm.Boolean" },
  },
  conditionalAccessPolicy: {
    properties: {
      id: "Edm.String",
      displayName: "Edm.String",
      state: "graph.conditionalAccessPolicyState",
      createdDateTime: "Edm.DateTimeOffset",
      modifiedDateTime: "Edm.DateTimeOffset",
      conditions: "graph.conditionalAccessConditionSet",
      grantControls: "graph.conditionalAccessGrantControls",
    },
  },
  domain: {
    properties: {
      id: "Edm.String",
      authenticationType: "Edm.String",
      isDefault: "Edm.Boolean",
      isInitial: "Edm.Boolean",
      isVerified: "Edm.Boolean",
    },
  },
  subscribedSku: {
    properties: {
      id: "Edm.String",
      skuId: "Edm.Guid",
      skuPartNumber: "Edm.String",
      appliesTo: "Edm.String",
      capabilityStatus: "Edm.String",
      consumedUnits: "Edm.Int32",
      prepaidUnits: "graph.licenseUnitsDetail",
      servicePlans: "Collection(graph.servicePlanInfo)",
    },
  },
  oAuth2PermissionGrant: {
    properties: {
      id: "Edm.String",
      clientId: "Edm.String",
      consentType: "Edm.String",
      principalId: "Edm.String",
      resourceId: "Edm.String",
      scope: "Edm.String",
    },
  },
  appRoleAssignment: {
    properties: {
      id: "Edm.String",
      appRoleId: "Edm.Guid",
      createdDateTime: "Edm.DateTimeOffset",
      principalDisplayName: "Edm.String",
      principalId: "Edm.Guid",
      principalType: "Edm.String",
      resourceDisplayName: "Edm.String",
      resourceId: "Edm.Guid",
    },
  },
  application: {
    properties: {
      id: "Edm.String",
      appId: "Edm.String",
      displayName: "Edm.String",
      signInAudience: "Edm.String",
      isFallbackPublicClient: "Edm.Boolean",
      publicClient: "graph.publicClientApplication",
      requiredResourceAccess: "Collection(graph.requiredResourceAccess)",
    },
  },
  /** Reached only inside `grantControls` (a containment navigation property of a complex type). */
  authenticationStrengthPolicy: {
    properties: { id: "Edm.String", displayName: "Edm.String", requirementsSatisfied: "graph.authenticationStrengthRequirements" },
  },
};

/** Complex types reached from the properties above (same conventions). */
const COMPLEX = {
  assignedLicense: { properties: { disabledPlans: "Collection(Edm.Guid)", skuId: "Edm.Guid" } },
  assignedPlan: {
    properties: { assignedDateTime: "Edm.DateTimeOffset", capabilityStatus: "Edm.String", service: "Edm.String", servicePlanId: "Edm.Guid" },
  },
  servicePlanInfo: {
    properties: {
      servicePlanId: "Edm.Guid",
      servicePlanName: "Edm.String",
      provisioningStatus: "Edm.String",
      appliesTo: "Edm.String",
    },
  },
  licenseUnitsDetail: {
    properties: { enabled: "Edm.Int32", suspended: "Edm.Int32", warning: "Edm.Int32", lockedOut: "Edm.Int32" },
  },
  conditionalAccessConditionSet: {
    properties: {
      users: "graph.conditionalAccessUsers",
      applications: "graph.conditionalAccessApplications",
      clientAppTypes: "Collection(graph.conditionalAccessClientApp)",
      // The conditions that narrow a policy to some sign-ins.
      locations: "graph.conditionalAccessLocations",
      platforms: "graph.conditionalAccessPlatforms",
      signInRiskLevels: "Collection(graph.riskLevel)",
      userRiskLevels: "Collection(graph.riskLevel)",
      servicePrincipalRiskLevels: "Collection(graph.riskLevel)",
      insiderRiskLevels: "graph.conditionalAccessInsiderRiskLevels",
      devices: "graph.conditionalAccessDevices",
      authenticationFlows: "graph.conditionalAccessAuthenticationFlows",
    },
  },
  conditionalAccessLocations: { properties: { includeLocations: "Collection(Edm.String)", excludeLocations: "Collection(Edm.String)" } },
  conditionalAccessPlatforms: {
    properties: { includePlatforms: "Collection(graph.conditionalAccessDevicePlatform)", excludePlatforms: "Collection(graph.conditionalAccessDevicePlatform)" },
  },
  conditionalAccessDevices: { properties: { deviceFilter: "graph.conditionalAccessFilter" } },
  conditionalAccessFilter: { properties: { mode: "graph.filterMode", rule: "Edm.String" } },
  conditionalAccessAuthenticationFlows: { properties: { transferMethods: "graph.conditionalAccessTransferMethods" } },
  conditionalAccessUsers: {
    properties: {
      includeUsers: "Collection(Edm.String)",
      excludeUsers: "Collection(Edm.String)",
      includeGroups: "Collection(Edm.String)",
      excludeGroups: "Collection(Edm.String)",
      includeRoles: "Collection(Edm.String)",
      excludeRoles: "Collection(Edm.String)",
    },
  },
  conditionalAccessApplications: {
    properties: {
      includeApplications: "Collection(Edm.String)",
      excludeApplications: "Collection(Edm.String)",
      includeUserActions: "Collection(Edm.String)",
    },
  },
  conditionalAccessGrantControls: {
    properties: {
      operator: "Edm.String",
      builtInControls: "Collection(graph.conditionalAccessGrantControl)",
      customAuthenticationFactors: "Collection(Edm.String)",
      termsOfUse: "Collection(Edm.String)",
    },
    // Graph returns it inline (it is a containment navigation property in the CSDL).
    navigation: { authenticationStrength: "graph.authenticationStrengthPolicy" },
  },
  publicClientApplication: { properties: { redirectUris: "Collection(Edm.String)" } },
  requiredResourceAccess: {
    properties: { resourceAppId: "Edm.String", resourceAccess: "Collection(graph.resourceAccess)" },
  },
  resourceAccess: { properties: { id: "Edm.Guid", type: "Edm.String" } },
};

/** Derived types a polymorphic collection may hold (their items carry `@odata.type`). */
const DERIVED = {
  directoryObject: ["user", "group", "directoryRole", "servicePrincipal"],
  authenticationMethod: [
    "microsoftAuthenticatorAuthenticationMethod",
    "phoneAuthenticationMethod",
    "fido2AuthenticationMethod",
    "softwareOathAuthenticationMethod",
    "windowsHelloForBusinessAuthenticationMethod",
    "passwordAuthenticationMethod",
    "emailAuthenticationMethod",
    "temporaryAccessPassAuthenticationMethod",
    "platformCredentialAuthenticationMethod",
  ],
};

/**
 * @typedef {object} Route
 * @property {string} key endpoint name (fault key, log `endpoint`)
 * @property {"v1.0" | "beta"} version
 * @property {Array<string | { key: string } | { alternateKey: string, entitySet: string }>} path
 *   literal segments, `{ key }` for an id or UPN, `{ alternateKey }` for `entitySet(appId='…')`
 * @property {string} type the result's type; for polymorphic collections the base (`directoryObject`)
 * @property {string[]} [derived] the derived types this collection may hold
 * @property {boolean} collection
 * @property {string[]} options the query options accepted (besides `$skiptoken` on collections)
 * @property {{ properties: string[], ops: Array<"eq" | "in">, join: "and" | "or" } } [filter]
 * @property {string[]} [expand] navigation properties `$expand` accepts
 * @property {"p1" | "p2"} [premium] the Entra ID licence the tenant needs for this read
 */

const KEY = (key) => ({ key });

/** @type {Route[]} */
const ROUTES = [
  { key: "me", version: "v1.0", path: ["me"], type: "user", collection: false, options: ["$select"] },
  { key: "organization", version: "v1.0", path: ["organization"], type: "organization", collection: true, options: ["$select", "$top"] },
  { key: "users", version: "v1.0", path: ["users", KEY("user")], type: "user", collection: false, options: ["$select"] },
  {
    key: "licenseDetails",
    version: "v1.0",
    path: ["users", KEY("user"), "licenseDetails"],
    type: "licenseDetails",
    collection: true,
    options: ["$select", "$top"],
  },
  // The signed-in user's own (the Global Administrator when --global-admin is not given); same fault key.
  { key: "licenseDetails", version: "v1.0", path: ["me", "licenseDetails"], type: "licenseDetails", collection: true, options: ["$select", "$top"] },
  {
    key: "transitiveMemberOf",
    version: "v1.0",
    path: ["users", KEY("user"), "transitiveMemberOf"],
    type: "directoryObject",
    derived: ["group", "directoryRole"],
    collection: true,
    options: ["$select", "$top"],
  },
  {
    key: "memberOf",
    version: "v1.0",
    path: ["users", KEY("user"), "memberOf"],
    type: "directoryObject",
    derived: ["group", "directoryRole"],
    collection: true,
    options: ["$select", "$top"],
  },
  {
    key: "authenticationMethods",
    version: "v1.0",
    path: ["users", KEY("user"), "authentication", "methods"],
    type: "authenticationMethod",
    derived: DERIVED.authenticationMethod,
    collection: true,
    options: ["$select"],
  },
  {
    key: "userRegistrationDetails",
    version: "v1.0",
    path: ["reports", "authenticationMethods", "userRegistrationDetails"],
    type: "userRegistrationDetails",
    collection: true,
    options: ["$select", "$filter", "$top"],
    filter: { properties: ["userPrincipalName", "id"], ops: ["eq"], join: "or" },
    premium: "p1",
  },
  {
    key: "roleAssignments",
    version: "v1.0",
    path: ["roleManagement", "directory", "roleAssignments"],
    type: "unifiedRoleAssignment",
    collection: true,
    options: ["$select", "$filter", "$expand", "$top"],
    filter: { properties: ["roleDefinitionId", "principalId", "directoryScopeId"], ops: ["eq"], join: "and" },
    expand: ["principal"],
  },
  {
    key: "roleEligibilityScheduleInstances",
    version: "v1.0",
    path: ["roleManagement", "directory", "roleEligibilityScheduleInstances"],
    type: "unifiedRoleEligibilityScheduleInstance",
    collection: true,
    options: ["$select", "$filter", "$expand", "$top"],
    filter: { properties: ["roleDefinitionId", "principalId", "directoryScopeId"], ops: ["eq"], join: "and" },
    expand: ["principal"],
    premium: "p2",
  },
  {
    key: "securityDefaults",
    version: "v1.0",
    path: ["policies", "identitySecurityDefaultsEnforcementPolicy"],
    type: "identitySecurityDefaultsEnforcementPolicy",
    collection: false,
    options: ["$select"],
  },
  {
    key: "conditionalAccessPolicies",
    version: "v1.0",
    path: ["identity", "conditionalAccess", "policies"],
    type: "conditionalAccessPolicy",
    collection: true,
    options: ["$select"],
    premium: "p1",
  },
  { key: "domains", version: "v1.0", path: ["domains"], type: "domain", collection: true, options: ["$select"] },
  { key: "subscribedSkus", version: "v1.0", path: ["subscribedSkus"], type: "subscribedSku", collection: true, options: ["$select"] },
  {
    key: "servicePrincipals",
    version: "v1.0",
    path: ["servicePrincipals"],
    type: "servicePrincipal",
    collection: true,
    options: ["$select", "$filter", "$top"],
    filter: { properties: ["appId"], ops: ["eq", "in"], join: "or" },
  },
  {
    key: "oauth2PermissionGrants",
    version: "v1.0",
    path: ["servicePrincipals", KEY("servicePrincipal"), "oauth2PermissionGrants"],
    type: "oAuth2PermissionGrant",
    collection: true,
    options: ["$select", "$top"],
  },
  {
    key: "appRoleAssignments",
    version: "v1.0",
    path: ["servicePrincipals", KEY("servicePrincipal"), "appRoleAssignments"],
    type: "appRoleAssignment",
    collection: true,
    options: ["$select", "$top"],
  },
  {
    key: "transitiveMembers",
    version: "v1.0",
    path: ["groups", KEY("group"), "transitiveMembers"],
    type: "directoryObject",
    derived: ["user", "group", "servicePrincipal"],
    collection: true,
    options: ["$select", "$top"],
  },
  {
    key: "applications",
    version: "v1.0",
    path: [{ alternateKey: "appId", entitySet: "applications" }],
    type: "application",
    collection: false,
    options: ["$select"],
  },
  // Beta only (not in the v1.0 CSDL): per-user MFA state.
  {
    key: "authenticationRequirements",
    version: "beta",
    path: ["users", KEY("user"), "authentication", "requirements"],
    type: "strongAuthenticationRequirements",
    collection: false,
    options: [],
  },
];

/** Endpoint names a fault may target, besides `*` (every endpoint) and `$batch` (the batch envelope). */
/** Endpoint names (fault keys, log `endpoint`); two routes may share one, as licenseDetails does. */
const ENDPOINTS = [...new Set(ROUTES.map((r) => r.key))];

/** Properties `$select` may name for a route's type (for polymorphic collections: any derived type's). */
function selectableProperties(route) {
  const names = route.derived ? route.derived.flatMap((t) => Object.keys(TYPES[t].properties)) : Object.keys(TYPES[route.type]?.properties ?? {});
  return new Set(names);
}

module.exports = { TYPES, COMPLEX, DERIVED, ROUTES, ENDPOINTS, selectableProperties };
