/** Shared by the preflight tests: the built command, the resx files, running it as a child process. */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.join(__dirname, "..", "..");
export const DIST = path.join(ROOT, "dist", "w365-preflight.mjs");
const STRINGS = path.join(ROOT, "PrerequisiteChecklist", "strings");

/** Builds dist/w365-preflight.mjs when it is missing or older than its sources (once per run in practice). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "build-preflight.mjs"), "--if-stale"], { cwd: ROOT, stdio: "pipe" });
  if (!fs.existsSync(DIST)) throw new Error(`The build did not write ${DIST}`);
}

/** The resx files by LCID, as the bundle carries them. */
export function readResx(): Record<number, string> {
  const files = fs.readdirSync(STRINGS).filter((name) => /^PrerequisiteChecklist\.\d+\.resx$/.test(name));
  return Object.fromEntries(files.map((name) => [Number(/\.(\d+)\.resx$/.exec(name)![1]), fs.readFileSync(path.join(STRINGS, name), "utf8")]));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node dist/w365-preflight.mjs <args>` as a child process, in English unless the environment says otherwise. */
export function runPreflight(args: string[], options: { env?: Record<string, string>; cwd?: string; file?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.file ?? DIST, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? "", LANG: "en_US.UTF-8", TZ: "UTC", ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stderr is one line: no stack trace, no second line of explanation. */
export function oneLine(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}
