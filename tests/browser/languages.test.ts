/**
 * The control in the admin's language and at the width the form gives it, in the playground with
 * the production bundle: every scenario in German and in Arabic (right to left) at 1,280 px, the
 * main scenarios at 500 px (a side pane) and 360 px (a phone) in German and Arabic. Each
 * run: the scenario's statuses, the language's own resx and words, axe (WCAG 2.1 A/AA), and the
 * layout measured in the page (every row's text inside the control, nothing on top of anything,
 * no sideways scrolling, the status beside or above the text as the width asks). Then Windows high
 * contrast (forced colours), and a key missing in a translation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { STATUS_KEYS } from "../../PrerequisiteChecklist/checklist/report";
import type { Status } from "../../PrerequisiteChecklist/checklist/types";
import {
  axeViolations,
  differences,
  formState,
  gotoScenario,
  layoutProblems,
  openPage,
  readScenario,
  rendered,
  ROOT,
  scenarioNames,
  usePlaygroundAndBrowser,
  type OpenPage,
} from "./harness";

jest.setTimeout(60_000);

const LANGUAGES: Record<number, { name: string; rtl: boolean }> = {
  1033: { name: "English", rtl: false },
  1031: { name: "German", rtl: false },
  1025: { name: "Arabic", rtl: true },
};
const MAIN_SCENARIOS = ["fresh-tenant", "ready-to-install", "after-consent-warnings", "no-role-read-privilege"];

/** A language's strings, read from its resx in the repository: a translation that has not landed fails here, loudly. */
function resx(lcid: number): Map<string, string> {
  const file = path.join(ROOT, "PrerequisiteChecklist", "strings", `PrerequisiteChecklist.${lcid}.resx`);
  if (!fs.existsSync(file)) throw new Error(`No ${path.relative(ROOT, file)}: the ${LANGUAGES[lcid]?.name ?? lcid} run cannot run in English instead`);
  const unescape = (value: string) => value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return new Map([...fs.readFileSync(file, "utf8").matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [m[1], unescape(m[2])]));
}

const { playground, browser } = usePlaygroundAndBrowser();

/** Opens a scenario for a user of `lcid`, with the control given `width` px (the page is just wide enough for it). */
async function openScenario(open: OpenPage, name: string, lcid: number, width: number): Promise<void> {
  await playground().api("POST", "/_emulator/scenario", { name });
  await gotoScenario(open.page, playground().url, name, { lang: String(lcid), width: String(width) });
  await open.page.evaluate(() => document.fonts.ready);
}

const RUNS = [
  ...[1031, 1025].map((lcid) => ({ lcid, width: 1280, scenarios: scenarioNames() })),
  // Narrow in the longest words (German) and right to left (Arabic); English is no wider than German.
  ...[500, 360].flatMap((width) => [1031, 1025].map((lcid) => ({ lcid, width, scenarios: MAIN_SCENARIOS }))),
];

describe.each(RUNS.map((run) => [`${LANGUAGES[run.lcid].name} at ${run.width} px`, run] as const))("%s", (_, { lcid, width, scenarios }) => {
  const strings = resx(lcid);
  const english = resx(1033);
  let open: OpenPage;

  beforeAll(async () => {
    // The page is the control's width plus the form's padding and the playground's margins.
    open = await openPage(browser(), playground().url, { width: width + 80 });
  });
  afterAll(async () => {
    await open?.close();
  });

  describe.each(scenarios)("%s", (name) => {
    beforeAll(async () => {
      // The page is shared by the run's scenarios: what went wrong before belongs to the scenario before.
      for (const list of Object.values(open.problems)) list.length = 0;
      await openScenario(open, name, lcid, width);
    }, 60_000);

    test("the statuses and stage of the scenario, in the language's own words", async () => {
      const shown = await rendered(open.page);
      const diffs = differences(readScenario(name).expected!, shown);
      if (diffs.length) throw new Error(`${name}: ${diffs.join("; ")}`);
      const served = await open.page.evaluate(() => (window as unknown as { __playground: { language: { file: string | null; rtl: boolean } } }).__playground.language);
      expect(served).toEqual({ lcid, tag: expect.any(String), rtl: LANGUAGES[lcid].rtl, file: `strings/PrerequisiteChecklist.${lcid}.resx` });
      const words = await open.page.evaluate(() => ({
        button: document.querySelector('[data-action="copy-report"]')?.textContent,
        statuses: [...document.querySelectorAll(".w365-checklist [data-item-id]")].map((row) => [row.getAttribute("data-status"), row.querySelector("[data-status-text]")?.textContent]),
        direction: getComputedStyle(document.querySelector(".w365-checklist")!).direction,
        lang: document.querySelector(".w365-checklist")!.closest("[lang]")?.getAttribute("lang"),
      }));
      expect(words.button).toBe(strings.get("Button_CopyReport"));
      if (lcid !== 1033) expect(words.button).not.toBe(english.get("Button_CopyReport"));
      for (const [status, word] of words.statuses) expect([status, word]).toEqual([status, strings.get(STATUS_KEYS[status as Status])]);
      expect(words.direction).toBe(LANGUAGES[lcid].rtl ? "rtl" : "ltr");
      expect(words.lang?.slice(0, 2)).toBe({ 1033: "en", 1031: "de", 1025: "ar" }[lcid]);
    });

    test("every row's text stays inside the control, nothing overlaps, no sideways scrolling", async () => {
      const box = await open.page.evaluate(() => document.querySelector(".w365-checklist")!.getBoundingClientRect().width);
      expect(Math.round(box)).toBe(width);
      const problems = await layoutProblems(open.page);
      if (problems.length) throw new Error(`${name}, ${LANGUAGES[lcid].name} at ${width} px:\n  ${problems.slice(0, 30).join("\n  ")}`);
    });

    test("axe finds no WCAG 2.1 A/AA violations", async () => {
      const violations = await axeViolations(open.page);
      if (violations.length) throw new Error(`axe violations in ${name}:\n  ${violations.join("\n  ")}`);
    });

    test("every string came from the language's resx, and the page reports no problems", async () => {
      const form = await formState(open.page);
      expect(form.missingStrings).toEqual([]);
      expect({ state: form.state, outputs: form.outputs }).toEqual({ state: "saved", outputs: 0 });
      open.assertNoProblems();
    });
  });
});

