/**
 * Talking to Graph: `$batch` POSTs (paging links go in them, relative to /v1.0) and plain GETs (the
 * one beta read), with the token, a timeout per HTTP request, bounded retries of throttled
 * requests, and one silent token refresh per request on 401. Each inner request ends in an answer or a failure of its own.
 */
import type { ReadFailure } from "../../PrerequisiteChecklist/checklist/types";
import {
  describeFetchError,
  GraphAuthError,
  type GraphAnswer,
  GraphConnectionError,
  graphError,
  lowerCaseHeaders,
  responseHeaders,
  retryAfterMs,
  readFailure,
} from "./errors";
import type { GraphRequest } from "./requests";

/** An inner request's end: Graph's answer (any status, for the fact to judge), or no answer at all. */
export type Outcome = { ok: true; answer: GraphAnswer } | { ok: false; failure: ReadFailure };

export interface TransportDeps {
  endpoint: string;
  getToken?: (options: { forceRefresh: boolean }) => Promise<string>;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  retryDelaysMs: number[];
  requestTimeoutMs: number;
  onProgress: (what: string) => void;
}

export interface TransportStats {
  httpRequests: number;
  innerRequests: number;
}

/** Graph's limit on requests in one `$batch`. */
export const MAX_BATCH_SIZE = 20;
/** A `Retry-After` longer than this is not worth holding the installer for. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** What came back over HTTP: the status, headers and body (parsed when it is JSON). */
interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  isJson: boolean;
}

/** `fetch` gave no answer: the network, or our own timeout. */
class NoAnswer extends Error {
  constructor(readonly failure: ReadFailure) {
    super(failure.detail);
  }
}

/**
 * The token for the requests being sent. One refresh is shared by every request that was refused
 * the same token (round 2 sends several at once), so a burst of 401s costs one refresh.
 */
class Tokens {
  private current: Promise<string> | undefined;

  constructor(private readonly getToken?: (options: { forceRefresh: boolean }) => Promise<string>) {}

  /** The token to send now; `undefined` with `--auth none`. */
  use(): Promise<string> | undefined {
    if (!this.getToken) return undefined;
    this.current ??= this.fetchToken(false);
    return this.current;
  }

  /** After a 401 with `used`: a fresh token, unless another request already got one. */
  refresh(used: Promise<string> | undefined): void {
    if (!this.getToken) {
      throw new GraphAuthError("Microsoft Graph asks for sign-in (401), and no sign-in was given (--auth none).");
    }
    if (this.current === used) this.current = this.fetchToken(true);
  }

  private fetchToken(forceRefresh: boolean): Promise<string> {
    const getToken = this.getToken as (options: { forceRefresh: boolean }) => Promise<string>;
    const token = getToken({ forceRefresh }).catch((error: unknown) => {
      // The credential's own message says what to do (sign in again, consent…); it never holds the token.
      const reason = error instanceof Error ? error.message : String(error);
      throw new GraphAuthError(`Could not get a token for Microsoft Graph: ${reason}`, { cause: error });
    });
    token.catch(() => undefined); // Awaited by whoever sends next; never an unhandled rejection meanwhile.
    return token;
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function createTransport(deps: TransportDeps) {
  const base = deps.endpoint.replace(/\/+$/, "");
  let origin: string;
  try {
    origin = new URL(base).origin;
  } catch {
    throw new GraphConnectionError(`The Graph endpoint "${deps.endpoint}" is not a URL.`);
  }
  const tokens = new Tokens(deps.getToken);
  const stats: TransportStats = { httpRequests: 0, innerRequests: 0 };

  /** One HTTP request and its whole body, within the timeout. Never logs the token. */
  async function exchange(method: "GET" | "POST", url: string, token: string | undefined, body?: string): Promise<HttpAnswer> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, deps.requestTimeoutMs);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (token) headers.Authorization = `Bearer ${token}`;
    stats.httpRequests++;
    try {
      const response = await deps.fetch(url, { method, headers, body, signal: controller.signal });
      const text = await response.text();
      let json: unknown;
      let isJson = false;
      try {
        json = text ? JSON.parse(text) : undefined;
        isJson = text !== "" && typeof json === "object" && json !== null;
      } catch {
        // Not JSON: a proxy's page, a wrong endpoint. The caller decides what that means.
      }
      return { status: response.status, headers: responseHeaders(response.headers), json, isJson };
    } catch (error) {
      const { kind, detail } = describeFetchError(error, timedOut, deps.requestTimeoutMs);
      throw new NoAnswer(readFailure(kind, detail));
    } finally {
      clearTimeout(timer);
    }
  }

