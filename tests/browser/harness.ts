/**
 * Shared pieces of the browser tests: the production build (once), the playground server (one per
 * test file, on a free port), Chromium, and a page that records every console error, page error,
 * failed request and suspicious Web API answer so a test can fail on them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchChromium } = require("./chromium.cjs") as {
  launchChromium(): Promise<{ browser: Browser; label: string }>;
};

export const ROOT = path.resolve(__dirname, "..", "..");
export const SCENARIOS_DIR = path.join(ROOT, "playground", "scenarios");

export interface Expected {
  stage: string;
  items: Record<string, string>;
}

export interface ScenarioFile {
  name: string;
  title: string;
  description: string;
  admin: { id: string; name: string };
  record: { id: string; serviceAccountUpn?: string | null; checklistState?: unknown };
  faults?: Record<string, unknown>;
  expected?: Expected;
  data: Record<string, Record<string, unknown>[]>;
  [key: string]: unknown;
}

export function scenarioNames(): string[] {
  return fs
    .readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();
}

export function readScenario(name: string): ScenarioFile {
  return { name, ...JSON.parse(fs.readFileSync(path.join(SCENARIOS_DIR, `${name}.json`), "utf8")) } as ScenarioFile;
}

/** Builds the production bundle when it is missing or older than the sources (one process builds, others wait). */
export function ensureBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "ensure-build.mjs"), "--quiet"], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(output || `ensure-build exited with ${code}`))));
    child.on("error", reject);
  });
}

