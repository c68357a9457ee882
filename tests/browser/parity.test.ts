/**
 * One domain, two hosts: for every Graph scenario, the built preflight reads the playground's
 * Dataverse emulator and the Graph emulator and saves what Graph said on the settings record
 * (`--save`); then the form, in Chromium with the production bundle, opens that record. Both must
 * give every item the same status and source, and the same stage.
 */
import { listScenarios, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { ensureBuilt, runPreflight } from "../preflight/helpers";
import { gotoScenario, openPage, usePlaygroundAndBrowser, type OpenPage } from "./harness";

jest.setTimeout(120_000);

interface PreflightJson {
  stage: string;
  items: { id: string; status: string; source: string }[];
}

const GRAPH_SCENARIOS = listScenarios().map((s) => [s.name, s.dataverse] as const);

const { playground, browser } = usePlaygroundAndBrowser(ensureBuilt);

test("there are Graph scenarios to compare", () => {
  expect(GRAPH_SCENARIOS.length).toBeGreaterThanOrEqual(10);
});

describe.each(GRAPH_SCENARIOS)("Graph scenario %s (Dataverse scenario %s)", (name, dataverse) => {
  let graph: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  let open: OpenPage;
  let preflight: PreflightJson;
  let form: { stage: string; items: { id: string; status: string; source: string }[] };

  beforeAll(async () => {
    graph = await startGraphEmulatorServer({ port: 0, host: "127.0.0.1", scenario: name });
    await playground().api("POST", "/_emulator/scenario", { name: dataverse });
    const run = await runPreflight([
      "check",
      "--environment",
      playground().url,
      "--graph-endpoint",
      graph.url,
      "--auth",
      "none",
      "--format",
      "json",
      "--save",
      ...graph.emulator.scenario.args,
    ]);
    if (![0, 1, 2].includes(run.code ?? -1)) throw new Error(`w365-preflight exited ${run.code}: ${run.stderr}`);
    preflight = JSON.parse(run.stdout) as PreflightJson;

    // The same scenario in the URL keeps the emulator's data, with the record the preflight saved.
    open = await openPage(browser(), playground().url);
    await gotoScenario(open.page, playground().url, dataverse);
    form = await open.page.evaluate(() => ({
      stage: document.querySelector(".w365-checklist")?.getAttribute("data-stage") ?? "",
      items: [...document.querySelectorAll(".w365-checklist [data-item-id]")].map((row) => ({
        id: row.getAttribute("data-item-id") ?? "",
        status: row.getAttribute("data-status") ?? "",
        source: row.getAttribute("data-source") ?? "",
      })),
    }));
  }, 120_000);

  afterAll(async () => {
    await open?.close();
    await graph?.close();
  });

  test("the form shows the preflight's statuses, sources and stage", () => {
    expect(form.items).toHaveLength(18);
    expect({ stage: form.stage, items: form.items }).toEqual({ stage: preflight.stage, items: preflight.items.map(({ id, status, source }) => ({ id, status, source })) });
    open.assertNoProblems();
  });
});
