/* eslint-disable no-control-regex -- the ANSI colour codes are exactly what these tests look at */
/**
 * At a terminal: coloured status words that read the same without colour, and a live line on
 * stderr while reading, cleared before the answer. Run in-process, with terminal-like streams.
 */
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { runCli, type OutStream } from "../../preflight/cli";
import { readResx } from "./helpers";

jest.setTimeout(60_000);

const resx = readResx();
let graph: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
let dataverse: Awaited<ReturnType<typeof startEmulatorServer>>;

beforeAll(async () => {
  graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: "mfa-report-only" });
  dataverse = await startEmulatorServer({ port: 0, host: "127.0.0.1", scenario: graph.emulator.scenario.dataverse });
});
afterAll(async () => {
  await graph?.close();
  await dataverse?.close();
});

function stream(isTTY: boolean): OutStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, columns: 120, write: (t: string) => chunks.push(t), text: () => chunks.join("") };
}

async function run(tty: boolean, env: Record<string, string> = {}) {
  const stdout = stream(tty);
  const stderr = stream(tty);
  const code = await runCli(
    ["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", ...graph.emulator.scenario.args],
    { stdout, stderr, env: { LANG: "en_US.UTF-8", ...env } },
    { resx, version: "0.0.0-test", timeZone: "UTC" },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const plain = (text: string) => text.replace(/\x1b\[[\d;]*m/g, "");

describe("at a terminal", () => {
  it("colours the status words; without colour the same words remain", async () => {
    const coloured = await run(true);
    expect(coloured.stdout).toMatch(/\x1b\[32mMet\s*\x1b\[0m/);
    expect(coloured.stdout).toMatch(/\x1b\[33mWarning\s*\x1b\[0m/);
    const noColour = await run(true, { NO_COLOR: "1" });
    expect(noColour.stdout).not.toContain("\x1b[");
    const pipe = await run(false);
    expect(pipe.stdout).not.toContain("\x1b[");
    // Only the time of the check differs between runs.
    const withoutTime = (text: string) => text.replace(/checked .*/, "");
    expect(withoutTime(plain(coloured.stdout))).toBe(withoutTime(noColour.stdout));
    expect(withoutTime(noColour.stdout)).toBe(withoutTime(pipe.stdout));
  });

  it("shows what is being read on a live line, and clears it before the answer", async () => {
    const tty = await run(true);
    expect(tty.stderr).toContain("Reading Dataverse (");
    expect(tty.stderr).toMatch(/Microsoft Graph \((accounts|MFA|per-user)[^\r]*/);
    expect(tty.stderr.endsWith("\r\x1b[2K")).toBe(true);
    const pipe = await run(false);
    expect(pipe.stderr).toBe("");
  });

  it("the exit code is the same whatever the streams", async () => {
    const results = await Promise.all([run(true), run(false)]);
    expect(results[0].code).toBe(results[1].code);
    expect([0, 1, 2]).toContain(results[0].code);
  });
});
