"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, as the rest of the emulator */
/**
 * The Dataverse plug-in (ChecklistStatePlugin) inside the emulator: one `dotnet` process running
 * its net10.0 build through ChecklistStatePlugin/EmulatorHost, started on the first guarded write
 * and kept, as Dataverse keeps a plug-in loaded. Writes go to it one at a time; it asks back for
 * the reads the plug-in makes (a user's name and language, the column's metadata), which the
 * emulator answers from its store, as Dataverse answers a plug-in's organisation service.
 */
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");

const ROOT = path.resolve(__dirname, "..", "..");
const HOST_DLL = path.join(ROOT, "ChecklistStatePlugin", "EmulatorHost", "bin", "Release", "net10.0", "Work365.ChecklistStatePlugin.EmulatorHost.dll");

/** Why the plug-in cannot run here, or null when it can. */
function pluginHostMissing() {
  return fs.existsSync(HOST_DLL) ? null : `the plug-in's emulator host is not built (${path.relative(ROOT, HOST_DLL)}): run npm run build:plugin`;
}

/**
 * @param {{ answer: (question: Record<string, any>) => Record<string, any> }} options
 *   `answer`: the emulator's reply to one of the plug-in's reads ({type:"retrieve"|"retrieve-attribute", …})
 */
function createPluginHost(options) {
  /** @type {import("node:child_process").ChildProcess | null} */
  let child = null;
  /** @type {((message: Record<string, any>) => void) | null} */
  let onMessage = null;
  let queue = Promise.resolve();
  let stderr = "";

  function start() {
    const missing = pluginHostMissing();
    if (missing) throw new Error(missing);
    const proc = spawn("dotnet", [HOST_DLL], { stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    // Nothing of the host keeps the emulator's process alive: a pending write does that.
    proc.unref();
    for (const stream of [proc.stdin, proc.stdout, proc.stderr]) /** @type {any} */ (stream).unref?.();
    proc.stdin.on("error", () => {}); // a host that could not start: reported by 'error' below
    proc.stderr.on("data", (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    readline.createInterface({ input: proc.stdout }).on("line", (line) => onMessage?.(JSON.parse(line)));
    proc.on("exit", (code) => {
      if (child === proc) child = null;
      onMessage?.({ type: "failed", message: `the plug-in host stopped (exit ${code})${stderr ? `: ${stderr.trim()}` : ""}` });
    });
    proc.on("error", (error) => onMessage?.({ type: "failed", message: `the plug-in host could not start: ${error.message}` }));
    return proc;
  }

  /**
   * Runs the plug-in for one write; resolves with its outcome:
   * {type:"done", target} | {type:"refused", message} | {type:"failed", message}, each with `trace`.
   * @param {Record<string, any>} request
   */
  function execute(request) {
    const run = () =>
      new Promise((resolve) => {
        try {
          child ??= start();
        } catch (error) {
          resolve({ type: "failed", message: error instanceof Error ? error.message : String(error), trace: [] });
          return;
        }
        const proc = child;
        onMessage = (message) => {
          if (message.type === "retrieve" || message.type === "retrieve-attribute") {
            let reply;
            try {
              reply = options.answer(message);
            } catch (error) {
              reply = { type: "error", message: error instanceof Error ? error.message : String(error) };
            }
            proc.stdin?.write(`${JSON.stringify(reply)}\n`);
            return;
          }
          onMessage = null;
          resolve(message);
        };
        proc.stdin?.write(`${JSON.stringify({ type: "execute", ...request })}\n`);
      });
    // One write at a time, as Dataverse holds a lock on the row for the transaction.
    const result = queue.then(run);
    queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  function close() {
    child?.kill();
    child = null;
  }

  return { execute, close };
}

module.exports = { createPluginHost, pluginHostMissing, HOST_DLL };