  /** A Graph error body, or a status that speaks for itself: Graph's answer for every inner request. */
  const speaksForAll = (http: HttpAnswer): boolean =>
    graphError(http.json).code !== undefined || http.status === 401 || http.status === 429 || http.status >= 500;

  /** One `$batch` POST: an outcome for every request in it. */
  async function sendBatch(
    list: GraphRequest[],
    first: boolean,
  ): Promise<{ outcomes: Map<string, Outcome>; token: Promise<string> | undefined }> {
    const token = tokens.use();
    const outcomes = new Map<string, Outcome>();
    const failAll = (failure: ReadFailure) => list.forEach((r) => outcomes.set(r.id, { ok: false, failure }));
    const notGraph = (what: string) => {
      if (first) throw new GraphConnectionError(`${base} is not Microsoft Graph: ${what}.`);
      failAll(readFailure("unexpected", `Microsoft Graph's batch answer ${what}.`));
    };
    const body = JSON.stringify({ requests: list.map((r) => ({ id: r.id, method: "GET", url: r.url })) });
    stats.innerRequests += list.length;
    let http: HttpAnswer;
    try {
      http = await exchange("POST", `${base}/v1.0/$batch`, await token, body);
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      if (first) throw new GraphConnectionError(`Could not reach Microsoft Graph at ${base}. ${error.failure.detail}`, { cause: error });
      failAll(error.failure);
      return { outcomes, token };
    }
    if (http.status >= 200 && http.status <= 299) {
      const responses = (http.json as { responses?: unknown } | undefined)?.responses;
      if (!http.isJson || !Array.isArray(responses)) {
        notGraph(http.isJson ? "the answer has no responses" : "the answer is not JSON");
        return { outcomes, token };
      }
      for (const item of responses as { id?: unknown; status?: unknown; headers?: unknown; body?: unknown }[]) {
        if (typeof item?.id !== "string" || typeof item.status !== "number") continue;
        outcomes.set(item.id, {
          ok: true,
          answer: { status: item.status, headers: lowerCaseHeaders(item.headers), body: item.body },
        });
      }
      for (const r of list) {
        if (!outcomes.has(r.id)) {
          outcomes.set(r.id, { ok: false, failure: readFailure("unexpected", `The batch answer has nothing for ${r.id}.`) });
        }
      }
    } else if (speaksForAll(http)) {
      // The batch itself was refused (sign-in, throttling, an outage): each request shares that answer.
      list.forEach((r) => outcomes.set(r.id, { ok: true, answer: { status: http.status, headers: http.headers, body: http.json } }));
    } else {
      notGraph(`it answered HTTP ${http.status}${http.isJson ? "" : " without JSON"}`);
    }
    return { outcomes, token };
  }

  /** How long to wait before trying a throttled answer again; `undefined` once the tries are used up. */
  function throttleWait(answer: GraphAnswer, tries: number): number | undefined {
    if (tries >= deps.retryDelaysMs.length) return undefined;
    const after = retryAfterMs(answer.headers);
    return Math.min(after ?? deps.retryDelaysMs[tries], MAX_RETRY_AFTER_MS);
  }

