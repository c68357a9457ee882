"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and the preflight's tests load it without a build */
/**
 * Graph scenarios (playground/graph-scenarios/*.json): loading, `@now-2d` times, the consistency
 * check, and the directory they describe (users, groups, roles, policies, licences, apps) with
 * everything derivable derived once, so the data cannot contradict itself (memberships from group
 * members and active role assignments, registration report rows from the registered methods,
 * consumed licence units from the users' licences, premium features from the tenant's SKUs).
 */
const fs = require("node:fs");
const path = require("node:path");
const { TYPES, DERIVED, ENDPOINTS } = require("./schema.cjs");
const { SKUS, PREMIUM_PLAN_IDS } = require("./skus.cjs");
const { resolveTimes: resolveScenarioTimes } = require("../emulator/store.cjs");

const SCENARIOS_DIR = path.join(__dirname, "..", "graph-scenarios");
const DATAVERSE_SCENARIOS_DIR = path.join(__dirname, "..", "scenarios");
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

/** Where an item's deciding answer came from (the scenario format's own words; see README). */
const SOURCES = ["dataverse", "graph", "person", "derived", "none"];
const EXIT_CODES = [0, 1, 2];

/** Options the scenario's `args` may use; the harness adds --environment, --graph-endpoint and --auth itself. */
const ARG_OPTIONS = {
  "--upn": "upn",
  "--tier": ["direct", "indirect"],
  "--mode": ["install", "upgrade"],
  "--global-admin": "upn",
  "--integration-account": "upn",
  "--native-app-id": "guid",
};
const FORBIDDEN_ARGS = ["--environment", "--graph-endpoint", "--auth"];

const TOP_KEYS = [
  "title",
  "description",
  "order",
  "dataverse",
  "args",
  "why",
  "pageSize",
  "tenant",
  "signedInUser",
  // "application": the run signs in as an app (client credentials), so /me has no user.
  "signIn",
  // "limited": the token may read users but not groups or roles, so memberships come back as limited objects.
  "membershipObjects",
  "users",
  "groups",
  "directoryRoles",
  "roleAssignments",
  "roleEligibilityScheduleInstances",
  "securityDefaults",
  "conditionalAccessPolicies",
  "domains",
  "subscribedSkus",
  // The registration report's refresh: methods created after it are not in it yet (it can lag hours).
  "registrationReportAsOf",
  "servicePrincipals",
  "applications",
  "faults",
  "expireTokens",
  "expected",
];
const SIGN_INS = ["user", "application"];
const MEMBERSHIP_OBJECTS = ["full", "limited"];
/** User properties derived from `licenses`, never written in a scenario. */
const DERIVED_USER_KEYS = ["assignedLicenses", "assignedPlans"];
/** Keys a scenario row may carry: the type's Graph properties, plus the relations the emulator derives from. */
const ROW_KEYS = {
  users: [...Object.keys(TYPES.user.properties).filter((k) => !DERIVED_USER_KEYS.includes(k)), "licenses", "authenticationMethods", "perUserMfaState"],
  groups: [...Object.keys(TYPES.group.properties), "members"],
  directoryRoles: Object.keys(TYPES.directoryRole.properties),
  roleAssignments: Object.keys(TYPES.unifiedRoleAssignment.properties),
  roleEligibilityScheduleInstances: Object.keys(TYPES.unifiedRoleEligibilityScheduleInstance.properties),
  conditionalAccessPolicies: Object.keys(TYPES.conditionalAccessPolicy.properties),
  domains: Object.keys(TYPES.domain.properties),
  subscribedSkus: ["skuPartNumber", "capabilityStatus", "prepaidUnits"],
  servicePrincipals: [...Object.keys(TYPES.servicePrincipal.properties), "oauth2PermissionGrants", "appRoleAssignments"],
  applications: Object.keys(TYPES.application.properties),
};
const PER_USER_MFA_STATES = ["disabled", "enabled", "enforced"];
const CA_STATES = ["enabled", "disabled", "enabledForReportingButNotEnforced"];
const CAPABILITY_STATUSES = ["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"];
/** The registration report's names for the methods (`methodsRegistered`), and whether each counts for MFA. */
const METHOD_REPORT = {
  microsoftAuthenticatorAuthenticationMethod: { name: "microsoftAuthenticatorPush", mfa: true },
  phoneAuthenticationMethod: { name: "mobilePhone", mfa: true },
  fido2AuthenticationMethod: { name: "passKeyDeviceBound", mfa: true },
  softwareOathAuthenticationMethod: { name: "softwareOneTimePasscode", mfa: true },
  windowsHelloForBusinessAuthenticationMethod: { name: "windowsHelloForBusiness", mfa: true },
  platformCredentialAuthenticationMethod: { name: "macOsSecureEnclaveKey", mfa: true },
  temporaryAccessPassAuthenticationMethod: { name: "temporaryAccessPass", mfa: false },
  emailAuthenticationMethod: { name: "email", mfa: false },
  passwordAuthenticationMethod: { name: null, mfa: false },
};
/** The password method's id is the same in every tenant. */
const PASSWORD_METHOD_ID = "28c10230-6103-485e-b985-444c60001490";
const SECURITY_DEFAULTS_DESCRIPTION =
  "Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.";

