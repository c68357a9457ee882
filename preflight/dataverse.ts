/**
 * Dataverse from Node: dataverse-ify's `WebApiBase` (its `Xrm.WebApi`) over a `NodeWebApiRequest`
 * that carries our token, so the control's reader runs unchanged and sends the very queries the
 * form sends. Everything goes through one `send`: the reader's queries, `RetrieveProvisionedLanguages()`,
 * the settings record and `--save`'s writes, so every request is counted, signed and mapped alike.
 */
import type { GetJson, RetrieveMultiple } from "../PrerequisiteChecklist/dataverse/reader";
import { HttpError } from "../PrerequisiteChecklist/dataverse/errors";
import type { Tokens } from "./auth";
import { KNOWN_ENTITY_SETS } from "./entitySets";
import { PreflightStop } from "./errors";
import type { Strings } from "./strings";

type Method = "POST" | "PATCH" | "PUT" | "GET" | "DELETE";

/** A raw answer of `request()`. Header names lower-case; `data` parsed (dates left as strings). */
export interface DataverseAnswer {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

export interface Dataverse {
  /** What the control's reader needs. */
  webApi: RetrieveMultiple;
  getJson: GetJson;
  /** Any other request under `/api/data/v9.2/` (the settings record, `--save`). Rejects with HttpError on a non-2xx answer. */
  request(method: Method, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<DataverseAnswer>;
  /** HTTP requests sent so far (a resend after a 401 counts too). */
  readonly requests: number;
  /** After reading: why nothing at all could be read, if that is what happened. */
  problem(): PreflightStop | null;
}

export const API_VERSION = "9.2";

/** A network failure, worded so the control's `toReadFailure` calls it offline. */
class NetworkError extends Error {
  constructor(reason: string) {
    super(`Network error: ${reason}`);
    this.name = "NetworkError";
  }
}

/**
 * dataverse-ify's `dateReviver` turns ISO strings into `Date`s; the control's row parsers take the
 * strings the Web API sent. Back to ISO strings, deep.
 */
export function datesToIso<T>(value: T): T {
  if (value instanceof Date) return value.toISOString() as unknown as T;
  if (Array.isArray(value)) return value.map(datesToIso) as unknown as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesToIso(v)])) as T;
  }
  return value;
}

const WRAPPED = /^(?:(?:Exception in \w+|Cannot get entity set name for \w+)\s*:\s*)+/;

/**
 * dataverse-ify's rejections → what `toReadFailure` understands: its wrapped messages
 * ("Exception in retrieveMultipleRecords:…") unwrapped, plain strings made errors, and the
 * Web API's `{code, message}` error objects kept with their code.
 */
export function toDataverseError(error: unknown): unknown {
  if (typeof error === "string") return new Error(error.replace(WRAPPED, ""));
  if (error instanceof Error) {
    error.message = error.message.replace(WRAPPED, "");
    return error;
  }
  if (error && typeof error === "object") {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return { code, message: typeof message === "string" ? message.replace(WRAPPED, "") : String(message ?? "") };
  }
  return error;
}

const lowerKeys = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

export interface DataverseDeps {
  /** The environment's origin. */
  environment: string;
  tokens: Tokens;
  strings: Strings;
  /** Called as each request starts (the progress line). */
  onRequest?: (path: string) => void;
}

export async function createDataverse(deps: DataverseDeps): Promise<Dataverse> {
  // Loaded only when checking, so `--help` does not pay for it.
  const { WebApiBase, NodeWebApiRequest, sendWebApiRequest } = await import("./lazy/dataverseify");
  const { environment, tokens, strings } = deps;
  let requests = 0;
  let dataverseAnswers = 0;
  let otherAnswer: { status: number; type: string } | null = null;
  let networkFailure: string | null = null;
  let refused = false;

  /** The request implementation dataverse-ify sends through: our token, one silent refresh after a 401. */
  class SignedRequest extends NodeWebApiRequest {
    async send(method: Method, uri: string, headers: Record<string, string>, payload?: unknown, skipStringify?: boolean) {
      // Refused even after a refresh: the sign-in is wrong for this environment; sending more only adds noise.
      if (refused) throw new HttpError(401, strings.text("Preflight_Dataverse_Refused", { environment }));
      let token = await tokens.token(environment);
      for (let attempt = 0; ; attempt++) {
        if (token) this.setAccessToken(token);
        requests++;
        deps.onRequest?.(uri);
        let response;
        try {
          response = await super.send(method, uri, headers, payload, skipStringify);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          networkFailure ??= reason;
          throw new NetworkError(reason);
        }
        const answerHeaders = lowerKeys(response.headers ?? {});
        // Dataverse answers every request, errors included, with OData-Version; a web server or proxy page does not.
        if (answerHeaders["odata-version"]) dataverseAnswers++;
        else otherAnswer ??= { status: response.status, type: answerHeaders["content-type"] ?? "" };
        if (response.status === 401 && token !== null && attempt === 0) {
          token = await tokens.token(environment, true);
          continue;
        }
        if (response.status === 401) refused = true;
        if (!response.ok) throw HttpError.fromResponse(response.status, response.body ?? "", answerHeaders["retry-after"]);
        return { ...response, headers: answerHeaders };
      }
    }
  }

  const transport = new SignedRequest(environment, API_VERSION);
  const base = new WebApiBase(transport);
  // Pre-seed WebApiBase's private cache of entity set names: no EntityDefinitions round trip per table.
  const cache = (base as unknown as { entitySetNames?: Record<string, string> }).entitySetNames;
  if (!cache || typeof cache !== "object") throw new Error("dataverse-ify's WebApiBase has no entitySetNames cache (version changed?)");
  Object.assign(cache, KNOWN_ENTITY_SETS);

  const apiBase = `${environment}/api/data/v${API_VERSION}/`;

  return {
    webApi: {
      async retrieveMultipleRecords(entity, options, maxPageSize) {
        try {
          const result = await base.retrieveMultipleRecords(entity, options, maxPageSize);
          return { entities: datesToIso(result.entities) as Record<string, unknown>[], nextLink: result.nextLink };
        } catch (error) {
          throw toDataverseError(error);
        }
      },
    },
    async getJson(pathUnderApi) {
      try {
        const answer = await sendWebApiRequest({ action: "GET", path: pathUnderApi }, transport);
        return datesToIso(answer.data);
      } catch (error) {
        throw toDataverseError(error);
      }
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = {
        Accept: "application/json",
        "OData-MaxVersion": "4.0",
        "OData-Version": "4.0",
        ...(options.body !== undefined ? { "Content-Type": "application/json; charset=utf-8" } : {}),
        ...options.headers,
      };
      const response = await transport.send(method, apiBase + path, headers, options.body);
      const text = response.body ?? "";
      let data: unknown = null;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      return { status: response.status, headers: response.headers, data };
    },
    get requests() {
      return requests;
    },
    problem() {
      if (refused) return new PreflightStop("sign-in", strings.text("Preflight_Dataverse_Refused", { environment }));
      if (dataverseAnswers > 0) return null;
      if (otherAnswer) {
        return new PreflightStop("connection", strings.text("Preflight_Dataverse_NotDataverse", { environment, status: otherAnswer.status }));
      }
      return new PreflightStop("connection", strings.text("Preflight_Dataverse_NoAnswer", { environment, detail: networkFailure ?? strings.get("Preflight_NoAnswerInTime") }));
    },
  };
}
