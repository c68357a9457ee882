/**
 * The bundle's entry (dist/w365-preflight.mjs): the process around `runCli`. The resx files and
 * the version are put in at build time (scripts/build-preflight.mjs).
 */
import resx from "virtual:preflight-resx";
import { runCli } from "./cli";

declare const __PREFLIGHT_VERSION__: string;

const controller = new AbortController();
process.on("SIGINT", () => {
  // The first Ctrl+C stops a sign-in in progress with a message; a second one leaves at once.
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
  setTimeout(() => process.exit(130), 1500).unref();
});

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, {
  resx,
  version: __PREFLIGHT_VERSION__,
  signal: controller.signal,
});
// Requests still open (a read that timed out) must not keep the process alive once the answer is out.
process.stdout.write("", () => process.exit(code));
