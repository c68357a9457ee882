"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and Playwright load it without a build */
/**
 * The emulator's data: rows per table, many-to-many links, provisioned languages; and the
 * scenario files (playground/scenarios/*.json) that fill it, with a consistency check.
 */
const fs = require("node:fs");
const path = require("node:path");
const { TABLES, RELATIONSHIPS, FUNCTIONS, table, tableBySet } = require("./schema.cjs");

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCENARIOS_DIR = path.join(__dirname, "..", "scenarios");

const ITEM_IDS = [
  "premium-licences",
  "mfa-policies",
  "mfa-policy-wait",
  "mfa-registration",
  "service-account",
  "service-account-licence",
  "service-account-mfa",
  "service-account-settings",
  "global-admin",
  "global-admin-licence",
  "system-administrator-role",
  "english-language",
  "partner-center",
  "system-jobs-completed",
  "work365-installed",
  "consent-completed",
  "admin-field-security-profile",
  "sales-role",
];
const STATUSES = ["met", "not-met", "warning", "needs-confirmation", "confirmed", "cannot-check", "not-applicable", "pending"];
const STAGES = ["before-install", "awaiting-consent", "after-consent", "unknown"];

class Store {
  constructor() {
    /** @type {Map<string, Map<string, Record<string, any>>>} logical name -> id -> row */
    this.tables = new Map(Object.keys(TABLES).map((name) => [name, new Map()]));
    /** @type {Map<string, Array<Record<string, string>>>} relationship -> links keyed by primary keys */
    this.links = new Map(Object.keys(RELATIONSHIPS).map((name) => [name, []]));
    /** @type {Map<string, number>} */
    this.versions = new Map();
    this.versionCounter = 1000;
    /** @type {number[]} */
    this.provisionedLanguages = [];
    /** @type {number[]} */
    this.availableLanguages = [];
  }

  /** @param {string} entity */
  rows(entity) {
    return [...this.#table(entity).values()];
  }

  /** @param {string} entity @param {string | null | undefined} id */
  get(entity, id) {
    if (id === null || id === undefined) return undefined;
    return this.#table(entity).get(String(id).toLowerCase());
  }

  /** Insert or replace a row (GUIDs lower-cased, dates normalised). */
  put(entity, row) {
    const t = table(entity);
    const clean = normalizeRow(entity, row);
    const id = clean[t.primaryKey];
    if (typeof id !== "string" || !GUID_RE.test(id)) throw new Error(`${entity}: primary key ${t.primaryKey} must be a GUID, got ${JSON.stringify(id)}`);
    this.#table(entity).set(id, clean);
    this.versions.set(`${entity}:${id}`, ++this.versionCounter);
    return clean;
  }

  /** Merge column values into an existing row. */
  patch(entity, id, changes) {
    const row = this.get(entity, id);
    if (!row) throw new Error(`${entity} ${id} does not exist`);
    return this.put(entity, { ...row, ...changes });
  }

  remove(entity, id) {
    const key = String(id).toLowerCase();
    this.versions.delete(`${entity}:${key}`);
    return this.#table(entity).delete(key);
  }

  version(entity, id) {
    return this.versions.get(`${entity}:${String(id).toLowerCase()}`) ?? 1;
  }

  /** Add a many-to-many link, e.g. link("systemuserroles_association", { systemuserid, roleid }). */
  link(relationship, pair) {
    const rel = RELATIONSHIPS[relationship];
    if (!rel) throw new Error(`No many-to-many relationship '${relationship}'`);
    const clean = {};
    for (const logical of rel.tables) {
      const pk = table(logical).primaryKey;
      clean[pk] = String(pair[pk]).toLowerCase();
    }
    /** @type {Array<Record<string, string>>} */ (this.links.get(relationship)).push(clean);
  }

  /** The row a single-valued navigation property points at, or null. */
  lookup(entity, row, navName) {
    const nav = table(entity).navigation[navName];
    return this.get(nav.target, row[/** @type {string} */ (nav.column)]) ?? null;
  }

  /** The rows a collection-valued navigation property holds. */
  related(entity, row, navName) {
    const t = table(entity);
    const nav = t.navigation[navName];
    const target = table(nav.target);
    const id = String(row[t.primaryKey]).toLowerCase();
    if (nav.kind === "OneToMany") {
      return this.rows(nav.target).filter((r) => String(r[/** @type {string} */ (nav.column)] ?? "").toLowerCase() === id);
    }
    const links = this.links.get(/** @type {string} */ (nav.relationship)) ?? [];
    return links
      .filter((l) => l[t.primaryKey] === id)
      .map((l) => this.get(nav.target, l[target.primaryKey]))
      .filter(Boolean);
  }

  #table(entity) {
    const rows = this.tables.get(entity);
    if (!rows) throw new Error(`No table '${entity}' in the emulator schema`);
    return rows;
  }
}

