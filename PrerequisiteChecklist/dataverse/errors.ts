import type { ReadFailure } from "../checklist/types";

/** Dataverse error codes the checklist tells apart (unsigned form). */
export const ErrorCodes = {
  PrivilegeDenied: 0x80040220,
  PrincipalPrivilegeDenied: 0x80040231,
  ObjectDoesNotExist: 0x80040217,
  /** Service protection: number of requests. */
  ThrottlingRequests: 0x80072322,
  /** Service protection: execution time. */
  ThrottlingTime: 0x80072321,
  /** Service protection: concurrent requests. */
  ThrottlingConcurrency: 0x80072326,
} as const;

const PRIVILEGE_CODES = new Set<number>([ErrorCodes.PrivilegeDenied, ErrorCodes.PrincipalPrivilegeDenied]);
const THROTTLING_CODES = new Set<number>([
  ErrorCodes.ThrottlingRequests,
  ErrorCodes.ThrottlingTime,
  ErrorCodes.ThrottlingConcurrency,
]);

/**
 * What a same-origin `fetch` of the Web API throws on a non-2xx answer. Unlike `webAPI`
 * rejections it knows the HTTP status and `Retry-After`.
 */
export class HttpError extends Error {
  status: number;
  /** `error.code` of the body, e.g. `0x80040220`; often the hex code, sometimes empty. */
  code?: string;
  /** `Retry-After` in seconds (429). */
  retryAfterSeconds?: number;

  constructor(status: number, message: string, options: { code?: string; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "HttpError";
    this.status = status;
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** From a response's status, body text (`{"error":{"code","message"}}`) and `Retry-After` header. */
  static fromResponse(status: number, bodyText: string, retryAfter?: string | null): HttpError {
    let code: string | undefined;
    let message = bodyText || `HTTP ${status}`;
    try {
      const body = JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } };
      if (typeof body.error?.code === "string" && body.error.code) code = body.error.code;
      if (typeof body.error?.message === "string" && body.error.message) message = body.error.message;
    } catch {
      // Not JSON (a proxy's HTML page, say): keep the text as the message.
    }
    const seconds = retryAfter != null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
    return new HttpError(status, message, { code, retryAfterSeconds: seconds });
  }
}

/** Thrown by the reader when a request does not answer in time. */
export class TimeoutError extends Error {
  constructor(ms: number) {
    super(`No answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * An error code as an unsigned number. Xrm gives positive decimals (2147746336), other layers
 * negative ones (-2147220960), bodies hex strings ("0x80040220").
 */
export function normalizeErrorCode(code: unknown): number | undefined {
  let n: number | undefined;
  if (typeof code === "number") n = code;
  else if (typeof code === "string") {
    const s = code.trim();
    if (/^0x[0-9a-f]+$/i.test(s)) n = parseInt(s, 16);
    else if (/^-?\d+$/.test(s)) n = Number(s);
  }
  if (n === undefined || !Number.isFinite(n) || !Number.isInteger(n)) return undefined;
  return n < 0 ? n + 0x100000000 : n;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** The privilege Dataverse names in its message, e.g. "… is missing prvReadRole privilege …". */
function privilegeIn(message: string): string | undefined {
  return /prv[A-Za-z]+/.exec(message)?.[0];
}

const OFFLINE_MESSAGE = /failed to fetch|network|offline|load failed|internet connection/i;

/** Any rejection of `webAPI` or `getJson` → a reason an admin can act on. */
export function toReadFailure(error: unknown): ReadFailure {
  const detail = messageOf(error);
  const name = field(error, "name");
  if (error instanceof TimeoutError || name === "TimeoutError" || name === "AbortError") {
    return { kind: "timeout", detail };
  }

  const code = normalizeErrorCode(field(error, "errorCode") ?? field(error, "code"));
  const status = typeof field(error, "status") === "number" ? (field(error, "status") as number) : undefined;

  if ((code !== undefined && PRIVILEGE_CODES.has(code)) || status === 403) {
    const privilege = privilegeIn(detail);
    return privilege ? { kind: "privilege-denied", privilege, detail } : { kind: "privilege-denied", detail };
  }
  if ((code !== undefined && THROTTLING_CODES.has(code)) || status === 429) return { kind: "throttled", detail };
  if (code === ErrorCodes.ObjectDoesNotExist || status === 404) return { kind: "not-found", detail };
  if (status !== undefined && status >= 500 && status <= 599) return { kind: "server-error", detail };
  // fetch rejects with a TypeError ("Failed to fetch"; Safari "Load failed"; Firefox "NetworkError …")
  // when the network is down. Matched by message: a TypeError from a bug is not "offline".
  // webAPI reports a network failure with errorCode 0, which is no Dataverse code.
  if (!code && status === undefined && OFFLINE_MESSAGE.test(detail)) {
    return { kind: "offline", detail };
  }
  return { kind: "unexpected", detail };
}