// ---------------------------------------------------------------------------------------------
// Loading

/**
 * Replace "@now", "@now-2d", "@now+3h", "@now-10m" (anywhere) by ISO times relative to `now`: the
 * Dataverse scenarios' notation, so it has one definition (../emulator/store.cjs); written without
 * milliseconds, as Graph writes its times.
 * @param {unknown} value
 * @param {Date} now
 */
const resolveTimes = (value, now) => resolveScenarioTimes(value, now, (time) => time.toISOString().replace(/\.\d{3}Z$/, "Z"));

function listScenarios(dir = SCENARIOS_DIR) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((file) => {
      const data = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
      return {
        name: file.replace(/\.json$/, ""),
        title: String(data.title ?? ""),
        description: String(data.description ?? ""),
        dataverse: String(data.dataverse ?? ""),
        order: typeof data.order === "number" ? data.order : 999,
        file: path.join(dir, file),
      };
    })
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/**
 * A scenario by name (a file in `dir`) or as data; times resolved against `now`.
 * @returns {Record<string, any> & { name: string }}
 */
function loadScenario(nameOrData, { dir = SCENARIOS_DIR, now = new Date() } = {}) {
  let raw;
  let name;
  if (typeof nameOrData === "string") {
    if (!/^[\w-]+$/.test(nameOrData)) throw new Error(`Bad scenario name '${nameOrData}'`);
    const file = path.join(dir, `${nameOrData}.json`);
    if (!fs.existsSync(file)) throw new Error(`No Graph scenario '${nameOrData}' (${file})`);
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
    name = nameOrData;
  } else if (nameOrData && typeof nameOrData === "object") {
    raw = structuredClone(nameOrData);
    name = typeof raw.name === "string" ? raw.name : "custom";
    delete raw.name;
  } else {
    throw new Error("A scenario is a name or an object");
  }
  return { ...resolveTimes(raw, now), name };
}

// ---------------------------------------------------------------------------------------------
// Consistency check

/**
 * Sentences saying what is wrong; empty when the scenario is consistent. The checklist's words
 * (item ids, status and stage words) come from the caller, who reads them from the checklist's
 * own TypeScript; without them only the shape of `expected` is checked.
 * @param {Record<string, any>} scenario
 * @param {{ itemIds?: readonly string[], statuses?: readonly string[], stages?: readonly string[], dataverseDir?: string }} [vocabulary]
 */