/** @param {string} entity @param {Record<string, any>} row */
function normalizeRow(entity, row) {
  const t = table(entity);
  const out = {};
  for (const [key, value] of Object.entries(row)) {
    const type = t.columns[key];
    if (value !== null && type === "Edm.Guid") out[key] = String(value).toLowerCase();
    else if (value !== null && type === "Edm.DateTimeOffset") out[key] = new Date(value).toISOString().replace(/\.000Z$/, "Z");
    else out[key] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/**
 * Replace `"@now"`, `"@now-10m"`, `"@now+2h"`, `"@now-3d"` strings (anywhere in `value`) by times
 * relative to `now`, so a scenario can hold a confirmation made "a few minutes ago". The Graph
 * emulator's scenarios use the same notation and this function, with their own `format`.
 * @param {unknown} value
 * @param {Date} now
 * @param {(time: Date) => string} [format] how a time is written (default: ISO with milliseconds, as Dataverse writes them)
 * @returns {any}
 */
function resolveTimes(value, now, format = (time) => time.toISOString()) {
  if (typeof value === "string") {
    const m = /^@now(?:([+-])(\d+)([smhd]))?$/.exec(value);
    if (!m) return value;
    const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[3] ?? "s"];
    const offset = m[1] ? (m[1] === "-" ? -1 : 1) * Number(m[2]) * unit : 0;
    return format(new Date(now.getTime() + offset));
  }
  if (Array.isArray(value)) return value.map((v) => resolveTimes(v, now, format));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveTimes(v, now, format)]));
  }
  return value;
}

/** @param {string} [dir] */
function listScenarios(dir = SCENARIOS_DIR) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((file) => {
      const raw = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
      return { name: file.replace(/\.json$/, ""), title: raw.title, description: raw.description, order: raw.order ?? 999, file: path.join(dir, file) };
    })
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/**
 * Read a scenario by name (file name without `.json`), or take scenario data as given.
 * Relative times are resolved against `now`.
 * @param {string | Record<string, any>} nameOrData
 * @param {{ dir?: string, now?: Date }} [options]
 */
function loadScenario(nameOrData, options = {}) {
  const now = options.now ?? new Date();
  if (typeof nameOrData === "string") {
    if (!/^[\w.-]+$/.test(nameOrData)) throw new Error(`Invalid scenario name '${nameOrData}'`);
    const file = path.join(options.dir ?? SCENARIOS_DIR, `${nameOrData}.json`);
    if (!fs.existsSync(file)) throw new Error(`No scenario '${nameOrData}' (looked for ${file})`);
    const raw = JSON.parse(fs.readFileSync(file, "utf8"));
    return { name: nameOrData, ...resolveTimes(raw, now) };
  }
  return { name: nameOrData.name ?? "inline", ...resolveTimes(nameOrData, now) };
}

/** The w365_setup row a scenario's `record` describes. */
function recordRow(scenario) {
  const record = scenario.record ?? {};
  const state = record.checklistState;
  return {
    w365_setupid: record.id,
    w365_name: record.name ?? "Work 365 setup",
    w365_serviceaccountupn: record.serviceAccountUpn ?? null,
    w365_checkliststate: state === undefined || state === null ? null : typeof state === "string" ? state : JSON.stringify(state),
    createdon: record.createdon ?? "2025-01-06T09:00:00Z",
    modifiedon: record.modifiedon ?? "2025-01-06T09:00:00Z",
  };
}

/**
 * System rows every environment has, the same everywhere: a few of Dataverse's time zones
 * (`timezonedefinitions`). A scenario that lists its own replaces them.
 */
