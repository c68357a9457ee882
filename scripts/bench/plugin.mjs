// The Dataverse plug-in's figures, for `npm run bench` and on their own (`node scripts/bench/plugin.mjs`,
// which merges them into bench/results.json under `plugin`):
//
//   1. Execute's median time for one save: a typical state (the ready-to-install record, one more
//      tick) and a state of about 1 MB (the same with a large unknown key), reads answered in process;
//   2. the size of the DLL the solution ships (net462).
//
// The timing runs in the emulator host's --bench mode (ChecklistStatePlugin/EmulatorHost), on .NET 10;
// the sandbox runs .NET Framework 4.6.2, so these are the rules' cost, not a sandbox measurement.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PLUGIN_OUTPUTS, buildPlugin } from "../build-plugin.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RESULTS = path.join(ROOT, "bench", "results.json");
const RUNS = Number(process.env.BENCH_PLUGIN_RUNS ?? 51);
const MAX_LENGTH = 1048576;

function cases() {
  const scenario = JSON.parse(readFileSync(path.join(ROOT, "playground", "scenarios", "ready-to-install.json"), "utf8"));
  const stored = scenario.record.checklistState;
  const tick = { confirmed: true, by: { id: "11111111-0000-4000-8000-000000000001", name: "Avery Admin" }, at: new Date().toISOString() };
  const incoming = { ...stored, confirmations: { "partner-center/native-app": tick } };
  const typical = { stored: JSON.stringify(stored), incoming: JSON.stringify(incoming) };
  // About 1 MB stored, with room left for the merged tick under the column's maximum.
  const pad = MAX_LENGTH - JSON.stringify({ ...stored, notes: "" }).length - 400;
  const large = { stored: JSON.stringify({ ...stored, notes: "x".repeat(pad) }), incoming: JSON.stringify(incoming) };
  return { typical, large };
}

export function benchPlugin(log = (line) => process.stderr.write(`${line}\n`)) {
  log("bench: building the plug-in…");
  buildPlugin({ quiet: true });
  const plan = { runs: RUNS, cases: cases() };
  const file = path.join(mkdtempSync(path.join(tmpdir(), "w365-bench-plugin-")), "plan.json");
  writeFileSync(file, JSON.stringify(plan));
  log(`bench: plug-in Execute, ${RUNS} runs per case…`);
  const run = spawnSync("dotnet", [PLUGIN_OUTPUTS.host, "--bench", file], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`The plug-in bench failed (exit ${run.status}): ${run.stderr}`);
  const timings = JSON.parse(run.stdout);
  return {
    measuredAt: new Date().toISOString(),
    dllBytes: statSync(PLUGIN_OUTPUTS.assembly).size,
    storedChars: { typical: plan.cases.typical.stored.length, large: plan.cases.large.stored.length },
    execute: timings,
  };
}

export function pluginTable(p) {
  const rows = [
    ["plug-in DLL (net462, shipped)", `${p.dllBytes} B (${(p.dllBytes / 1024).toFixed(1)} KB)`],
    ...["typical", "large"].map((name) => [
      `Execute, ${name} state (${p.storedChars[name]} chars stored)`,
      `${p.execute[name].medianMs} ms median, ${p.execute[name].minMs} ms min (${p.execute[name].runs} runs)`,
    ]),
  ];
  const header = ["plug-in measure", "value"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const results = benchPlugin();
    const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
    all.plugin = results;
    writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
    console.log(pluginTable(results));
    console.log("\nWritten: bench/results.json (plugin)");
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  }
}
