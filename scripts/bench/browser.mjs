// Chromium for the benchmark: $CHROMIUM_PATH, else /usr/bin/chromium (playwright-core downloads none).
import { accessSync, constants } from "node:fs";
import { chromium } from "playwright-core";

export const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/** @param {string[]} [extraArgs] e.g. `--js-flags=…` */
export async function launchChromium(extraArgs = []) {
  const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(`No Chromium at ${executablePath}: set CHROMIUM_PATH, or install it (Debian/Ubuntu: apt-get install chromium).`);
  }
  return chromium.launch({ executablePath, headless: true, args: [...LAUNCH_ARGS, ...extraArgs] });
}
