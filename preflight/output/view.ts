/**
 * What every format shows, worked out once: items with their translated titles, status words,
 * reasons and next actions (a real address), the stage and what blocks the next one.
 */
import { catalogueItem, GROUPS } from "../../PrerequisiteChecklist/checklist/catalogue";
import type { ItemResult } from "../../PrerequisiteChecklist/checklist/evaluate";
import { STAGE_KEYS, STATUS_KEYS } from "../../PrerequisiteChecklist/checklist/report";
import type { GroupId, ItemId, LinkTarget, Source, Stage, Status } from "../../PrerequisiteChecklist/checklist/types";
import type { CheckResult } from "../check";
import { EXIT } from "../errors";
import type { Strings } from "../strings";

export interface PartLine {
  /** The part's own id (`service-account` of `mfa-registration/service-account`). */
  id: string;
  key: string;
  label: string;
  status: Status;
  statusWord: string;
  source: Source;
  /** Who ticked it and when, when a person did. */
  confirmedBy?: { name: string; at: string };
  /** What Graph read, when its reading answers the part. */
  reason?: string;
}

export interface ItemLine {
  id: ItemId;
  group: GroupId;
  title: string;
  status: Status;
  statusWord: string;
  source: Source;
  reason: string;
  /** Who ticked it and when, when a person's tick decides the item. */
  confirmedBy?: { name: string; at: string };
  action?: { label: string; url: string };
  evidence: string[];
  /** Only parts with ids of their own (`<item>/<part>`); a single part that is the item itself is the item. */
  parts: PartLine[];
  blocking: boolean;
}

export interface View {
  tool: string;
  version: string;
  checkedAt: string;
  environment: string;
  settings: { serviceAccountUpn: string; partnerTier: "direct" | "indirect"; mode: "install" | "upgrade" };
  stage: Stage;
  stageWord: string;
  stageReason: string;
  headline: string;
  ready: boolean;
  /** Titles of what blocks the next stage. */
  blockers: string[];
  groups: { id: GroupId; title: string; items: ItemLine[] }[];
  items: ItemLine[];
  requests: { dataverse: number; graph: number };
  readBy: { name: string; upn: string } | null;
  exitCode: number;
}

/** Where a link goes, as an address a terminal can open. */
export function linkUrl(target: LinkTarget, environment: string): string {
  switch (target.kind) {
    case "web":
      return target.url;
    case "environment":
      return environment + target.path;
    default:
      return `${environment}/main.aspx?pagetype=entityrecord&etn=${encodeURIComponent(target.entityName)}&id=${encodeURIComponent(target.id)}`;
  }
}

/**
 * 0 nothing blocks the next stage; 1 something does; 2 something that blocks could not be checked
 * (or the stage cannot be told). 2 wins over 1: with an unknown among the blockers, the list of
 * what to fix may not be complete, and a pipeline should not read it as if it were.
 */
export function exitCodeOf(result: Pick<CheckResult, "evaluation">): number {
  const { evaluation } = result;
  if (evaluation.stage === "unknown") return EXIT.unknown;
  const blocking = evaluation.items.filter((item) => evaluation.blockers.includes(item.id));
  if (blocking.length === 0) return EXIT.ready;
  return blocking.some((item) => item.status === "cannot-check") ? EXIT.unknown : EXIT.blocked;
}

function partsOf(item: ItemResult, strings: Strings): PartLine[] {
  return item.parts
    .filter((part) => part.key.includes("/"))
    .map((part) => ({
      id: part.key.slice(part.key.indexOf("/") + 1),
      key: part.key,
      label: strings.get(part.labelKey),
      status: part.status,
      statusWord: strings.get(STATUS_KEYS[part.status]),
      source: part.source,
      confirmedBy: part.source === "person" && part.entry ? { name: part.entry.by.name, at: part.entry.at } : undefined,
      reason: part.reason ? strings.format(part.reason) : undefined,
    }));
}

/** The latest tick among an item's parts (the item itself, when it is its only part). */
function latestTick(item: ItemResult): { name: string; at: string } | undefined {
  const ticks = item.parts.filter((p) => p.entry?.confirmed && p.checked).map((p) => p.entry!);
  const latest = ticks.sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0];
  return latest ? { name: latest.by.name, at: latest.at } : undefined;
}

export function buildView(result: CheckResult, environment: string, version: string, strings: Strings): View {
  const { evaluation, settings } = result;
  const items: ItemLine[] = evaluation.items.map((item) => ({
    id: item.id,
    group: item.group,
    title: strings.get(catalogueItem(item.id).titleKey),
    status: item.status,
    statusWord: strings.get(STATUS_KEYS[item.status]),
    source: item.source,
    reason: strings.format(item.reason),
    confirmedBy: item.source === "person" ? latestTick(item) : undefined,
    action: item.action ? { label: strings.format(item.action.label), url: linkUrl(item.action.target, environment) } : undefined,
    evidence: item.evidence.map((m) => strings.format(m)),
    parts: partsOf(item, strings),
    blocking: evaluation.blockers.includes(item.id),
  }));
  return {
    tool: "w365-preflight",
    version,
    checkedAt: result.checkedAt,
    environment,
    settings: { serviceAccountUpn: settings.serviceAccountUpn, partnerTier: settings.partnerTier, mode: settings.mode },
    stage: evaluation.stage,
    stageWord: strings.get(STAGE_KEYS[evaluation.stage]),
    stageReason: strings.format(evaluation.stageReason),
    headline: strings.format(evaluation.headline),
    ready: evaluation.stage !== "unknown" && evaluation.blockers.length === 0,
    blockers: items.filter((item) => item.blocking).map((item) => item.title),
    groups: GROUPS.map((group) => ({ id: group.id, title: strings.get(group.titleKey), items: items.filter((item) => item.group === group.id) })),
    items,
    requests: { dataverse: result.requests.dataverse, graph: result.requests.graph },
    readBy: result.signedIn ? { name: result.signedIn.name, upn: result.signedIn.upn } : null,
    exitCode: exitCodeOf(result),
  };
}
