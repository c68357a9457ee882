/**
 * `--format markdown`: the readiness report to paste into a support ticket. Per item it says
 * whether the answer was read (Dataverse or Microsoft Entra ID) or confirmed by a person.
 */
import { SOURCE_REPORT_KEYS } from "../../PrerequisiteChecklist/checklist/report";
import type { Source } from "../../PrerequisiteChecklist/checklist/types";
import type { Strings } from "../strings";
import type { View } from "./view";

/** A table cell: no pipes or line breaks to break the row, no markup from names. */
const cell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[<>*_`[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");

export function renderMarkdown(view: View, strings: Strings, graphReadAt: string): string {
  const how = (source: Source, confirmedBy?: { name: string; at: string }) => {
    if (source === "person" && confirmedBy) return strings.text("Preflight_Markdown_ConfirmedBy", { name: confirmedBy.name, time: strings.formatTime(confirmedBy.at) });
    const key = SOURCE_REPORT_KEYS[source];
    return key ? strings.format({ key, args: { time: { time: graphReadAt } } }) : strings.get("Preflight_Markdown_NotAnswered");
  };
  const tier = strings.get(view.settings.partnerTier === "direct" ? "Tier_Direct" : "Tier_Indirect");
  const mode = strings.get(view.settings.mode === "upgrade" ? "Mode_Upgrade" : "Mode_Install");
  const lines = [
    `# ${strings.get("Report_Title")}`,
    "",
    `| | |`,
    `|---|---|`,
    `| ${strings.get("Report_Environment")} | ${cell(view.environment)} |`,
    `| ${strings.get("Report_ServiceAccount")} | ${cell(view.settings.serviceAccountUpn || strings.get("Report_NotSet"))} |`,
    `| ${strings.get("Report_PartnerTier")} | ${cell(tier)} |`,
    `| ${strings.get("Report_Mode")} | ${cell(mode)} |`,
    `| ${strings.get("Report_CheckedAt")} | ${cell(strings.formatTime(view.checkedAt))} |`,
    `| ${strings.get("Report_Stage")} | ${cell(`${view.stageWord} — ${view.headline}`)} |`,
    `| ${strings.get("Preflight_Markdown_Tool")} | ${cell(`${view.tool} ${view.version}`)} |`,
  ];
  if (view.readBy) lines.push(`| ${strings.get("Preflight_Markdown_ReadBy")} | ${cell(`${view.readBy.name} (${view.readBy.upn})`)} |`);
  lines.push("", view.stageReason);
  if (view.blockers.length > 0) lines.push("", strings.text("Preflight_Table_Blockers", { items: view.blockers.join(", ") }));

  const header = [strings.get("Preflight_Markdown_Requirement"), strings.get("Preflight_Markdown_Status"), strings.get("Preflight_Markdown_Answer"), strings.get("Preflight_Markdown_Why")];
  for (const group of view.groups) {
    lines.push("", `## ${group.title}`, "", `| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
    for (const item of group.items) {
      const next = item.action ? ` ${strings.text("Preflight_Markdown_Next", { label: cell(item.action.label), url: item.action.url })}` : "";
      lines.push(`| ${cell(item.title)} | **${cell(item.statusWord)}** | ${cell(how(item.source, item.confirmedBy))} | ${cell(item.reason)}${next} |`);
      for (const part of item.status === "not-applicable" ? [] : item.parts) {
        lines.push(`| ↳ ${cell(part.label)} | ${cell(part.statusWord)} | ${cell(how(part.source, part.confirmedBy))} | ${cell(part.reason ?? "")} |`);
      }
    }
  }
  lines.push("", strings.text("Preflight_Table_Requests", { dataverse: view.requests.dataverse, graph: view.requests.graph }));
  return lines.join("\n") + "\n";
}
