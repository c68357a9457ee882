/**
 * Graph's answers → reasons an admin can act on. A failed read fails only its own fact; only
 * sign-in and "this is not Graph at all" stop the whole read (the two error classes below).
 */
import { GRAPH_PERMISSIONS } from "../../PrerequisiteChecklist/checklist/entraIds";
import type { ReadFailure } from "../../PrerequisiteChecklist/checklist/types";
import type { ReadName } from "./requests";

/** Graph still answers 401 after one silent token refresh, or no token could be had at all. */
export class GraphAuthError extends Error {
  /** What went wrong underneath (the credential's error, the network error). */
  readonly cause?: unknown;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "GraphAuthError";
    this.cause = options?.cause;
  }
}

/** The first batch could not reach the endpoint (DNS, refused, timeout), or what answered is not Graph. */
export class GraphConnectionError extends Error {
  /** What went wrong underneath (the credential's error, the network error). */
  readonly cause?: unknown;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "GraphConnectionError";
    this.cause = options?.cause;
  }
}

/** Graph's error codes the checklist tells apart. */
export const GraphErrorCodes = {
  PrivilegeDenied: "Authorization_RequestDenied",
  /** Entra ID P1 (or P2) missing; Graph names it after an SPO licence for the registration report. */
  PremiumRequired: "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
  /** PIM's own answer (400) on a tenant without Entra ID P2 or Governance. */
  PimPremiumRequired: "AadPremiumLicenseRequired",
  NotFound: "Request_ResourceNotFound",
} as const;

/** One answer, as a `$batch` item or a plain GET gives it. */
export interface GraphAnswer {
  status: number;
  /** Header names lower-case. */
  headers: Record<string, string>;
  body: unknown;
}

/** `error.code` and `error.message` of a Graph error body, when it has them. */
export function graphError(body: unknown): { code?: string; message?: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === "string" && error.code ? error.code : undefined,
    message: typeof error?.message === "string" && error.message ? error.message : undefined,
  };
}

export const isSuccess = (answer: GraphAnswer): boolean => answer.status >= 200 && answer.status <= 299;

/** Graph's 404 for a user or application that does not exist: the fact is "none", not a failure. */
export const isResourceNotFound = (answer: GraphAnswer): boolean =>
  answer.status === 404 && graphError(answer.body).code === GraphErrorCodes.NotFound;

const graphFailure = (failure: Omit<ReadFailure, "service">): ReadFailure => ({ ...failure, service: "graph" });

/** The permission a read needs, named in a privilege-denied failure. */
export function permissionFor(read: ReadName): string | undefined {
  return GRAPH_PERMISSIONS[read]?.permission;
}

/** A non-2xx answer of `read` → why the fact could not be read. */
export function answerFailure(answer: GraphAnswer, read: ReadName): ReadFailure {
  const { code, message } = graphError(answer.body);
  const detail = `${answer.status}${code ? ` ${code}` : ""}: ${message ?? "Microsoft Graph gave no reason."}`;
  if ((answer.status === 403 && code === GraphErrorCodes.PremiumRequired) || (answer.status === 400 && code === GraphErrorCodes.PimPremiumRequired)) {
    return graphFailure({ kind: "premium-required", detail });
  }
  if (answer.status === 403) {
    const privilege = permissionFor(read);
    return graphFailure(privilege ? { kind: "privilege-denied", privilege, detail } : { kind: "privilege-denied", detail });
  }
  if (answer.status === 429) return graphFailure({ kind: "throttled", detail });
  if (answer.status === 404) return graphFailure({ kind: "not-found", detail });
  if (answer.status >= 500 && answer.status <= 599) return graphFailure({ kind: "server-error", detail });
  return graphFailure({ kind: "unexpected", detail });
}

/** A failure of a Graph read that is not Graph's own answer: no answer at all, or an answer of the wrong shape. */
export function readFailure(kind: "offline" | "timeout" | "unexpected" | "not-found", detail: string): ReadFailure {
  return graphFailure({ kind, detail });
}

/** What failed when `fetch` rejected: our own abort is the timeout; anything else, the network. */
export function describeFetchError(error: unknown, timedOut: boolean, timeoutMs: number): { kind: "offline" | "timeout"; detail: string } {
  if (timedOut) return { kind: "timeout", detail: `No answer from Microsoft Graph within ${timeoutMs} ms.` };
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const reason =
    typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "offline", detail: `Microsoft Graph could not be reached: ${message}${reason ? ` (${reason})` : ""}.` };
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), when present. */
export function retryAfterMs(headers: Record<string, string>, now: () => number = Date.now): number | undefined {
  const value = headers["retry-after"]?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

/** Header names lower-case: a `$batch` item's `headers` object. */
export function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers && typeof headers === "object") {
    for (const [name, value] of Object.entries(headers)) {
      if (typeof value === "string" || typeof value === "number") out[name.toLowerCase()] = String(value);
    }
  }
  return out;
}

/** Header names lower-case: an HTTP response's headers. */
export function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name.toLowerCase()] = value));
  return out;
}