const SYSTEM_DATA = {
  timezonedefinitions: [
    { timezonedefinitionid: "77777777-0000-4000-8000-000000000004", timezonecode: 4, standardname: "Pacific Standard Time", userinterfacename: "(GMT-08:00) Pacific Time (US & Canada)" },
    { timezonedefinitionid: "77777777-0000-4000-8000-000000000020", timezonecode: 20, standardname: "Central Standard Time", userinterfacename: "(GMT-06:00) Central Time (US & Canada)" },
    { timezonedefinitionid: "77777777-0000-4000-8000-000000000035", timezonecode: 35, standardname: "Eastern Standard Time", userinterfacename: "(GMT-05:00) Eastern Time (US & Canada)" },
    { timezonedefinitionid: "77777777-0000-4000-8000-000000000085", timezonecode: 85, standardname: "GMT Standard Time", userinterfacename: "(GMT) Dublin, Edinburgh, Lisbon, London" },
    { timezonedefinitionid: "77777777-0000-4000-8000-000000000110", timezonecode: 110, standardname: "W. Europe Standard Time", userinterfacename: "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna" },
  ],
};

/** Build a Store from a loaded scenario (throws on rows the schema does not know). */
function buildStore(scenario) {
  const store = new Store();
  for (const [entitySet, rows] of Object.entries(SYSTEM_DATA)) {
    if (scenario.data?.[entitySet]) continue;
    for (const row of rows) store.put(tableBySet(entitySet).logicalName, { ...row });
  }
  for (const [entitySet, rows] of Object.entries(scenario.data ?? {})) {
    const t = tableBySet(entitySet);
    if (!t) throw new Error(`Scenario '${scenario.name}': unknown entity set '${entitySet}'`);
    for (const row of rows) store.put(t.logicalName, row);
  }
  if (scenario.record?.id) store.put("w365_setup", recordRow(scenario));
  for (const [relationship, pairs] of Object.entries(scenario.associations ?? {})) {
    for (const pair of pairs) store.link(relationship, pair);
  }
  store.provisionedLanguages = [...(scenario.provisionedLanguages ?? [])];
  store.availableLanguages = [...(scenario.availableLanguages ?? scenario.provisionedLanguages ?? [])];
  return store;
}

/**
 * Everything wrong with a scenario, as sentences (empty when it is consistent): unknown tables
 * or columns, bad or duplicate ids, lookups and associations pointing at missing rows, faults on
 * unknown targets, and an `expected` block that does not use the checklist's words.
 */
