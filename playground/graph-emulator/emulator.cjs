"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and the preflight's tests load it without a build */
/**
 * A Microsoft Graph emulator for the preflight's tests and the benchmark: answers the requests of
 * graph-requests.md (`POST /v1.0/$batch`, direct `GET /v1.0/...`, `GET /beta/users/{id}/authentication/requirements`)
 * from a scenario in playground/graph-scenarios/, strictly as Graph does (unknown segments, query
 * options and properties are refused), with per-endpoint faults and latency and a control API under
 * `/_emulator/...`. Mount `handle(req, res)` in any http server, or run
 * `node playground/graph-emulator/emulator.cjs --port 8282 --scenario ready-to-install`.
 */
const crypto = require("node:crypto");
const { ROUTES, TYPES, COMPLEX, DERIVED, ENDPOINTS, selectableProperties } = require("./schema.cjs");
const { SCENARIOS_DIR, listScenarios, loadScenario, validateScenario, buildDirectory, SOURCES } = require("./scenario.cjs");
const { SKUS } = require("./skus.cjs");
const { sleep, safeDecode, decodedPath, jsonBodyReader, responder, heldRequests, drop, startServer, standaloneOptions } = require("../emulator-http.cjs");

const CONTROL_PREFIX = "/_emulator";
const API_PATH = /^\/(v1\.0|beta)(?:\/(.*))?$/;
const MAX_BODY = 1024 * 1024;
const MAX_LOG = 5000;
const MAX_BATCH = 20;
const JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

