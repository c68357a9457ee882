import { GROUPS } from "./catalogue";
import type { Evaluation } from "./evaluate";
import { formatMessage, type FormatTime, type GetString } from "./messages";
import type { ChecklistSettings, Source, Status } from "./types";

export const STATUS_KEYS: Record<Status, string> = {
  met: "Status_Met",
  "not-met": "Status_NotMet",
  warning: "Status_Warning",
  "needs-confirmation": "Status_NeedsConfirmation",
  confirmed: "Status_Confirmed",
  "cannot-check": "Status_CannotCheck",
  "not-applicable": "Status_NotApplicable",
  pending: "Status_Pending",
};

/** How an item's answer was obtained, as the copied report and the preflight's Markdown say it. */
export const SOURCE_REPORT_KEYS: Record<Source, string | null> = {
  dataverse: "Report_SourceDataverse",
  graph: "Report_SourceGraph",
  person: "Report_SourcePerson",
  derived: "Report_SourceDerived",
  none: null,
};

export const STAGE_KEYS = {
  "before-install": "Stage_BeforeInstall",
  "awaiting-consent": "Stage_AwaitingConsent",
  "after-consent": "Stage_AfterConsent",
  unknown: "Stage_Unknown",
} as const;

export interface ReportInput {
  evaluation: Evaluation;
  settings: ChecklistSettings;
  environmentUrl: string;
  controlVersion: string;
  checkedAt: string;
  getString: GetString;
  formatTime: FormatTime;
}

/** A plain-text readiness report for a support ticket. */
export function buildReport(input: ReportInput): string {
  const { evaluation, settings, getString, formatTime } = input;
  const text = (key: string, args?: Record<string, string>) => formatMessage({ key, args }, getString, formatTime);
  const work365 = evaluation.work365 ? `${evaluation.work365.friendlyName} ${evaluation.work365.version}` : text("Report_NotFound");
  const lines = [
    text("Report_Title"),
    `${text("Report_Environment")}: ${input.environmentUrl}`,
    `${text("Report_Work365Version")}: ${work365}`,
    `${text("Report_ControlVersion")}: ${input.controlVersion}`,
    `${text("Report_ServiceAccount")}: ${settings.serviceAccountUpn || text("Report_NotSet")}`,
    `${text("Report_PartnerTier")}: ${text(settings.partnerTier === "direct" ? "Tier_Direct" : "Tier_Indirect")}`,
    `${text("Report_Mode")}: ${text(settings.mode === "upgrade" ? "Mode_Upgrade" : "Mode_Install")}`,
    `${text("Report_CheckedAt")}: ${formatTime(input.checkedAt)}`,
    `${text("Report_Stage")}: ${text(STAGE_KEYS[evaluation.stage])} — ${formatMessage(evaluation.headline, getString, formatTime)}`,
  ];
  for (const group of GROUPS) {
    lines.push("", text(group.titleKey));
    for (const item of evaluation.items.filter((candidate) => candidate.group === group.id)) {
      const source = SOURCE_REPORT_KEYS[item.source];
      const how = source ? ` (${formatMessage({ key: source, args: { time: { time: evaluation.graph?.readAt ?? input.checkedAt } } }, getString, formatTime)})` : "";
      lines.push(`- [${text(STATUS_KEYS[item.status])}] ${text(item.titleKey)}${how}`);
      lines.push(`  ${formatMessage(item.reason, getString, formatTime)}`);
      for (const part of item.parts) {
        if (!part.entry) continue;
        const who = { name: part.entry.by.name, time: formatTime(part.entry.at) };
        const key = part.entry.confirmed ? (part.outdated ? "Report_PartOutdated" : "Report_PartConfirmed") : "Report_PartCleared";
        lines.push(`  ${text(part.labelKey)}: ${text(key, who)}`);
      }
    }
  }
  return lines.join("\n") + "\n";
}