function validateScenario(scenario) {
  const problems = [];
  const say = (s) => problems.push(s);
  if (typeof scenario.title !== "string" || !scenario.title) say("title is missing");
  if (typeof scenario.description !== "string" || !scenario.description) say("description is missing");
  if (!scenario.admin || !GUID_RE.test(scenario.admin.id ?? "") || !scenario.admin.name) say("admin needs a GUID id and a name");
  if (!scenario.record || !GUID_RE.test(scenario.record.id ?? "")) say("record needs a GUID id");

  /** @type {Map<string, Set<string>>} */
  const ids = new Map();
  for (const [entitySet, rows] of Object.entries(scenario.data ?? {})) {
    const t = tableBySet(entitySet);
    if (!t) {
      say(`data: unknown entity set '${entitySet}'`);
      continue;
    }
    if (t.custom) say(`data: '${entitySet}' rows come from 'record', not 'data'`);
    const seen = new Set();
    ids.set(t.logicalName, seen);
    rows.forEach((row, i) => {
      for (const [column, value] of Object.entries(row)) {
        const type = t.columns[column];
        if (!type) say(`${entitySet}[${i}]: unknown column '${column}'`);
        else if (value !== null && !typeMatches(type, value)) say(`${entitySet}[${i}].${column}: ${JSON.stringify(value)} is not ${type}`);
      }
      const id = String(row[t.primaryKey] ?? "").toLowerCase();
      if (!GUID_RE.test(id)) say(`${entitySet}[${i}]: ${t.primaryKey} must be a GUID`);
      else if (seen.has(id)) say(`${entitySet}[${i}]: duplicate ${t.primaryKey} ${id}`);
      seen.add(id);
    });
  }
  const exists = (logical, id) => ids.get(logical)?.has(String(id).toLowerCase()) ?? false;

  for (const [entitySet, rows] of Object.entries(scenario.data ?? {})) {
    const t = tableBySet(entitySet);
    if (!t) continue;
    rows.forEach((row, i) => {
      for (const [navName, nav] of Object.entries(t.navigation)) {
        if (nav.kind !== "ManyToOne") continue;
        const value = row[/** @type {string} */ (nav.column)];
        if (value !== null && value !== undefined && !exists(nav.target, value)) {
          say(`${entitySet}[${i}].${nav.column} (${navName}) points at a missing ${nav.target} ${value}`);
        }
      }
    });
  }

  for (const [relationship, pairs] of Object.entries(scenario.associations ?? {})) {
    const rel = RELATIONSHIPS[relationship];
    if (!rel) {
      say(`associations: unknown relationship '${relationship}'`);
      continue;
    }
    pairs.forEach((pair, i) => {
      for (const logical of rel.tables) {
        const pk = table(logical).primaryKey;
        if (!exists(logical, pair[pk])) say(`${relationship}[${i}].${pk} points at a missing ${logical} ${pair[pk]}`);
      }
      const extra = Object.keys(pair).filter((k) => !rel.tables.some((l) => table(l).primaryKey === k));
      if (extra.length) say(`${relationship}[${i}]: unexpected keys ${extra.join(", ")}`);
    });
  }

  if (scenario.admin && GUID_RE.test(scenario.admin.id ?? "") && !exists("systemuser", scenario.admin.id)) {
    say(`admin ${scenario.admin.id} is not a systemusers row`);
  }
  if (!Array.isArray(scenario.provisionedLanguages) || scenario.provisionedLanguages.some((n) => !Number.isInteger(n))) {
    say("provisionedLanguages must be a list of locale ids");
  }
  if (!(scenario.data?.organizations?.length === 1)) say("data.organizations needs exactly one row");

  const state = scenario.record?.checklistState;
  if (state !== undefined && state !== null && typeof state !== "string") {
    if (state.version !== 1) say("record.checklistState.version must be 1 (use a string for a deliberately broken value)");
    for (const [key, entry] of Object.entries(state.confirmations ?? {})) {
      const item = key.split("/")[0];
      if (!ITEM_IDS.includes(item)) say(`checklistState: unknown item '${item}' in '${key}'`);
      if (typeof entry.confirmed !== "boolean") say(`checklistState.${key}: confirmed must be true or false`);
      if (!entry.by || !/^[0-9a-f-]{36}$/.test(entry.by.id ?? "") || typeof entry.by.name !== "string") {
        say(`checklistState.${key}: by needs a lower-case GUID id and a name`);
      }
      if (Number.isNaN(Date.parse(entry.at))) say(`checklistState.${key}: at is not a time`);
    }
  }

  const targets = new Set(["*", ...Object.values(TABLES).map((t) => t.entitySet), ...FUNCTIONS]);
  for (const key of Object.keys(scenario.faults ?? {})) {
    if (!targets.has(key)) say(`faults: unknown target '${key}'`);
  }

  if (scenario.expected) {
    if (!STAGES.includes(scenario.expected.stage)) say(`expected.stage '${scenario.expected.stage}' is not one of ${STAGES.join(", ")}`);
    const items = scenario.expected.items ?? {};
    for (const id of ITEM_IDS) if (!(id in items)) say(`expected.items lacks '${id}'`);
    for (const [id, status] of Object.entries(items)) {
      if (!ITEM_IDS.includes(id)) say(`expected.items: unknown item '${id}'`);
      if (!STATUSES.includes(/** @type {string} */ (status))) say(`expected.items.${id}: '${status}' is not a status`);
    }
  }
  return problems;
}

function typeMatches(type, value) {
  switch (type) {
    case "Edm.Guid":
      return typeof value === "string" && GUID_RE.test(value);
    case "Edm.String":
      return typeof value === "string";
    case "Edm.Boolean":
      return typeof value === "boolean";
    case "Edm.DateTimeOffset":
      return typeof value === "string" && !Number.isNaN(Date.parse(value));
    default:
      return typeof value === "number";
  }
}

module.exports = {
  Store,
  SCENARIOS_DIR,
  ITEM_IDS,
  STATUSES,
  STAGES,
  listScenarios,
  loadScenario,
  buildStore,
  validateScenario,
  recordRow,
  resolveTimes,
};
