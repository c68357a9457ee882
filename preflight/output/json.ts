/** `--format json`: the shape issue 8 names, for machines. Ids and status words are the catalogue's. */
import type { View } from "./view";

export function renderJson(view: View): string {
  const body = {
    tool: view.tool,
    version: view.version,
    checkedAt: view.checkedAt,
    environment: view.environment,
    settings: view.settings,
    stage: view.stage,
    ready: view.ready,
    items: view.items.map((item) => ({
      id: item.id,
      status: item.status,
      source: item.source,
      reason: item.reason,
      ...(item.parts.length > 0 ? { parts: item.parts.map((part) => ({ id: part.id, status: part.status, source: part.source })) } : {}),
    })),
    requests: view.requests,
  };
  return JSON.stringify(body, null, 2) + "\n";
}
