/**
 * `w365-preflight`: arguments in, the checklist out, an exit code back. Everything the process
 * gives (streams, environment, files, the clock, the sign-in) comes in as a dependency, so tests
 * run it in-process with a credential that fails the way @azure/identity fails.
 */
import type { TokenCredential } from "@azure/identity";
import { createCredential, createTokens, signInStop, type CredentialFactory } from "./auth";
import { runCheck } from "./check";
import { EXIT, PreflightStop } from "./errors";
import { helpText } from "./help";
import { languageOf, parseArgs, type CheckOptions } from "./options";
import { renderJson } from "./output/json";
import { renderMarkdown } from "./output/markdown";
import { renderTable } from "./output/table";
import { buildView } from "./output/view";
import { createProgress } from "./progress";
import { saveGraphEvidence } from "./save";
import { createStrings, type Strings } from "./strings";

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: Record<string, string | undefined>;
}

export interface CliDeps {
  /** The control's resx files, by LCID (bundled into the command). */
  resx: Record<number, string>;
  version: string;
  now?: () => Date;
  createCredential?: CredentialFactory;
  /** Graph's fetch (tests). */
  fetch?: typeof fetch;
  writeFile?: (path: string, text: string) => Promise<void>;
  /** Aborted on Ctrl+C: a sign-in in progress stops with a message. */
  signal?: AbortSignal;
  /** Time zone for dates (tests); default the machine's. */
  timeZone?: string;
}

const defaultWriteFile = async (path: string, text: string) => {
  const { writeFile } = await import("node:fs/promises");
  await writeFile(path, text, "utf8");
};

function render(options: CheckOptions, view: ReturnType<typeof buildView>, strings: Strings, colour: boolean, graphReadAt: string): string {
  switch (options.format) {
    case "json":
      return renderJson(view);
    case "markdown":
      return renderMarkdown(view, strings, graphReadAt);
    default:
      return renderTable(view, { colour, strings });
  }
}

async function check(options: CheckOptions, io: CliIo, deps: CliDeps, strings: Strings): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  const progress = createProgress(io.stderr);
  let credential: TokenCredential | null = null;
  if (options.auth !== "none") {
    try {
      credential = await (deps.createCredential ?? createCredential)({ options, env: io.env, strings, say: (line) => (progress.clear(), say(line)) });
    } catch (error) {
      throw signInStop(error, options, strings);
    }
  }
  const tokens = createTokens(credential, options, strings, deps.signal);
  try {
    const result = await runCheck(options, {
      tokens,
      strings,
      version: deps.version,
      now: deps.now ?? (() => new Date()),
      progress,
      fetch: deps.fetch,
      note: (line) => (progress.clear(), say(line)),
      appId: options.clientId ?? io.env.AZURE_CLIENT_ID,
    });
    if (options.save) {
      const saved = await saveGraphEvidence(result.dataverse, options.table, options.column, result.graph, strings);
      result.requests.dataverse = result.dataverse.requests;
      say(strings.text(saved.created ? "Preflight_Save_Created" : "Preflight_Save_Done", { table: saved.info.table, id: saved.id, column: saved.info.column }));
    }
    const view = buildView(result, options.environment, deps.version, strings);
    const colour = !options.output && !!io.stdout.isTTY && !io.env.NO_COLOR;
    const text = render(options, view, strings, colour, result.graph.readAt);
    if (options.output) {
      await (deps.writeFile ?? defaultWriteFile)(options.output, text);
      say(strings.text("Preflight_Written", { file: options.output }));
    } else {
      io.stdout.write(text);
    }
    return view.exitCode;
  } finally {
    progress.clear();
  }
}

/** Runs the command; resolves to the exit code. Never rejects. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<number> {
  const language = languageOf(argv, io.env);
  const strings = createStrings(deps.resx, language, deps.timeZone);
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  try {
    const invocation = parseArgs(argv, io.env, strings);
    if (invocation.command === "help") {
      io.stdout.write(helpText(strings));
      return EXIT.ready;
    }
    if (invocation.command === "version") {
      io.stdout.write(`${deps.version}\n`);
      return EXIT.ready;
    }
    return await check(invocation, io, deps, strings);
  } catch (error) {
    const stop = error instanceof PreflightStop ? error : null;
    const line = stop ? stop.message : strings.text("Preflight_Error_Unexpected", { detail: error instanceof Error ? error.message : String(error) });
    io.stderr.write(`w365-preflight: ${line}\n`);
    if (verbose) {
      const cause = stop?.cause ?? error;
      io.stderr.write(`${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    }
    return EXIT.stopped;
  }
}
