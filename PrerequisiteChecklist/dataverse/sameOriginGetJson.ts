import { HttpError } from "./errors";
import type { GetJson } from "./reader";

/**
 * `webAPI` cannot call Web API functions, so they go through `fetch` on the environment's own
 * origin (model-driven apps are served from it), signed in by the browser's session cookie.
 */
export function createSameOriginGetJson(environmentUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): GetJson {
  const base = `${environmentUrl.replace(/\/+$/, "")}/api/data/v9.2/`;
  return async (pathUnderApi) => {
    const response = await fetchImpl(base + pathUnderApi, {
      credentials: "same-origin",
      headers: { Accept: "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0" },
    });
    if (!response.ok) throw HttpError.fromResponse(response.status, await response.text(), response.headers.get("Retry-After"));
    return response.json();
  };
}
