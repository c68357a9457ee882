/**
 * The command line: `check` and its options (preflight.md, "Who runs it, and how"), `--help`,
 * `--version`. Parsing checks every value, so a typo is one clear line, not a failed sign-in later.
 */
import type { Mode, PartnerTier } from "../PrerequisiteChecklist/checklist/types";
import { PreflightStop } from "./errors";
import { lcidOfEnvironment, lcidOfLocale, type Strings } from "./strings";

export type AuthMethod = "device-code" | "browser" | "azure-cli" | "environment" | "none";
export type Format = "table" | "json" | "markdown";

export const AUTH_METHODS: readonly AuthMethod[] = ["device-code", "browser", "azure-cli", "environment", "none"];
export const FORMATS: readonly Format[] = ["table", "json", "markdown"];
const TIERS: readonly PartnerTier[] = ["direct", "indirect"];
const MODES: readonly Mode[] = ["install", "upgrade"];

export const DEFAULT_GRAPH_ENDPOINT = "https://graph.microsoft.com";
/** Work365Setup's table and its bound column. */
export const DEFAULT_TABLE = "w365_setup";
export const DEFAULT_COLUMN = "w365_checkliststate";

export interface CheckOptions {
  command: "check";
  /** The environment's origin, `https://contoso.crm.dynamics.com`. */
  environment: string;
  upn?: string;
  tier?: PartnerTier;
  mode?: Mode;
  globalAdmin?: string;
  integrationAccount?: string;
  nativeAppId?: string;
  /** Origin of Microsoft Graph (national clouds have their own). */
  graphEndpoint: string;
  auth: AuthMethod;
  clientId?: string;
  tenant?: string;
  format: Format;
  output?: string;
  verbose: boolean;
  save: boolean;
  /** The settings record: logical name of its table, and the column that keeps the checklist state. */
  table: string;
  column: string;
  language: number;
}

export type Invocation = { command: "help"; language: number } | { command: "version"; language: number } | CheckOptions;

/** Option name → takes a value. */
const OPTIONS: Record<string, boolean> = {
  "--environment": true,
  "--upn": true,
  "--tier": true,
  "--mode": true,
  "--global-admin": true,
  "--integration-account": true,
  "--native-app-id": true,
  "--graph-endpoint": true,
  "--auth": true,
  "--client-id": true,
  "--tenant": true,
  "--format": true,
  "--output": true,
  "--language": true,
  "--table": true,
  "--column": true,
  "--verbose": false,
  "--save": false,
  "--help": false,
  "--version": false,
};
const SHORT: Record<string, string> = { "-h": "--help", "-V": "--version", "-v": "--verbose", "-o": "--output", "-f": "--format" };

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const LOGICAL_NAME = /^[a-z][a-z0-9_]*$/;
/** A tenant id (GUID) or one of its domain names, or `organizations` / `common`. */
const TENANT = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/i;
const LOCAL_HOSTS = ["localhost", "127.0.0.1"];

interface RawArgs {
  positional: string[];
  values: Map<string, string>;
  flags: Set<string>;
}

function split(argv: readonly string[], strings: Strings): RawArgs {
  const raw: RawArgs = { positional: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("-") || arg === "-") {
      raw.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const given = eq > 0 && arg.startsWith("--") ? arg.slice(0, eq) : arg;
    const name = SHORT[given] ?? given;
    if (!(name in OPTIONS)) throw usage(strings, "Preflight_Error_UnknownOption", { option: given });
    if (!OPTIONS[name]) {
      if (eq > 0 && arg.startsWith("--")) throw usage(strings, "Preflight_Error_NoValueTaken", { option: name });
      raw.flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq > 0 && arg.startsWith("--")) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1].startsWith("--") && argv[i + 1].length > 2)) value = argv[++i];
    if (value === undefined) throw usage(strings, "Preflight_Error_MissingValue", { option: name });
    if (raw.values.has(name)) throw usage(strings, "Preflight_Error_Repeated", { option: name });
    raw.values.set(name, value);
  }
  return raw;
}

const usage = (strings: Strings, key: string, args?: Record<string, string>) => new PreflightStop("usage", strings.text(key, args));

/** The language before anything else, so that even a usage error is in it. Never throws. */
export function languageOf(argv: readonly string[], env: Record<string, string | undefined>): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = arg === "--language" ? argv[i + 1] : arg.startsWith("--language=") ? arg.slice("--language=".length) : undefined;
    if (value !== undefined) return parseLanguage(value) ?? lcidOfEnvironment(env);
  }
  return lcidOfEnvironment(env);
}

function parseLanguage(value: string): number | undefined {
  if (/^\d{4,5}$/.test(value.trim())) return Number(value.trim());
  return lcidOfLocale(value.trim());
}

/** `https://contoso.crm.dynamics.com/main.aspx?…` → its origin; anything but http(s) refused. */
function parseEndpoint(strings: Strings, option: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw usage(strings, "Preflight_Error_BadUrl", { option, value });
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !url.hostname) throw usage(strings, "Preflight_Error_BadUrl", { option, value });
  if (url.protocol === "http:" && !LOCAL_HOSTS.includes(url.hostname)) throw usage(strings, "Preflight_Error_HttpNotLocal", { option, value });
  return url.origin;
}

const isLocal = (origin: string) => {
  const url = new URL(origin);
  return url.protocol === "http:" && LOCAL_HOSTS.includes(url.hostname);
};

