/**
 * Screenshots of the control in the playground, for the docs:
 *   docs/ready-to-install.png        (scenario ready-to-install)
 *   docs/after-consent-warnings.png  (scenario after-consent-warnings)
 *   docs/graph-evidence.png          (scenario evidence-after-tick: the preflight's Graph reading beside the ticks)
 *   docs/german.png                  (after-consent-warnings, a German user)
 *   docs/arabic.png                  (ready-to-install, an Arabic user: right to left)
 *   docs/phone.png                   (fresh-tenant at 360 px, the top of it)
 *
 *   node scripts/screenshots.mjs [--out docs] [--scale 1]
 *
 * Builds the control (production) when needed, starts the playground on a free port, and
 * drives Chromium with playwright-core (tests/browser/chromium.cjs finds the browser).
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPlayground } from "../playground/server.mjs";
import { ensureBuild } from "./ensure-build.mjs";

const require = createRequire(import.meta.url);
const { launchChromium } = require("../tests/browser/chromium.cjs");
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** `lang`: the user's LCID; `width`: the width the form gives the control; `maxHeight`: keep only the top of a tall form. */
const SHOTS = [
  { scenario: "ready-to-install", file: "ready-to-install.png" },
  { scenario: "after-consent-warnings", file: "after-consent-warnings.png" },
  { scenario: "evidence-after-tick", file: "graph-evidence.png" },
  { scenario: "after-consent-warnings", file: "german.png", lang: 1031, width: 920 },
  { scenario: "ready-to-install", file: "arabic.png", lang: 1025, width: 920 },
  { scenario: "fresh-tenant", file: "phone.png", width: 360, maxHeight: 1500 },
];

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main() {
  const outDir = path.resolve(root, arg("out", "docs"));
  const scale = Number(arg("scale", "1"));
  fs.mkdirSync(outDir, { recursive: true });

  const build = await ensureBuild({ quiet: true });
  if (build.built) console.log(`Built the control (${build.reason}).`);
  const playground = await startPlayground({ port: 0, host: "127.0.0.1" });
  const { browser, label } = await launchChromium();
  console.log(`Playground ${playground.url}, browser ${label}`);
  try {
    for (const shot of SHOTS) {
      await playground.emulator.setScenario(shot.scenario);
      const viewport = { width: shot.width ? shot.width + 80 : 1000, height: 900 };
      const context = await browser.newContext({ viewport, deviceScaleFactor: scale, locale: "en-US", timezoneId: "UTC" });
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const query = new URLSearchParams({ scenario: shot.scenario });
      if (shot.lang) query.set("lang", String(shot.lang));
      if (shot.width) query.set("width", String(shot.width));
      await page.goto(`${playground.url}?${query}`);
      await page.waitForFunction(() => window.__playground?.ready || window.__playground?.error);
      await page.waitForFunction(() => {
        const stage = document.querySelector(".w365-checklist")?.getAttribute("data-stage");
        const button = document.querySelector('[data-action="check-again"]');
        return stage && stage !== "loading" && button && !button.disabled;
      });
      // Fonts (the icon font) in place, nothing moving.
      await page.evaluate(() => document.fonts.ready);
      await page.waitForTimeout(300);
      if (errors.length) throw new Error(`${shot.scenario}: page errors: ${errors.join("; ")}`);
      const file = path.join(outDir, shot.file);
      const form = page.locator("main.pg-form");
      if (shot.maxHeight) {
        const box = await form.boundingBox();
        await page.screenshot({ path: file, animations: "disabled", fullPage: true, clip: { ...box, height: Math.min(box.height, shot.maxHeight) } });
      } else {
        await form.screenshot({ path: file, animations: "disabled" });
      }
      console.log(`${path.relative(root, file)} (${shot.scenario})`);
      await context.close();
    }
  } finally {
    await browser.close();
    await playground.close();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
