/**
 * What the preflight read from Microsoft Graph, normalised. The preflight fills it; `--save` keeps
 * it in the stored state as `evidence.graph`; the form and the preflight evaluate it with the
 * same rules (`graphRules.ts`). JSON only: no tokens, no personal data beyond names and UPNs.
 */
import type { Reading } from "./types";

export interface EntraUser {
  /** Object id, lower-case. */
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
}

/** A service plan the user's licences carry, with Graph's `provisioningStatus`. */
export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  provisioningStatus: string;
}

export interface LicenceDetail {
  skuId: string;
  skuPartNumber: string;
  servicePlans: ServicePlan[];
}

/**
 * MFA methods an account has registered, as Graph names them: `methodsRegistered` values of the
 * registration report (`microsoftAuthenticatorPush`, `mobilePhone`…) or, from the fallback,
 * authenticationMethod types (`#microsoft.graph.fido2AuthenticationMethod`…). `isStrongMfaMethod` reads both.
 */
export interface MfaRegistration {
  methods: string[];
  /** `report`: userRegistrationDetails; `methods`: /authentication/methods (the fallback). */
  readFrom: "report" | "methods";
  /** The report's own yes or no (`isMfaRegistered`): it decides; `methods` only names them. */
  isMfaRegistered?: boolean;
  /**
   * The report said "not registered" and the real-time methods could not be read: the report can
   * be hours behind (Learn: authentication methods activity, Limitations), so it proves nothing.
   */
  reportMayLag?: boolean;
}

/** One account the checklist reads in Entra ID: the user, its MFA registration. */
export interface EntraAccount {
  upn: string;
  /** `value: null`: no such user in Entra ID. */
  user: Reading<EntraUser | null>;
  mfa: Reading<MfaRegistration>;
}

/** The service account's Global Administrator role, active and eligible (PIM). */
export interface GlobalAdminAssignment {
  active: boolean;
  /** Active through a role-assignable group: its display name. */
  throughGroup: string | null;
  eligible: boolean;
  /** Eligibility could not be read (no P2, a denied or failed read): not eligible as far as is known. */
  eligibilityUnread?: boolean;
}

/** A Conditional Access policy, reduced to what decides whether it enforces MFA for an account. */
export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  /** `enabled`, `disabled`, `enabledForReportingButNotEnforced`. */
  state: string;
  /**
   * The grant controls require MFA: the `mfa` control, or an authentication strength whose
   * `requirementsSatisfied` is `mfa`, and not only as one of several ways through (`operator` `OR`).
   */
  requiresMfa: boolean;
  /**
   * Conditions that narrow which sign-ins the policy applies to (locations, risk levels, platforms,
   * client app types, a device filter, authentication flows): it then requires MFA for some sign-ins only.
   */
  narrowedBy?: string[];
  includeUsers: string[];
  excludeUsers: string[];
  includeGroups: string[];
  excludeGroups: string[];
  /** Directory role template ids. */
  includeRoles: string[];
  excludeRoles: string[];
  includeApplications: string[];
  excludeApplications: string[];
  /** ISO 8601; the later of modified and created. */
  changedAt: string | null;
}

/** Who the service account is for Conditional Access scoping: its groups and directory roles (transitive). */
export interface Membership {
  groupIds: string[];
  /** Role template ids of the directory roles it holds. */
  roleTemplateIds: string[];
  /**
   * Set when Graph gave directory roles without their template id: for another user under
   * User.Read.All it returns limited objects (ids only), so roles cannot be matched to policies.
   */
  rolesUnread?: boolean;
}

/** A tenant subscription that carries Entra ID P1/P2 (directly or through EMS / Microsoft 365 E3/E5…). */
export interface PremiumSubscription {
  skuPartNumber: string;
  capabilityStatus: string;
  consumedUnits: number;
  enabledUnits: number;
}

export interface ServicePrincipalEvidence {
  appId: string;
  displayName: string;
  /** An `AllPrincipals` delegated grant or an application role assignment exists. */
  adminConsent: boolean;
}

export interface NativeApp {
  appId: string;
  displayName: string;
  /** `isFallbackPublicClient`, or a public-client redirect URI. */
  publicClient: boolean;
  /** Resource app ids the registration requests, lower-case. */
  requiredResourceAppIds: string[];
}

/** `GET /beta/users/{id}/authentication/requirements`: `perUserMfaState`. */
export type PerUserMfaState = "enforced" | "enabled" | "disabled";

export interface GraphFacts {
  tenantId: string | null;
  serviceAccount: EntraAccount;
  /** `licenseDetails` of the service account. */
  serviceAccountLicences: Reading<LicenceDetail[]>;
  /** Groups and roles, for Conditional Access scoping. */
  serviceAccountMembership: Reading<Membership>;
  /** Read only when registration alone does not settle `service-account-mfa`. */
  serviceAccountPerUserMfa?: Reading<PerUserMfaState>;
  globalAdministrator: EntraAccount;
  /** `licenseDetails` of the Global Administrator; absent in readings made before it was read. */
  globalAdministratorLicences?: Reading<LicenceDetail[]>;
  /** The service account's Global Administrator role. */
  globalAdminRole: Reading<GlobalAdminAssignment>;
  securityDefaultsEnabled: Reading<boolean>;
  conditionalAccessPolicies: Reading<ConditionalAccessPolicy[]>;
  /** Federated domains: their identity provider may enforce MFA where Graph cannot see it. */
  federatedDomains: Reading<string[]>;
  premiumSubscriptions: Reading<PremiumSubscription[]>;
  work365ServicePrincipals: Reading<ServicePrincipalEvidence[]>;
  /** 1-Tier only; absent when `--integration-account` was not given. */
  integrationAccount?: EntraAccount & { adminAgents: Reading<boolean> };
  /** 1-Tier only; absent when `--native-app-id` was not given. */
  nativeApp?: { appId: string; app: Reading<NativeApp | null> };
}

/** The `evidence.graph` entry of the stored state. */
export interface GraphEvidence {
  /** ISO 8601 UTC. */
  readAt: string;
  by: { upn: string; name: string };
  /** `w365-preflight <version>`. */
  tool: string;
  tenantId: string | null;
  facts: GraphFacts;
}