export interface Playground {
  url: string;
  stop(): Promise<void>;
  /** The emulator's control API and Web API, from Node (not through the page). */
  api<T = unknown>(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

/** Starts `node playground/server.mjs --port 0` and reads the URL it prints. */
export function startPlayground(): Promise<Playground> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, "playground", "server.mjs"), "--port", "0", "--host", "127.0.0.1"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`The playground did not start within 15 s:\n${output}`));
    }, 15_000);
    child.stderr?.on("data", (c) => (output += c));
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const match = /Playground: (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1];
      resolve({
        url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
        api: async <T>(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
          const response = await fetch(new URL(pathAndQuery, url), {
            method,
            headers: { Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          const text = await response.text();
          if (!response.ok) throw new Error(`${method} ${pathAndQuery}: HTTP ${response.status} ${text}`);
          return (text ? JSON.parse(text) : null) as T;
        },
      });
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The playground exited (${code}):\n${output}`));
    });
  });
}

export async function startBrowser(): Promise<Browser> {
  return (await launchChromium()).browser;
}

/**
 * One playground and one Chromium for the whole test file: registers the `beforeAll` that builds
 * the bundle (after `prepare`, e.g. the preflight's build) and starts both, and the `afterAll` that
 * closes them. They exist only once `beforeAll` has run, hence the accessors.
 */
export function usePlaygroundAndBrowser(prepare?: () => void | Promise<void>): { playground(): Playground; browser(): Browser } {
  let playground: Playground | undefined;
  let browser: Browser | undefined;

  // A first build, or one that waits for another test file's, takes minutes.
  beforeAll(async () => {
    await prepare?.();
    await ensureBuild();
    [playground, browser] = await Promise.all([startPlayground(), startBrowser()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
  });

  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`No ${what}: usePlaygroundAndBrowser's beforeAll has not run, or failed`);
    return value;
  };
  return { playground: () => started("playground", playground), browser: () => started("browser", browser) };
}

/** What went wrong on a page that no assertion asked about. */
export interface Problems {
  console: string[];
  pageErrors: string[];
  /** Requests that left the playground's origin (the control must not reach out) or failed outright. */
  requests: string[];
  /** Web API answers the emulator gives to malformed or unsupported requests (400, 405, 501). */
  badApiCalls: string[];
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  problems: Problems;
  /** Fails the test when anything was recorded in `problems`. */
  assertNoProblems(): void;
  close(): Promise<void>;
}

const API_ERROR_LOG = /^Failed to load resource: (the server responded with a status of (403|404|429|500|503)\b|net::ERR_EMPTY_RESPONSE|net::ERR_CONNECTION_RESET)/;

/**
 * A new context (axe wants pages from `browser.newContext()`) and page, watched for problems.
 * Status errors of the Web API that a fault explains (403, 404, 429, 5xx) are not problems: the
 * browser logs every one, and the tests inject them on purpose.
 */
export async function openPage(browser: Browser, base: string, options: { width?: number; forcedColors?: boolean } = {}): Promise<OpenPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: "en-US",
    timezoneId: "UTC",
    forcedColors: options.forcedColors ? "active" : "none",
  });
  const origin = new URL(base).origin;
  const problems: Problems = { console: [], pageErrors: [], requests: [], badApiCalls: [] };
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      problems.requests.push(`left the origin: ${route.request().method()} ${route.request().url()}`);
      return route.abort("blockedbyclient");
    },
  );
  const page = await context.newPage();
  page.on("console", (message) => {
    const type = message.type();
    if (type !== "error" && type !== "warning") return;
    const text = message.text();
    const at = message.location()?.url ?? "";
    if (API_ERROR_LOG.test(text) && at.includes("/api/data/")) return;
    if (/^Failed to load resource/.test(text) && problems.requests.some((r) => r.includes(at))) return; // already recorded
    problems.console.push(`${type}: ${text}${at ? ` (${at})` : ""}`);
  });
  page.on("pageerror", (error) => problems.pageErrors.push(error.stack ?? error.message));
  page.on("requestfailed", (request) => {
    const failure = request.failure()?.errorText ?? "";
    if (failure.includes("BLOCKED_BY_CLIENT") || new URL(request.url()).origin !== origin) return;
    // A fault that drops the connection or a reload that cancels a pending request is expected.
    if (/ERR_ABORTED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET/.test(failure) && request.url().includes("/api/data/")) return;
    problems.requests.push(`failed: ${request.method()} ${request.url()} ${failure}`);
  });
  page.on("response", (response) => {
    if (response.url().includes("/api/data/") && [400, 405, 501].includes(response.status())) {
      problems.badApiCalls.push(`${response.status()} ${response.request().method()} ${decodeURIComponent(response.url())}`);
    }
  });
  return {
    context,
    page,
    problems,
    assertNoProblems() {
      const all = [
        ...problems.console.map((p) => `console ${p}`),
        ...problems.pageErrors.map((p) => `page error: ${p}`),
        ...problems.requests,
        ...problems.badApiCalls.map((p) => `Web API refused: ${p}`),
      ];
      if (all.length) throw new Error(`The page reported problems:\n  ${all.join("\n  ")}`);
    },
    close: () => context.close(),
  };
}

/** Opens the playground on a scenario and waits until the control has finished its first check. */
export async function gotoScenario(page: Page, base: string, scenario: string, query: Record<string, string> = {}): Promise<void> {
  const url = new URL(base);
  url.searchParams.set("scenario", scenario);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  await page.goto(url.toString());
  await page.waitForFunction(() => {
    const pg = (window as unknown as { __playground?: { ready: boolean; error: string | null } }).__playground;
    if (pg?.error) throw new Error(pg.error);
    return pg?.ready;
  });
  await waitForCheck(page);
}

/** Waits until a check has finished: a stage is shown and "Check again" is enabled. */
export async function waitForCheck(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector(".w365-checklist");
      const stage = root?.getAttribute("data-stage");
      const button = document.querySelector<HTMLButtonElement>('[data-action="check-again"]');
      return !!stage && stage !== "loading" && !!button && !button.disabled && button.getAttribute("aria-disabled") !== "true";
    },
    undefined,
    { timeout },
  );
}

export interface Rendered {
  stage: string;
  items: Record<string, string>;
}

