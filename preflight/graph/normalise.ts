/**
 * Graph's JSON → GraphFacts (graph.ts), as plain functions. They throw `ShapeError` when an answer
 * does not have the shape Graph documents; the reader turns that into a failure of that fact.
 */
import { ADMIN_AGENTS_GROUP_NAME, ENTRA_PREMIUM_SERVICE_PLANS, LIMITED_GROUPS_PERMISSION } from "../../PrerequisiteChecklist/checklist/entraIds";
import type {
  ConditionalAccessPolicy,
  EntraUser,
  GlobalAdminAssignment,
  LicenceDetail,
  Membership,
  NativeApp,
  PerUserMfaState,
  PremiumSubscription,
} from "../../PrerequisiteChecklist/checklist/graph";
import type { ReadFailure, Reading } from "../../PrerequisiteChecklist/checklist/types";

export type Raw = Record<string, unknown>;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isRaw = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === "string" ? value : "");
const number = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const sameUpn = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** A GUID lower-case; anything else (`All`, `GuestsOrExternalUsers`, `Office365`) as Graph wrote it. */
const guidLower = (value: string): string => (GUID.test(value) ? value.toLowerCase() : value);
const guids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").map(guidLower) : []);

/** An object id, which every entity has: lower-case. */
function requiredId(row: Raw, what: string): string {
  const id = text(row.id);
  if (!id) throw new ShapeError(`${what} has no id.`);
  return id.toLowerCase();
}

/** `body` of a single entity. */
export function entity(body: unknown, what: string): Raw {
  if (!isRaw(body)) throw new ShapeError(`The answer for ${what} is not an object.`);
  return body;
}

/** `value[]` of a collection page. */
export function collectionPage(body: unknown, what: string): { rows: Raw[]; nextLink: string | null } {
  const value = isRaw(body) ? body.value : undefined;
  if (!Array.isArray(value)) throw new ShapeError(`The answer for ${what} has no value list.`);
  const next = isRaw(body) ? body["@odata.nextLink"] : undefined;
  return { rows: value.filter(isRaw), nextLink: typeof next === "string" && next ? next : null };
}

/**
 * A user. `/me` is read without `accountEnabled`: whoever signed in is enabled.
 */
export function toUser(row: Raw, options: { signedIn?: boolean } = {}): EntraUser {
  const upn = text(row.userPrincipalName);
  if (!upn) throw new ShapeError("The user has no userPrincipalName.");
  return {
    id: requiredId(row, "The user"),
    userPrincipalName: upn,
    displayName: text(row.displayName),
    accountEnabled: options.signedIn ? true : row.accountEnabled === true,
  };
}

export function toLicences(rows: Raw[]): LicenceDetail[] {
  return rows.map((row) => ({
    skuId: text(row.skuId).toLowerCase(),
    skuPartNumber: text(row.skuPartNumber),
    servicePlans: (Array.isArray(row.servicePlans) ? row.servicePlans.filter(isRaw) : []).map((plan) => ({
      servicePlanId: text(plan.servicePlanId).toLowerCase(),
      servicePlanName: text(plan.servicePlanName),
      provisioningStatus: text(plan.provisioningStatus),
    })),
  }));
}

/** assignedPlan `capabilityStatus` values under which a plan works: Enabled, and Warning (the grace period after a subscription lapses). */
const WORKING_CAPABILITY = ["enabled", "warning"];

/**
 * An app-only sign-in cannot read `licenseDetails` (Learn: application permissions not supported),
 * so licences are rebuilt from the user's own `assignedLicenses` (SKU and disabled plans) and
 * `assignedPlans` (each plan's state), with the tenant's `subscribedSkus` naming the SKU and its
 * plans. A working plan reads as `Success`, any other state under its own name. `assignedPlans` says
 * nothing of provisioning: a plan still being provisioned reads as working.
 */
