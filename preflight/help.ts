/** `--help`: every option and exit code, in the chosen language. */
import { DEFAULT_CLIENT_ID } from "./auth";
import { DEFAULT_COLUMN, DEFAULT_GRAPH_ENDPOINT, DEFAULT_TABLE } from "./options";
import type { Strings } from "./strings";

const OPTIONS: [string, string][] = [
  ["--environment URL", "Preflight_Help_Environment"],
  ["--upn UPN", "Preflight_Help_Upn"],
  ["--tier direct|indirect", "Preflight_Help_Tier"],
  ["--mode install|upgrade", "Preflight_Help_Mode"],
  ["--global-admin UPN", "Preflight_Help_GlobalAdmin"],
  ["--integration-account UPN", "Preflight_Help_IntegrationAccount"],
  ["--native-app-id GUID", "Preflight_Help_NativeAppId"],
  ["--graph-endpoint URL", "Preflight_Help_GraphEndpoint"],
  ["--auth METHOD", "Preflight_Help_Auth"],
  ["--client-id GUID", "Preflight_Help_ClientId"],
  ["--tenant ID", "Preflight_Help_Tenant"],
  ["--format table|json|markdown", "Preflight_Help_Format"],
  ["--output FILE", "Preflight_Help_Output"],
  ["--language LCID", "Preflight_Help_Language"],
  ["--save", "Preflight_Help_Save"],
  ["--table NAME --column NAME", "Preflight_Help_Table"],
  ["--verbose", "Preflight_Help_Verbose"],
  ["--help", "Preflight_Help_Help"],
  ["--version", "Preflight_Help_Version"],
];

export function helpText(strings: Strings): string {
  const args = { graph: DEFAULT_GRAPH_ENDPOINT, clientId: DEFAULT_CLIENT_ID, table: DEFAULT_TABLE, column: DEFAULT_COLUMN };
  const width = Math.max(...OPTIONS.map(([option]) => option.length)) + 2;
  return [
    strings.text("Preflight_Help_Usage"),
    "",
    strings.text("Preflight_Help_Summary"),
    "",
    strings.text("Preflight_Help_OptionsHeading"),
    ...OPTIONS.map(([option, key]) => `  ${option.padEnd(width)}${strings.text(key, args)}`),
    "",
    strings.text("Preflight_Help_ExitHeading"),
    `  0  ${strings.text("Preflight_Help_Exit0")}`,
    `  1  ${strings.text("Preflight_Help_Exit1")}`,
    `  2  ${strings.text("Preflight_Help_Exit2")}`,
    `  3  ${strings.text("Preflight_Help_Exit3")}`,
    "",
    strings.text("Preflight_Help_More"),
    "",
  ].join("\n");
}
