"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file, shared by the TypeScript tests and scripts/screenshots.mjs */
/**
 * Finds a Chromium-family browser for playwright-core (which downloads none) and launches it.
 * Order: $CHROMIUM_PATH, /usr/bin/chromium (Debian; CI installs it with apt-get), then the
 * user's installed Chrome or Edge through playwright's channels.
 */
const fs = require("node:fs");
const { chromium } = require("playwright-core");

const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

const HOW_TO_GET_ONE = [
  "No Chromium-family browser found for the browser tests. Any one of these works:",
  "  - set CHROMIUM_PATH to a Chromium or Chrome executable;",
  "  - Debian/Ubuntu: sudo apt-get install chromium (it lands at /usr/bin/chromium);",
  "  - Windows/macOS: install Google Chrome or Microsoft Edge (found through playwright's 'chrome'/'msedge' channels).",
  "(playwright-core downloads no browser; do not run `npx playwright install`.)",
].join("\n");

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The candidates, in order, as playwright launch options. */
function candidates() {
  const list = [];
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) list.push({ label: `CHROMIUM_PATH=${fromEnv}`, options: { executablePath: fromEnv }, mustExist: fromEnv });
  list.push({ label: "/usr/bin/chromium", options: { executablePath: "/usr/bin/chromium" }, mustExist: "/usr/bin/chromium" });
  list.push({ label: "channel chrome", options: { channel: "chrome" } });
  list.push({ label: "channel msedge", options: { channel: "msedge" } });
  return list;
}

/**
 * Launches the first browser that starts.
 * @returns {Promise<{ browser: import("playwright-core").Browser, label: string }>}
 */
async function launchChromium(extra = {}) {
  const tried = [];
  for (const candidate of candidates()) {
    if (candidate.mustExist && !isExecutable(candidate.mustExist)) {
      tried.push(`${candidate.label}: not found`);
      if (candidate.label.startsWith("CHROMIUM_PATH")) throw new Error(`CHROMIUM_PATH is set but ${candidate.mustExist} is not an executable file.\n${HOW_TO_GET_ONE}`);
      continue;
    }
    try {
      const browser = await chromium.launch({ headless: true, args: LAUNCH_ARGS, ...candidate.options, ...extra });
      return { browser, label: candidate.label };
    } catch (error) {
      tried.push(`${candidate.label}: ${String(error && error.message ? error.message : error).split("\n")[0]}`);
    }
  }
  throw new Error(`${HOW_TO_GET_ONE}\nTried:\n  ${tried.join("\n  ")}`);
}

module.exports = { launchChromium, LAUNCH_ARGS };