function parseGuid(strings: Strings, option: string, value: string): string {
  const match = GUID.exec(value.trim());
  if (!match) throw usage(strings, "Preflight_Error_BadGuid", { option, value });
  return match[1].toLowerCase();
}

/**
 * A user principal name: `name@domain`, nothing that cannot be in one (spaces, control characters).
 * Quotes and non-ASCII are allowed: every query quotes them.
 */
function parseUpn(strings: Strings, option: string, value: string): string {
  const upn = value.trim();
  const at = upn.lastIndexOf("@");
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (at <= 0 || at === upn.length - 1 || /[\s\u0000-\u001f\u007f]/.test(upn) || upn.length > 1024) {
    throw usage(strings, "Preflight_Error_BadUpn", { option, value });
  }
  return upn;
}

function parseChoice<T extends string>(strings: Strings, option: string, value: string, choices: readonly T[]): T {
  const choice = value.trim().toLowerCase() as T;
  if (!choices.includes(choice)) throw usage(strings, "Preflight_Error_BadChoice", { option, value, choices: choices.join(", ") });
  return choice;
}

function parseName(strings: Strings, option: string, value: string): string {
  const name = value.trim().toLowerCase();
  if (!LOGICAL_NAME.test(name)) throw usage(strings, "Preflight_Error_BadLogicalName", { option, value });
  return name;
}

export function parseArgs(argv: readonly string[], env: Record<string, string | undefined>, strings: Strings): Invocation {
  const language = languageOf(argv, env);
  // Asking for help never fails on the rest of the line.
  if (argv.some((arg) => arg === "--help" || arg === "-h") || argv[0] === "help") return { command: "help", language };
  if (argv.some((arg) => arg === "--version" || arg === "-V")) return { command: "version", language };
  const raw = split(argv, strings);
  if (raw.values.has("--language") && parseLanguage(raw.values.get("--language")!) === undefined) {
    throw usage(strings, "Preflight_Error_BadLanguage", { value: raw.values.get("--language")! });
  }
  const [command, ...extra] = raw.positional;
  if (command === undefined) throw usage(strings, "Preflight_Error_NoCommand");
  if (command !== "check") throw usage(strings, "Preflight_Error_UnknownCommand", { command });
  if (extra.length > 0) throw usage(strings, "Preflight_Error_UnexpectedArgument", { value: extra[0] });

  const value = (name: string) => raw.values.get(name);
  const environmentValue = value("--environment");
  if (environmentValue === undefined) throw usage(strings, "Preflight_Error_Required", { option: "--environment" });
  const environment = parseEndpoint(strings, "--environment", environmentValue);
  const graphEndpoint = value("--graph-endpoint") !== undefined ? parseEndpoint(strings, "--graph-endpoint", value("--graph-endpoint")!) : DEFAULT_GRAPH_ENDPOINT;
  const auth = value("--auth") !== undefined ? parseChoice(strings, "--auth", value("--auth")!, AUTH_METHODS) : "device-code";
  if (auth === "none") {
    // No sign-in is only for the emulators: a real tenant must never see an unauthenticated tool.
    for (const [option, origin] of [["--environment", environment], ["--graph-endpoint", graphEndpoint]] as const) {
      if (!isLocal(origin)) throw usage(strings, "Preflight_Error_AuthNoneNotLocal", { option, value: origin });
    }
  }
  const optionalUpn = (name: string) => (value(name) !== undefined ? parseUpn(strings, name, value(name)!) : undefined);
  const tenant = value("--tenant");
  if (tenant !== undefined && !TENANT.test(tenant.trim())) throw usage(strings, "Preflight_Error_BadTenant", { value: tenant });
  // Another table's column is never named w365_checkliststate: guessing it would write the wrong column.
  if (value("--table") !== undefined && value("--column") === undefined) throw usage(strings, "Preflight_Error_TableWithoutColumn");
  const output = value("--output");
  if (output !== undefined && output.trim() === "") throw usage(strings, "Preflight_Error_MissingValue", { option: "--output" });

  return {
    command: "check",
    environment,
    upn: optionalUpn("--upn"),
    tier: value("--tier") !== undefined ? parseChoice(strings, "--tier", value("--tier")!, TIERS) : undefined,
    mode: value("--mode") !== undefined ? parseChoice(strings, "--mode", value("--mode")!, MODES) : undefined,
    globalAdmin: optionalUpn("--global-admin"),
    integrationAccount: optionalUpn("--integration-account"),
    nativeAppId: value("--native-app-id") !== undefined ? parseGuid(strings, "--native-app-id", value("--native-app-id")!) : undefined,
    graphEndpoint,
    auth,
    clientId: value("--client-id") !== undefined ? parseGuid(strings, "--client-id", value("--client-id")!) : undefined,
    tenant: tenant?.trim(),
    format: value("--format") !== undefined ? parseChoice(strings, "--format", value("--format")!, FORMATS) : "table",
    output,
    verbose: raw.flags.has("--verbose"),
    save: raw.flags.has("--save"),
    table: value("--table") !== undefined ? parseName(strings, "--table", value("--table")!) : DEFAULT_TABLE,
    column: value("--column") !== undefined ? parseName(strings, "--column", value("--column")!) : DEFAULT_COLUMN,
    language,
  };
}