class GraphError extends Error {
  /** @param {number} status @param {string} code @param {string} message @param {Record<string, string>} [headers] */
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

const errors = {
  segment: (segment) => new GraphError(400, "BadRequest", `Resource not found for the segment '${segment}'.`),
  property: (name, type) => new GraphError(400, "BadRequest", `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`),
  option: (name) => new GraphError(400, "BadRequest", `The query parameter '${name}' is not supported.`),
  duplicateOption: (name) => new GraphError(400, "BadRequest", `Query option '${name}' was specified more than once, but it must be specified at most once.`),
  expand: (name, type) =>
    new GraphError(400, "BadRequest", `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`),
  filterSyntax: (detail) => new GraphError(400, "BadRequest", `Invalid filter clause: ${detail}`),
  unsupportedFilter: (property, type) =>
    new GraphError(
      400,
      "Request_UnsupportedQuery",
      `Unsupported or invalid query filter clause specified for property '${property}' of resource '${type.charAt(0).toUpperCase()}${type.slice(1)}'.`,
    ),
  top: (value) => new GraphError(400, "BadRequest", `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`),
  pageToken: () =>
    new GraphError(400, "Directory_ExpiredPageToken", "The specified page token value has expired and can no longer be included in your request."),
  notFound: (what) =>
    new GraphError(404, "Request_ResourceNotFound", `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`),
  notServed: (method, path) => new GraphError(501, "NotImplemented", `The Graph emulator does not serve ${method} ${path}.`),
  method: () => new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target."),
  denied: () => new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
  delegatedOnly: () => new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow."),
  // PIM without P2 answers 400 with its own code (Learn: List roleEligibilityScheduleInstances, and its
  // licence requirements); the other premium reads answer 403.
  premium: (routeKey) =>
    routeKey === "roleEligibilityScheduleInstances"
      ? new GraphError(400, "AadPremiumLicenseRequired", "The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.")
      : new GraphError(
      403,
      "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
      routeKey === "userRegistrationDetails" ? "Tenant does not have a SPO license." : "Tenant is not a B2C tenant and doesn't have premium license",
    ),
  throttled: (seconds) =>
    new GraphError(429, "TooManyRequests", "Too many requests. Please retry after the time given in Retry-After.", { "Retry-After": String(seconds) }),
  server: (status = 500) => new GraphError(status, "UnknownError", "An internal server error occurred."),
  token: (message) =>
    new GraphError(401, "InvalidAuthenticationToken", message, {
      "WWW-Authenticate":
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
    }),
  batch: (message) => new GraphError(400, "BadRequest", message),
};

const sha256 = (text) => crypto.createHash("sha256").update(text).digest("hex");

// ---------------------------------------------------------------------------------------------
// Faults

/**
 * @typedef {"denied" | "premium" | "not-found" | "throttle" | "server-error" | "drop" | "hang" | "delay" | "expired-token"} FaultKind
 * @typedef {{ kind: FaultKind, times?: number, retryAfter?: number, ms?: number, status?: number, tokenHashes?: string[] }} Fault
 */
const FAULT_KINDS = ["denied", "premium", "not-found", "throttle", "server-error", "drop", "hang", "delay", "expired-token"];
const STATUS_KINDS = { 401: "expired-token", 403: "denied", 404: "not-found", 429: "throttle", 500: "server-error" };

/** Accept `403`, `"429"`, `"premium"`, `"drop"`, `{ status: 429, retryAfter: 2, times: 1 }`, `{ kind: "delay", ms }`, `{ expireTokens: "x" }`. */
function normalizeFault(spec) {
  if (spec === null || spec === undefined || spec === false) return null;
  /** @type {Record<string, any>} */
  const f = typeof spec === "object" ? { ...spec } : /^\d+$/.test(String(spec)) ? { status: Number(spec) } : { kind: String(spec) };
  if (typeof f.status === "string" && /^\d+$/.test(f.status)) f.status = Number(f.status);
  if (f.expireTokens !== undefined) {
    f.kind = "expired-token";
    f.tokens = [].concat(f.expireTokens);
    delete f.expireTokens;
  }
  if (f.token !== undefined) {
    f.tokens = [].concat(f.tokens ?? [], f.token);
    delete f.token;
  }
  if (!f.kind) f.kind = STATUS_KINDS[f.status] ?? (f.status >= 500 ? "server-error" : undefined);
  if (!FAULT_KINDS.includes(f.kind)) throw new Error(`Unknown fault '${JSON.stringify(spec)}' (use ${FAULT_KINDS.join(", ")}, or 403, 404, 429, 500)`);
  for (const key of Object.keys(f)) {
    if (!["kind", "status", "times", "retryAfter", "ms", "tokens", "tokenHashes"].includes(key)) throw new Error(`Unknown fault option '${key}'`);
  }
  if (f.times !== undefined && !(Number.isInteger(f.times) && f.times >= 0)) throw new Error("times: a whole number");
  if (f.kind === "expired-token") {
    const tokens = f.tokens ?? [];
    if (!tokens.length && !f.tokenHashes?.length) throw new Error("An expired-token fault names the token: { expireTokens: \"<token value>\" }");
    // Keep only hashes: the control API and the log never show a token.
    f.tokenHashes = [...(f.tokenHashes ?? []), ...tokens.map((t) => sha256(String(t)))];
    delete f.tokens;
  }
  return /** @type {Fault} */ (f);
}

function normalizeFaults(map) {
  /** @type {Record<string, Fault>} */
  const out = {};
  for (const [key, spec] of Object.entries(map ?? {})) {
    if (key !== "*" && key !== "$batch" && !ENDPOINTS.includes(key)) {
      throw new Error(`Unknown fault target '${key}' (use ${ENDPOINTS.join(", ")}, $batch or *)`);
    }
    const fault = normalizeFault(spec);
    if (fault) out[key] = fault;
  }
  return out;
}

/** The faults as the control API shows them: token hashes shortened, never a token. */
function describeFaults(faults) {
  return Object.fromEntries(
    Object.entries(faults).map(([key, f]) => [key, f.tokenHashes ? { ...f, tokenHashes: f.tokenHashes.map((h) => `sha256:${h.slice(0, 12)}…`) } : f]),
  );
}

// ---------------------------------------------------------------------------------------------
// Requests: routes and query options

/** Match decoded path segments against the routes; a path that is not served says which segment is wrong. */
function matchRoute(version, segments, method, shownPath) {
  let deepest = 0;
  for (const route of ROUTES) {
    if (route.version !== version) continue;
    const params = {};
    let i = 0;
    let partial = false;
    for (; i < route.path.length && i < segments.length; i++) {
      const token = route.path[i];
      const segment = segments[i];
      if (typeof token === "string") {
        if (token.toLowerCase() !== segment.toLowerCase()) break;
      } else if ("key" in token) {
        params.key = segment;
      } else {
        const m = new RegExp(`^${token.entitySet}\\(${token.alternateKey}='((?:[^']|'')*)'\\)$`, "i").exec(segment);
        if (!m) {
          // The bare entity set is real Graph, just not served here.
          partial = segment.toLowerCase() === token.entitySet.toLowerCase();
          break;
        }
        params.key = m[1].replace(/''/g, "'");
      }
    }
    if (!partial && i === route.path.length && i === segments.length) return { route, params };
    deepest = Math.max(deepest, partial ? i + 1 : i);
  }
  if (deepest >= segments.length) return { error: errors.notServed(method, shownPath) };
  return { error: errors.segment(segments[deepest]) };
}

/** Split a raw query string; `+` is a space (as Graph's ASP.NET front end reads it). */
function parseQuery(rawQuery) {
  const options = new Map();
  const raw = [];
  for (const part of (rawQuery ?? "").split("&").filter(Boolean)) {
    const eq = part.indexOf("=");
    let name;
    let value;
    try {
      name = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " "));
      value = decodeURIComponent((eq < 0 ? "" : part.slice(eq + 1)).replace(/\+/g, " "));
    } catch {
      throw new GraphError(400, "BadRequest", "The query specified in the URI is not valid.");
    }
    if (options.has(name)) throw errors.duplicateOption(name);
    options.set(name, value);
    raw.push({ name, part });
  }
  return { options, raw };
}