export function rendered(page: Page): Promise<Rendered> {
  return page.evaluate(() => ({
    stage: document.querySelector(".w365-checklist")?.getAttribute("data-stage") ?? "(none)",
    items: Object.fromEntries(
      [...document.querySelectorAll(".w365-checklist [data-item-id]")].map((row) => [row.getAttribute("data-item-id") ?? "", row.getAttribute("data-status") ?? ""]),
    ),
  }));
}

/** Item-by-item differences between what the scenario expects and what the control shows. */
export function differences(expected: Expected, shown: Rendered): string[] {
  const out: string[] = [];
  if (expected.stage !== shown.stage) out.push(`stage: expected ${expected.stage}, shown ${shown.stage}`);
  for (const [id, status] of Object.entries(expected.items)) {
    const actual = shown.items[id] ?? "(no row)";
    if (actual !== status) out.push(`${id}: expected ${status}, shown ${actual}`);
  }
  for (const id of Object.keys(shown.items)) if (!(id in expected.items)) out.push(`${id}: shown ${shown.items[id]}, not in expected`);
  return out;
}

export interface FormState {
  values: Record<string, string | null>;
  saved: Record<string, string | null>;
  state: string;
  outputs: number;
  missingStrings: string[];
  navigations: { kind: string; options?: Record<string, unknown>; url?: string }[];
}

export function formState(page: Page): Promise<FormState> {
  return page.evaluate(() => {
    const pg = (window as unknown as { __playground: Record<string, unknown> & { form: Record<string, unknown>; outputs: unknown[] } }).__playground;
    return JSON.parse(
      JSON.stringify({
        values: pg.form.values,
        saved: pg.form.saved,
        state: pg.form.state,
        outputs: pg.outputs.length,
        missingStrings: pg.missingStrings,
        navigations: pg.navigations,
      }),
    ) as FormState;
  });
}

/** The confirmations in a stored checklist value. */
export function confirmationsIn(value: string | null | undefined): Record<string, { confirmed: boolean; by: { id: string; name: string }; at: string; answer?: string }> {
  if (!value) return {};
  return (JSON.parse(value) as { confirmations?: Record<string, never> }).confirmations ?? {};
}

/** The record's stored value, read from the emulator directly. */
export async function storedValue(playground: Playground, recordId: string): Promise<string | null> {
  const row = await playground.api<{ w365_checkliststate: string | null }>("GET", `/api/data/v9.2/w365_setups(${recordId})?$select=w365_checkliststate`);
  return row.w365_checkliststate;
}

/** The checkbox of a confirmation part, e.g. `global-admin/removed`. */
export function partCheckbox(page: Page, part: string) {
  return page.locator(`.w365-checklist [data-part="${part}"] input[type="checkbox"]`);
}

/** Ticks a part as a mouse user does: a click on its label. */
export async function clickPart(page: Page, part: string): Promise<void> {
  await page.locator(`.w365-checklist [data-part="${part}"] label`).first().click();
}

const AXE_SOURCE_FILE = require.resolve("axe-core/axe.min.js");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe-core's WCAG 2.1 A/AA violations in the control, one line each. The same axe-core as
 * @axe-core/playwright, run in the page directly: AxeBuilder re-injects and re-configures axe for
 * every call, which costs more than the analysis itself when one page is checked many times.
 */
