import type { LinkTarget } from "../checklist/types";

/** A real address for every link, so it can be opened in a new tab or copied; clicks still go through the host's navigation. */
export function linkHref(target: LinkTarget, environmentUrl: string): string {
  const base = environmentUrl.replace(/\/+$/, "");
  switch (target.kind) {
    case "web":
      return target.url;
    case "environment":
      return base + target.path;
    case "record":
      return `${base}/main.aspx?pagetype=entityrecord&etn=${encodeURIComponent(target.entityName)}&id=${encodeURIComponent(target.id)}`;
  }
}
