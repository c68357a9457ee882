/**
 * `context.webAPI` as a model-driven app supplies it, answered by the emulator on this origin.
 * Like the real one it takes LOGICAL names, resolves with `{entities, nextLink}`, and rejects with
 * nothing but `{errorCode, message}` (errorCode a positive decimal, parsed from the body's hex code).
 */

export const API = "/api/data/v9.2/";

/** Logical name → entity set name, for the tables the control and the form read. */
export const ENTITY_SETS = {
  systemuser: "systemusers",
  role: "roles",
  fieldsecurityprofile: "fieldsecurityprofiles",
  solution: "solutions",
  organization: "organizations",
  team: "teams",
  w365_setup: "w365_setups",
  businessunit: "businessunits",
  publisher: "publishers",
  roletemplate: "roletemplates",
  usersettings: "usersettingscollection",
  timezonedefinition: "timezonedefinitions",
  asyncoperation: "asyncoperations",
};

export function entitySetOf(logicalName) {
  const set = ENTITY_SETS[logicalName];
  if (!set) throw webApiError(0x80040217, `The entity with a name = '${logicalName}' was not found in the MetadataCache.`);
  return set;
}

function webApiError(errorCode, message) {
  return { errorCode, message };
}

const HEADERS = {
  Accept: "application/json",
  "OData-MaxVersion": "4.0",
  "OData-Version": "4.0",
};

/** `0x80040220` → 2147746336; a negative or decimal code is made positive too. */
export function errorCodeOf(code) {
  if (typeof code === "number") return code < 0 ? code + 0x100000000 : code;
  if (typeof code !== "string") return undefined;
  const s = code.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s, 16);
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return n < 0 ? n + 0x100000000 : n;
  }
  return undefined;
}

function cleanId(id) {
  return String(id ?? "").replace(/[{}]/g, "").toLowerCase();
}

/** Options as the real API takes them: `?$select=...`; a bare `$select=...` is accepted too. */
function optionsPart(options) {
  if (!options) return "";
  return options.startsWith("?") ? options : `?${options}`;
}

/**
 * @param {{ onRequest?: (entry: object) => void }} [hooks]
 */
export function createWebApi(hooks = {}) {
  async function send(method, url, { body, prefer } = {}) {
    const headers = { ...HEADERS };
    if (prefer) headers.Prefer = prefer;
    if (body !== undefined) headers["Content-Type"] = "application/json; charset=utf-8";
    const entry = { method, url, at: new Date().toISOString() };
    hooks.onRequest?.(entry);
    let response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
    } catch (error) {
      entry.status = "network-error";
      // No answer at all: no status, no body, so no code (0), and the browser's words ("Failed to fetch").
      throw webApiError(0, error instanceof Error ? error.message : String(error));
    }
    entry.status = response.status;
    const text = await response.text();
    if (!response.ok) {
      let code;
      let message = text || `HTTP ${response.status} ${response.statusText}`;
      try {
        const parsed = JSON.parse(text);
        code = parsed?.error?.code;
        if (typeof parsed?.error?.message === "string") message = parsed.error.message;
      } catch {
        // not JSON: keep the text
      }
      throw webApiError(errorCodeOf(code), message);
    }
    return text ? JSON.parse(text) : null;
  }

  return {
    async retrieveMultipleRecords(entityLogicalName, options, maxPageSize) {
      const prefer = ['odata.include-annotations="*"'];
      if (maxPageSize !== undefined && maxPageSize !== null) prefer.unshift(`odata.maxpagesize=${maxPageSize}`);
      const body = await send("GET", `${API}${entitySetOf(entityLogicalName)}${optionsPart(options)}`, { prefer: prefer.join(",") });
      const result = { entities: Array.isArray(body?.value) ? body.value : [] };
      if (body?.["@odata.nextLink"]) result.nextLink = body["@odata.nextLink"];
      return result;
    },

    async retrieveRecord(entityLogicalName, id, options) {
      return send("GET", `${API}${entitySetOf(entityLogicalName)}(${cleanId(id)})${optionsPart(options)}`, {
        prefer: 'odata.include-annotations="*"',
      });
    },

    async createRecord(entityLogicalName, data) {
      const url = `${API}${entitySetOf(entityLogicalName)}`;
      const headers = { ...HEADERS, "Content-Type": "application/json; charset=utf-8" };
      const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(data) }).catch((error) => {
        throw webApiError(0, error.message);
      });
      if (!response.ok) {
        const parsed = await response.json().catch(() => null);
        throw webApiError(errorCodeOf(parsed?.error?.code), parsed?.error?.message ?? `HTTP ${response.status}`);
      }
      const entityId = response.headers.get("OData-EntityId") ?? "";
      const id = /\(([^)]+)\)\s*$/.exec(entityId)?.[1] ?? "";
      return { entityType: entityLogicalName, id };
    },

    async updateRecord(entityLogicalName, id, data) {
      await send("PATCH", `${API}${entitySetOf(entityLogicalName)}(${cleanId(id)})`, { body: data });
      return { entityType: entityLogicalName, id: cleanId(id) };
    },

    async deleteRecord(entityLogicalName, id) {
      await send("DELETE", `${API}${entitySetOf(entityLogicalName)}(${cleanId(id)})`);
      return { entityType: entityLogicalName, id: cleanId(id) };
    },
  };
}

/** The environment URL, as `page.getClientUrl()` gives it. */
export const clientUrl = () => location.origin;
