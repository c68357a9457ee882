/**
 * The built command, end to end: `node dist/w365-preflight.mjs` as a child process against the
 * Dataverse emulator and the Graph emulator (127.0.0.1, port 0), for every Graph scenario. The
 * expectations are the scenario files' own (derived independently of this code).
 */
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { listScenarios, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { CATALOGUE, GROUPS } from "../../PrerequisiteChecklist/checklist/catalogue";
import { STATUS_KEYS } from "../../PrerequisiteChecklist/checklist/report";
import type { Status } from "../../PrerequisiteChecklist/checklist/types";
import { parseResx } from "../../preflight/strings";
import { ensureBuilt, oneLine, readResx, runPreflight, type Run } from "./helpers";

jest.setTimeout(120_000);

const SCENARIOS = listScenarios().map((s) => s.name);
const english = parseResx(readResx()[1033]);
const word = (status: Status) => english.get(STATUS_KEYS[status])!;
const title = (id: string) => english.get(CATALOGUE.find((item) => item.id === id)!.titleKey)!;

interface JsonOutput {
  tool: string;
  version: string;
  checkedAt: string;
  environment: string;
  settings: { serviceAccountUpn: string; partnerTier: string; mode: string };
  stage: string;
  ready: boolean;
  items: { id: string; status: Status; source: string; reason: string; parts?: { id: string; status: Status; source: string }[] }[];
  requests: { dataverse: number; graph: number };
}

let dataverse: Awaited<ReturnType<typeof startEmulatorServer>>;
let graph: Awaited<ReturnType<typeof startGraphEmulatorServer>>;

beforeAll(async () => {
  ensureBuilt();
  graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1" });
  dataverse = await startEmulatorServer({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await graph?.close();
  await dataverse?.close();
});

/** Both emulators on a Graph scenario and its Dataverse partner, logs cleared. */
function use(scenario: string): string[] {
  graph.emulator.setScenario(scenario);
  graph.emulator.reset();
  dataverse.emulator.setScenario(graph.emulator.scenario.dataverse);
  dataverse.emulator.reset();
  return graph.emulator.scenario.args;
}

const check = (args: string[], extra: string[] = [], env?: Record<string, string>) =>
  runPreflight(["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", ...args, ...extra], { env });

function parseJson(run: Run): JsonOutput {
  try {
    return JSON.parse(run.stdout) as JsonOutput;
  } catch {
    throw new Error(`Not JSON (exit ${run.code}): ${run.stdout.slice(0, 300)}\nstderr: ${run.stderr}`);
  }
}

/** What the command said in JSON, per scenario: the table and Markdown must say the same. */
const said = new Map<string, JsonOutput>();
const statusesOf = (scenario: string): [string, { status: Status; source: string }][] => {
  const out = said.get(scenario);
  if (!out) throw new Error(`No JSON output of ${scenario} to compare with: its JSON test did not run`);
  return out.items.map((item) => [item.id, { status: item.status, source: item.source }]);
};

const writes = () => dataverse.emulator.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe.each(SCENARIOS)("scenario %s", (scenario) => {
  it("--format json: the exit code, stage, and every item's status and source", async () => {
    const args = use(scenario);
    const expected = graph.emulator.scenario.expected!;
    const run = await check(args, ["--format", "json"]);
    const out = parseJson(run);
    said.set(scenario, out);
    const actual = Object.fromEntries(out.items.map((item) => [item.id, { status: item.status, source: item.source }]));
    expect({ exitCode: run.code, stage: out.stage, items: actual }).toEqual({ exitCode: expected.exitCode, stage: expected.stage, items: expected.items });
    expect(out).toMatchObject({ tool: "w365-preflight", environment: dataverse.url, ready: expected.exitCode === 0 });
    expect(out.items.map((item) => item.id)).toEqual(CATALOGUE.map((item) => item.id));
    for (const item of out.items) {
      expect(item.reason.length).toBeGreaterThan(0);
      expect(item.reason).not.toMatch(/\{\w+\}|^(Reason|Graph|Failure)_/);
      const own = CATALOGUE.find((c) => c.id === item.id)!.parts.filter((p) => p.key.includes("/"));
      expect((item.parts ?? []).map((p) => `${item.id}/${p.id}`)).toEqual(own.map((p) => p.key));
    }
    // The request counts are the emulators' own.
    expect(out.requests.dataverse).toBe(dataverse.emulator.requests.length);
    expect(out.requests.graph).toBe(graph.emulator.requests.length);
    // Without --save nothing is written to Dataverse.
    expect(writes()).toEqual([]);
    expect(run.stderr).toBe("");
  });

  it("--format table: every item's title with its status word, the stage, and no colour in a pipe", async () => {
    const args = use(scenario);
    const run = await check(args);
    const out = run.stdout;
    expect(out).not.toContain("\x1b[");
    const lines = out.split("\n");
    const statuses = statusesOf(scenario);
    expect(statuses).toHaveLength(CATALOGUE.length);
    for (const [id, { status }] of statuses) {
      const line = lines.find((l) => l.includes(title(id)));
      expect([id, line?.trim().startsWith(word(status as Status))]).toEqual([id, true]);
    }
    for (const group of GROUPS) expect(out).toContain(english.get(group.titleKey)!);
    expect(out).toMatch(/^Stage: /m);
    expect(writes()).toEqual([]);
  });

  it("--format markdown: a row per item with its status word and where the answer came from", async () => {
    const args = use(scenario);
    const run = await check(args, ["--format", "markdown"]);
    const rows = run.stdout.split("\n").filter((l) => l.startsWith("| "));
    const unescape = (text: string) => text.replace(/\\(.)/g, "$1");
    const answerWords: Record<string, RegExp> = {
      dataverse: /read from Dataverse/,
      graph: /read from Microsoft Entra ID/,
      person: /confirmed by/,
      derived: /worked out/,
      none: /not answered yet/,
    };
    for (const [id, { status, source }] of statusesOf(scenario)) {
      const row = rows.find((r) => unescape(r).startsWith(`| ${title(id)} |`));
      expect([id, row]).toEqual([id, expect.stringContaining(`| **${word(status as Status)}** |`)]);
      expect([id, row]).toEqual([id, expect.stringMatching(answerWords[source])]);
    }
    expect(writes()).toEqual([]);
  });
});

describe("input the command must refuse or survive", () => {
  it("--help and --version need nothing else", async () => {
    const help = await runPreflight(["--help"]);
    expect(help.code).toBe(0);
    for (const option of ["--environment", "--upn", "--tier", "--mode", "--global-admin", "--integration-account", "--native-app-id", "--graph-endpoint", "--auth", "--client-id", "--tenant", "--format", "--output", "--save", "--table", "--verbose", "--language"]) {
      expect(help.stdout).toContain(option);
    }
    const version = await runPreflight(["--version"]);
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).version}\n`, stderr: "" });
  });

  const refused = async (args: string[], message: RegExp) => {
    const run = await runPreflight(args);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe("");
    const lines = oneLine(run.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^w365-preflight: /);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it("a malformed environment URL or GUID: exit 3, one line", async () => {
    await refused(["check", "--environment", "contoso.crm", "--auth", "none"], /'contoso\.crm' is not a web address/);
    await refused(["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", "--native-app-id", "12345"], /--native-app-id: '12345' is not a GUID/);
  });

  it("--auth none against an environment that is not on localhost is refused", async () => {
    use("ready-to-install");
    await refused(["check", "--environment", "https://contoso.crm.dynamics.com", "--graph-endpoint", graph.url, "--auth", "none"], /--auth none is only for emulators/);
    expect(dataverse.emulator.requests).toEqual([]);
  });

  it("an environment that does not answer, or is not Dataverse: exit 3, one line", async () => {
    use("ready-to-install");
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await refused(["check", "--environment", closedUrl, "--graph-endpoint", graph.url, "--auth", "none", "--upn", "w365serv@contoso.com"], /does not answer/);

    const web = http.createServer((_req, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>Welcome</body></html>"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    try {
      const webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
      await refused(["check", "--environment", webUrl, "--graph-endpoint", graph.url, "--auth", "none", "--upn", "w365serv@contoso.com"], /does not answer as a Dataverse environment/);
    } finally {
      web.closeAllConnections();
      await new Promise<void>((resolve) => web.close(() => resolve()));
    }
  });

  it("Microsoft Graph unreachable, or not Graph: exit 3, one line", async () => {
    use("ready-to-install");
    await refused(["check", "--environment", dataverse.url, "--graph-endpoint", "http://127.0.0.1:9", "--auth", "none", "--upn", "w365serv@contoso.com"], /Microsoft Graph/);
    await refused(["check", "--environment", dataverse.url, "--graph-endpoint", dataverse.url, "--auth", "none", "--upn", "w365serv@contoso.com"], /Microsoft Graph/);
  });

  it("a UPN with a quote and non-ASCII letters is quoted correctly in every filter", async () => {
    use("ready-to-install");
    const upn = "o'brien.jürgen@contoso.com";
    const run = await check(["--upn", upn, "--format", "json"]);
    expect(run.code).not.toBe(3);
    const out = parseJson(run);
    expect(out.settings.serviceAccountUpn).toBe(upn);
    expect(out.items.find((i) => i.id === "service-account")).toMatchObject({ status: "not-met", source: "dataverse" });
    const dvPaths = dataverse.emulator.requests.map((r) => r.path);
    expect(dataverse.emulator.requests.every((r) => r.status === 200)).toBe(true);
    expect(dvPaths.filter((p) => p.includes("domainname eq 'o''brien.jürgen@contoso.com'")).length).toBeGreaterThanOrEqual(3);
    const inner = graph.emulator.requests.flatMap((r) => r.inner ?? [{ url: r.path, status: r.status }]);
    expect(inner.some((r) => r.url.includes("/users/o'brien.jürgen@contoso.com"))).toBe(true);
    expect(inner.some((r) => r.url.includes("userPrincipalName eq 'o''brien.jürgen@contoso.com'"))).toBe(true);
    // PIM's 400 on a tenant without P2 (AadPremiumLicenseRequired) is the tenant's answer, not a bad filter.
    expect(inner.filter((r) => r.status === 400 && !("code" in r && r.code === "AadPremiumLicenseRequired"))).toEqual([]);
  });

  it("--output FILE writes there and nothing to stdout", async () => {
    const args = use("ready-to-install");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "w365-preflight-"));
    try {
      const file = path.join(dir, "report.md");
      const run = await check(args, ["--format", "markdown", "--output", file]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe("");
      expect(oneLine(run.stderr)).toEqual([`Written to ${file}.`]);
      expect(fs.readFileSync(file, "utf8")).toMatch(/^# Work 365 prerequisite checklist: readiness report/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--language 1031 speaks German where the German resx has the words, English where it has not", async () => {
    const german = parseResx(readResx()[1031]);
    const args = use("ready-to-install");
    const run = await check(args, ["--language", "1031"]);
    expect(run.code).toBe(0);
    expect(german.get("Status_Met")).not.toBe(english.get("Status_Met"));
    expect(run.stdout).toContain(german.get("Group_PrepareTenant")!);
    expect(run.stdout).toContain(german.get("Item_ServiceAccount_Title")!);
    expect(run.stdout.split("\n").some((l) => l.trim().startsWith(`${german.get("Status_Met")!} `))).toBe(true);
    const tableTitle = german.get("Preflight_Table_Title") ?? english.get("Preflight_Table_Title")!;
    expect(run.stdout).toContain(tableTitle.replace("{environment}", dataverse.url));
    // The terminal's language is the default.
    const byLang = await check(args, [], { LANG: "de_DE.UTF-8" });
    expect(byLang.stdout).toContain(german.get("Group_PrepareTenant")!);
  });
});
