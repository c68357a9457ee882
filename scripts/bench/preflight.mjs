// The preflight's figures (issue 8), for `npm run bench` and on their own (`node scripts/bench/preflight.mjs`,
// which merges them into bench/results.json under `preflight`):
//
//   1. requests and rounds of one `check` after sign-in, per Graph scenario: Dataverse (the reader's
//      and the settings record's), Graph HTTP requests, the requests inside Graph's batches;
//   2. time from start to exit, at 0 and 200 ms emulated latency (median of 5);
//   3. cold start: `node dist/w365-preflight.mjs --help` against `node -e 0` (median of 10);
//   4. the size of dist/w365-preflight.mjs.
//
// The emulators run in this process on 127.0.0.1; the command runs as a child process, as an admin runs it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { buildPreflight, OUTPUT } from "../build-preflight.mjs";
import { median, rounds, round1 } from "./measure.mjs";

const require = createRequire(import.meta.url);
const { startEmulatorServer } = require("../../playground/emulator/emulator.cjs");
const { startGraphEmulatorServer, listScenarios } = require("../../playground/graph-emulator/emulator.cjs");

const RESULTS = fileURLToPath(new URL("../../bench/results.json", import.meta.url));
const COMMON_SCENARIO = "ready-to-install";
const LATENCIES = [0, 200];
/** Rounds are told apart by time: at this latency a later round cannot be mistaken for the same one. */
const ROUNDS_LATENCY_MS = 100;
const RUNS = Number(process.env.BENCH_PREFLIGHT_RUNS ?? 5);
const COLD_RUNS = 10;
export const PREFLIGHT_BARS = {
  /** The form's five requests, in one round. */
  dataverseReaderRequests: 5,
  dataverseRounds: 1,
  graphRounds: 2,
  /** At 200 ms latency, start to exit under 4 × the latency. */
  latencyRatioAt200: 4,
  /** `--help` under 2 × `node -e 0`. */
  coldStartRatio: 2,
};

function run(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [OUTPUT, ...args], { env: { PATH: process.env.PATH ?? "", LANG: "en_US.UTF-8" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

/** An emulator log entry as a request with a start and an end (ms), for `rounds`. */
const timed = (entry) => ({ start: Date.parse(entry.at), end: entry.ms === undefined ? null : Date.parse(entry.at) + entry.ms });

function checkArgs(dataverse, graph) {
  return ["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", "--format", "json", ...graph.emulator.scenario.args];
}

async function perScenario(dataverse, graph) {
  const results = [];
  for (const { name } of listScenarios()) {
    graph.emulator.setScenario(name);
    dataverse.emulator.setScenario(graph.emulator.scenario.dataverse);
    graph.emulator.setLatency(ROUNDS_LATENCY_MS);
    dataverse.emulator.setLatency(ROUNDS_LATENCY_MS);
    dataverse.emulator.reset();
    graph.emulator.reset();
    graph.emulator.setLatency(ROUNDS_LATENCY_MS);
    dataverse.emulator.setLatency(ROUNDS_LATENCY_MS);
    const result = await run(checkArgs(dataverse, graph));
    const dv = dataverse.emulator.requests;
    const reader = dv.filter((r) => !/w365_setups/.test(r.path ?? r.url));
    const g = graph.emulator.requests;
    results.push({
      scenario: name,
      exitCode: result.code,
      dataverse: { requests: dv.length, readerRequests: reader.length, rounds: rounds(dv.map(timed)) },
      graph: {
        httpRequests: g.length,
        innerRequests: g.reduce((n, r) => n + (r.inner ? r.inner.length : 1), 0),
        rounds: rounds(g.map(timed)),
      },
      allRounds: rounds([...dv, ...g].map(timed)),
    });
  }
  graph.emulator.setLatency(0);
  dataverse.emulator.setLatency(0);
  return results;
}

async function timeToExit(dataverse, graph) {
  graph.emulator.setScenario(COMMON_SCENARIO);
  dataverse.emulator.setScenario(graph.emulator.scenario.dataverse);
  const figures = [];
  await run(checkArgs(dataverse, graph)); // warm the file cache, not counted
  for (const latency of LATENCIES) {
    graph.emulator.setLatency(latency);
    dataverse.emulator.setLatency(latency);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const result = await run(checkArgs(dataverse, graph));
      if (result.code === 3) throw new Error(`The preflight stopped: ${result.stderr}`);
      times.push(result.ms);
    }
    const total = median(times);
    figures.push({
      latencyMs: latency,
      runs: RUNS,
      startToExitMs: round1(total),
      minMs: round1(Math.min(...times)),
      maxMs: round1(Math.max(...times)),
      ratioToLatency: latency > 0 ? round1((total / latency) * 100) / 100 : null,
    });
  }
  graph.emulator.setLatency(0);
  dataverse.emulator.setLatency(0);
  return figures;
}

function coldStart() {
  const time = (args) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: "pipe" });
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  time([OUTPUT, "--help"]);
  time(["-e", "0"]);
  const help = [];
  const bare = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    help.push(time([OUTPUT, "--help"]));
    bare.push(time(["-e", "0"]));
  }
  const helpMs = median(help);
  const nodeMs = median(bare);
  return { runs: COLD_RUNS, helpMs: round1(helpMs), nodeMs: round1(nodeMs), ratio: round1((helpMs / nodeMs) * 100) / 100 };
}