export function licencesFromAssignments(user: Raw, skus: Raw[]): LicenceDetail[] {
  if (!Array.isArray(user.assignedLicenses) || !Array.isArray(user.assignedPlans)) {
    throw new ShapeError("The user was read without assignedLicenses and assignedPlans.");
  }
  const planState = new Map<string, string>();
  for (const plan of user.assignedPlans.filter(isRaw)) {
    const id = text(plan.servicePlanId).toLowerCase();
    const state = text(plan.capabilityStatus);
    // A plan assigned by two licences: a working one wins.
    if (id && !WORKING_CAPABILITY.includes(planState.get(id)?.toLowerCase() ?? "")) planState.set(id, state);
  }
  return user.assignedLicenses.filter(isRaw).map((licence) => {
    const skuId = text(licence.skuId).toLowerCase();
    const sku = skus.find((row) => text(row.skuId).toLowerCase() === skuId);
    if (!sku) throw new ShapeError(`The licence ${skuId} is not among the tenant's subscriptions.`);
    const disabled = new Set(guids(licence.disabledPlans));
    const plans = Array.isArray(sku.servicePlans) ? sku.servicePlans.filter(isRaw) : [];
    return {
      skuId,
      skuPartNumber: text(sku.skuPartNumber),
      servicePlans: plans.map((plan) => {
        const id = text(plan.servicePlanId).toLowerCase();
        const state = planState.get(id);
        const provisioningStatus = disabled.has(id) ? "Disabled" : state === undefined ? "NotAssigned" : WORKING_CAPABILITY.includes(state.toLowerCase()) ? "Success" : state;
        return { servicePlanId: id, servicePlanName: text(plan.servicePlanName), provisioningStatus };
      }),
    };
  });
}

