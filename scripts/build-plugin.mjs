/**
 * Builds the Dataverse plug-in (ChecklistStatePlugin/: the net462 assembly the solution ships, its
 * net10.0 build, the SDK facade, the tests and the playground emulator's host) in Release, unless
 * every output is newer than every source. Its strings are the control's resx files, so those
 * count as sources too.
 *
 *   node scripts/build-plugin.mjs [--force] [--quiet]
 *
 * Exit code 0 when the builds are in place, 1 when dotnet failed or is missing.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PLUGIN_DIR = path.join(root, "ChecklistStatePlugin");
const SOLUTION = path.join(PLUGIN_DIR, "ChecklistStatePlugin.slnx");
const STRINGS_DIR = path.join(root, "PrerequisiteChecklist", "strings");

/** What the solution packer and the emulator use: the shipped assembly and the emulator's host. */
export const PLUGIN_OUTPUTS = {
  assembly: path.join(PLUGIN_DIR, "Plugin", "bin", "Release", "net462", "Work365.ChecklistStatePlugin.dll"),
  host: path.join(PLUGIN_DIR, "EmulatorHost", "bin", "Release", "net10.0", "Work365.ChecklistStatePlugin.EmulatorHost.dll"),
  tests: path.join(PLUGIN_DIR, "Tests", "bin", "Release", "net10.0", "Work365.ChecklistStatePlugin.Tests.dll"),
};

function newestSource() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "bin" && entry.name !== "obj") visit(file);
      } else newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  visit(PLUGIN_DIR);
  for (const name of fs.readdirSync(STRINGS_DIR)) newest = Math.max(newest, fs.statSync(path.join(STRINGS_DIR, name)).mtimeMs);
  return newest;
}

/** Why a build is needed, or null when every output is newer than every source. */
export function pluginStaleReason() {
  const missing = Object.values(PLUGIN_OUTPUTS).find((file) => !fs.existsSync(file));
  if (missing) return `no ${path.relative(root, missing)} yet`;
  const oldest = Math.min(...Object.values(PLUGIN_OUTPUTS).map((file) => fs.statSync(file).mtimeMs));
  return newestSource() > oldest ? "a source is newer than the build" : null;
}

export function buildPlugin({ force = false, quiet = false } = {}) {
  const reason = force ? "--force" : pluginStaleReason();
  if (!reason) return { built: false };
  if (!quiet) console.log(`Building the plug-in (Release): ${reason}`);
  const result = spawnSync("dotnet", ["build", SOLUTION, "-c", "Release", "-nologo", "-v", "quiet"], { cwd: root, stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
  if (result.error) throw new Error(`dotnet is needed to build the plug-in (the .NET 10 SDK): ${result.error.message}`);
  if (result.status !== 0) throw new Error(`The plug-in's build failed (dotnet build ${path.relative(root, SOLUTION)} -c Release)${quiet ? `:\n${(result.stdout ?? "").slice(-6000)}` : ""}`);
  // dotnet leaves an up-to-date output's time alone: touch them so the next check sees them fresh.
  const now = new Date();
  for (const file of Object.values(PLUGIN_OUTPUTS)) fs.utimesSync(file, now, now);
  return { built: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  try {
    const { built } = buildPlugin({ force: args.includes("--force"), quiet: args.includes("--quiet") });
    if (!built && !args.includes("--quiet")) console.log("The plug-in's build is up to date.");
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
