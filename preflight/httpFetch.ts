/**
 * The little of `fetch` the Graph reader uses (method, headers, a string body, an abort signal;
 * status, headers, text), on node:http/node:https. Node's own fetch (undici) costs some 60 ms to
 * load on the first request of a run, which is most of a short command's time; this costs nothing.
 * Failures look like undici's (`TypeError: fetch failed`, the socket error as `cause`), so the
 * reader tells them apart the same way.
 */
import * as http from "node:http";
import * as https from "node:https";

export interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | null;
}

export interface FetchAnswer {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null; forEach(fn: (value: string, name: string) => void): void };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

function abortError(): Error {
  const error = new Error("This operation was aborted");
  error.name = "AbortError";
  return error;
}

export function httpFetch(input: string | URL, init: FetchInit = {}): Promise<FetchAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(String(input));
    if (init.signal?.aborted) return reject(abortError());
    const client = url.protocol === "https:" ? https : http;
    const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
    const headers: Record<string, string | number> = { ...init.headers };
    if (body) headers["Content-Length"] = body.length;
    const request = client.request(url, { method: init.method ?? "GET", headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => reject(Object.assign(new TypeError("fetch failed"), { cause: error })));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const values = new Map<string, string>();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) values.set(name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value);
        }
        const status = response.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status <= 299,
          headers: { get: (name) => values.get(name.toLowerCase()) ?? null, forEach: (fn) => values.forEach((value, name) => fn(value, name)) },
          text: async () => text,
          json: async () => JSON.parse(text),
        });
      });
    });
    const onAbort = () => request.destroy(abortError());
    init.signal?.addEventListener("abort", onAbort, { once: true });
    request.on("close", () => init.signal?.removeEventListener("abort", onAbort));
    request.on("error", (error) => reject(error.name === "AbortError" ? error : Object.assign(new TypeError("fetch failed"), { cause: error })));
    request.end(body);
  });
}