const odataType = (row: Raw): string => text(row["@odata.type"]).replace(/^#/, "").toLowerCase();

/** `transitiveMemberOf`: groups by id, directory roles by role template id (what Conditional Access names). */
export function toMembership(rows: Raw[]): Membership {
  const groupIds = new Set<string>();
  const roleTemplateIds = new Set<string>();
  let rolesUnread = false;
  for (const row of rows) {
    const type = odataType(row);
    if (type === "microsoft.graph.group") groupIds.add(requiredId(row, "A group"));
    else if (type === "microsoft.graph.directoryrole") {
      if (text(row.roleTemplateId)) roleTemplateIds.add(text(row.roleTemplateId).toLowerCase());
      else rolesUnread = true; // a limited object: its id is the role's object id, not its template id
    }
  }
  const membership: Membership = { groupIds: [...groupIds], roleTemplateIds: [...roleTemplateIds] };
  return rolesUnread ? { ...membership, rolesUnread } : membership;
}

/**
 * The report's row for `upn`: its `isMfaRegistered` (Graph's own yes or no, which decides) and its
 * `methodsRegistered` (to name them: the vocabulary grows); `undefined` when the report has no row.
 */
export function reportedMethods(rows: Raw[], upn: string): { methods: string[]; isMfaRegistered?: boolean } | undefined {
  const row = rows.find((r) => sameUpn(text(r.userPrincipalName), upn));
  if (!row) return undefined;
  const methods = Array.isArray(row.methodsRegistered) ? row.methodsRegistered.filter((m): m is string => typeof m === "string") : [];
  return typeof row.isMfaRegistered === "boolean" ? { methods, isMfaRegistered: row.isMfaRegistered } : { methods };
}

/**
 * `/authentication/methods`: each method by its type, without the namespace
 * (`fido2AuthenticationMethod`), a form `isStrongMfaMethod` knows. The types say no more than that:
 * an Authenticator registration may be push or passwordless, so it is not renamed into the report's words.
 */
export function methodNames(rows: Raw[]): string[] {
  const names = rows.map((row) => text(row["@odata.type"]).replace(/^#?microsoft\.graph\./i, ""));
  return [...new Set(names.filter(Boolean))];
}

/** The later of two ISO 8601 times; either may be missing. */
function later(a: string, b: string): string | null {
  if (!a || !b) return a || b || null;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/**
 * Whether the grant controls require MFA (Learn: conditionalAccessGrantControls): `mfa`, or an
 * authentication strength whose `requirementsSatisfied` is `mfa`; with `operator` `OR` and another
 * control beside it, MFA is only one way through.
 */
function grantRequiresMfa(grant: Raw): boolean {
  const builtIn = (Array.isArray(grant.builtInControls) ? grant.builtInControls : []).filter((c): c is string => typeof c === "string").map((c) => c.toLowerCase());
  const strength = isRaw(grant.authenticationStrength) ? grant.authenticationStrength : null;
  const termsOfUse = Array.isArray(grant.termsOfUse) ? grant.termsOfUse.length : 0;
  const customFactors = Array.isArray(grant.customAuthenticationFactors) ? grant.customAuthenticationFactors.length : 0;
  // requirementsSatisfied is a flags enum: "mfa", or "mfa" among others.
  const satisfies = strength ? text(strength.requirementsSatisfied).toLowerCase().split(",").map((r) => r.trim()) : [];
  const mfa = builtIn.includes("mfa") || satisfies.includes("mfa");
  if (!mfa) return false;
  const controls = builtIn.length + (strength ? 1 : 0) + termsOfUse + customFactors;
  return text(grant.operator).toUpperCase() !== "OR" || controls <= 1;
}

const lowerTexts = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => text(v).toLowerCase()) : []);

/** The conditions beside users and apps that make a policy apply to some sign-ins only. */
function narrowingConditions(conditions: Raw): string[] {
  const found: string[] = [];
  const listed = (value: unknown) => Array.isArray(value) && value.length > 0;
  const locations = isRaw(conditions.locations) ? conditions.locations : null;
  if (locations && (listed(locations.excludeLocations) || (listed(locations.includeLocations) && !lowerTexts(locations.includeLocations).includes("all")))) {
    found.push("locations");
  }
  if (listed(conditions.signInRiskLevels)) found.push("signInRiskLevels");
  if (listed(conditions.userRiskLevels)) found.push("userRiskLevels");
  if (listed(conditions.servicePrincipalRiskLevels)) found.push("servicePrincipalRiskLevels");
  if (text(conditions.insiderRiskLevels)) found.push("insiderRiskLevels");
  const platforms = isRaw(conditions.platforms) ? conditions.platforms : null;
  if (platforms && (listed(platforms.excludePlatforms) || (listed(platforms.includePlatforms) && !lowerTexts(platforms.includePlatforms).includes("all")))) {
    found.push("platforms");
  }
  const clientAppTypes = lowerTexts(conditions.clientAppTypes);
  if (clientAppTypes.length > 0 && !clientAppTypes.includes("all")) found.push("clientAppTypes");
  const devices = isRaw(conditions.devices) ? conditions.devices : null;
  if (devices && isRaw(devices.deviceFilter) && text(devices.deviceFilter.rule)) found.push("deviceFilter");
  const flows = isRaw(conditions.authenticationFlows) ? conditions.authenticationFlows : null;
  if (flows && text(flows.transferMethods) && text(flows.transferMethods).toLowerCase() !== "none") found.push("authenticationFlows");
  return found;
}

export function toPolicies(rows: Raw[]): ConditionalAccessPolicy[] {
  return rows.map((row) => {
    const conditions = isRaw(row.conditions) ? row.conditions : {};
    const users = isRaw(conditions.users) ? conditions.users : {};
    const applications = isRaw(conditions.applications) ? conditions.applications : {};
    const grant = isRaw(row.grantControls) ? row.grantControls : {};
    const narrowedBy = narrowingConditions(conditions);
    return {
      id: requiredId(row, "A Conditional Access policy"),
      displayName: text(row.displayName),
      state: text(row.state),
      requiresMfa: grantRequiresMfa(grant),
      ...(narrowedBy.length ? { narrowedBy } : {}),
      includeUsers: guids(users.includeUsers),
      excludeUsers: guids(users.excludeUsers),
      includeGroups: guids(users.includeGroups),
      excludeGroups: guids(users.excludeGroups),
      includeRoles: guids(users.includeRoles),
      excludeRoles: guids(users.excludeRoles),
      includeApplications: guids(applications.includeApplications),
      excludeApplications: guids(applications.excludeApplications),
      changedAt: later(text(row.modifiedDateTime), text(row.createdDateTime)),
    };
  });
}

/** Domains whose sign-in an outside identity provider handles. */
export function federatedDomains(rows: Raw[]): string[] {
  return rows.filter((row) => text(row.authenticationType).toLowerCase() === "federated").map((row) => text(row.id));
}

const premiumPlanIds = new Set(ENTRA_PREMIUM_SERVICE_PLANS.map((plan) => plan.servicePlanId.toLowerCase()));

/** Tenant subscriptions that carry Entra ID P1/P2, directly or inside a suite. */
export function premiumSubscriptions(rows: Raw[]): PremiumSubscription[] {
  return rows
    .filter((row) =>
      (Array.isArray(row.servicePlans) ? row.servicePlans.filter(isRaw) : []).some((plan) =>
        premiumPlanIds.has(text(plan.servicePlanId).toLowerCase()),
      ),
    )
    .map((row) => ({
      skuPartNumber: text(row.skuPartNumber),
      capabilityStatus: text(row.capabilityStatus),
      consumedUnits: number(row.consumedUnits),
      enabledUnits: number(isRaw(row.prepaidUnits) ? row.prepaidUnits.enabled : undefined),
    }));
}

export interface ServicePrincipalRow {
  id: string;
  appId: string;
  displayName: string;
}

export function servicePrincipals(rows: Raw[]): ServicePrincipalRow[] {
  return rows.map((row) => ({
    id: requiredId(row, "A service principal"),
    appId: text(row.appId).toLowerCase(),
    displayName: text(row.displayName),
  }));
}

/** Admin consent: a grant for all principals (delegated), or any application role assigned. */
export function hasAdminConsent(grants: Reading<Raw[]>, appRoleAssignments: Reading<Raw[]>): Reading<boolean> {
  const allPrincipals = grants.ok && grants.value.some((g) => text(g.consentType).toLowerCase() === "allprincipals");
  const appRoles = appRoleAssignments.ok && appRoleAssignments.value.length > 0;
  if (allPrincipals || appRoles) return { ok: true, value: true };
  if (!grants.ok) return grants;
  if (!appRoleAssignments.ok) return appRoleAssignments;
  return { ok: true, value: false };
}

export function toNativeApp(row: Raw): NativeApp {
  const publicClient = isRaw(row.publicClient) ? row.publicClient : {};
  const redirectUris = Array.isArray(publicClient.redirectUris) ? publicClient.redirectUris : [];
  const resources = Array.isArray(row.requiredResourceAccess) ? row.requiredResourceAccess.filter(isRaw) : [];
  return {
    appId: text(row.appId).toLowerCase(),
    displayName: text(row.displayName),
    publicClient: row.isFallbackPublicClient === true || redirectUris.length > 0,
    requiredResourceAppIds: [...new Set(resources.map((r) => text(r.resourceAppId).toLowerCase()).filter(Boolean))],
  };
}

/**
 * Whether the integration account is in AdminAgents: Partner Center keeps its Admin Agent role as a
 * security group of that name in the partner's tenant (its id differs per tenant).
 * Groups Graph returned as limited objects (type and id only: the token may read users but not
 * groups) carry no name, so "not in it" cannot be told from them.
 */
export function inAdminAgents(rows: Raw[]): Reading<boolean> {
  const name = ADMIN_AGENTS_GROUP_NAME.toLowerCase();
  const groups = rows.filter((row) => odataType(row) !== "microsoft.graph.directoryrole");
  if (groups.some((row) => text(row.displayName).toLowerCase() === name)) return { ok: true, value: true };
  if (groups.some((row) => !text(row.displayName))) {
    return {
      ok: false,
      failure: {
        kind: "privilege-denied",
        privilege: LIMITED_GROUPS_PERMISSION,
        service: "graph",
        detail: `Microsoft Graph returned the groups without their names (limited information): ${LIMITED_GROUPS_PERMISSION} shows them.`,
      },
    };
  }
  return { ok: true, value: false };
}

export function perUserMfaState(row: Raw): PerUserMfaState {
  const state = text(row.perUserMfaState).toLowerCase();
  if (state === "enforced" || state === "enabled" || state === "disabled") return state;
  throw new ShapeError(`Unknown perUserMfaState "${text(row.perUserMfaState)}".`);
}

export function tenantId(rows: Raw[]): string | null {
  const id = rows[0] ? text(rows[0].id) : "";
  return id ? id.toLowerCase() : null;
}

/** A Global Administrator assignment's principal that is a group (role-assignable). */
export interface RoleGroup {
  id: string;
  displayName: string;
}

/** Groups among the principals of the role's active assignments: their members decide "through a group". */
export function roleGroups(assignments: Raw[]): RoleGroup[] {
  const seen = new Map<string, RoleGroup>();
  for (const a of assignments) {
    const principal = isRaw(a.principal) ? a.principal : undefined;
    if (!principal || odataType(principal) !== "microsoft.graph.group") continue;
    const id = text(principal.id || a.principalId).toLowerCase();
    if (id && !seen.has(id)) seen.set(id, { id, displayName: text(principal.displayName) });
  }
  return [...seen.values()];
}

/** The service account as Graph knows it: its id when read (null when it does not exist), or why it is unknown. */
export type ServiceAccountKey = { upn: string; id: string | null } | { upn: string; failure: ReadFailure };

/** An active assignment to the service account itself (by id, or by UPN when the principal is a user). */
export function assignedDirectly(assignments: Raw[], account: { upn: string; id: string | null }): boolean {
  return assignments.some((a) => {
    const principal = isRaw(a.principal) ? a.principal : {};
    const principalId = text(a.principalId || principal.id).toLowerCase();
    if (account.id && principalId === account.id) return true;
    return odataType(principal) === "microsoft.graph.user" && !!account.upn && sameUpn(text(principal.userPrincipalName), account.upn);
  });
}

/**
 * Whether the account (by id) is in a role group: the group's members when they were read, else the
 * account's own complete `transitiveMemberOf` group ids (both are transitive, so either answers);
 * `undefined` when neither was read.
 */
function inRoleGroup(
  group: RoleGroup,
  id: string,
  members: Reading<string[]> | undefined,
  membership: Reading<string[]> | undefined,
): Reading<boolean> | undefined {
  if (members?.ok) return { ok: true, value: members.value.includes(id) };
  if (membership?.ok) return { ok: true, value: membership.value.includes(group.id) };
  return members ?? membership;
}

/**
 * The service account's Global Administrator role.
 * - active: assigned to it directly, or to a group whose transitive members include it (or that its
 *   own transitive memberships list);
 * - eligible (PIM): an eligibility instance for its id. PIM needs P2: without it no one is eligible.
 * A failed read fails the answer only where it could change it. For the consent an active assignment
 * is what counts, so an unread eligibility never fails it: it is only said (`eligibilityUnread`).
 */
export function globalAdminAssignment(input: {
  assignments: Reading<Raw[]>;
  account: ServiceAccountKey;
  /** Member ids (lower-case) of each group of `roleGroups`, by group id; absent when not read. */
  groupMembers: Map<string, Reading<string[]>>;
  /** The account's group ids (lower-case) from every page of its `transitiveMemberOf`; absent when not read. */
  membership?: Reading<string[]>;
  eligibility: Reading<Raw[]>;
}): Reading<GlobalAdminAssignment> {
  const { assignments, account, groupMembers, membership, eligibility } = input;
  if (!assignments.ok) return assignments;
  const known = "failure" in account ? { upn: account.upn, id: null } : account;

  let active = assignedDirectly(assignments.value, known);
  let throughGroup: string | null = null;
  let undecided: ReadFailure | undefined;
  if (!active && known.id !== null) {
    // Without an id no group can be searched: judged below.
    for (const group of roleGroups(assignments.value)) {
      const member = inRoleGroup(group, known.id, groupMembers.get(group.id), membership);
      if (member?.ok && member.value) {
        active = true;
        throughGroup = group.displayName;
        break;
      }
      if (member && !member.ok) undecided ??= member.failure;
    }
  }
  if (!active) {
    // "Not active" needs every group decided and the account known.
    if ("failure" in account) return { ok: false, failure: account.failure };
    if (undecided) return { ok: false, failure: undecided };
  }

  if (!eligibility.ok) return { ok: true, value: { active, throughGroup, eligible: false, eligibilityUnread: true } };
  const eligible = known.id !== null && eligibility.value.some((e) => text(e.principalId).toLowerCase() === known.id);
  return { ok: true, value: { active, throughGroup, eligible } };
}