function validateScenario(scenario, vocabulary = {}) {
  const problems = [];
  const say = (text) => problems.push(text);
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  const keysOf = (where, row, allowed) => {
    if (!isObject(row)) return say(`${where}: not an object`);
    for (const key of Object.keys(row)) if (!allowed.includes(key)) say(`${where}: unknown key '${key}'`);
  };
  const guid = (where, v) => {
    if (typeof v !== "string" || !GUID_RE.test(v)) say(`${where}: '${v}' is not a GUID`);
  };
  const list = (key) => (Array.isArray(scenario[key]) ? scenario[key] : []);

  keysOf("scenario", scenario, [...TOP_KEYS, "name"]);
  for (const key of ["title", "description", "why", "dataverse"]) {
    if (typeof scenario[key] !== "string" || !scenario[key].trim()) say(`${key}: missing`);
  }
  for (const key of Object.keys(ROW_KEYS)) {
    if (scenario[key] !== undefined && !Array.isArray(scenario[key])) say(`${key}: not a list`);
  }
  if (scenario.pageSize !== undefined && !(Number.isInteger(scenario.pageSize) && scenario.pageSize >= 1)) say("pageSize: not a positive whole number");

  // Directory objects and their ids.
  const objects = new Map();
  const addObject = (where, kind, row) => {
    const id = String(row?.id ?? "").toLowerCase();
    guid(`${where}.id`, row?.id);
    if (objects.has(id)) say(`${where}.id: duplicate id ${row.id}`);
    objects.set(id, kind);
  };
  if (!isObject(scenario.tenant)) say("tenant: missing");
  else {
    keysOf("tenant", scenario.tenant, ["id", "displayName"]);
    guid("tenant.id", scenario.tenant.id);
  }

  const upns = new Map();
  list("users").forEach((u, i) => {
    const where = `users[${i}]`;
    keysOf(where, u, ROW_KEYS.users);
    addObject(where, "user", u);
    if (typeof u.userPrincipalName !== "string" || !u.userPrincipalName.includes("@")) say(`${where}.userPrincipalName: missing`);
    else if (upns.has(u.userPrincipalName.toLowerCase())) say(`${where}.userPrincipalName: duplicate ${u.userPrincipalName}`);
    else upns.set(u.userPrincipalName.toLowerCase(), String(u.id).toLowerCase());
    if (typeof u.accountEnabled !== "boolean") say(`${where}.accountEnabled: missing`);
    if (u.perUserMfaState !== undefined && !PER_USER_MFA_STATES.includes(u.perUserMfaState)) say(`${where}.perUserMfaState: '${u.perUserMfaState}'`);
    (u.licenses ?? []).forEach((l, j) => {
      const lw = `${where}.licenses[${j}]`;
      keysOf(lw, l, ["skuPartNumber", "disabledPlans"]);
      const sku = SKUS[l?.skuPartNumber];
      if (!sku) return say(`${lw}.skuPartNumber: '${l?.skuPartNumber}' is not in skus.cjs`);
      if (!list("subscribedSkus").some((s) => s.skuPartNumber === l.skuPartNumber)) say(`${lw}: the tenant has no ${l.skuPartNumber} subscription`);
      for (const p of l.disabledPlans ?? []) if (!sku.servicePlans.some((sp) => sp.servicePlanName === p)) say(`${lw}.disabledPlans: ${p} is not a plan of ${l.skuPartNumber}`);
    });
    const methodIds = new Set();
    (u.authenticationMethods ?? []).forEach((m, j) => {
      const mw = `${where}.authenticationMethods[${j}]`;
      const type = String(m?.["@odata.type"] ?? "").replace(/^#microsoft\.graph\./, "");
      if (!DERIVED.authenticationMethod.includes(type)) return say(`${mw}: unknown @odata.type '${m?.["@odata.type"]}'`);
      keysOf(mw, m, ["@odata.type", ...Object.keys(TYPES[type].properties)]);
      if (typeof m.id !== "string" || !m.id) say(`${mw}.id: missing`);
      else if (methodIds.has(m.id)) say(`${mw}.id: duplicate ${m.id}`);
      methodIds.add(m.id);
      if (type === "passwordAuthenticationMethod" && m.id !== PASSWORD_METHOD_ID) say(`${mw}.id: a password method's id is ${PASSWORD_METHOD_ID}`);
    });
  });
  list("groups").forEach((g, i) => {
    keysOf(`groups[${i}]`, g, ROW_KEYS.groups);
    addObject(`groups[${i}]`, "group", g);
    if (typeof g.displayName !== "string") say(`groups[${i}].displayName: missing`);
  });
  list("directoryRoles").forEach((r, i) => {
    keysOf(`directoryRoles[${i}]`, r, ROW_KEYS.directoryRoles);
    addObject(`directoryRoles[${i}]`, "directoryRole", r);
    guid(`directoryRoles[${i}].roleTemplateId`, r.roleTemplateId);
  });
  list("servicePrincipals").forEach((s, i) => {
    keysOf(`servicePrincipals[${i}]`, s, ROW_KEYS.servicePrincipals);
    addObject(`servicePrincipals[${i}]`, "servicePrincipal", s);
    guid(`servicePrincipals[${i}].appId`, s.appId);
  });
  const ofKind = (id, kinds) => kinds.includes(objects.get(String(id ?? "").toLowerCase()));

  list("groups").forEach((g, i) => {
    (g.members ?? []).forEach((m, j) => {
      if (!ofKind(m, ["user", "group", "servicePrincipal"])) say(`groups[${i}].members[${j}] points at a missing user, group or service principal ${m}`);
      if (String(m).toLowerCase() === String(g.id).toLowerCase()) say(`groups[${i}].members[${j}]: a group cannot be its own member`);
    });
  });
  const roleTemplates = new Set(list("directoryRoles").map((r) => String(r.roleTemplateId).toLowerCase()));
  for (const [key, active] of [
    ["roleAssignments", true],
    ["roleEligibilityScheduleInstances", false],
  ]) {
    list(key).forEach((a, i) => {
      const where = `${key}[${i}]`;
      keysOf(where, a, ROW_KEYS[key]);
      if (typeof a.id !== "string" || !a.id) say(`${where}.id: missing`);
      guid(`${where}.roleDefinitionId`, a.roleDefinitionId);
      if (!ofKind(a.principalId, ["user", "group", "servicePrincipal"])) say(`${where}.principalId points at a missing principal ${a.principalId}`);
      // An active assignment makes its principal a member of the activated directory role, which must exist.
      if (active && !roleTemplates.has(String(a.roleDefinitionId).toLowerCase())) say(`${where}.roleDefinitionId ${a.roleDefinitionId} has no directoryRoles entry`);
      if (active && ofKind(a.principalId, ["group"]) && !list("groups").find((g) => String(g.id).toLowerCase() === String(a.principalId).toLowerCase())?.isAssignableToRole) {
        say(`${where}: only a role-assignable group can hold a role`);
      }
    });
  }

  if (scenario.securityDefaults !== undefined) {
    keysOf("securityDefaults", scenario.securityDefaults, ["isEnabled"]);
    if (typeof scenario.securityDefaults?.isEnabled !== "boolean") say("securityDefaults.isEnabled: missing");
  }
  list("conditionalAccessPolicies").forEach((p, i) => {
    const where = `conditionalAccessPolicies[${i}]`;
    keysOf(where, p, ROW_KEYS.conditionalAccessPolicies);
    guid(`${where}.id`, p.id);
    if (!CA_STATES.includes(p.state)) say(`${where}.state: '${p.state}'`);
    keysOf(`${where}.conditions`, p.conditions, ["users", "applications", "clientAppTypes", ...NARROWING_CONDITIONS]);
    const users = p.conditions?.users ?? {};
    keysOf(`${where}.conditions.users`, users, ["includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles"]);
    for (const k of ["includeUsers", "excludeUsers"]) {
      for (const id of users[k] ?? []) if (!["All", "None", "GuestsOrExternalUsers"].includes(id) && !ofKind(id, ["user"])) say(`${where}.conditions.users.${k} points at a missing user ${id}`);
    }
    for (const k of ["includeGroups", "excludeGroups"]) for (const id of users[k] ?? []) if (!ofKind(id, ["group"])) say(`${where}.conditions.users.${k} points at a missing group ${id}`);
    for (const k of ["includeRoles", "excludeRoles"]) for (const id of users[k] ?? []) guid(`${where}.conditions.users.${k}`, id);
    keysOf(`${where}.conditions.applications`, p.conditions?.applications ?? {}, ["includeApplications", "excludeApplications", "includeUserActions"]);
    keysOf(`${where}.grantControls`, p.grantControls, ["operator", "builtInControls", "customAuthenticationFactors", "termsOfUse", "authenticationStrength"]);
    if (p.grantControls?.authenticationStrength) keysOf(`${where}.grantControls.authenticationStrength`, p.grantControls.authenticationStrength, ["id", "displayName", "requirementsSatisfied"]);
    if (typeof p.createdDateTime !== "string") say(`${where}.createdDateTime: missing`);
  });
  list("domains").forEach((d, i) => {
    keysOf(`domains[${i}]`, d, ROW_KEYS.domains);
    if (!["Managed", "Federated"].includes(d.authenticationType)) say(`domains[${i}].authenticationType: '${d.authenticationType}'`);
  });
  list("subscribedSkus").forEach((s, i) => {
    keysOf(`subscribedSkus[${i}]`, s, ROW_KEYS.subscribedSkus);
    if (!SKUS[s.skuPartNumber]) say(`subscribedSkus[${i}].skuPartNumber: '${s.skuPartNumber}' is not in skus.cjs`);
    if (s.capabilityStatus !== undefined && !CAPABILITY_STATUSES.includes(s.capabilityStatus)) say(`subscribedSkus[${i}].capabilityStatus: '${s.capabilityStatus}'`);
    keysOf(`subscribedSkus[${i}].prepaidUnits`, s.prepaidUnits ?? {}, ["enabled", "suspended", "warning", "lockedOut"]);
  });
  list("servicePrincipals").forEach((s, i) => {
    (s.oauth2PermissionGrants ?? []).forEach((g, j) => {
      const where = `servicePrincipals[${i}].oauth2PermissionGrants[${j}]`;
      keysOf(where, g, ["id", "consentType", "principalId", "resourceId", "scope"]);
      if (!["AllPrincipals", "Principal"].includes(g.consentType)) say(`${where}.consentType: '${g.consentType}'`);
      if (!ofKind(g.resourceId, ["servicePrincipal"])) say(`${where}.resourceId points at a missing service principal ${g.resourceId}`);
      if (g.consentType === "Principal" && !ofKind(g.principalId, ["user"])) say(`${where}.principalId points at a missing user ${g.principalId}`);
    });
    (s.appRoleAssignments ?? []).forEach((a, j) => {
      const where = `servicePrincipals[${i}].appRoleAssignments[${j}]`;
      keysOf(where, a, ["id", "appRoleId", "resourceId", "createdDateTime"]);
      guid(`${where}.appRoleId`, a.appRoleId);
      if (!ofKind(a.resourceId, ["servicePrincipal"])) say(`${where}.resourceId points at a missing service principal ${a.resourceId}`);
    });
  });
  list("applications").forEach((a, i) => {
    const where = `applications[${i}]`;
    keysOf(where, a, ROW_KEYS.applications);
    guid(`${where}.id`, a.id);
    guid(`${where}.appId`, a.appId);
    if (a.publicClient !== undefined) keysOf(`${where}.publicClient`, a.publicClient, ["redirectUris"]);
    (a.requiredResourceAccess ?? []).forEach((r, j) => {
      keysOf(`${where}.requiredResourceAccess[${j}]`, r, ["resourceAppId", "resourceAccess"]);
      (r.resourceAccess ?? []).forEach((x, k) => {
        keysOf(`${where}.requiredResourceAccess[${j}].resourceAccess[${k}]`, x, ["id", "type"]);
        if (!["Scope", "Role"].includes(x.type)) say(`${where}.requiredResourceAccess[${j}].resourceAccess[${k}].type: '${x.type}'`);
      });
    });
  });

  if (scenario.signIn !== undefined && !SIGN_INS.includes(scenario.signIn)) say(`signIn: '${scenario.signIn}' (use ${SIGN_INS.join(" or ")})`);
  if (scenario.membershipObjects !== undefined && !MEMBERSHIP_OBJECTS.includes(scenario.membershipObjects)) {
    say(`membershipObjects: '${scenario.membershipObjects}' (use ${MEMBERSHIP_OBJECTS.join(" or ")})`);
  }
  const signedIn = String(scenario.signedInUser ?? "").toLowerCase();
  if (scenario.signIn === "application") {
    if (scenario.signedInUser !== undefined) say("signedInUser: an application sign-in has no signed-in user");
  } else if (!upns.has(signedIn) && !ofKind(signedIn, ["user"])) say(`signedInUser points at a missing user ${scenario.signedInUser}`);

  // Faults and expired tokens.
  for (const key of Object.keys(isObject(scenario.faults) ? scenario.faults : {})) {
    if (key !== "*" && key !== "$batch" && !ENDPOINTS.includes(key)) say(`faults.${key}: not an endpoint (use ${ENDPOINTS.join(", ")}, $batch or *)`);
  }
  if (scenario.expireTokens !== undefined && !(Array.isArray(scenario.expireTokens) && scenario.expireTokens.every((t) => typeof t === "string" && t))) {
    say("expireTokens: not a list of token values");
  }

  // The preflight's arguments.
  if (!Array.isArray(scenario.args) || !scenario.args.every((a) => typeof a === "string")) say("args: not a list of strings");
  else {
    for (let i = 0; i < scenario.args.length; i++) {
      const option = scenario.args[i];
      if (FORBIDDEN_ARGS.includes(option)) {
        say(`args: ${option} is added by the harness, not the scenario`);
        i++;
        continue;
      }
      const kind = ARG_OPTIONS[option];
      if (!kind) {
        say(`args: unknown option '${option}'`);
        continue;
      }
      const value = scenario.args[++i];
      if (value === undefined) say(`args: ${option} needs a value`);
      else if (Array.isArray(kind) && !kind.includes(value)) say(`args: ${option} ${value} (use ${kind.join(" or ")})`);
      else if (kind === "guid" && !GUID_RE.test(value)) say(`args: ${option} ${value} is not a GUID`);
      else if (kind === "upn" && !value.includes("@")) say(`args: ${option} ${value} is not a UPN`);
    }
  }

  // The Dataverse scenario it pairs with: it exists, and users it shares carry the same Entra object id.
  if (typeof scenario.dataverse === "string" && scenario.dataverse) {
    const file = path.join(vocabulary.dataverseDir ?? DATAVERSE_SCENARIOS_DIR, `${scenario.dataverse}.json`);
    if (!fs.existsSync(file)) say(`dataverse: no Dataverse scenario '${scenario.dataverse}'`);
    else {
      const dv = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const su of dv.data?.systemusers ?? []) {
        const entraId = upns.get(String(su.domainname ?? "").toLowerCase());
        if (entraId && su.azureactivedirectoryobjectid && entraId !== String(su.azureactivedirectoryobjectid).toLowerCase()) {
          say(`users: ${su.domainname} is ${su.azureactivedirectoryobjectid} in Dataverse scenario '${scenario.dataverse}', ${entraId} here`);
        }
      }
    }
  }

  // What the preflight should conclude.
  const expected = scenario.expected;
  if (!isObject(expected)) say("expected: missing");
  else {
    keysOf("expected", expected, ["exitCode", "stage", "items"]);
    if (!EXIT_CODES.includes(expected.exitCode)) say(`expected.exitCode: '${expected.exitCode}' (use 0, 1 or 2)`);
    if (vocabulary.stages && !vocabulary.stages.includes(expected.stage)) say(`expected.stage: '${expected.stage}' is not a stage`);
    const items = isObject(expected.items) ? expected.items : {};
    if (vocabulary.itemIds) {
      for (const id of vocabulary.itemIds) if (!(id in items)) say(`expected.items: '${id}' missing`);
      for (const id of Object.keys(items)) if (!vocabulary.itemIds.includes(id)) say(`expected.items.${id}: not a checklist item`);
    }
    for (const [id, e] of Object.entries(items)) {
      keysOf(`expected.items.${id}`, e, ["status", "source"]);
      if (vocabulary.statuses && !vocabulary.statuses.includes(e?.status)) say(`expected.items.${id}: '${e?.status}' is not a status`);
      if (!SOURCES.includes(e?.source)) say(`expected.items.${id}: '${e?.source}' is not a source (use ${SOURCES.join(", ")})`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// The directory a scenario describes

const lower = (v) => String(v ?? "").toLowerCase();
const withoutKeys = (row, keys) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

/**
 * A user's `assignedLicenses` and `assignedPlans`, from its scenario licences: a disabled plan is
 * listed under `disabledPlans` and left out of `assignedPlans`; every other plan is `Enabled`.
 * `service` and `assignedDateTime` are not modelled (null): no client reads them.
 */
function assignments(licenses) {
  const skus = licenses.map((l) => ({ sku: SKUS[l.skuPartNumber], disabled: new Set(l.disabledPlans ?? []) }));
  return {
    assignedLicenses: skus.map(({ sku, disabled }) => ({
      disabledPlans: sku.servicePlans.filter((p) => disabled.has(p.servicePlanName)).map((p) => p.servicePlanId),
      skuId: sku.skuId,
    })),
    assignedPlans: skus.flatMap(({ sku, disabled }) =>
      sku.servicePlans
        .filter((p) => !disabled.has(p.servicePlanName))
        .map((p) => ({ assignedDateTime: null, capabilityStatus: "Enabled", service: null, servicePlanId: p.servicePlanId })),
    ),
  };
}

/**
 * Build the emulator's view of a (valid) scenario. Everything Graph would compute is computed here.
 * @param {Record<string, any>} scenario
 */
function buildDirectory(scenario) {
  const problems = validateScenario(scenario);
  if (problems.length) throw new Error(`Graph scenario '${scenario.name}' is inconsistent:\n  ${problems.join("\n  ")}`);
  const tenant = { id: lower(scenario.tenant.id), displayName: scenario.tenant.displayName ?? "Contoso" };

  /** @type {Map<string, { kind: string, entity: Record<string, any> }>} */
  const objects = new Map();
  const users = new Map();
  const byUpn = new Map();
  const licences = new Map();
  const methods = new Map();
  const perUser = new Map();
  for (const u of scenario.users ?? []) {
    const id = lower(u.id);
    const entity = { ...withoutKeys(u, ["licenses", "authenticationMethods", "perUserMfaState"]), id, ...assignments(u.licenses ?? []) };
    users.set(id, entity);
    byUpn.set(lower(u.userPrincipalName), id);
    objects.set(id, { kind: "user", entity });
    licences.set(
      id,
      (u.licenses ?? []).map((l) => {
        const sku = SKUS[l.skuPartNumber];
        const disabled = new Set(l.disabledPlans ?? []);
        return {
          id: `${id.slice(0, 8)}-${sku.skuPartNumber}`,
          skuId: sku.skuId,
          skuPartNumber: sku.skuPartNumber,
          servicePlans: sku.servicePlans.map((p) => ({
            servicePlanId: p.servicePlanId,
            servicePlanName: p.servicePlanName,
            provisioningStatus: disabled.has(p.servicePlanName) ? "Disabled" : "Success",
            appliesTo: "User",
          })),
        };
      }),
    );
    methods.set(id, (u.authenticationMethods ?? []).map((m) => ({ ...m })));
    perUser.set(id, u.perUserMfaState ?? "disabled");
  }
  const groups = new Map();
  const members = new Map();
  for (const g of scenario.groups ?? []) {
    const id = lower(g.id);
    const entity = { ...withoutKeys(g, ["members"]), id };
    groups.set(id, entity);
    members.set(id, (g.members ?? []).map(lower));
    objects.set(id, { kind: "group", entity });
  }
  const servicePrincipals = new Map();
  for (const s of scenario.servicePrincipals ?? []) {
    const id = lower(s.id);
    const entity = { ...withoutKeys(s, ["oauth2PermissionGrants", "appRoleAssignments"]), id };
    servicePrincipals.set(id, { entity, source: s });
    objects.set(id, { kind: "servicePrincipal", entity });
  }
  const roleAssignments = (scenario.roleAssignments ?? []).map((a) => ({ ...a, directoryScopeId: a.directoryScopeId ?? "/" }));
  const roleEligibility = (scenario.roleEligibilityScheduleInstances ?? []).map((a) => ({ ...a, directoryScopeId: a.directoryScopeId ?? "/", memberType: a.memberType ?? "Direct" }));
  /** Directory roles: their members are the principals of active tenant-wide assignments. */
  const roleMembers = new Map();
  for (const r of scenario.directoryRoles ?? []) {
    const id = lower(r.id);
    objects.set(id, { kind: "directoryRole", entity: { ...r, id } });
    roleMembers.set(
      id,
      roleAssignments.filter((a) => lower(a.roleDefinitionId) === lower(r.roleTemplateId) && a.directoryScopeId === "/").map((a) => lower(a.principalId)),
    );
  }

  /** Groups and roles an object is a direct member of. */
  const memberOf = (id) => {
    const out = [];
    for (const [gid, list] of members) if (list.includes(id)) out.push(gid);
    for (const [rid, list] of roleMembers) if (list.includes(id)) out.push(rid);
    return out;
  };
  const transitiveMemberOf = (id) => {
    const seen = new Set();
    const queue = memberOf(id);
    while (queue.length) {
      const next = /** @type {string} */ (queue.shift());
      if (seen.has(next)) continue;
      seen.add(next);
      if (objects.get(next)?.kind === "group") queue.push(...memberOf(next));
    }
    return [...seen];
  };
  const transitiveMembers = (groupId) => {
    const seen = new Set();
    const queue = [...(members.get(groupId) ?? [])];
    while (queue.length) {
      const next = /** @type {string} */ (queue.shift());
      if (seen.has(next)) continue;
      seen.add(next);
      if (objects.get(next)?.kind === "group") queue.push(...(members.get(next) ?? []));
    }
    return [...seen];
  };
  const isAdmin = (id) => transitiveMemberOf(id).some((m) => objects.get(m)?.kind === "directoryRole");

  /**
   * One registration report row per enabled user (the report leaves out disabled ones), from the
   * methods the user had registered when the report was last refreshed (`registrationReportAsOf`).
   */
  const asOf = scenario.registrationReportAsOf ? Date.parse(scenario.registrationReportAsOf) : Infinity;
  const registration = [...users.values()].filter((u) => u.accountEnabled !== false).map((u) => {
    const types = methods.get(u.id).filter((m) => !(Date.parse(m.createdDateTime) > asOf)).map((m) => String(m["@odata.type"]).replace(/^#microsoft\.graph\./, ""));
    const names = [...new Set(types.map((t) => (t === "phoneAuthenticationMethod" ? phoneReportName(methods.get(u.id)) : METHOD_REPORT[t].name)).flat())].filter(Boolean);
    const mfa = types.some((t) => METHOD_REPORT[t].mfa);
    return {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      userDisplayName: u.displayName,
      userType: u.userType === "Guest" ? "guest" : "member",
      isAdmin: isAdmin(u.id),
      isMfaRegistered: mfa,
      isMfaCapable: mfa && u.accountEnabled,
      methodsRegistered: names,
    };
  });

  const skus = (scenario.subscribedSkus ?? []).map((s) => {
    const sku = SKUS[s.skuPartNumber];
    const consumed = [...licences.values()].flat().filter((l) => l.skuPartNumber === sku.skuPartNumber).length;
    return {
      id: `${tenant.id}_${sku.skuId}`,
      skuId: sku.skuId,
      skuPartNumber: sku.skuPartNumber,
      appliesTo: "User",
      capabilityStatus: s.capabilityStatus ?? "Enabled",
      consumedUnits: consumed,
      prepaidUnits: { enabled: 0, suspended: 0, warning: 0, lockedOut: 0, ...(s.prepaidUnits ?? {}) },
      servicePlans: sku.servicePlans.map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: "Success", appliesTo: "User" })),
    };
  });
  const usable = skus.filter((s) => s.capabilityStatus === "Enabled" || s.capabilityStatus === "Warning");
  const hasPlan = (planId) => usable.some((s) => s.servicePlans.some((p) => p.servicePlanId === planId));
  const premium = { p1: hasPlan(PREMIUM_PLAN_IDS.p1), p2: hasPlan(PREMIUM_PLAN_IDS.p2) };

  const grants = new Map();
  const appRoleAssignments = new Map();
  for (const [id, { entity, source }] of servicePrincipals) {
    grants.set(
      id,
      (source.oauth2PermissionGrants ?? []).map((g) => ({ clientId: id, principalId: null, ...g, resourceId: lower(g.resourceId) })),
    );
    appRoleAssignments.set(
      id,
      (source.appRoleAssignments ?? []).map((a) => ({
        id: a.id,
        appRoleId: a.appRoleId,
        createdDateTime: a.createdDateTime ?? null,
        principalDisplayName: entity.displayName,
        principalId: id,
        principalType: "ServicePrincipal",
        resourceDisplayName: servicePrincipals.get(lower(a.resourceId))?.entity.displayName ?? null,
        resourceId: lower(a.resourceId),
      })),
    );
  }

  const signedIn = byUpn.get(lower(scenario.signedInUser)) ?? lower(scenario.signedInUser);

  return {
    name: scenario.name,
    tenant,
    pageSize: scenario.pageSize ?? 100,
    signedInUserId: scenario.signIn === "application" ? null : signedIn,
    signIn: scenario.signIn ?? "user",
    membershipObjects: scenario.membershipObjects ?? "full",
    users,
    byUpn,
    objects,
    licences,
    methods,
    perUser,
    groups,
    registration,
    roleAssignments,
    roleEligibility,
    securityDefaults: {
      id: "00000000-0000-0000-0000-000000000000",
      displayName: "Security Defaults",
      description: SECURITY_DEFAULTS_DESCRIPTION,
      isEnabled: scenario.securityDefaults?.isEnabled ?? false,
    },
    conditionalAccessPolicies: (scenario.conditionalAccessPolicies ?? []).map(normalizePolicy),
    domains: (scenario.domains ?? []).map((d) => ({ isDefault: false, isInitial: false, isVerified: true, ...d })),
    subscribedSkus: skus,
    premium,
    servicePrincipals: [...servicePrincipals.values()].map((s) => s.entity),
    grants,
    appRoleAssignments,
    applications: (scenario.applications ?? []).map((a) => ({ ...a, id: lower(a.id) })),
    memberOf,
    transitiveMemberOf,
    transitiveMembers,
    /** A user by object id or UPN (case-insensitive), or undefined. */
    user(key) {
      const k = lower(key);
      return users.get(k) ?? users.get(byUpn.get(k) ?? "");
    },
  };
}

/** Phone methods are reported by their phone type. */
function phoneReportName(methodsOfUser) {
  const names = { mobile: "mobilePhone", alternateMobile: "alternateMobilePhone", office: "officePhone" };
  return methodsOfUser
    .filter((m) => m["@odata.type"] === "#microsoft.graph.phoneAuthenticationMethod")
    .map((m) => names[m.phoneType ?? "mobile"] ?? "mobilePhone");
}

/** Conditions a scenario may set beside users and apps; Graph returns each, null or empty when unset. */
const NARROWING_CONDITIONS = ["locations", "platforms", "signInRiskLevels", "userRiskLevels", "servicePrincipalRiskLevels", "insiderRiskLevels", "devices", "authenticationFlows"];

/** A Conditional Access policy with every collection Graph always returns, empty where the scenario is silent. */
function normalizePolicy(p) {
  const users = p.conditions?.users ?? {};
  const apps = p.conditions?.applications ?? {};
  const grant = p.grantControls ?? {};
  return {
    id: p.id,
    displayName: p.displayName,
    state: p.state,
    createdDateTime: p.createdDateTime,
    modifiedDateTime: p.modifiedDateTime ?? null,
    conditions: {
      clientAppTypes: p.conditions?.clientAppTypes ?? ["all"],
      locations: p.conditions?.locations ?? null,
      platforms: p.conditions?.platforms ?? null,
      signInRiskLevels: p.conditions?.signInRiskLevels ?? [],
      userRiskLevels: p.conditions?.userRiskLevels ?? [],
      servicePrincipalRiskLevels: p.conditions?.servicePrincipalRiskLevels ?? [],
      insiderRiskLevels: p.conditions?.insiderRiskLevels ?? null,
      devices: p.conditions?.devices ?? null,
      authenticationFlows: p.conditions?.authenticationFlows ?? null,
      users: {
        includeUsers: users.includeUsers ?? [],
        excludeUsers: users.excludeUsers ?? [],
        includeGroups: users.includeGroups ?? [],
        excludeGroups: users.excludeGroups ?? [],
        includeRoles: users.includeRoles ?? [],
        excludeRoles: users.excludeRoles ?? [],
      },
      applications: {
        includeApplications: apps.includeApplications ?? [],
        excludeApplications: apps.excludeApplications ?? [],
        includeUserActions: apps.includeUserActions ?? [],
      },
    },
    grantControls: {
      operator: grant.operator ?? "OR",
      builtInControls: grant.builtInControls ?? [],
      customAuthenticationFactors: grant.customAuthenticationFactors ?? [],
      termsOfUse: grant.termsOfUse ?? [],
      authenticationStrength: grant.authenticationStrength ?? null,
    },
  };
}

module.exports = {
  SCENARIOS_DIR,
  DATAVERSE_SCENARIOS_DIR,
  SOURCES,
  GLOBAL_ADMINISTRATOR,
  PASSWORD_METHOD_ID,
  listScenarios,
  loadScenario,
  resolveTimes,
  validateScenario,
  buildDirectory,
};
