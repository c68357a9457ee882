/**
 * The scenarios whose record carries the preflight's Graph reading (`evidence.graph`), in Chromium
 * with the production bundle: each row's status and source, its source line, and the reading's
 * banner. Statuses, axe and a clean console for these scenarios are in scenarios.test.ts too.
 */
import { gotoScenario, openPage, readScenario, scenarioNames, usePlaygroundAndBrowser, type OpenPage } from "./harness";

jest.setTimeout(60_000);

const EVIDENCE_SCENARIOS = scenarioNames().filter((name) => {
  const state = readScenario(name).record.checklistState as { evidence?: { graph?: unknown } } | undefined;
  return typeof state === "object" && !!state?.evidence?.graph;
});

const { playground, browser } = usePlaygroundAndBrowser();

test("there are scenarios with Graph evidence to check", () => {
  expect(EVIDENCE_SCENARIOS.length).toBeGreaterThanOrEqual(5);
});

interface Row {
  id: string;
  status: string;
  source: string;
  sourceLine: string | null;
  parts: { key: string; status: string; source: string }[];
}

describe.each(EVIDENCE_SCENARIOS)("scenario %s", (name) => {
  const scenario = readScenario(name);
  const sources = scenario.expectedSources as Record<string, string>;
  let open: OpenPage;
  let rows: Row[];
  let banner: { kind: string | null; text: string } | null;

  beforeAll(async () => {
    await playground().api("POST", "/_emulator/scenario", { name });
    open = await openPage(browser(), playground().url);
    await gotoScenario(open.page, playground().url, name);
    // MessageBar renders its text a moment after the bar itself.
    await open.page.waitForFunction(() => (document.querySelector("[data-graph-reading]")?.textContent ?? "").length > 0);
    rows = await open.page.evaluate(() =>
      [...document.querySelectorAll(".w365-checklist [data-item-id]")].map((row) => ({
        id: row.getAttribute("data-item-id") ?? "",
        status: row.getAttribute("data-status") ?? "",
        source: row.getAttribute("data-source") ?? "",
        sourceLine: row.querySelector("[data-source-line]")?.textContent ?? null,
        parts: [...row.querySelectorAll("[data-part]")].map((part) => ({
          key: part.getAttribute("data-part") ?? "",
          status: part.getAttribute("data-status") ?? "",
          source: part.getAttribute("data-source") ?? "",
        })),
      })),
    );
    banner = await open.page.evaluate(() => {
      const bar = document.querySelector("[data-graph-reading]");
      return bar ? { kind: bar.getAttribute("data-graph-reading"), text: bar.textContent ?? "" } : null;
    });
  }, 60_000);

  afterAll(async () => {
    await open?.close();
  });

  test("every row shows the expected status and says where its answer came from", () => {
    expect(sources).toBeDefined();
    const shown = Object.fromEntries(rows.map((row) => [row.id, { status: row.status, source: row.source }]));
    const expected = Object.fromEntries(
      Object.entries(scenario.expected!.items).map(([id, status]) => [id, { status, source: sources[id] ?? shown[id]?.source }]),
    );
    expect(shown).toEqual(expected);
    open.assertNoProblems();
  });

  test("rows read from Entra ID name the preflight's reading; rows read from Dataverse say so; a person's answer names who", () => {
    for (const row of rows) {
      if (row.source === "graph") expect([row.id, row.sourceLine]).toEqual([row.id, expect.stringMatching(/^Read from Microsoft Entra ID by the preflight, .+, by Avery Admin/)]);
      if (row.source === "dataverse") expect([row.id, row.sourceLine]).toEqual([row.id, expect.stringMatching(/^Read from Dataverse/)]);
      if (row.source === "person") expect([row.id, row.sourceLine]).toEqual([row.id, expect.stringMatching(/^Confirmed by Avery Admin/)]);
      if (row.source === "none") expect([row.id, row.sourceLine]).toEqual([row.id, null]);
    }
    for (const part of rows.flatMap((row) => row.parts)) expect(["dataverse", "graph", "person", "derived", "none"]).toContain(part.source);
  });

  test("the banner says who read Entra ID, that Check again reads Dataverse only, and the reading's age", () => {
    const stale = name === "evidence-stale";
    expect(banner).toEqual({ kind: stale ? "stale" : "fresh", text: expect.stringContaining("Check again re-reads Dataverse only") });
    const graphRow = rows.find((row) => row.source === "graph")!;
    if (stale) expect(graphRow.sourceLine).toMatch(/9 days ago\. It still counts; run the preflight again/);
    else expect(graphRow.sourceLine).not.toMatch(/days ago/);
  });
});