  /**
   * Every request of `list` in `$batch`es of at most 20, sent at once. Throttled and 401 requests
   * (alone) are sent again; everything else is final.
   * @param first Round 1's batch: no answer at all means no Graph at all (GraphConnectionError).
   */
  async function batch(list: GraphRequest[], first = false): Promise<Map<string, Outcome>> {
    const results = new Map<string, Outcome>();
    const refreshed = new Set<string>();
    let pending = list;
    for (let throttleTries = 0; pending.length > 0; ) {
      const parts = chunks(pending, MAX_BATCH_SIZE);
      const sent = await Promise.all(parts.map((chunk) => sendBatch(chunk, first)));
      const again: GraphRequest[] = [];
      let wait: number | undefined;
      for (const [i, chunk] of parts.entries()) {
        const { outcomes, token } = sent[i];
        for (const r of chunk) {
          const outcome = outcomes.get(r.id) as Outcome;
          if (outcome.ok && outcome.answer.status === 401) {
            if (refreshed.has(r.id)) throw refusedSignIn(outcome.answer);
            refreshed.add(r.id);
            tokens.refresh(token);
            again.push(r);
            continue;
          }
          const delay = outcome.ok && outcome.answer.status === 429 ? throttleWait(outcome.answer, throttleTries) : undefined;
          if (delay !== undefined) {
            wait = Math.max(wait ?? 0, delay);
            again.push(r);
          } else {
            results.set(r.id, outcome);
          }
        }
      }
      if (wait !== undefined) {
        const count = again.length === 1 ? "1 request" : `${again.length} requests`;
        deps.onProgress(`Microsoft Entra ID asks to slow down: trying ${count} again in ${Math.ceil(wait / 1000)} s`);
        await deps.sleep(wait);
        throttleTries++;
      }
      pending = again;
    }
    return results;
  }

  const basePath = new URL(base).pathname.replace(/\/+$/, "");

  /**
   * A paging link as a `$batch` item URL (relative to /v1.0), or `null` when it is not on this
   * endpoint's /v1.0: a link elsewhere would take the token with it, so it is never followed.
   */
  function relativeLink(link: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(link);
    } catch {
      return null;
    }
    if (parsed.origin !== origin) return null;
    // The path and query as Graph wrote them (not re-encoded): everything after the authority.
    const rest = link.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
    const prefix = `${basePath}/v1.0/`;
    return rest.startsWith(prefix) ? rest.slice(prefix.length - 1) : null;
  }

  /** A plain GET of an absolute URL on the endpoint (the beta read). */
  async function get(url: string): Promise<Outcome> {
    if (new URL(url, base).origin !== origin) {
      // A link elsewhere would take the token with it.
      return { ok: false, failure: readFailure("unexpected", `Graph gave a link outside ${base}; it was not followed.`) };
    }
    let refreshed = false;
    for (let throttleTries = 0; ; ) {
      const token = tokens.use();
      let http: HttpAnswer;
      try {
        http = await exchange("GET", url, await token);
      } catch (error) {
        if (error instanceof NoAnswer) return { ok: false, failure: error.failure };
        throw error;
      }
      const answer: GraphAnswer = { status: http.status, headers: http.headers, body: http.json };
      if (http.status === 401) {
        if (refreshed) throw refusedSignIn(answer);
        refreshed = true;
        tokens.refresh(token);
        continue;
      }
      const delay = http.status === 429 ? throttleWait(answer, throttleTries) : undefined;
      if (delay !== undefined) {
        deps.onProgress(`Microsoft Entra ID asks to slow down: trying 1 request again in ${Math.ceil(delay / 1000)} s`);
        await deps.sleep(delay);
        throttleTries++;
        continue;
      }
      if (http.status >= 200 && http.status <= 299 && !http.isJson) {
        return { ok: false, failure: readFailure("unexpected", `Microsoft Graph answered ${url} without JSON.`) };
      }
      return { ok: true, answer };
    }
  }

  /** The token the next request will carry (the same one, not a second sign-in); `undefined` with `--auth none`. */
  const currentToken = (): Promise<string> | undefined => tokens.use();

  return { batch, get, relativeLink, stats, base, currentToken };
}

export type Transport = ReturnType<typeof createTransport>;

function refusedSignIn(answer: GraphAnswer): GraphAuthError {
  const { code, message } = graphError(answer.body);
  return new GraphAuthError(
    `Microsoft Graph refused the sign-in (401${code ? ` ${code}` : ""}) even with a fresh token${message ? `: ${message}` : "."}`,
  );
}
