/**
 * `--format table`: the checklist for a person at a terminal. Status words are coloured, and read
 * the same without colour (NO_COLOR, a pipe, a file).
 */
import type { Status } from "../../PrerequisiteChecklist/checklist/types";
import type { Strings } from "../strings";
import type { ItemLine, View } from "./view";

const CODES: Record<Status, string> = {
  met: "32",
  confirmed: "32",
  "not-applicable": "2",
  "not-met": "31;1",
  warning: "33",
  "cannot-check": "35",
  "needs-confirmation": "36",
  pending: "2",
};

export interface TableOptions {
  colour: boolean;
  strings: Strings;
}

/** Display width, close enough: combining marks take no column, East Asian wide characters two. */
function width(text: string): number {
  let columns = 0;
  for (const char of text.normalize("NFC")) {
    const code = char.codePointAt(0)!;
    if (/\p{Mn}/u.test(char)) continue;
    columns += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) ? 2 : 1;
  }
  return columns;
}

const pad = (text: string, columns: number) => text + " ".repeat(Math.max(0, columns - width(text)));

export function renderTable(view: View, { colour, strings }: TableOptions): string {
  const paint = (code: string, text: string) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const bold = (text: string) => paint("1", text);
  const words = view.items.flatMap((item) => [item.statusWord, ...item.parts.map((p) => p.statusWord)]);
  const column = Math.max(...words.map(width)) + 2;
  const indent = " ".repeat(column + 2);
  const status = (s: Status, word: string) => paint(CODES[s], pad(word, column));

  const tier = strings.get(view.settings.partnerTier === "direct" ? "Tier_Direct" : "Tier_Indirect");
  const mode = strings.get(view.settings.mode === "upgrade" ? "Mode_Upgrade" : "Mode_Install");
  const lines: string[] = [
    bold(strings.text("Preflight_Table_Title", { environment: view.environment })),
    strings.text("Preflight_Table_Settings", {
      upn: view.settings.serviceAccountUpn || strings.get("Report_NotSet"),
      tier,
      mode,
      time: strings.formatTime(view.checkedAt),
    }),
  ];
  if (view.readBy) lines.push(strings.text("Preflight_Table_SignedIn", { name: view.readBy.name, upn: view.readBy.upn }));

  const item = (line: ItemLine) => {
    lines.push(`  ${status(line.status, line.statusWord)}${bold(line.title)}`);
    lines.push(`${indent}${line.reason}`);
    for (const evidence of line.evidence) lines.push(`${indent}${evidence}`);
    // Parts of an item that does not apply (Partner Center for 2-Tier) would only read as things to do.
    for (const part of line.status === "not-applicable" ? [] : line.parts) {
      const why = part.reason ?? (part.confirmedBy ? strings.text("Preflight_Table_ConfirmedBy", { name: part.confirmedBy.name, time: strings.formatTime(part.confirmedBy.at) }) : "");
      lines.push(`${indent}${paint(CODES[part.status], `${part.statusWord}:`)} ${part.label}${why ? ` — ${why}` : ""}`);
    }
    if (line.action) lines.push(`${indent}${strings.text("Preflight_Table_Next", { label: line.action.label, url: line.action.url })}`);
  };
  for (const group of view.groups) {
    lines.push("", bold(group.title));
    group.items.forEach(item);
  }

  lines.push("", `${bold(strings.text("Preflight_Table_Stage", { stage: view.stageWord }))} — ${view.headline}`, view.stageReason);
  if (view.blockers.length > 0) lines.push(strings.text("Preflight_Table_Blockers", { items: view.blockers.join(", ") }));
  lines.push(paint("2", strings.text("Preflight_Table_Requests", { dataverse: view.requests.dataverse, graph: view.requests.graph })));
  return lines.join("\n") + "\n";
}
