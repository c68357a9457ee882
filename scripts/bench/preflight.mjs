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
import { median, rounds, roundsOf, round1 } from "./measure.mjs";

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
  /** The form's seven requests, and the system jobs when the mode is not known before round 1, in one round. */
  dataverseReaderRequests: 8,
  dataverseRounds: 1,
  /** Graph rounds that read something new; a 3rd only for next pages of pages read in round 2 (and role groups they revealed). Retries after 429 do not count. */
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

/** The Graph requests of one log entry: each inner request of a batch (those of a batch refused whole too), or the GET itself. */
function graphItems(entry) {
  if (entry.inner) return entry.inner.map((i) => ({ key: `${i.id} ${i.url}`, url: i.url, endpoint: i.endpoint, status: i.status }));
  if (entry.refusedInner) return entry.refusedInner.map((i) => ({ key: `${i.id} ${i.url}`, url: i.url, endpoint: null, status: entry.status }));
  return [{ key: `GET ${entry.path}`, url: entry.path, endpoint: entry.endpoint, status: entry.status }];
}

const pathOf = (url) => url.split("?")[0];
/** A paging link's URL without its `$skiptoken`: the same for every page of one read. */
const pagedRead = (url) => url.replace(/^\/(v1\.0|beta)/, "").replace(/[?&]\$skiptoken=[^&]*/, "");

/** Why a request was needed, from its URL: short English, never a token. */
function readReason(item) {
  const path = pathOf(item.url);
  const user = /\/users\/([^/]+)\/authentication\/methods$/.exec(path);
  if (user) return `MFA methods of ${user[1]}`;
  const group = /\/groups\/([^/]+)\/transitiveMembers$/.exec(path);
  if (group) return `members of role group ${group[1].slice(0, 8)}…`;
  if (/\/servicePrincipals\/[^/]+\/(oauth2PermissionGrants|appRoleAssignments)$/.test(path)) return "admin consent of a Work 365 app";
  if (path.startsWith("/beta/")) return "per-user MFA (beta)";
  return `${item.endpoint ?? path} (a round-1 read, late)`;
}

/**
 * Graph's rounds, told apart by timing, and what made each one after the first necessary. A request
 * sent again after an answer (429, 401) is a retry; a round of retries only is not a round of reads.
 * The others are numbered as rounds of reads ("logical"); a 3rd is allowed only when all it reads
 * is the next page of a page read in round 2, or the members of role groups a round-2 page of the
 * role assignments revealed.
 */
export function graphRoundReasons(log) {
  const depth = roundsOf(log.map(timed));
  const byRound = new Map();
  log.forEach((entry, i) => byRound.set(depth[i], [...(byRound.get(depth[i]) ?? []), ...graphItems(entry)]));
  const seen = new Map(); // key → status of its last answer
  const pages = new Map(); // paged read → { count, logical round of its last page }
  const rounds = [];
  let logical = 0;
  for (const round of [...byRound.keys()].sort((a, b) => a - b)) {
    const items = byRound.get(round);
    const retried = items.filter((item) => seen.has(item.key));
    const fresh = items.filter((item) => !seen.has(item.key));
    const retryStatuses = [...new Set(retried.map((item) => seen.get(item.key)))];
    if (fresh.length > 0) logical++;
    const reasons = [];
    const pageGroups = new Map(); // "page n (after a page read in round m)" → endpoints
    let allowed = true;
    const roleAssignmentsPagedIn = (n) => [...pages.entries()].some(([read, p]) => pathOf(read).endsWith("/roleAssignments") && p.count > 1 && p.lastRound === n);
    const pageRounds = new Map();
    for (const item of fresh) {
      const read = pagedRead(item.url);
      const page = pages.get(read);
      let reason;
      let ok;
      if (/[?&]\$skiptoken=/.test(item.url) && page) {
        const group = `${page.count + 1}|${page.lastRound}`;
        pageGroups.set(group, [...new Set([...(pageGroups.get(group) ?? []), item.endpoint ?? pathOf(read)])]);
        ok = page.lastRound === logical - 1 && page.lastRound >= 2;
      } else {
        reason = readReason(item);
        ok = /^members of role group/.test(reason) && roleAssignmentsPagedIn(logical - 1) && logical - 1 >= 2;
      }
      pageRounds.set(read, logical);
      if (logical > PREFLIGHT_BARS.graphRounds && !ok) allowed = false;
      if (reason && !reasons.includes(reason)) reasons.push(reason);
    }
    for (const [group, endpoints] of pageGroups) {
      const [n, after] = group.split("|");
      reasons.push(`page ${n} of ${endpoints.join(", ")} (after a page read in round ${after})`);
    }
    for (const [read, n] of pageRounds) pages.set(read, { count: (pages.get(read)?.count ?? 0) + 1, lastRound: n });
    if (retried.length > 0) reasons.push(`${retried.length} sent again after ${retryStatuses.join(", ")}`);
    // Only what the later round can retry (429, 401) counts as a retry; a resend after any other answer is a read.
    if (retried.some((item) => ![429, 401].includes(seen.get(item.key)))) allowed = false;
    for (const item of items) seen.set(item.key, item.status);
    rounds.push({ round, logical: fresh.length > 0 ? logical : null, retryOnly: fresh.length === 0, allowed, reasons });
  }
  return { logicalRounds: logical, retryRounds: rounds.filter((r) => r.retryOnly).length, rounds, pass: logical <= PREFLIGHT_BARS.graphRounds + 1 && rounds.every((r) => r.allowed) };
}