test("axe, run in the page as above, does report a violation in the control", async () => {
  const open = await openPage(browser(), playground().url);
  try {
    await openScenario(open, "ready-to-install", 1031, 1000);
    expect(await axeViolations(open.page)).toEqual([]);
    await open.page.evaluate(() => document.querySelector(".w365-checklist")!.append(Object.assign(document.createElement("button"), { id: "unnamed" })));
    expect((await axeViolations(open.page)).join("\n")).toMatch(/^button-name .*#unnamed/s);
  } finally {
    await open.close();
  }
});

describe("a key missing in a translation", () => {
  test("reads in English, never as the key", async () => {
    const german = resx(1031);
    const english = resx(1033);
    const missing = ["Button_CheckAgain", "Status_Met", "Item_ServiceAccount_Title"];
    const open = await openPage(browser(), playground().url);
    try {
      await playground().api("POST", "/_emulator/scenario", { name: "ready-to-install" });
      await gotoScenario(open.page, playground().url, "ready-to-install", { lang: "1031", missing: missing.join(",") });
      await open.page.waitForFunction((expected) => document.querySelector('[data-action="check-again"]')?.textContent === expected, english.get("Button_CheckAgain"));
      const row = open.page.locator('[data-item-id="service-account"]');
      await expect(row.locator("[data-status-text]").textContent()).resolves.toBe(english.get("Status_Met"));
      await expect(row.textContent()).resolves.toContain(english.get("Item_ServiceAccount_Title"));
      // The rest is German, and no key shows anywhere.
      await expect(open.page.textContent('[data-action="copy-report"]')).resolves.toBe(german.get("Button_CopyReport"));
      expect(await open.page.textContent(".w365-checklist")).not.toMatch(/\b[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9_]*\b/);
      // The platform (the playground's getString, as the platform's) did answer the keys themselves.
      expect((await formState(open.page)).missingStrings.sort()).toEqual([...missing].sort());
      open.assertNoProblems();
    } finally {
      await open.close();
    }
  });
});

describe("Windows high contrast (forced colours)", () => {
  /** Scenarios that show all eight statuses between them. */
  const SHOWING_EVERY_STATUS = ["after-consent-warnings", "fresh-tenant", "no-role-read-privilege", "evidence-fresh", "ready-to-install"];

  interface Seen {
    status: string;
    word: string;
    shape: string;
    iconColour: string;
    fill: string;
    wordColour: string;
    background: string;
  }
  async function statusesOn(forcedColors: boolean, lcid: number): Promise<Map<string, Seen>> {
    const seen = new Map<string, Seen>();
    const open = await openPage(browser(), playground().url, { forcedColors });
    try {
      for (const name of SHOWING_EVERY_STATUS) {
        if (!fs.existsSync(path.join(ROOT, "playground", "scenarios", `${name}.json`))) continue;
        await openScenario(open, name, lcid, 1000);
        const rows = await open.page.evaluate(() => {
          const background = (element: Element | null): string => {
            for (let e = element; e; e = e.parentElement) {
              const colour = getComputedStyle(e).backgroundColor;
              if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") return colour;
            }
            return "rgb(255, 255, 255)";
          };
          return [...document.querySelectorAll(".w365-checklist li[data-item-id]")].map((row) => {
            const icon = row.querySelector("[data-status-icon]")!;
            const word = row.querySelector("[data-status-text]")!;
            return {
              status: row.getAttribute("data-status")!,
              word: word.textContent ?? "",
              shape: icon.querySelector("path")!.getAttribute("d")!,
              iconColour: getComputedStyle(icon).color,
              fill: getComputedStyle(icon.querySelector("path")!).fill,
              wordColour: getComputedStyle(word).color,
              background: background(row),
            };
          });
        });
        for (const row of rows) seen.set(row.status, row);
      }
      open.assertNoProblems();
    } finally {
      await open.close();
    }
    return seen;
  }

  test("each status keeps its own icon and word, and every icon takes the text colour", async () => {
    const forced = await statusesOn(true, 1033);
    expect([...forced.keys()].sort()).toEqual(["cannot-check", "confirmed", "met", "needs-confirmation", "not-applicable", "not-met", "pending", "warning"]);
    const all = [...forced.values()];
    expect(new Set(all.map((s) => s.shape)).size).toBe(8);
    expect(new Set(all.map((s) => s.word)).size).toBe(8);
    for (const s of all) {
      expect([s.status, s.fill]).toEqual([s.status, s.wordColour]);
      expect([s.status, s.fill]).not.toEqual([s.status, s.background]);
    }
  }, 120_000);

  test("without forced colours the icons keep their colours (the check above can tell)", async () => {
    const normal = await statusesOn(false, 1033);
    expect(normal.get("met")!.fill).toBe("rgb(16, 124, 16)");
    expect(normal.get("met")!.fill).not.toBe(normal.get("met")!.wordColour);
  }, 120_000);
});
