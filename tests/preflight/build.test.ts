/**
 * The build: one self-contained dist/w365-preflight.mjs that runs with plain node and nothing
 * beside it; `npm run preflight`; and the control's bundle left alone.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { DIST, ensureBuilt, ROOT, runPreflight } from "./helpers";

jest.setTimeout(120_000);

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("dist/w365-preflight.mjs", () => {
  let dir: string;
  let copy: string;
  beforeAll(() => {
    ensureBuilt();
    // Outside the repository: no node_modules anywhere up the tree.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "w365-preflight-alone-"));
    copy = path.join(dir, "w365-preflight.mjs");
    fs.copyFileSync(DIST, copy);
    fs.chmodSync(copy, 0o755);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is one executable ES module with a node shebang", () => {
    const text = fs.readFileSync(DIST, "utf8");
    expect(text.startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(fs.statSync(DIST).mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(path.dirname(DIST)).filter((f) => !f.endsWith(".tmp"))).toEqual(["w365-preflight.mjs"]);
    expect(pkg.bin).toEqual({ "w365-preflight": "dist/w365-preflight.mjs" });
  });

  it("runs --help and --version with plain node and no node_modules beside it", async () => {
    let up = dir;
    while (up !== path.dirname(up)) {
      expect(fs.existsSync(path.join(up, "node_modules"))).toBe(false);
      up = path.dirname(up);
    }
    const help = await runPreflight(["--help"], { cwd: dir, file: copy });
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: w365-preflight check --environment URL/);
    const version = await runPreflight(["--version"], { cwd: dir, file: copy });
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    // Through the shebang, as `w365-preflight` on the PATH runs it.
    expect(execFileSync(copy, ["--version"], { cwd: dir, env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` } }).toString()).toBe(`${pkg.version}\n`);
  });

  it("checks from there too: dataverse-ify, @azure/identity and the resx files are inside", async () => {
    const graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: "ready-to-install" });
    const dataverse = await startEmulatorServer({ port: 0, host: "127.0.0.1", scenario: graph.emulator.scenario.dataverse });
    try {
      const run = await runPreflight(
        ["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", "--format", "json", ...graph.emulator.scenario.args],
        { cwd: dir, file: copy },
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(graph.emulator.scenario.expected!.exitCode);
      expect(JSON.parse(run.stdout).items).toHaveLength(18);
      // Signing in loads @azure/identity from the bundle: a device-code credential is made before anything is sent.
      const signIn = await runPreflight(["check", "--environment", "https://contoso.crm.dynamics.com", "--auth", "environment"], { cwd: dir, file: copy });
      expect(signIn.code).toBe(3);
      expect(signIn.stderr).toMatch(/^w365-preflight: (cannot sign in with --auth environment|sign-in failed)/);
    } finally {
      await graph.close();
      await dataverse.close();
    }
  });

  it("npm run preflight builds when needed and runs it", () => {
    const out = execFileSync("npm", ["run", "--silent", "preflight", "--", "--version"], { cwd: ROOT, env: { ...process.env, npm_config_update_notifier: "false" } }).toString();
    expect(out.trim().split("\n").pop()).toBe(pkg.version);
  });
});

describe("the control's bundle", () => {
  /** Every non-test source file of the control. */
  function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
      return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
    });
  }

  it("imports nothing of the preflight and no Node module", () => {
    const files = sources(path.join(ROOT, "PrerequisiteChecklist"));
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      [...fs.readFileSync(file, "utf8").matchAll(/(?:from|import|require)\s*\(?\s*["']([^"']+)["']/g)]
        .map((m) => m[1])
        .filter((spec) => /(^|\/)preflight(\/|$)|^node:|^(fs|path|os|http|https|child_process|dataverse-ify|@azure\/identity|esbuild)(\/|$)/.test(spec))
        .map((spec) => `${path.relative(ROOT, file)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it("as built carries none of the preflight: no sign-in, no dataverse-ify, no Node, no Graph reader", () => {
    // `npm test` builds the production bundle before jest starts.
    const bundle = fs.readFileSync(path.join(ROOT, "out", "controls", "PrerequisiteChecklist", "bundle.js"), "utf8");
    const found = ["DeviceCodeCredential", "msal", "NodeWebApiRequest", "dataverse-ify", "node:", "require(", "$batch", "GRAPH_PERMISSIONS", "graph.microsoft.com"].filter(
      (marker) => bundle.includes(marker),
    );
    expect(found).toEqual([]);
    // The Graph rules are in it: the form evaluates the preflight's reading with the same code.
    expect(bundle).toContain("Graph_ServiceAccountMfa_NotProven");
  });
});
