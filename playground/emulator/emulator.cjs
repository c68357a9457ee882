"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and Playwright load it without a build */
/**
 * A Dataverse Web API emulator for the playground and browser tests: answers
 * `/api/data/v9.x/...` from a scenario, with faults and latency, and a control API under
 * `/_emulator/...`. Plain Node, no framework; mount `handle(req, res)` in any http server, or
 * run `node playground/emulator/emulator.cjs --port 8181 --scenario ready-to-install`.
 */
const crypto = require("node:crypto");
const { TABLES, RELATIONSHIPS, FUNCTIONS, table, tableBySet } = require("./schema.cjs");
const { ODataError, errors, GUID_RE, prepare, execute } = require("./odata.cjs");
const { SCENARIOS_DIR, ITEM_IDS, listScenarios, loadScenario, buildStore, validateScenario } = require("./store.cjs");
const { sleep, decodedPath, jsonBodyReader, responder, heldRequests, drop, startServer, standaloneOptions } = require("../emulator-http.cjs");
const { createPluginHost } = require("./plugin-host.cjs");

const API_PATH = /^\/api\/data\/(v9\.\d)\/(.*)$/;
const CONTROL_PREFIX = "/_emulator";
const MAX_BODY = 5 * 1024 * 1024;
const MAX_LOG = 2000;
/** The row and column the Dataverse plug-in guards (ChecklistStatePlugin's defaults). */
const GUARDED_TABLE = "w365_setup";
const GUARDED_COLUMN = "w365_checkliststate";

const THROTTLE_MESSAGES = {
  "0x80072322": "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
  "0x80072321":
    "Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.",
  "0x80072326": "Number of concurrent requests exceeded the limit of 52.",
};

/**
 * @typedef {object} FaultSpec
 * @property {"privilege"|"not-found"|"throttle"|"server-error"|"error"|"drop"|"hang"|"delay"} kind
 * @property {number} [times] fault only the first N requests (counted per entity set / function); default: always
 * @property {number} [retryAfter] throttle: seconds for `Retry-After` (default 1)
 * @property {string} [code] throttle: 0x80072322 (default), 0x80072321 or 0x80072326; error: any code
 * @property {number} [status] error: the HTTP status
 * @property {string} [message] replaces the default message
 * @property {string} [privilege] privilege: the privilege to name (default: the table's read privilege)
 * @property {number} [ms] delay: milliseconds before answering normally
 */

/** Accept `403`, `"429"`, `"drop"`, `{ status: 500 }` as well as `{ kind: ... }`. */
function normalizeFault(spec) {
  if (spec === null || spec === undefined || spec === false) return null;
  /** @type {Record<string, any>} */
  const f = typeof spec === "object" ? { ...spec } : { status: spec };
  if (typeof f.status === "string" && /^\d+$/.test(f.status)) f.status = Number(f.status);
  if (!f.kind && typeof f.status === "string") f.kind = f.status;
  if (!f.kind) {
    f.kind = { 403: "privilege", 404: "not-found", 429: "throttle", 500: "server-error" }[f.status] ?? "error";
  }
  const kinds = ["privilege", "not-found", "throttle", "server-error", "error", "drop", "hang", "delay"];
  if (!kinds.includes(f.kind)) throw new Error(`Unknown fault kind '${f.kind}' (use one of ${kinds.join(", ")} or 403/404/429/500)`);
  return /** @type {FaultSpec} */ (f);
}

function normalizeFaults(map) {
  const out = {};
  const targets = new Set(["*", ...Object.values(TABLES).map((t) => t.entitySet), ...FUNCTIONS]);
  for (const [key, spec] of Object.entries(map ?? {})) {
    if (!targets.has(key)) throw new Error(`Unknown fault target '${key}' (use an entity set, a function name or '*')`);
    const fault = normalizeFault(spec);
    if (fault) out[key] = fault;
  }
  return out;
}

/**
 * @param {{ scenario?: string | Record<string, any>, latencyMs?: number, scenariosDir?: string, faults?: Record<string, any>, now?: () => Date }} [options]
 */