export async function axeViolations(page: Page, selector = ".w365-checklist"): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_SOURCE_FILE });
  return page.evaluate(
    async ({ selector, tags }) => {
      const axe = (window as unknown as { axe: { run(context: string, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
      const { violations } = await axe.run(selector, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
      return violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.map((n) => `${n.target.join(" ")}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, " ")}` : ""}`).join("\n      ")}`,
      );
    },
    { selector, tags: AXE_TAGS },
  );
}

/** What the layout of the control gets wrong: text outside the control or cut off, things on top of each other, sideways scrolling, rows laid out against their width and direction. */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.querySelector<HTMLElement>(".w365-checklist");
    if (!root) return ["no .w365-checklist"];
    const box = root.getBoundingClientRect();
    const rtl = getComputedStyle(root).direction === "rtl";
    const narrow = box.width < 600;
    const page = document.scrollingElement!;
    if (page.scrollWidth > page.clientWidth) problems.push(`the page scrolls sideways (${page.scrollWidth} px in ${page.clientWidth})`);
    if (root.scrollWidth > root.clientWidth + 1) problems.push(`the control scrolls sideways (${root.scrollWidth} px in ${root.clientWidth})`);

    const where = (node: Node) => {
      const element = node instanceof Element ? node : node.parentElement!;
      const row = element.closest("[data-item-id]")?.getAttribute("data-item-id");
      const text = (node.textContent ?? "").trim().slice(0, 40);
      return `${row ? `row ${row}: ` : ""}"${text}"`;
    };
    /** Every line of visible text and every icon and tick box: what must not overlap. */
    const marks: { node: Node; rect: DOMRect }[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent?.trim() || !node.parentElement?.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 1 && rect.height > 1) marks.push({ node, rect });
    }
    for (const element of root.querySelectorAll("svg, .ms-Checkbox-checkbox")) marks.push({ node: element, rect: element.getBoundingClientRect() });

    for (const { node, rect } of marks) {
      if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5) problems.push(`${where(node)} goes outside the control (${Math.round(rect.left)}–${Math.round(rect.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
      // Cut off: beyond an ancestor that hides what overflows it.
      for (let ancestor = node.parentElement; ancestor && ancestor !== root; ancestor = ancestor.parentElement) {
        const style = getComputedStyle(ancestor);
        if (!/hidden|clip/.test(style.overflowX + style.overflowY)) continue;
        const clip = ancestor.getBoundingClientRect();
        if (rect.left < clip.left - 1 || rect.right > clip.right + 1 || rect.top < clip.top - 1 || rect.bottom > clip.bottom + 1) {
          problems.push(`${where(node)} is cut off by its ${ancestor.tagName.toLowerCase()}.${ancestor.className.toString().split(" ")[0]}`);
          break;
        }
      }
    }
    // Lines of text sit close; a real overlap covers more than the few pixels their boxes share.
    const overlap = (a: DOMRect, b: DOMRect) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
    for (let i = 0; i < marks.length; i++) {
      for (let j = i + 1; j < marks.length; j++) {
        const [a, b] = [marks[i], marks[j]];
        if (a.node === b.node || a.node.contains(b.node) || b.node.contains(a.node)) continue;
        if (overlap(a.rect, b.rect)) problems.push(`${where(a.node)} overlaps ${where(b.node)}`);
      }
    }

    const rows = [...root.querySelectorAll<HTMLElement>("li[data-item-id]")];
    rows.forEach((row, i) => {
      const id = row.getAttribute("data-item-id");
      const next = rows[i + 1];
      if (next && next.parentElement === row.parentElement && row.getBoundingClientRect().bottom > next.getBoundingClientRect().top + 0.5) problems.push(`row ${id} overlaps the next row`);
      const word = row.querySelector("[data-status-text]")!.getBoundingClientRect();
      const icon = row.querySelector("[data-status-icon]")!.getBoundingClientRect();
      const status = row.querySelector("[data-status-text]")!.parentElement!;
      const [s, t] = [status.getBoundingClientRect(), status.nextElementSibling!.getBoundingClientRect()];
      if (rtl ? icon.left < word.right - 0.5 : icon.right > word.left + 0.5) problems.push(`row ${id}: the status icon is not at the ${rtl ? "right" : "left"} of its word`);
      if (narrow && s.bottom > t.top + 0.5) problems.push(`row ${id}: at ${Math.round(box.width)} px the status is not above the text`);
      if (!narrow && (rtl ? s.left < t.right - 0.5 : s.right > t.left + 0.5)) problems.push(`row ${id}: at ${Math.round(box.width)} px the status is not ${rtl ? "right" : "left"} of the text`);
    });
    return problems;
  });
}