function checkArgs(dataverse, graph) {
  return ["check", "--environment", dataverse.url, "--graph-endpoint", graph.url, "--auth", "none", "--format", "json", ...graph.emulator.scenario.args];
}

/** The reads the reader's design lets a Dataverse round 2 make (README, "What one check sends"), by entity set. */
const DATAVERSE_ROUND_TWO = {
  organizations: "the base language (1033 is not provisioned)",
  teams: "whether Microsoft Entra group teams exist (System Administrator not held)",
  roles: "roles held directly, after a 403 on the team read",
  fieldsecurityprofiles: "profiles held directly, after a 403 on the team read",
};

/**
 * Why each Dataverse round after the first happened: a request sent again after a 429 is a retry;
 * anything else must be one of DATAVERSE_ROUND_TWO, in round 2. Round 1 holds at most the bar's requests.
 */
function dataverseRoundReasons(log) {
  const reader = log.filter((r) => !/w365_setups/.test(r.path ?? r.url));
  const depth = roundsOf(reader.map(timed));
  const byRound = new Map();
  reader.forEach((r, i) => byRound.set(depth[i], [...(byRound.get(depth[i]) ?? []), r]));
  const retried = (r) => reader.some((q) => q !== r && q.url === r.url && q.status === 429 && Date.parse(q.at) < Date.parse(r.at));
  const out = [];
  let logical = 1;
  for (const [round, requests] of [...byRound].sort(([a], [b]) => a - b)) {
    if (round === 1) continue;
    const retryOnly = requests.every(retried);
    if (!retryOnly) logical++;
    const reasons = requests.map((r) => (retried(r) ? `${r.target} sent again after 429` : (DATAVERSE_ROUND_TWO[r.target] ?? `${r.target} (not a round-2 read)`)));
    const allowed = requests.every((r) => retried(r) || (logical === 2 && r.target in DATAVERSE_ROUND_TWO));
    out.push({ round, logical, retryOnly, allowed, reasons: [...new Set(reasons)] });
  }
  const first = reader.filter((_, i) => depth[i] === 1 && !retried(reader[i])).length;
  return { rounds: out, logicalRounds: logical, pass: first <= PREFLIGHT_BARS.dataverseReaderRequests && out.every((r) => r.allowed) };
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
    const why = graphRoundReasons(g);
    const dvWhy = dataverseRoundReasons(dv);
    results.push({
      scenario: name,
      exitCode: result.code,
      dataverse: {
        requests: dv.length,
        readerRequests: reader.length,
        rounds: rounds(dv.map(timed)),
        logicalRounds: dvWhy.logicalRounds,
        roundReasons: dvWhy.rounds,
        pass: dvWhy.pass,
      },
      graph: {
        httpRequests: g.length,
        innerRequests: g.reduce((n, r) => n + (r.inner ? r.inner.length : 1), 0),
        rounds: rounds(g.map(timed)),
        logicalRounds: why.logicalRounds,
        retryRounds: why.retryRounds,
        roundReasons: why.rounds.filter((r) => r.round > 1).map(({ round, logical, retryOnly, allowed, reasons }) => ({ round, logical, retryOnly, allowed, reasons })),
        pass: why.pass,
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
    const dvOk = s.dataverse.pass;
    const retries = s.graph.retryRounds > 0 ? ` (${s.graph.logicalRounds} of reads + ${s.graph.retryRounds} of retries after 429)` : "";
    const third = s.graph.logicalRounds > PREFLIGHT_BARS.graphRounds && s.graph.pass ? ", 3rd for pages of round-2 pages" : "";
    add(
      `${s.scenario} (exit ${s.exitCode})`,
      `Dataverse ${s.dataverse.requests} (${s.dataverse.readerRequests} + record) in ${s.dataverse.rounds} round(s); Graph ${s.graph.httpRequests} HTTP / ${s.graph.innerRequests} inner in ${s.graph.rounds} round(s)${retries}; ${s.allRounds} round(s) in all`,
      `DV ≤ ${PREFLIGHT_BARS.dataverseReaderRequests} in ${PREFLIGHT_BARS.dataverseRounds} (+1 for what round 1 calls for), Graph ≤ ${PREFLIGHT_BARS.graphRounds} (+1 for pages of round-2 pages)`,
      `DV ${verdict(dvOk)}, Graph ${verdict(s.graph.pass)}${retries && s.graph.pass ? " (extra rounds: retries after 429)" : ""}${third}`,
    );
    // A line under the scenario for each round after the first: what made it necessary.
    for (const r of s.dataverse.roundReasons) {
      add(`  ↳ Dataverse round ${r.round} (${r.retryOnly ? "retries" : `round ${r.logical} of reads`})`, r.reasons.join("; "), "", r.allowed ? "" : "OVER");
    }
    for (const r of s.graph.roundReasons) {
      const name = r.retryOnly ? `retries` : `round ${r.logical} of reads`;
      add(`  ↳ Graph round ${r.round} (${name})`, r.reasons.join("; "), "", r.allowed ? "" : "OVER");
    }
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
      dataverse: scenarios.every((s) => s.dataverse.pass),
      graphRounds: scenarios.every((s) => s.graph.pass),
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