function createEmulator(options = {}) {
  const scenariosDir = options.scenariosDir ?? SCENARIOS_DIR;
  const clock = options.now ?? (() => new Date());
  const initialLatency = options.latencyMs ?? 0;
  // The Dataverse plug-in guards the settings row, as the Work365Setup solution registers it.
  const plugin = options.plugin === false ? null : createPluginHost({ answer: (question) => answerPlugin(question) });
  /** @type {Array<Record<string, any>>} */
  const pluginRuns = [];

  let source = options.scenario ?? "ready-to-install";
  let scenario = loadScenario(source, { dir: scenariosDir, now: clock() });
  let store = buildStore(scenario);
  let faults = normalizeFaults(options.faults ?? scenario.faults);
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
    const nextStore = buildStore(next);
    source = nameOrData;
    scenario = next;
    store = nextStore;
    faults = normalizeFaults(scenario.faults);
    faultCounts = new Map();
    releaseHeld();
    return summary();
  }

  function setFaults(map) {
    faults = normalizeFaults(map);
    faultCounts = new Map();
    return faults;
  }

  function setLatency(ms) {
    if (!Number.isFinite(ms) || ms < 0) throw new Error("latency must be a non-negative number of milliseconds");
    latencyMs = ms;
  }

  function reset() {
    setScenario(source);
    latencyMs = initialLatency;
    requests = [];
    pluginRuns.length = 0;
  }

  function summary() {
    return {
      name: scenario.name,
      title: scenario.title,
      description: scenario.description,
      admin: scenario.admin,
      record: { entitySet: "w365_setups", logicalName: "w365_setup", ...scenario.record },
      expected: scenario.expected ?? null,
      faults,
      latencyMs,
    };
  }

  /**
   * The fault for a request, if any: a missing privilege on any table it touches (in order),
   * else a fault on its entity set / function, else a fault on '*' (not applied to w365_setups).
   * `times` counts per target.
   * @param {string} target entity set or function name
   * @param {string[]} touchedSets
   */
  function pickFault(target, touchedSets) {
    const take = (key, countKey) => {
      const fault = faults[key];
      if (!fault) return null;
      if (fault.times !== undefined) {
        const used = faultCounts.get(countKey) ?? 0;
        if (used >= fault.times) return null;
        faultCounts.set(countKey, used + 1);
      }
      return fault;
    };
    for (const set of touchedSets) {
      if (faults[set]?.kind === "privilege") {
        const fault = take(set, set);
        if (fault) return { fault, set };
      }
    }
    const own = faults[target] && faults[target].kind !== "privilege" ? take(target, target) : null;
    if (own) return { fault: own, set: target };
    // '*' spares our own table (the form's host record), so a throttled scenario still loads the form.
    const any = tableBySet(target)?.custom ? null : take("*", `*:${target}`);
    if (any) return { fault: any, set: target };
    return null;
  }

  function privilegeMessage(set, fault) {
    const admin = store.get("systemuser", scenario.admin?.id) ?? {};
    const t = tableBySet(set);
    const privilege = fault.privilege ?? t?.readPrivilege ?? "prvReadOrganization";
    const privilegeId = t?.readPrivilegeId ?? "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1019";
    const otc = t?.objectTypeCode ?? 1019;
    const logical = t?.logicalName ?? "organization";
    const displayName = t?.displayName ?? "Organization";
    const id = scenario.admin?.id ?? "00000000-0000-0000-0000-000000000000";
    return (
      `Principal user (Id=${id}, type=8, roleCount=1, privilegeCount=583, accessMode='0 Read-Write', ` +
      `AADObjectId=${admin.azureactivedirectoryobjectid ?? "00000000-0000-0000-0000-000000000000"}, MetadataCachePrivilegesCount=4912, ` +
      `businessUnitId=${admin._businessunitid_value ?? "00000000-0000-0000-0000-000000000000"}), is missing ${privilege} privilege ` +
      `(Id=${privilegeId}) on OTC=${otc} for entity '${logical}' (LocalizedName='${displayName}'). context.Caller=${id}. ` +
      `Consider adding missed privilege to one of the principal (user/team) roles.`
    );
  }

  /** Answer with the fault; returns true when the request was answered (or dropped/held). */
  async function applyFault(picked, req, res, log) {
    const { fault, set } = picked;
    log.fault = fault.kind;
    switch (fault.kind) {
      case "delay":
        await sleep(fault.ms ?? 1000);
        return false;
      case "drop":
        drop(req, log);
        return true;
      case "hang":
        held.hold(res, log);
        return true;
      case "privilege":
        sendError(res, new ODataError(403, "0x80040220", fault.message ?? privilegeMessage(set, fault)), log);
        return true;
      case "not-found": {
        const logical = tableBySet(set)?.logicalName ?? set;
        sendError(res, new ODataError(404, "0x80040217", fault.message ?? `Entity '${logical}' With Id = 00000000-0000-0000-0000-000000000000 Does Not Exist`), log);
        return true;
      }
      case "throttle": {
        const code = fault.code ?? "0x80072322";
        const seconds = fault.retryAfter ?? 1;
        sendError(res, new ODataError(429, code, fault.message ?? THROTTLE_MESSAGES[code] ?? THROTTLE_MESSAGES["0x80072322"]), log, {
          "Retry-After": String(seconds),
        });
        return true;
      }
      case "server-error":
        sendError(res, new ODataError(fault.status ?? 500, fault.code ?? "0x80040216", fault.message ?? "An unexpected error occurred."), log);
        return true;
      default:
        sendError(res, new ODataError(fault.status ?? 500, fault.code ?? "0x80040216", fault.message ?? "An unexpected error occurred."), log);
        return true;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The Web API

  async function handleApi(req, res, match, query, log) {
    const baseUrl = `http://${req.headers.host ?? "localhost"}/api/data/${match[1]}/`;
    const resourcePath = match[2];
    let decoded;
    try {
      decoded = decodeURIComponent(resourcePath);
    } catch {
      throw errors.bad("Bad Request - Error in query syntax.");
    }
    const prefer = parsePrefer(req.headers.prefer);
    const params = parseQuery(query);

    if (latencyMs > 0) await sleep(latencyMs);

    // Table and column metadata, as the preflight's --save reads it.
    const meta = /^EntityDefinitions\(LogicalName='([^']*)'\)(?:\/Attributes\(LogicalName='([^']*)'\)(?:\/(Microsoft\.Dynamics\.CRM\.\w+))?)?$/.exec(decoded);
    if (meta) return sendJson(res, 200, metadataAnswer(req, meta, params, baseUrl), log);

    // Unbound functions: Name() or Name(...)
    const fn = /^([A-Za-z_][\w.]*)\((.*)\)$/.exec(decoded);
    if (fn && !tableBySet(fn[1])?.primaryKey) {
      const name = fn[1].replace(/^Microsoft\.Dynamics\.CRM\./, "");
      if (!FUNCTIONS.includes(name)) throw errors.noSegment(fn[1]);
      log.target = name;
      if (req.method !== "GET") throw new ODataError(405, "0x80060888", `The requested resource does not support http method '${req.method}'.`);
      const picked = pickFault(name, [name]);
      if (picked && (await applyFault(picked, req, res, log))) return;
      return sendJson(res, 200, callFunction(name, baseUrl), log);
    }

    const m = /^([A-Za-z_$][\w]*)(?:\((.*?)\))?(?:\/([A-Za-z_][\w]*))?$/.exec(decoded);
    if (!m) throw errors.noSegment(decoded.split("/")[0]);
    const [, setName, rawKey, navName] = m;
    if (setName === "$metadata" || setName === "$batch") throw new ODataError(501, "0x0", `The emulator does not serve ${setName}.`);
    const t = tableBySet(setName);
    if (!t) throw errors.noSegment(setName);
    log.target = setName;

    let key = null;
    if (rawKey !== undefined) {
      key = rawKey.replace(new RegExp(`^${t.primaryKey}=`), "").replace(/^\{(.*)\}$/, "$1");
      if (!GUID_RE.test(key)) throw errors.bad("Bad Request - Error in query syntax.");
      key = key.toLowerCase();
    }
    if (navName && key === null) throw errors.bad("Bad Request - Error in query syntax.");

    if (req.method === "GET") {
      let entity = t.logicalName;
      let rows;
      let single = key !== null;
      let contextSet;
      const touchedExtra = [];
      if (navName) {
        const nav = t.navigation[navName];
        if (!nav) throw errors.noSegment(navName);
        touchedExtra.push(t.logicalName);
        entity = nav.target;
        single = nav.kind === "ManyToOne";
        contextSet = table(nav.target).entitySet;
      }
      const plan = prepare(entity, params, { single });
      const touched = [...new Set([...touchedExtra, ...plan.touched])].map((l) => table(l).entitySet);
      const picked = pickFault(setName, touched);
      if (picked && (await applyFault(picked, req, res, log))) return;

      if (key !== null) {
        const owner = store.get(t.logicalName, key);
        if (!owner) throw errors.noRecord(t.logicalName, key);
        if (navName) {
          const nav = t.navigation[navName];
          if (nav.kind === "ManyToOne") {
            const target = store.lookup(t.logicalName, owner, navName);
            if (!target) return sendEmpty(res, 204, log);
            rows = [target];
          } else {
            rows = store.related(t.logicalName, owner, navName);
          }
        } else {
          rows = [owner];
        }
      }
      const { body, pageSizeApplied } = execute(store, plan, {
        baseUrl,
        path: resourcePath,
        contextSet,
        rows,
        pageSize: prefer.maxpagesize,
        annotations: prefer.annotations,
      });
      const applied = [];
      if (pageSizeApplied) applied.push(`odata.maxpagesize=${pageSizeApplied}`);
      if (prefer.annotationsRaw) applied.push(`odata.include-annotations=${prefer.annotationsRaw}`);
      return sendJson(res, 200, body, log, applied.length ? { "Preference-Applied": applied.join(",") } : {});
    }

    // Writes: only our own table.
    if (!t.custom) throw new ODataError(405, "0x0", `The emulator does not support ${req.method} on '${setName}'; only w365_setups is writable.`);
    const picked = pickFault(setName, [setName]);
    if (picked && (await applyFault(picked, req, res, log))) return;

    if (req.method === "PATCH" && key !== null && !navName) {
      const body = await readJson(req);
      const changes = checkWrite(t, body);
      const caller = callerOf(req);
      return underRowLock(t.logicalName, key, async () => {
        const existing = store.get(t.logicalName, key);
        const ifMatch = req.headers["if-match"];
        const ifNoneMatch = req.headers["if-none-match"];
        if (!existing && ifMatch) throw errors.noRecord(t.logicalName, key);
        if (existing && ifNoneMatch === "*") throw new ODataError(412, "0x80060882", "A record with matching key values already exists.");
        // Optimistic concurrency: an ETag that is not the row's current version means someone saved in between.
        if (existing && ifMatch && ifMatch !== "*" && ifMatch !== `W/"${store.version(t.logicalName, key)}"`) {
          throw new ODataError(412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided.");
        }
        const now = clock();
        const guarded = await guardWrite(t, key, existing, changes, now, caller, log);
        const row = existing
          ? store.patch(t.logicalName, key, { ...guarded, modifiedon: now.toISOString() })
          : store.put(t.logicalName, { ...guarded, [t.primaryKey]: key, createdon: now.toISOString(), modifiedon: now.toISOString() });
        return sendWriteResult(res, req, t, row, baseUrl, prefer, log);
      });
    }
    if (req.method === "POST" && key === null && !navName) {
      const body = await readJson(req);
      const changes = checkWrite(t, body);
      const id = (changes[t.primaryKey] ?? crypto.randomUUID()).toLowerCase();
      const caller = callerOf(req);
      return underRowLock(t.logicalName, id, async () => {
        if (store.get(t.logicalName, id)) throw new ODataError(412, "0x80040237", "Cannot insert duplicate key.");
        const now = clock();
        const guarded = await guardWrite(t, id, null, changes, now, caller, log);
        const row = store.put(t.logicalName, { ...guarded, [t.primaryKey]: id, createdon: now.toISOString(), modifiedon: now.toISOString() });
        return sendWriteResult(res, req, t, row, baseUrl, prefer, log);
      });
    }
    if (req.method === "DELETE" && key !== null && !navName) {
      if (!store.remove(t.logicalName, key)) throw errors.noRecord(t.logicalName, key);
      return sendEmpty(res, 204, log);
    }
    throw new ODataError(405, "0x80060888", `The requested resource does not support http method '${req.method}'.`);
  }

  /**
   * Who a write runs as: the signed-in admin, or the user an `MSCRMCallerID` header impersonates
   * (the Web API's impersonation header), which must be a user of the environment.
   */
  function callerOf(req) {
    const impersonated = req.headers["mscrmcallerid"];
    if (impersonated === undefined) return scenario.admin?.id ?? "00000000-0000-0000-0000-000000000000";
    const id = String(impersonated).toLowerCase();
    if (!store.get("systemuser", id)) throw new ODataError(400, "0x80040217", `systemuser With Id = ${id} Does Not Exist`);
    return id;
  }

  /**
   * One write of a row at a time, from reading what it holds to storing the result, as the
   * database's row lock does: two saves at once cannot both merge with the same stored value.
   */
  const rowLocks = new Map();
  function underRowLock(table, id, write) {
    const lockKey = `${table}(${id})`;
    const run = (rowLocks.get(lockKey) ?? Promise.resolve()).catch(() => {}).then(write);
    const settled = run.catch(() => {});
    rowLocks.set(lockKey, settled);
    settled.then(() => rowLocks.get(lockKey) === settled && rowLocks.delete(lockKey));
    return run;
  }

  /**
   * A write of the guarded column goes through the plug-in first, as a PreOperation step on Create
   * and Update with a pre-image of the column: what it writes instead is what is stored; its
   * refusal is Dataverse's answer to an InvalidPluginExecutionException (400, 0x80040265).
   */
  async function guardWrite(t, id, existing, changes, now, caller, log) {
    if (!plugin || t.logicalName !== GUARDED_TABLE || !(GUARDED_COLUMN in changes)) return changes;
    const stored = existing?.[GUARDED_COLUMN];
    const outcome = await plugin.execute({
      message: existing ? "Update" : "Create",
      table: t.logicalName,
      id,
      depth: 1,
      initiatingUserId: caller,
      now: now.toISOString(),
      configuration: null,
      target: { [GUARDED_COLUMN]: changes[GUARDED_COLUMN] },
      // An image leaves out empty columns.
      preImage: existing ? (stored == null ? {} : { [GUARDED_COLUMN]: stored }) : null,
    });
    pluginRuns.push({ at: now.toISOString(), message: existing ? "Update" : "Create", id, outcome: outcome.type, trace: outcome.trace ?? [] });
    if (pluginRuns.length > MAX_LOG) pluginRuns.splice(0, pluginRuns.length - MAX_LOG);
    log.plugin = outcome.type;
    if (outcome.type === "refused") throw new ODataError(400, "0x80040265", outcome.message);
    if (outcome.type !== "done") throw new ODataError(500, "0x80040216", `An unexpected error occurred. (the plug-in: ${outcome.message})`);
    return { ...changes, [GUARDED_COLUMN]: outcome.target[GUARDED_COLUMN] ?? null };
  }

  /** The plug-in's reads, answered from the store as Dataverse answers its organisation service. */
  function answerPlugin(question) {
    if (question.type === "retrieve-attribute") {
      const t = Object.values(TABLES).find((candidate) => candidate.logicalName === question.table);
      const maxLength = t?.maxLength?.[question.column];
      if (!t || !t.columns[question.column]) throw new Error(`Could not find an attribute with name '${question.column}' on entity '${question.table}'.`);
      return { type: "attribute", maxLength: maxLength ?? null, memo: maxLength > 4000 };
    }
    const row = store.get(question.table, question.id);
    if (!row) throw new Error(`${question.table} With Id = ${question.id} Does Not Exist`);
    return { type: "row", attributes: Object.fromEntries(question.columns.map((column) => [column, row[column] ?? null])) };
  }

  /**
   * `EntityDefinitions(LogicalName='…')` (EntitySetName, PrimaryIdAttribute) and a column's
   * `…/Attributes(LogicalName='…')/Microsoft.Dynamics.CRM.MemoAttributeMetadata` (MaxLength).
   * Dataverse strings hold at most 4,000 characters; longer columns are Multiple lines of text (memo).
   */
  function metadataAnswer(req, [, logicalName, column, cast], params, baseUrl) {
    if (req.method !== "GET") throw new ODataError(405, "0x80060888", `The requested resource does not support http method '${req.method}'.`);
    const t = Object.values(TABLES).find((candidate) => candidate.logicalName === logicalName);
    if (!t) throw new ODataError(404, "0x80040217", `Could not find an entity with name '${logicalName}'.`);
    const select = (body) => {
      const selected = params.find(([key]) => key === "$select")?.[1];
      const wanted = selected ? selected.split(",").map((s) => s.trim()) : Object.keys(body);
      const unknown = wanted.find((name) => !(name in body));
      if (unknown) throw errors.bad(`Could not find a property named '${unknown}' on type 'Microsoft.Dynamics.CRM.${column ? "AttributeMetadata" : "EntityMetadata"}'.`);
      return { "@odata.context": `${baseUrl}$metadata#EntityDefinitions`, ...Object.fromEntries(wanted.map((name) => [name, body[name]])) };
    };
    if (!column) return select({ LogicalName: t.logicalName, EntitySetName: t.entitySet, PrimaryIdAttribute: t.primaryKey, PrimaryNameAttribute: t.primaryName });
    if (!t.columns[column]) throw new ODataError(404, "0x80040217", `Could not find an attribute with name '${column}' on entity '${logicalName}'.`);
    const maxLength = t.maxLength?.[column];
    const memo = t.columns[column] === "Edm.String" && maxLength > 4000;
    if (cast && !(cast === "Microsoft.Dynamics.CRM.MemoAttributeMetadata" && memo) && !(cast === "Microsoft.Dynamics.CRM.StringAttributeMetadata" && !memo && maxLength)) {
      throw errors.bad(`The attribute '${column}' is not of type '${cast}'.`);
    }
    return select({ LogicalName: column, MaxLength: maxLength ?? null });
  }

  function sendWriteResult(res, req, t, row, baseUrl, prefer, log) {
    const entityId = `${baseUrl}${t.entitySet}(${row[t.primaryKey]})`;
    if (prefer.returnRepresentation) {
      const plan = prepare(t.logicalName, parseQuery(req.url.split("?")[1] ?? ""), { single: true });
      const { body } = execute(store, plan, { baseUrl, path: `${t.entitySet}(${row[t.primaryKey]})`, rows: [row] });
      return sendJson(res, req.method === "POST" ? 201 : 200, body, log, { "OData-EntityId": entityId, "Preference-Applied": "return=representation" });
    }
    return sendEmpty(res, 204, log, { "OData-EntityId": entityId });
  }

  /** Validate a write body against the table: known columns, types, maximum lengths. */
  function checkWrite(t, body) {
    if (!body || typeof body !== "object" || Array.isArray(body)) throw errors.bad("The request body must be a JSON object.");
    const changes = {};
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith("@")) continue;
      const type = t.columns[key];
      if (!type) {
        throw errors.bad(
          `The property '${key}' does not exist on type '${"Microsoft.Dynamics.CRM"}.${t.logicalName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (value !== null && type === "Edm.String" && typeof value !== "string") {
        throw errors.bad(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.String'.`);
      }
      const max = t.maxLength?.[key];
      if (max !== undefined && typeof value === "string" && value.length > max) {
        throw new ODataError(
          400,
          "0x80044331",
          `A validation error occurred.  The length of the '${key}' attribute of the '${t.logicalName}' entity exceeded the maximum allowed length of '${max}'.`,
        );
      }
      changes[key] = value;
    }
    return changes;
  }

  function callFunction(name, baseUrl) {
    if (name === "RetrieveProvisionedLanguages") {
      return {
        "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.RetrieveProvisionedLanguagesResponse`,
        RetrieveProvisionedLanguages: [...store.provisionedLanguages],
      };
    }
    if (name === "RetrieveAvailableLanguages") {
      return { "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.RetrieveAvailableLanguagesResponse`, LocaleIds: [...store.availableLanguages] };
    }
    const admin = store.get("systemuser", scenario.admin?.id) ?? {};
    const org = store.rows("organization")[0] ?? {};
    return {
      "@odata.context": `${baseUrl}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: admin._businessunitid_value ?? null,
      UserId: scenario.admin?.id ?? null,
      OrganizationId: org.organizationid ?? null,
    };
  }

  // -------------------------------------------------------------------------------------------
  // The control API

  async function handleControl(req, res, route, log) {
    const send = (status, body) => sendJson(res, status, body, log);
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
          "GET /_emulator/store",
          "POST /_emulator/reset",
        ],
      });
    }
    if (route === "/scenarios" && method === "GET") {
      return send(
        200,
        listScenarios(scenariosDir).map(({ name, title, description }) => ({ name, title, description })),
      );
    }
    if (route === "/scenario" && method === "GET") return send(200, summary());
    if (route === "/scenario" && method === "POST") {
      const body = await readJson(req);
      const next = typeof body === "string" ? body : (body?.scenario ?? body?.name);
      if (!next) return send(400, { error: "Send {\"name\": \"<scenario>\"} or {\"scenario\": { ...data }}" });
      return send(200, setScenario(next));
    }
    if (route === "/faults" && method === "GET") return send(200, faults);
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
    if (route === "/store" && method === "GET") {
      const tables = Object.fromEntries([...store.tables.keys()].map((l) => [table(l).entitySet, store.rows(l)]));
      return send(200, { tables, associations: Object.fromEntries(store.links), provisionedLanguages: store.provisionedLanguages });
    }
    if (route === "/reset" && method === "POST") {
      reset();
      return send(200, summary());
    }
    return send(404, { error: `No control endpoint ${method} ${CONTROL_PREFIX}${route}` });
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Answer a request if it is for the Web API or the control API.
   * @param {import("node:http").IncomingMessage} req
   * @param {import("node:http").ServerResponse} res
   * @returns {Promise<boolean>} true when the emulator took the request
   */
  async function handle(req, res) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? "" : url.slice(q + 1);
    const api = API_PATH.exec(pathname);
    const isControl = pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
    if (!api && !isControl) return false;

    const started = Date.now();
    /** @type {Record<string, any>} */
    const log = { seq: ++seq, at: new Date().toISOString(), method: req.method, url, status: null };
    if (api) {
      requests.push(log);
      if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
      log.path = decodedPath(pathname, query);
    }
    res.on("close", () => {
      log.ms = Date.now() - started;
    });
    try {
      if (req.method === "OPTIONS") sendEmpty(res, 204, log);
      else if (isControl) await handleControl(req, res, pathname.slice(CONTROL_PREFIX.length).replace(/\/$/, ""), log);
      else await handleApi(req, res, /** @type {RegExpExecArray} */ (api), query, log);
    } catch (e) {
      if (e instanceof ODataError) sendError(res, e, log);
      else if (isControl) sendJson(res, 400, { error: String(e instanceof Error ? e.message : e) }, log);
      else sendError(res, new ODataError(500, "0x80040216", `An unexpected error occurred. (emulator: ${e instanceof Error ? e.message : e})`), log);
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
    /** The current data (replaced when the scenario changes). */
    get store() {
      return store;
    },
    get scenario() {
      return summary();
    },
    get requests() {
      return requests;
    },
    /** Each run of the plug-in: `{ at, message, id, outcome, trace }`. */
    get pluginRuns() {
      return pluginRuns;
    },
    /** Stops the plug-in's host process. */
    close() {
      plugin?.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

const COMMON_HEADERS = {
  "OData-Version": "4.0",
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Allow-Methods": "GET, POST, PATCH, DELETE, OPTIONS",
  "Access-Control-Expose-Headers": "Retry-After, Preference-Applied, OData-EntityId, OData-Version",
  "Cache-Control": "no-cache",
};

const { sendJson, sendEmpty } = responder({ headers: COMMON_HEADERS, contentType: "application/json; odata.metadata=minimal; charset=utf-8" });

function sendError(res, error, log, headers = {}) {
  log.error = error.code;
  sendJson(res, error.status, error.toBody(), log, headers);
}

/**
 * Decode a query string as ASP.NET does: split on `&`, `+` is a space, percent-escapes decoded.
 * @returns {Array<[string, string]>}
 */
function parseQuery(query) {
  if (!query) return [];
  return query
    .split("&")
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf("=");
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawValue = eq < 0 ? "" : part.slice(eq + 1);
      try {
        return [decodeURIComponent(rawKey.replace(/\+/g, " ")), decodeURIComponent(rawValue.replace(/\+/g, " "))];
      } catch {
        throw errors.bad("Bad Request - Error in query syntax.");
      }
    });
}

/** `Prefer: odata.maxpagesize=2, odata.include-annotations="*", return=representation` */
function parsePrefer(header) {
  const text = Array.isArray(header) ? header.join(",") : (header ?? "");
  const result = { maxpagesize: /** @type {number | null} */ (null), annotations: false, annotationsRaw: "", returnRepresentation: false };
  for (const part of text.split(",").map((s) => s.trim())) {
    const m = /^odata\.maxpagesize=(\d+)$/i.exec(part);
    if (m && Number(m[1]) > 0) result.maxpagesize = Number(m[1]);
    const a = /^odata\.include-annotations=(.+)$/i.exec(part);
    if (a) {
      result.annotationsRaw = a[1];
      const wanted = a[1].replace(/"/g, "");
      result.annotations = wanted === "*" || wanted.split(",").some((n) => n.includes("FormattedValue") || n.startsWith("Microsoft.Dynamics.CRM"));
    }
    if (/^return=representation$/i.test(part)) result.returnRepresentation = true;
  }
  return result;
}

const readJson = jsonBodyReader({
  maxBytes: MAX_BODY,
  tooLarge: () => errors.bad("The request body is too large."),
  notJson: () => errors.bad("The request body is not valid JSON."),
});

/**
 * A standalone server (for tests and `node emulator.cjs`). Other paths answer 404.
 * @param {{ port?: number, host?: string } & Parameters<typeof createEmulator>[0]} [options]
 * @returns {Promise<{ emulator: ReturnType<typeof createEmulator>, server: import("node:http").Server, url: string, close: () => Promise<void> }>}
 */
function startEmulatorServer(options = {}) {
  const emulator = createEmulator(options);
  return startServer(emulator, { port: options.port, host: options.host, notFound: "Not found: the emulator answers /api/data/v9.2/... and /_emulator/...\n" });
}

module.exports = {
  createEmulator,
  startEmulatorServer,
  listScenarios,
  loadScenario,
  buildStore,
  validateScenario,
  SCENARIOS_DIR,
  ITEM_IDS,
  TABLES,
  RELATIONSHIPS,
  FUNCTIONS,
};

if (require.main === module) {
  startEmulatorServer(standaloneOptions(process.argv.slice(2), 8181)).then(({ url, emulator }) => {
    console.log(`Dataverse emulator on ${url}/api/data/v9.2/ (scenario '${emulator.scenario.name}'); control API on ${url}/_emulator`);
  });
}