const verdict = (ok) => (ok ? "pass" : "OVER");

export function preflightTable(p) {
  const rows = [];
  const add = (measure, value, bar = "", result = "") => rows.push([measure, value, bar, result]);
  add("dist/w365-preflight.mjs", `${p.sizeBytes} B (${(p.sizeBytes / 1024).toFixed(1)} KB)`);
  add("cold start: --help vs node -e 0", `${p.coldStart.helpMs} ms vs ${p.coldStart.nodeMs} ms = ${p.coldStart.ratio.toFixed(2)} × (median of ${p.coldStart.runs})`, `< ${PREFLIGHT_BARS.coldStartRatio} ×`, verdict(p.pass.coldStart));
  for (const t of p.timeToExit) {
    const barred = t.latencyMs === 200;
    const ratio = t.ratioToLatency === null ? "" : `, ${t.ratioToLatency.toFixed(2)} × latency`;
    add(`start → exit, latency ${t.latencyMs} ms (${COMMON_SCENARIO})`, `${t.startToExitMs} ms${ratio} (median of ${t.runs})`, barred ? `< ${PREFLIGHT_BARS.latencyRatioAt200} × latency` : "", barred ? verdict(p.pass.latencyAt200) : "");
  }
  for (const s of p.scenarios) {
    const ok = s.dataverse.readerRequests <= PREFLIGHT_BARS.dataverseReaderRequests && s.dataverse.rounds <= PREFLIGHT_BARS.dataverseRounds && s.graph.rounds <= PREFLIGHT_BARS.graphRounds;
    add(
      `${s.scenario} (exit ${s.exitCode})`,
      `Dataverse ${s.dataverse.requests} (${s.dataverse.readerRequests} + record) in ${s.dataverse.rounds} round(s); Graph ${s.graph.httpRequests} HTTP / ${s.graph.innerRequests} inner in ${s.graph.rounds} round(s); ${s.allRounds} round(s) in all`,
      `DV ${PREFLIGHT_BARS.dataverseReaderRequests} in ${PREFLIGHT_BARS.dataverseRounds}, Graph ≤ ${PREFLIGHT_BARS.graphRounds}`,
      verdict(ok),
    );
  }
  const header = ["preflight measure", "value", "bar", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** Builds the command, measures it, and returns the figures (and the table to print). */
export async function benchPreflight(log = (line) => process.stderr.write(`${line}\n`)) {
  log("bench: building the preflight…");
  await buildPreflight();
  const graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: COMMON_SCENARIO });
  const dataverse = await startEmulatorServer({ port: 0, host: "127.0.0.1", scenario: graph.emulator.scenario.dataverse });
  try {
    log("bench: preflight requests and rounds per scenario…");
    const scenarios = await perScenario(dataverse, graph);
    log("bench: preflight start → exit at 0 and 200 ms…");
    const times = await timeToExit(dataverse, graph);
    log("bench: preflight cold start…");
    const cold = coldStart();
    const at200 = times.find((t) => t.latencyMs === 200);
    const results = {
      measuredAt: new Date().toISOString(),
      node: process.version,
      bars: PREFLIGHT_BARS,
      sizeBytes: statSync(OUTPUT).size,
      coldStart: cold,
      timeToExit: times,
      scenarios,
    };
    results.pass = {
      coldStart: cold.ratio < PREFLIGHT_BARS.coldStartRatio,
      latencyAt200: (at200?.ratioToLatency ?? Infinity) < PREFLIGHT_BARS.latencyRatioAt200,
      dataverse: scenarios.every((s) => s.dataverse.readerRequests <= PREFLIGHT_BARS.dataverseReaderRequests && s.dataverse.rounds <= PREFLIGHT_BARS.dataverseRounds),
      graphRounds: scenarios.every((s) => s.graph.rounds <= PREFLIGHT_BARS.graphRounds),
    };
    return { results, table: preflightTable(results) };
  } finally {
    await graph.close();
    await dataverse.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchPreflight()
    .then(({ results, table }) => {
      const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
      all.preflight = results;
      writeFileSync(RESULTS, `${JSON.stringify(all, null, 2)}\n`);
      console.log(table);
      console.log("\nWritten: bench/results.json (preflight)");
    })
    .catch((error) => {
      console.error(`bench: ${error instanceof Error ? error.stack : error}`);
      process.exit(1);
    });
}
