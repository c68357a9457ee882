/**
 * Test support (no test itself): a `fetch` that answers Graph `$batch` bodies and plain GETs from
 * a table, and logs what was sent, so the reader's tests can count rounds and check URLs.
 */

export interface FakeAnswer {
  status?: number;
  body?: unknown;
  /** Sent as it is instead of `body` (an HTML page, say). */
  text?: string;
  headers?: Record<string, string>;
}

/** `nth`: 1 for the first request on this route, 2 for the next… */
export type FakeRoute = FakeAnswer | ((call: { nth: number; url: string }) => FakeAnswer | Promise<FakeAnswer>);

export interface SentBatch {
  /** Ids of the inner requests, in the order sent. */
  ids: string[];
  urls: string[];
  authorization: string | null;
}

export interface FakeGraph {
  fetch: typeof fetch;
  /** Every HTTP request, in order: `POST $batch` or `GET <path and query after the origin>`. */
  http: string[];
  batches: SentBatch[];
  /** The inner request URLs of all batches, in order (relative to /v1.0). */
  innerUrls: string[];
  /** `start <what>` / `end <what>` in the order they happened (what = `batch <n>` or the GET's path). */
  events: string[];
}

export const ENDPOINT = "https://graph.microsoft.com";

export const graphError = (status: number, code: string, message = `${code} (fake)`, headers?: Record<string, string>): FakeAnswer => ({
  status,
  headers,
  body: { error: { code, message, innerError: { date: "2025-01-01T00:00:00", "request-id": "r", "client-request-id": "c" } } },
});

export const denied = () => graphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
export const notPremium = () => graphError(403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant", "Tenant does not have a SPO license.");
export const notFound = (what = "x") =>
  graphError(404, "Request_ResourceNotFound", `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`);
export const throttled = (seconds?: number) =>
  graphError(429, "TooManyRequests", "Too many requests.", seconds === undefined ? undefined : { "Retry-After": String(seconds) });

const pathOf = (url: string) => url.split("?")[0];

/**
 * @param routes by inner URL (exact, relative to /v1.0) or by its path alone; plain GETs by the
 *   path and query after the origin (`/v1.0/domains?$skiptoken=2`, `/beta/users/…`).
 * @param options.outer answers the nth `$batch` POST itself when it returns an answer (401, 429, HTML…).
 * @param options.pause awaited before each answer: lets tests see what is in flight together.
 */
export function fakeGraph(
  routes: Record<string, FakeRoute>,
  options: {
    outer?: (nth: number) => FakeAnswer | "network-error" | "hang" | undefined;
    pause?: () => Promise<void>;
  } = {},
): FakeGraph {
  const counts = new Map<string, number>();
  const graph: FakeGraph = { fetch: undefined as unknown as typeof fetch, http: [], batches: [], innerUrls: [], events: [] };

  async function answer(url: string, key: string | undefined): Promise<FakeAnswer> {
    const route = key === undefined ? undefined : routes[key];
    if (key === undefined || route === undefined) {
      return graphError(400, "BadRequest", `Resource not found for the segment '${pathOf(url).split("/").pop()}'.`);
    }
    const nth = (counts.get(key) ?? 0) + 1;
    counts.set(key, nth);
    return typeof route === "function" ? route({ nth, url }) : route;
  }
  const keyFor = (url: string) => (url in routes ? url : pathOf(url) in routes ? pathOf(url) : undefined);

  const respond = (a: FakeAnswer) =>
    new Response(a.text ?? (a.body === undefined ? null : JSON.stringify(a.body)), {
      status: a.status ?? 200,
      headers: { "Content-Type": a.text === undefined ? "application/json" : "text/html", ...(a.headers ?? {}) },
    });

  graph.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const signal = init?.signal;
    const target = String(input).slice(url.origin.length); // As sent, not re-encoded.
    if (init?.method === "POST" && url.pathname === "/v1.0/$batch") {
      const n = graph.batches.length + 1;
      const { requests } = JSON.parse(String(init.body)) as { requests: { id: string; method: string; url: string }[] };
      graph.batches.push({ ids: requests.map((r) => r.id), urls: requests.map((r) => r.url), authorization: headers.get("authorization") });
      graph.innerUrls.push(...requests.map((r) => r.url));
      graph.http.push("POST $batch");
      graph.events.push(`start batch ${n}`);
      await options.pause?.();
      const outer = options.outer?.(n);
      if (outer === "network-error") {
        graph.events.push(`end batch ${n}`);
        throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
      }
      if (outer === "hang") {
        return new Promise<Response>((_, reject) => signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
      }
      if (outer) {
        graph.events.push(`end batch ${n}`);
        return respond(outer);
      }
      const responses = await Promise.all(
        requests.map(async (r) => {
          const a = await answer(r.url, keyFor(r.url));
          return { id: r.id, status: a.status ?? 200, headers: { "Content-Type": "application/json", ...(a.headers ?? {}) }, body: a.body };
        }),
      );
      graph.events.push(`end batch ${n}`);
      // Graph answers in any order.
      return respond({ body: { responses: responses.reverse() } });
    }
    graph.http.push(`GET ${target}`);
    graph.events.push(`start ${target}`);
    await options.pause?.();
    const a = await answer(target, target in routes ? target : undefined);
    graph.events.push(`end ${target}`);
    return respond(a);
  }) as typeof fetch;
  return graph;
}
