import * as http from "node:http";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** A plain http request (no fetch), so dropped and held connections are easy to observe. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = undefined;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.timeoutMs) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error("client timeout")));
    }
    if (body) req.write(body);
    req.end();
  });
}

/** Build a Web API path: the filter is percent-encoded as a browser would send it. */
export function q(entitySet: string, options: Record<string, string>): string {
  const query = Object.entries(options)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join("&");
  return `/api/data/v9.2/${entitySet}${query ? `?${query}` : ""}`;
}

export const ID = {
  admin: "11111111-0000-4000-8000-000000000001",
  serviceAccount: "11111111-0000-4000-8000-000000000002",
  record: "99999999-0000-4000-8000-000000000001",
  sysAdminTemplate: "627090ff-40a3-4053-8790-584edc5be201",
  work365AppUs: "e4b1a995-abe3-4350-a61c-65fccd32e8bd",
  work365AppEu: "5e56ae97-9be1-40d3-938b-99ea52175a30",
};
