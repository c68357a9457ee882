/**
 * Builds the control in production mode unless out/controls/PrerequisiteChecklist/bundle.js is
 * already a production build newer than every source of the control. Safe to call from several
 * processes at once (the browser test files, `npm test`): one builds, the others wait for it.
 *
 *   node scripts/ensure-build.mjs [--force] [--quiet]
 *
 * Exit code 0 when a fresh production bundle is in place, 1 when the build failed.
 * Also importable: `import { ensureBuild } from "./ensure-build.mjs"`.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE_DIR = path.join(root, "PrerequisiteChecklist");
const OUT_DIR = path.join(root, "out", "controls", "PrerequisiteChecklist");
const BUNDLE = path.join(OUT_DIR, "bundle.js");
/** Written after a production build: which bundle it produced. A later development build changes the bundle, so it no longer matches. */
const STAMP = path.join(root, "out", "controls", ".production-build.json");
const LOCK = path.join(root, "out", ".build-lock");
const LOCK_STALE_MS = 10 * 60 * 1000;
const WAIT_LIMIT_MS = 10 * 60 * 1000;

/** Newest modification time among the files the build reads (tests and generated types excluded). */
function newestSource() {
  let newest = 0;
  let newestFile = "";
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "node_modules" && entry.name !== "__tests__") visit(file);
      } else if (!/\.test\.tsx?$/.test(entry.name)) {
        const time = fs.statSync(file).mtimeMs;
        if (time > newest) [newest, newestFile] = [time, file];
      }
    }
  };
  visit(SOURCE_DIR);
  for (const file of ["package.json", "tsconfig.json", "pcfconfig.json", "eslint.config.mjs"].map((f) => path.join(root, f))) {
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs > newest) [newest, newestFile] = [fs.statSync(file).mtimeMs, file];
  }
  return { time: newest, file: newestFile };
}

/** Why a build is needed, or null when the production bundle is fresh. */
export function staleReason() {
  if (!fs.existsSync(BUNDLE)) return "no bundle.js yet";
  const bundle = fs.statSync(BUNDLE);
  let stamp = null;
  try {
    stamp = JSON.parse(fs.readFileSync(STAMP, "utf8"));
  } catch {
    // no stamp: not known to be a production build
  }
  if (!stamp || stamp.mode !== "production" || stamp.bundleMtimeMs !== bundle.mtimeMs || stamp.bundleSize !== bundle.size) {
    return "bundle.js is not known to be a production build";
  }
  const source = newestSource();
  if (source.time > bundle.mtimeMs) return `${path.relative(root, source.file)} is newer than bundle.js`;
  return null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function acquireLock() {
  const started = Date.now();
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, "owner"), `${process.pid} ${new Date().toISOString()}\n`);
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) {
          fs.rmSync(LOCK, { recursive: true, force: true });
          continue;
        }
      } catch {
        continue; // removed meanwhile
      }
      if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`Waited too long for another build (${LOCK})`);
      await sleep(500);
    }
  }
}

/** pcf-scripts exits 0 even when webpack fails ("[build] Failed"), so success is read from the output and the bundle's time. */
function runBuild(quiet) {
  const started = Date.now();
  return new Promise((resolve) => {
    const bin = path.join(root, "node_modules", "pcf-scripts", "bin", "pcf-scripts.js");
    const child = spawn(process.execPath, [bin, "build", "--buildMode", "production"], { cwd: root, env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    const keep = (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("close", (code) => {
      const fresh = fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= started - 1000;
      resolve({ ok: code === 0 && fresh && !/\[build\] Failed/.test(output) && !/\bERROR in\b/.test(output), output });
    });
    child.on("error", (error) => resolve({ ok: false, output: `${output}\n${error.message}` }));
  });
}

/**
 * @param {{ force?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ built: boolean, reason: string | null }>}
 */
export async function ensureBuild(options = {}) {
  let reason = options.force ? "--force" : staleReason();
  if (!reason) return { built: false, reason: null };
  await acquireLock();
  try {
    // Another process may have built while this one waited.
    reason = options.force ? "--force" : staleReason();
    if (!reason) return { built: false, reason: null };
    if (!options.quiet) console.log(`Building the control (production): ${reason}`);
    const result = await runBuild(options.quiet);
    if (!result.ok) {
      const error = new Error(`The production build failed (npm run build -- --buildMode production):\n${result.output.slice(-6000)}`);
      throw error;
    }
    const bundle = fs.statSync(BUNDLE);
    fs.writeFileSync(STAMP, JSON.stringify({ mode: "production", bundleMtimeMs: bundle.mtimeMs, bundleSize: bundle.size, builtAt: new Date().toISOString() }, null, 2));
    return { built: true, reason };
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  ensureBuild({ force: args.includes("--force"), quiet: args.includes("--quiet") }).then(
    ({ built }) => {
      if (!built && !args.includes("--quiet")) console.log("The production bundle is up to date.");
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