/** `prop eq 'x'`, `prop in ('x','y')`, joined by one kind of `and` / `or`. */
function parseFilter(text) {
  const tokens = [];
  const re = /\s*(?:('(?:[^']|'')*')|(\()|(\))|(,)|([A-Za-z_$][\w/.]*))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw errors.filterSyntax(`syntax error at position ${pos} in '${text}'.`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ t: "string", v: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2]) tokens.push({ t: "(" });
    else if (m[3]) tokens.push({ t: ")" });
    else if (m[4]) tokens.push({ t: "," });
    else tokens.push({ t: "word", v: m[5] });
  }
  let i = 0;
  const next = () => tokens[i++];
  const expect = (t) => {
    const tok = next();
    if (!tok || tok.t !== t) throw errors.filterSyntax(`expected '${t}' in '${text}'.`);
    return tok;
  };
  const clauses = [];
  const joins = new Set();
  for (;;) {
    const property = expect("word").v;
    const op = expect("word").v.toLowerCase();
    if (op === "eq") clauses.push({ property, op, values: [expect("string").v] });
    else if (op === "in") {
      expect("(");
      const values = [expect("string").v];
      for (let tok = next(); tok?.t !== ")"; tok = next()) {
        if (tok?.t !== ",") throw errors.filterSyntax(`expected ',' or ')' in '${text}'.`);
        values.push(expect("string").v);
      }
      clauses.push({ property, op, values });
    } else {
      clauses.push({ property, op, values: [] });
      break;
    }
    const join = next();
    if (!join) break;
    if (join.t !== "word" || !["and", "or"].includes(join.v.toLowerCase())) throw errors.filterSyntax(`unexpected token in '${text}'.`);
    joins.add(join.v.toLowerCase());
  }
  return { clauses, joins };
}

/**
 * Check the query options against the route: unknown options, `$select` properties, `$filter`
 * shapes and `$expand`s the endpoint does not support are refused as Graph refuses them.
 */
function readOptions(route, options) {
  const typeName = route.type;
  const plan = { select: null, filter: null, expand: [], top: null, skip: 0 };
  for (const [name, value] of options) {
    if (name === "$skiptoken" && route.collection) continue;
    if (route.options.includes(name)) continue;
    if (name === "$filter") throw errors.unsupportedFilter(String(value).split(/\s/)[0] || "$filter", typeName);
    if (name === "$expand") throw errors.expand(String(value).split(/[,(]/)[0], typeName);
    // Any other option, known to OData or not, is refused: the emulator is as strict as Graph at its strictest.
    throw errors.option(name);
  }
  if (options.has("$select")) {
    const allowed = selectableProperties(route);
    const names = String(options.get("$select")).split(",").map((s) => s.trim());
    for (const n of names) if (!n || !allowed.has(n)) throw errors.property(n, typeName);
    plan.select = names;
  }
  if (options.has("$filter")) {
    const { clauses, joins } = parseFilter(String(options.get("$filter")));
    const spec = /** @type {NonNullable<typeof route.filter>} */ (route.filter);
    for (const c of clauses) {
      if (!spec.properties.includes(c.property) || !spec.ops.includes(/** @type {any} */ (c.op))) throw errors.unsupportedFilter(c.property, typeName);
    }
    if (joins.size > 1 || (joins.size === 1 && !joins.has(spec.join))) throw errors.unsupportedFilter(clauses[0].property, typeName);
    plan.filter = { clauses, join: spec.join };
  }
  if (options.has("$expand")) {
    for (const n of String(options.get("$expand")).split(",").map((s) => s.trim())) {
      if (!(route.expand ?? []).includes(n)) throw errors.expand(n.split("(")[0], typeName);
      plan.expand.push(n);
    }
  }
  if (options.has("$top")) {
    const v = String(options.get("$top"));
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 999) throw errors.top(v);
    plan.top = Number(v);
  }
  if (options.has("$skiptoken")) plan.skip = readPageToken(String(options.get("$skiptoken")), route.key);
  return plan;
}

function pageToken(offset, routeKey) {
  return `RFNwdAIA${Buffer.from(JSON.stringify({ o: offset, e: routeKey })).toString("base64url")}`;
}
function readPageToken(token, routeKey) {
  try {
    const data = JSON.parse(Buffer.from(token.replace(/^RFNwdAIA/, ""), "base64url").toString("utf8"));
    if (data.e === routeKey && Number.isInteger(data.o) && data.o > 0) return data.o;
  } catch {
    // fall through
  }
  throw errors.pageToken();
}

const matches = (filter, row) => {
  if (!filter) return true;
  const test = (c) => c.values.some((v) => String(row[c.property] ?? "").toLowerCase() === v.toLowerCase());
  return filter.join === "and" ? filter.clauses.every(test) : filter.clauses.some(test);
};

