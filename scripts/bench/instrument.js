/**
 * Runs in the host page before anything else (playwright `addInitScript`), and records on
 * `window.__bench`, with `performance.now()` times:
 *  - `initAt`: when the control's `init` was called (the constructor the bundle registers is wrapped);
 *  - `fetches`: every Web API request (`/api/data/`): start, when its body had arrived (`end`), the
 *    status, the rows of the answer (`value.length`) and whether it had an `@odata.nextLink`;
 *    `webAPI` and the same-origin `RetrieveProvisionedLanguages()` both go through `fetch`;
 *  - `completions`: each time the checklist becomes complete (every row has a status, the stage is
 *    not "loading", "Check again" is enabled), as seen by a MutationObserver (`at`: the DOM shows
 *    it) and the next animation frame (`frameAt`).
 * The page is not otherwise changed.
 */
(() => {
  const bench = { initAt: null, initCount: 0, fetches: [], completions: [], complete: false, waiters: [] };
  window.__bench = bench;

  const nativeFetch = window.fetch.bind(window);
  const count = (entry, text) => {
    entry.end = performance.now();
    entry.bytes = text.length;
    try {
      const body = JSON.parse(text);
      if (body && Array.isArray(body.value)) entry.rows = body.value.length;
      if (body && body["@odata.nextLink"]) entry.nextLink = true;
    } catch {
      // not JSON
    }
  };
  window.fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input.url;
    if (!url.includes("/api/data/")) return nativeFetch(input, init);
    const entry = { url: decodeURIComponent(url.replace(/^https?:\/\/[^/]+/, "")), start: performance.now(), end: null, status: null, rows: null, nextLink: false };
    bench.fetches.push(entry);
    let response;
    try {
      response = await nativeFetch(input, init);
    } catch (error) {
      entry.end = performance.now();
      entry.status = "network-error";
      throw error;
    }
    entry.status = response.status;
    const text = response.text.bind(response);
    response.text = async () => {
      const body = await text();
      count(entry, body);
      return body;
    };
    response.json = async () => {
      const body = await text();
      count(entry, body);
      return JSON.parse(body);
    };
    return response;
  };

  // The bundle calls ComponentFramework.registerControl(name, ctor): wrap ctor.prototype.init.
  let framework;
  Object.defineProperty(window, "ComponentFramework", {
    configurable: true,
    get: () => framework,
    set(value) {
      const register = value.registerControl;
      value.registerControl = (name, ctor) => {
        const init = ctor.prototype.init;
        ctor.prototype.init = function (...args) {
          bench.initAt = performance.now();
          bench.initCount++;
          performance.mark("w365:init");
          return init.apply(this, args);
        };
        return register.call(value, name, ctor);
      };
      framework = value;
    },
  });

  function isComplete() {
    const root = document.querySelector(".w365-checklist");
    if (!root || root.getAttribute("data-stage") === "loading") return false;
    const rows = root.querySelectorAll("[data-item-id]");
    if (rows.length === 0 || [...rows].some((row) => !row.getAttribute("data-status"))) return false;
    const button = root.querySelector('[data-action="check-again"]');
    return !!button && !button.disabled && button.getAttribute("aria-disabled") !== "true";
  }

  function observe() {
    const now = isComplete();
    if (now === bench.complete) return;
    bench.complete = now;
    if (!now) return;
    const completion = { at: performance.now(), frameAt: null, rows: document.querySelectorAll("[data-item-id]").length };
    bench.completions.push(completion);
    performance.mark("w365:complete");
    requestAnimationFrame(() => (completion.frameAt = performance.now()));
    const waiters = bench.waiters.splice(0);
    for (const resolve of waiters) resolve(completion);
  }

  /** The next completion after now. */
  bench.nextCompletion = () => new Promise((resolve) => bench.waiters.push(resolve));
  /** Clicks "Check again" and resolves when the checklist is complete again. */
  bench.checkAgain = async () => {
    const button = document.querySelector('[data-action="check-again"]');
    const started = performance.now();
    const done = bench.nextCompletion();
    button.click();
    const completion = await done;
    return { started, completion };
  };
  /** Forget what was recorded (keeps the heap readings comparable). */
  bench.clear = () => {
    bench.fetches.length = 0;
    bench.completions.length = 0;
    performance.clearMarks();
    performance.clearMeasures();
    performance.clearResourceTimings();
  };

  const start = () => new MutationObserver(observe).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-stage", "data-status", "disabled", "aria-disabled"] });
  if (document.documentElement) start();
  else document.addEventListener("readystatechange", start, { once: true });
})();