/** Without `$select`, Graph answers a type's default properties only (a user's `accountEnabled` must be asked for). */
function defaults(item, typeName) {
  const type = String(item?.["@odata.type"] ?? "").replace(/^#microsoft\.graph\./, "") || typeName;
  const keep = TYPES[type]?.defaultProperties;
  if (!item || !keep) return item;
  return Object.fromEntries(Object.entries(item).filter(([k]) => k === "@odata.type" || keep.includes(k)));
}

/** Keep the selected properties (null when absent, as Graph does), `@odata.type`, and expanded navigation properties. */
function shape(item, plan, typeName) {
  if (!plan.select) {
    const out = defaults(item, typeName);
    for (const n of plan.expand) out[n] = defaults(item[n], null);
    return out;
  }
  const out = {};
  if (item["@odata.type"]) out["@odata.type"] = item["@odata.type"];
  for (const n of plan.select) {
    // Derived-type properties appear only on items of that type.
    if (item["@odata.type"] && !(n in item) && n !== "id") continue;
    out[n] = item[n] ?? null;
  }
  for (const n of plan.expand) out[n] = defaults(item[n] ?? null, null);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The emulator

/**
 * @param {{ scenario?: string | Record<string, any>, latencyMs?: number, scenariosDir?: string, faults?: Record<string, any>,
 *           now?: () => Date, batchOrder?: "reverse" | "request" | "shuffle" }} [options]
 */
function createGraphEmulator(options = {}) {
  const scenariosDir = options.scenariosDir ?? SCENARIOS_DIR;
  const clock = options.now ?? (() => new Date());
  const initialLatency = options.latencyMs ?? 0;
  const batchOrder = options.batchOrder ?? "reverse";

  let source = options.scenario ?? "ready-to-install";
  let scenario = loadScenario(source, { dir: scenariosDir, now: clock() });
  let dir = buildDirectory(scenario);
  let faults = normalizeFaults(options.faults ?? scenario.faults);
  let expiredTokens = new Set((scenario.expireTokens ?? []).map(sha256));
  let latencyMs = initialLatency;
  /** @type {Map<string, number>} */
  let faultCounts = new Map();
  /** @type {Array<Record<string, any>>} */
  let requests = [];
  let seq = 0;
  const held = heldRequests();
  const releaseHeld = held.release;

  function setScenario(nameOrData) {
    const next = loadScenario(nameOrData, { dir: scenariosDir, now: clock() });
    const nextDir = buildDirectory(next);
    const nextFaults = normalizeFaults(next.faults);
    source = nameOrData;
    scenario = next;
    dir = nextDir;
    faults = nextFaults;
    expiredTokens = new Set((next.expireTokens ?? []).map(sha256));
    faultCounts = new Map();
    releaseHeld();
    return summary();
  }

  function setFaults(map) {
    faults = normalizeFaults(map);
    faultCounts = new Map();
    return describeFaults(faults);
  }

  function setLatency(ms) {
    if (!Number.isFinite(ms) || ms < 0) throw new Error("latency must be a non-negative number of milliseconds");
    latencyMs = ms;
  }

  function reset() {
    setScenario(source);
    latencyMs = initialLatency;
    requests = [];
  }

  function summary() {
    return {
      name: scenario.name,
      title: scenario.title,
      description: scenario.description,
      dataverse: scenario.dataverse,
      args: scenario.args ?? [],
      why: scenario.why,
      expected: scenario.expected ?? null,
      tenantId: dir.tenant.id,
      signedInUser: dir.users.get(dir.signedInUserId)?.userPrincipalName ?? null,
      signIn: dir.signIn,
      membershipObjects: dir.membershipObjects,
      premium: dir.premium,
      pageSize: dir.pageSize,
      faults: describeFaults(faults),
      latencyMs,
    };
  }

  /** The fault for an endpoint: its own, else `*`; `times` counts per endpoint. Token faults are handled apart. */
  function pickFault(endpoint) {
    const take = (key, countKey) => {
      const fault = faults[key];
      if (!fault || fault.kind === "expired-token") return null;
      if (fault.times !== undefined) {
        const used = faultCounts.get(countKey) ?? 0;
        if (used >= fault.times) return null;
        faultCounts.set(countKey, used + 1);
      }
      return fault;
    };
    return take(endpoint, endpoint) ?? (endpoint === "$batch" ? null : take("*", `*:${endpoint}`));
  }

  /** 401 when the request carries a token the scenario or a fault has expired; a missing header is fine (`--auth none`). */
  function checkToken(header, endpoint) {
    if (header === undefined) return;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(String(header));
    if (!m) throw errors.token("Access token validation failure. Invalid audience.");
    const hash = sha256(m[1]);
    const expired = () => errors.token("Lifetime validation failed, the token is expired.");
    if (expiredTokens.has(hash)) throw expired();
    for (const key of endpoint ? [endpoint, "*"] : ["*"]) {
      const fault = faults[key];
      if (fault?.kind !== "expired-token" || !fault.tokenHashes?.includes(hash)) continue;
      const countKey = `token:${key}:${endpoint}`;
      if (fault.times !== undefined) {
        const used = faultCounts.get(countKey) ?? 0;
        if (used >= fault.times) continue;
        faultCounts.set(countKey, used + 1);
      }
      throw expired();
    }
  }

  /** Turn a fault into an answer; `null` means answer normally (after a delay). */
  async function applyFault(fault, route, params) {
    switch (fault.kind) {
      case "delay":
        await sleep(fault.ms ?? 1000);
        return null;
      case "drop":
        return { drop: true };
      case "hang":
        return { hang: true };
      case "denied":
        return errors.denied();
      case "premium":
        return errors.premium(route.key);
      case "not-found":
        return errors.notFound(params.key ?? route.key);
      case "throttle":
        return errors.throttled(fault.retryAfter ?? 1);
      default:
        return errors.server(fault.status ?? 500);
    }
  }

  /**
   * One GET, direct or inside a batch.
   * @returns {Promise<{ status: number, headers: Record<string, string>, body: any, endpoint: string | null, fault?: string } | { drop: true, endpoint: string | null, fault: string } | { hang: true, endpoint: string | null, fault: string }>}
   */
  async function answer({ method, version, rawPath, rawQuery, base, matched }) {
    const found = matched ?? routeOf(method, version, rawPath);
    const endpoint = found.route?.key ?? null;
    const fail = (error, fault) => ({ ...errorAnswer(error), endpoint, fault });
    try {
      if (found.error) throw found.error;
      const { route, params } = found;
      if (method !== "GET") throw errors.method();
      const { options, raw } = parseQuery(rawQuery);
      const plan = readOptions(route, options);
      const fault = pickFault(route.key);
      if (fault) {
        const outcome = await applyFault(fault, route, params);
        if (outcome instanceof GraphError) return fail(outcome, fault.kind);
        if (outcome) return { ...outcome, endpoint, fault: fault.kind };
      }
      if (route.premium && !dir.premium[route.premium]) throw errors.premium(route.key);
      const result = resolve(route, params, plan);
      const context = `${base}/${version}/$metadata#${safeDecode(rawPath)}`;
      if (!route.collection) {
        const body = { "@odata.context": `${context}/$entity`, ...shape(result, plan, route.type) };
        return { status: 200, headers: { "Content-Type": JSON_TYPE }, body, endpoint, fault: fault?.kind };
      }
      const size = plan.top ?? dir.pageSize;
      const start = plan.skip;
      if (start > result.length) throw errors.pageToken();
      const page = result.slice(start, start + size).map((item) => shape(item, plan, route.type));
      const body = { "@odata.context": context, value: page };
      if (start + size < result.length) {
        const kept = raw.filter((r) => r.name !== "$skiptoken").map((r) => r.part);
        kept.push(`$skiptoken=${pageToken(start + size, route.key)}`);
        body["@odata.nextLink"] = `${base}/${version}/${rawPath}?${kept.join("&")}`;
      }
      return { status: 200, headers: { "Content-Type": JSON_TYPE }, body, endpoint, fault: fault?.kind };
    } catch (e) {
      if (e instanceof GraphError) return fail(e);
      return fail(new GraphError(500, "UnknownError", `An internal server error occurred. (emulator: ${e instanceof Error ? e.message : e})`));
    }
  }

  function routeOf(method, version, rawPath) {
    const segments = rawPath.split("/").filter((s, i, all) => s !== "" || i < all.length - 1);
    let decoded;
    try {
      decoded = segments.map((s) => decodeURIComponent(s));
    } catch {
      return { error: new GraphError(400, "BadRequest", "The request URI is not valid.") };
    }
    return matchRoute(version, decoded, method, `/${version}/${decoded.join("/")}`);
  }

  const directoryObject = (id) => {
    const o = dir.objects.get(id);
    return o ? { "@odata.type": `#microsoft.graph.${o.kind}`, ...o.entity } : null;
  };

  /**
   * A group or role in another user's memberships. With `membershipObjects: "limited"` (a token that
   * may read users but not groups or roles), Graph returns limited objects: the type and id only.
   */
  const membershipObject = (id) => {
    const o = directoryObject(id);
    if (!o || dir.membershipObjects !== "limited") return o;
    // Learn: "only the @odata.type property for the object type and the id is returned, while other properties are indicated as null".
    const kind = String(o["@odata.type"]).replace(/^#microsoft\.graph\./, "");
    return { ...Object.fromEntries(Object.keys(TYPES[kind]?.properties ?? {}).map((k) => [k, null])), "@odata.type": o["@odata.type"], id: o.id };
  };

  /** The data a route answers, before paging and `$select`. */
  function resolve(route, params, plan) {
    const user = () => {
      const u = dir.user(params.key);
      if (!u) throw errors.notFound(params.key);
      return u;
    };
    const withPrincipal = (rows) =>
      rows.filter((r) => matches(plan.filter, r)).map((r) => (plan.expand.includes("principal") ? { ...r, principal: directoryObject(String(r.principalId).toLowerCase()) } : { ...r }));
    switch (route.key) {
      case "me":
        if (!dir.signedInUserId) throw errors.delegatedOnly();
        return { ...dir.users.get(dir.signedInUserId) };
      case "organization":
        return [{ id: dir.tenant.id, displayName: dir.tenant.displayName, tenantType: "AAD" }];
      case "users":
        return { ...user() };
      case "licenseDetails":
        if (params.key === undefined && !dir.signedInUserId) throw errors.delegatedOnly();
        // Learn's permissions table: application permissions are not supported for licenseDetails.
        if (dir.signIn === "application") throw errors.denied();
        return structuredClone(dir.licences.get(params.key === undefined ? dir.signedInUserId : user().id));
      case "transitiveMemberOf":
        return dir.transitiveMemberOf(user().id).map(membershipObject);
      case "memberOf":
        return dir.memberOf(user().id).map(membershipObject);
      case "authenticationMethods":
        return structuredClone(dir.methods.get(user().id));
      case "userRegistrationDetails":
        return dir.registration.filter((r) => matches(plan.filter, r)).map((r) => structuredClone(r));
      case "roleAssignments":
        return withPrincipal(dir.roleAssignments);
      case "roleEligibilityScheduleInstances":
        return withPrincipal(dir.roleEligibility);
      case "securityDefaults":
        return { ...dir.securityDefaults };
      case "conditionalAccessPolicies":
        return structuredClone(dir.conditionalAccessPolicies);
      case "domains":
        return structuredClone(dir.domains);
      case "subscribedSkus":
        return structuredClone(dir.subscribedSkus);
      case "servicePrincipals":
        return dir.servicePrincipals.filter((s) => matches(plan.filter, s)).map((s) => ({ ...s }));
      case "oauth2PermissionGrants":
      case "appRoleAssignments": {
        const id = String(params.key).toLowerCase();
        if (dir.objects.get(id)?.kind !== "servicePrincipal") throw errors.notFound(params.key);
        return structuredClone((route.key === "oauth2PermissionGrants" ? dir.grants : dir.appRoleAssignments).get(id));
      }
      case "transitiveMembers": {
        const id = String(params.key).toLowerCase();
        if (dir.objects.get(id)?.kind !== "group") throw errors.notFound(params.key);
        return dir.transitiveMembers(id).map(directoryObject);
      }
      case "applications": {
        const app = dir.applications.find((a) => a.appId.toLowerCase() === String(params.key).toLowerCase());
        if (!app) throw errors.notFound(params.key);
        return structuredClone(app);
      }
      case "authenticationRequirements":
        return { perUserMfaState: dir.perUser.get(user().id) };
      default:
        throw errors.notServed("GET", route.key);
    }
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  async function handleApi(req, res, version, rawPath, rawQuery, log) {
    const base = `http://${req.headers.host ?? "localhost"}`;
    const isBatch = version === "v1.0" && /^\$batch\/?$/i.test(rawPath);
    const matched = isBatch ? null : routeOf(req.method ?? "GET", version, rawPath);
    const endpoint = isBatch ? "$batch" : (matched?.route?.key ?? null);
    log.endpoint = endpoint;
    log.batch = isBatch;
    if (latencyMs > 0) await sleep(latencyMs);
    checkToken(req.headers.authorization, endpoint);

    if (!isBatch) {
      const result = await answer({ method: req.method ?? "GET", version, rawPath, rawQuery, base, matched: /** @type {any} */ (matched) });
      if (result.fault) log.fault = result.fault;
      return deliver(req, res, result, log);
    }

    const fault = pickFault("$batch");
    if (fault) {
      log.fault = fault.kind;
      const outcome = await applyFault(fault, { key: "$batch" }, {});
      if (outcome instanceof GraphError) {
        // What the refused batch held, so a reader of the log can tell a request sent again from a new one.
        const payload = await readJson(req).catch(() => undefined);
        if (Array.isArray(payload?.requests)) log.refusedInner = payload.requests.map((r) => ({ id: String(r?.id), url: safeDecode(String(r?.url)) }));
        return sendError(res, outcome, log, req);
      }
      if (outcome) return deliver(req, res, { ...outcome, endpoint: "$batch" }, log);
    }
    if (req.method !== "POST") throw errors.method();
    const payload = await readJson(req);
    const inner = checkBatch(payload);
    const results = await Promise.all(
      inner.map(async (r) => {
        const url = String(r.url);
        if (/^[a-z]+:\/\//i.test(url)) return { id: r.id, url, ...errorAnswer(errors.batch("Invalid request URL: batch requests use URLs relative to the version.")), endpoint: null };
        const relative = url.replace(/^\//, "");
        const q = relative.indexOf("?");
        const result = await answer({
          method: String(r.method).toUpperCase(),
          version: "v1.0",
          rawPath: q < 0 ? relative : relative.slice(0, q),
          rawQuery: q < 0 ? "" : relative.slice(q + 1),
          base,
        });
        return { id: r.id, url, ...result };
      }),
    );
    log.inner = results.map((r) => ({
      id: r.id,
      url: safeDecode(r.url),
      endpoint: r.endpoint,
      status: "drop" in r ? "dropped" : "hang" in r ? "held" : r.status,
      ...(r.fault ? { fault: r.fault } : {}),
      ...(r.status >= 400 && r.body?.error?.code ? { code: r.body.error.code } : {}),
    }));
    // One inner request that drops or hangs takes the whole batch with it (it is one HTTP request).
    const broken = results.find((r) => "drop" in r) ?? results.find((r) => "hang" in r);
    if (broken) return deliver(req, res, broken, log);
    const responses = order(results).map((r) => ({ id: r.id, status: r.status, headers: r.headers, body: r.body }));
    return sendJson(res, 200, { responses }, log, req);
  }

  function order(results) {
    if (batchOrder === "request") return results;
    if (batchOrder === "reverse") return [...results].reverse();
    return [...results].sort(() => Math.random() - 0.5);
  }

  function deliver(req, res, result, log) {
    if ("drop" in result) return drop(req, log);
    if ("hang" in result) return held.hold(res, log);
    if (result.body?.error) log.error = result.body.error.code;
    return sendJson(res, result.status, result.body, log, req, withoutContentType(result.headers));
  }

  // -------------------------------------------------------------------------------------------
  // The control API (never delayed, never faulted)

  async function handleControl(req, res, route, log) {
    const send = (status, body) => sendJson(res, status, body, log, req);
    const method = req.method;
    if (route === "" && method === "GET") {
      return send(200, {
        scenario: summary(),
        endpoints: [
          "GET /_emulator/scenarios",
          "GET /_emulator/scenario",
          "POST /_emulator/scenario {name} | {scenario}",
          "GET|POST|DELETE /_emulator/faults",
          "GET|POST /_emulator/latency {ms}",
          "GET|DELETE /_emulator/requests",
          "GET /_emulator/data",
          "POST /_emulator/release",
          "POST /_emulator/reset",
        ],
      });
    }
    if (route === "/scenarios" && method === "GET") {
      return send(200, listScenarios(scenariosDir).map(({ name, title, description, dataverse }) => ({ name, title, description, dataverse })));
    }
    if (route === "/scenario" && method === "GET") return send(200, summary());
    if (route === "/scenario" && method === "POST") {
      const body = await readJson(req);
      const next = typeof body === "string" ? body : (body?.scenario ?? body?.name);
      if (!next) return send(400, { error: 'Send {"name": "<scenario>"} or {"scenario": { ...data }}' });
      return send(200, setScenario(next));
    }
    if (route === "/faults" && method === "GET") return send(200, describeFaults(faults));
    if (route === "/faults" && method === "POST") {
      const body = await readJson(req);
      return send(200, setFaults(body?.faults ?? body));
    }
    if (route === "/faults" && method === "DELETE") return send(200, setFaults({}));
    if (route === "/latency" && method === "GET") return send(200, { ms: latencyMs });
    if (route === "/latency" && method === "POST") {
      const body = await readJson(req);
      setLatency(Number(typeof body === "number" ? body : body?.ms));
      return send(200, { ms: latencyMs });
    }
    if (route === "/requests" && method === "GET") return send(200, requests);
    if (route === "/requests" && method === "DELETE") {
      requests = [];
      return send(200, []);
    }
    if (route === "/data" && method === "GET") {
      return send(200, {
        tenant: dir.tenant,
        premium: dir.premium,
        users: [...dir.users.values()],
        registration: dir.registration,
        subscribedSkus: dir.subscribedSkus,
        conditionalAccessPolicies: dir.conditionalAccessPolicies,
        roleAssignments: dir.roleAssignments,
        servicePrincipals: dir.servicePrincipals,
        applications: dir.applications,
      });
    }
    if (route === "/release" && method === "POST") {
      const count = held.size;
      releaseHeld();
      return send(200, { released: count });
    }
    if (route === "/reset" && method === "POST") {
      reset();
      return send(200, summary());
    }
    return send(404, { error: `No control endpoint ${method} ${CONTROL_PREFIX}${route}` });
  }

  /**
   * Answer a request for Graph (`/v1.0/...`, `/beta/...`) or the control API.
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   * @returns {Promise<boolean>} true when the emulator took the request
   */
  async function handle(req, res) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const api = API_PATH.exec(pathname);
    const isControl = pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
    if (!api && !isControl) return false;

    const started = Date.now();
    /** @type {Record<string, any>} */
    const log = { seq: ++seq, at: new Date().toISOString(), method: req.method, status: null };
    if (api) {
      // Whether a token came, never what it was.
      log.auth = req.headers.authorization === undefined ? "none" : "bearer";
      log.path = decodedPath(pathname, rawQuery);
      requests.push(log);
      if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
    }
    res.on("close", () => {
      log.ms = Date.now() - started;
    });
    try {
      if (req.method === "OPTIONS") sendEmpty(res, 204, log);
      else if (isControl) await handleControl(req, res, pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, ""), log);
      else await handleApi(req, res, /** @type {RegExpExecArray} */ (api)[1], api?.[2] ?? "", rawQuery, log);
    } catch (e) {
      if (e instanceof GraphError) sendError(res, e, log, req);
      else if (isControl) sendJson(res, 400, { error: String(e instanceof Error ? e.message : e) }, log, req);
      else sendError(res, new GraphError(500, "UnknownError", `An internal server error occurred. (emulator: ${e instanceof Error ? e.message : e})`), log, req);
    }
    return true;
  }

  return {
    handle,
    setScenario,
    setFaults,
    setLatency,
    reset,
    releaseHeld,
    get scenario() {
      return summary();
    },
    get requests() {
      return requests;
    },
    /** The resolved directory of the current scenario (read-only use). */
    get directory() {
      return dir;
    },
  };
}

/** Validate a batch body the way Graph does: at most 20 requests, unique ids, known keys. */
function checkBatch(payload) {
  if (!payload || typeof payload !== "object" || !Array.isArray(payload.requests)) throw errors.batch("Invalid batch payload format.");
  const list = payload.requests;
  if (list.length === 0) throw errors.batch("Invalid batch payload format: the batch has no requests.");
  if (list.length > MAX_BATCH) throw errors.batch(`Number of requests in the batch exceeds the limit of ${MAX_BATCH}.`);
  const ids = new Set();
  for (const r of list) {
    if (!r || typeof r !== "object") throw errors.batch("Invalid batch payload format.");
    for (const key of Object.keys(r)) if (!["id", "method", "url", "headers", "body", "dependsOn"].includes(key)) throw errors.batch(`Invalid batch payload format: unknown property '${key}'.`);
    if (typeof r.id !== "string" || !r.id) throw errors.batch("Invalid batch payload format: every request needs an id.");
    if (ids.has(r.id)) throw errors.batch(`Batch request ids must be unique: '${r.id}' appears twice.`);
    ids.add(r.id);
    if (typeof r.method !== "string" || typeof r.url !== "string") throw errors.batch("Invalid batch payload format: every request needs a method and a url.");
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

const COMMON_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
  "Access-Control-Expose-Headers": "Retry-After, request-id, client-request-id",
  "Cache-Control": "no-cache",
  "OData-Version": "4.0",
};

function errorBody(error, requestId, clientRequestId) {
  return {
    error: {
      code: error.code,
      message: error.message,
      innerError: { date: new Date().toISOString().replace(/\.\d{3}Z$/, ""), "request-id": requestId, "client-request-id": clientRequestId },
    },
  };
}

/** An error as an answer (for the batch envelope and direct requests alike). */
function errorAnswer(error) {
  const id = crypto.randomUUID();
  return { status: error.status, headers: { "Content-Type": JSON_TYPE, ...error.headers }, body: errorBody(error, id, id) };
}

const withoutContentType = (headers = {}) => Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== "content-type"));

const { sendJson: sendJsonAs, sendEmpty } = responder({ headers: COMMON_HEADERS, contentType: JSON_TYPE });

/** JSON with Graph's `request-id` and `client-request-id` (the client's, when it sent one). */
function sendJson(res, status, body, log, req, headers = {}) {
  const requestId = crypto.randomUUID();
  const clientRequestId = String(req?.headers?.["client-request-id"] ?? requestId);
  // Errors name this response's own request id, as Graph's do.
  const payload = body?.error?.innerError ? { error: { ...body.error, innerError: { ...body.error.innerError, "request-id": requestId, "client-request-id": clientRequestId } } } : body;
  sendJsonAs(res, status, payload, log, { "request-id": requestId, "client-request-id": clientRequestId, ...headers });
}

function sendError(res, error, log, req) {
  log.error = error.code;
  sendJson(res, error.status, errorBody(error, "", ""), log, req, error.headers);
}

const readJson = jsonBodyReader({
  maxBytes: MAX_BODY,
  tooLarge: () => errors.batch("The request body is too large."),
  notJson: () => errors.batch("Invalid batch payload format: the body is not JSON."),
});

/**
 * A standalone server (tests, benchmark, `node emulator.cjs`). Other paths answer 404.
 * @param {{ port?: number, host?: string } & Parameters<typeof createGraphEmulator>[0]} [options]
 */
function startGraphEmulatorServer(options = {}) {
  const emulator = createGraphEmulator(options);
  return startServer(emulator, { port: options.port, host: options.host, notFound: "Not found: the Graph emulator answers /v1.0/..., /beta/... and /_emulator/...\n" });
}

module.exports = {
  createGraphEmulator,
  startGraphEmulatorServer,
  listScenarios,
  loadScenario,
  validateScenario,
  buildDirectory,
  normalizeFaults,
  SCENARIOS_DIR,
  SOURCES,
  ROUTES,
  TYPES,
  COMPLEX,
  DERIVED,
  ENDPOINTS,
  SKUS,
  MAX_BATCH,
};

if (require.main === module) {
  startGraphEmulatorServer(standaloneOptions(process.argv.slice(2), 8282)).then(
    ({ url, emulator }) => {
      // The URL alone on the first line, so a script can read it.
      console.log(url);
      console.log(`Graph emulator (scenario '${emulator.scenario.name}'): ${url}/v1.0/, ${url}/beta/; control API on ${url}/_emulator`);
    },
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
