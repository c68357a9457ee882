/**
 * The playground host: loads the production bundle the way a model-driven form does and plays the
 * form around it. Platform libraries first (React 16.14 as `Reactv16`, ReactDOM, Fluent 8.121.1 as
 * `FluentUIReactv81211`), then `ComponentFramework.registerControl` catches the constructor the
 * bundle registers; then `new Control()`, `init(context, notifyOutputChanged, state, container)`,
 * `updateView(context)` → a React element that the host renders into the container.
 *
 * `window.__playground` exposes the form's state to tests and to the curious.
 */
import { createClient, createDevice, createFormatting, createUserSettings, createUtils, LANGUAGES, languageOf, NEW_LOOK_TOKENS } from "./context.js";
import { clientUrl, createWebApi } from "./webapi.js";

const $ = (id) => document.getElementById(id);
const noop = () => undefined;
const query = new URLSearchParams(location.search);
const reactDevelopment = query.get("react") === "development";
/** The user's language (`?lang=<LCID>`), as Dataverse hands it to the control: languageId, isRTL, its resx, its date formats. */
const language = languageOf(query.get("lang") ?? 1033);
/** Keys the served resx lacks (`?missing=Key1,Key2`), as a translation that is behind English would. */
const missingKeys = new Set((query.get("missing") ?? "").split(",").filter(Boolean));
/** The width the form gives the control (`?width=<px>`), as a phone (360), a side pane (500) or a wide tab (1280) would; empty: the page's width. */
const controlWidth = Number(query.get("width")) || null;

/** The form binds these manifest properties to columns of its record (Solutions/Work365Setup's main form). */
const BINDINGS = {
  checklistState: { column: "w365_checkliststate", maxLength: 1048576, displayName: "Checklist state" },
  serviceAccountUpn: { column: "w365_serviceaccountupn", maxLength: 320, displayName: "Service account UPN" },
};

const pg = {
  ready: false,
  error: null,
  scenario: null,
  /** The form: current values of the manifest properties, the record's saved values, flags. */
  form: { values: {}, saved: {}, readOnly: false, disabled: false, newLook: false, state: "saved", entityId: null },
  /** Every `getOutputs()` the host collected, in order. */
  outputs: [],
  /** Every `openForm` / `openUrl` / dialog the control asked for. */
  navigations: [],
  /** Keys `resources.getString` was asked for that the resx lacks. */
  missingStrings: [],
  /** The user's language and the resx file that was served for it. */
  language: { lcid: language.lcid, tag: language.tag, rtl: language.rtl === true, file: null },
  /** Every Web API request the control's `context.webAPI` sent. */
  requests: [],
  updateViews: 0,
  save: () => save(),
  refresh: () => refreshRecord(),
  reopen: () => reopen(),
};
window.__playground = pg;

let manifest = null;
let strings = new Map();
let ControlClass = null;
let control = null;
let controlState = {};
let tracking = false;
let containerSize = { width: -1, height: -1 };
const container = $("pg-control");
const webApi = createWebApi({ onRequest: (entry) => pg.requests.push(entry) });
const formatting = createFormatting(language);

// ---------------------------------------------------------------------------------------------
// Small helpers

async function http(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(data?.error?.message ?? data?.error ?? `${method} ${url}: HTTP ${response.status}`);
  return data;
}
const getJson = (url) => http("GET", url);

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = false;
    script.onload = () => resolve(undefined);
    script.onerror = () => reject(new Error(`Could not load ${src}`));
    document.head.appendChild(script);
  });
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function say(message) {
  $("pg-message").textContent = message ?? "";
}

// ---------------------------------------------------------------------------------------------
// Platform libraries, manifest, strings, bundle

async function loadPlatform() {
  // Fluent loads its icon font and the Segoe UI web font from Microsoft's CDN, out of reach here:
  // the icon font comes from node_modules through this server, text falls back to system fonts.
  window.FabricConfig = { iconBaseUrl: "/platform/icons/", fontBaseUrl: "" };
  if (reactDevelopment) {
    await loadScript("/platform/react.development.js"); // sets `React`
    window.Reactv16 = window.React;
    await loadScript("/platform/react-dom.development.js");
  } else {
    await loadScript("/platform/react.js"); // sets `Reactv16`
    window.React = window.Reactv16; // ReactDOM's and Fluent's UMD wrappers read `React`
    await loadScript("/platform/react-dom.js");
  }
  await loadScript("/platform/fluent.js"); // sets `FluentUIReactv81211`
}

async function loadManifest() {
  const response = await fetch("/control/ControlManifest.xml");
  if (!response.ok) throw new Error("No built ControlManifest.xml: run npm run build -- --buildMode production");
  const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
  const controlNode = xml.querySelector("manifest > control");
  return {
    namespace: controlNode.getAttribute("namespace"),
    ctorName: controlNode.getAttribute("constructor"),
    version: controlNode.getAttribute("version"),
    displayNameKey: controlNode.getAttribute("display-name-key"),
    properties: [...controlNode.querySelectorAll(":scope > property")].map((p) => ({
      name: p.getAttribute("name"),
      displayNameKey: p.getAttribute("display-name-key"),
      descriptionKey: p.getAttribute("description-key"),
      ofType: p.getAttribute("of-type"),
      usage: p.getAttribute("usage"),
      required: p.getAttribute("required") === "true",
      defaultValue: p.getAttribute("default-value"),
    })),
    code: controlNode.querySelector("resources > code")?.getAttribute("path") ?? "bundle.js",
    resx: [...controlNode.querySelectorAll("resources > resx")].map((r) => r.getAttribute("path")),
  };
}

async function loadStrings(paths) {
  const map = new Map();
  // The user's language's file; a language the control does not ship gets the English one.
  const path = paths.find((p) => p.endsWith(`.${language.lcid}.resx`)) ?? paths.find((p) => p.endsWith(".1033.resx")) ?? paths[0];
  if (!path) return map;
  pg.language.file = path;
  const response = await fetch(`/control/${path}`);
  if (!response.ok) throw new Error(`Could not load the strings ${path}`);
  const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
  for (const data of xml.querySelectorAll("root > data")) {
    const key = data.getAttribute("name");
    if (!missingKeys.has(key)) map.set(key, data.querySelector("value")?.textContent ?? "");
  }
  return map;
}

async function loadBundle() {
  const registered = new Map();
  window.ComponentFramework = {
    registerControl(name, ctor) {
      registered.set(name, ctor);
    },
  };
  await loadScript(`/control/${manifest.code}`);
  const name = `${manifest.namespace}.${manifest.ctorName}`;
  const ctor = registered.get(name);
  if (typeof ctor !== "function") throw new Error(`The bundle did not register ${name} (registered: ${[...registered.keys()].join(", ") || "nothing"})`);
  return ctor;
}

// ---------------------------------------------------------------------------------------------
// The record behind the form

function recordInfo() {
  const record = pg.scenario.record ?? {};
  return { id: String(record.id ?? "").toLowerCase(), logicalName: record.logicalName ?? "w365_setup", entitySet: record.entitySet ?? "w365_setups" };
}

async function readRecord() {
  const { id, logicalName } = recordInfo();
  const select = ["w365_name", ...Object.values(BINDINGS).map((b) => b.column)].join(",");
  try {
    return await webApi.retrieveRecord(logicalName, id, `?$select=${select}`);
  } catch (error) {
    if (error?.errorCode === 0x80040217) return null; // not created yet: a new form
    throw error;
  }
}

/** Values of the bound properties from the record; static properties keep what the panel holds. */
function adoptRecord(record) {
  const changed = [];
  pg.form.entityId = record ? recordInfo().id : null;
  for (const [name, binding] of Object.entries(BINDINGS)) {
    const value = record?.[binding.column] ?? null;
    if (pg.form.values[name] !== value) changed.push(name);
    pg.form.values[name] = value;
    pg.form.saved[name] = value;
  }
  $("pg-record-name").textContent = record?.w365_name ?? "New Work 365 Setup";
  updateFormState();
  return changed;
}

function dirtyColumns() {
  const changes = {};
  for (const [name, binding] of Object.entries(BINDINGS)) {
    if (pg.form.values[name] !== pg.form.saved[name]) changes[binding.column] = pg.form.values[name];
  }
  return changes;
}

function updateFormState(state) {
  pg.form.state = state ?? (Object.keys(dirtyColumns()).length ? "unsaved" : "saved");
  const label = { saved: "Saved", unsaved: "Unsaved changes", saving: "Saving…" }[pg.form.state];
  const node = $("pg-form-state");
  node.textContent = label;
  node.dataset.formState = pg.form.state;
  document.title = `${pg.form.state === "unsaved" ? "* " : ""}Work 365 prerequisite checklist: playground`;
}

let saving = null;
/** Save, as a form does: PATCH the changed columns, then read the record again and update the control. */
function save() {
  saving ??= (async () => {
    const changes = dirtyColumns();
    if (!Object.keys(changes).length) {
      say("");
      return;
    }
    updateFormState("saving");
    try {
      await webApi.updateRecord(recordInfo().logicalName, recordInfo().id, changes);
      say("");
      const changed = adoptRecord(await readRecord());
      renderProperties();
      renderControl(changed);
    } catch (error) {
      updateFormState();
      say(`Could not save: ${error?.message ?? error}`);
      throw error;
    }
  })().finally(() => {
    saving = null;
  });
  return saving;
}

/** The form's Refresh: read the record again (unsaved changes are dropped, as the form asks to). */
async function refreshRecord() {
  const changed = adoptRecord(await readRecord());
  renderProperties();
  renderControl(changed);
}

// ---------------------------------------------------------------------------------------------
// The PCF context

function parameterOf(property) {
  const value = pg.form.values[property.name] ?? null;
  const parameter = { raw: value, formatted: value ?? "", error: false, errorMessage: "", type: property.ofType };
  const binding = BINDINGS[property.name];
  if (binding) {
    parameter.attributes = {
      LogicalName: binding.column,
      DisplayName: binding.displayName,
      MaxLength: binding.maxLength,
      RequiredLevel: property.required ? 2 : 0,
      IsSecured: pg.form.readOnly,
      Format: property.ofType === "Multiple" ? "TextArea" : "Text",
    };
    parameter.security = { editable: !pg.form.readOnly, readable: true, secured: pg.form.readOnly };
  }
  return parameter;
}

function showNavigation(title, detail, href) {
  const box = $("pg-navigation");
  box.replaceChildren(element("p", { text: title, "data-navigation": "" }));
  if (href) box.append(element("p", {}, element("a", { href, target: "_blank", rel: "noopener noreferrer", text: href })));
  if (detail !== undefined) box.append(element("pre", { text: typeof detail === "string" ? detail : JSON.stringify(detail, null, 2) }));
}

const navigation = {
  openForm(options) {
    pg.navigations.push({ kind: "openForm", options });
    const { entityName, entityId } = options ?? {};
    showNavigation(`openForm: ${entityName} ${entityId ?? "(new)"}${options?.openInNewWindow ? " in a new window" : ""}`, "Loading the record…");
    if (entityName && entityId) {
      webApi.retrieveRecord(entityName, entityId).then(
        (row) => showNavigation(`openForm: ${entityName} ${entityId}${options?.openInNewWindow ? " in a new window" : ""}`, row),
        (error) => showNavigation(`openForm: ${entityName} ${entityId}`, `Could not read it: ${error?.message ?? error}`),
      );
    }
    return Promise.resolve({ savedEntityReference: [] });
  },
  openUrl(url, options) {
    pg.navigations.push({ kind: "openUrl", url, options });
    showNavigation("openUrl:", undefined, url);
  },
  openWebResource(name, options, data) {
    pg.navigations.push({ kind: "openWebResource", name, options, data });
    showNavigation(`openWebResource: ${name}`, data);
  },
  openAlertDialog(alertStrings) {
    pg.navigations.push({ kind: "openAlertDialog", alertStrings });
    showNavigation("openAlertDialog", alertStrings);
    return Promise.resolve();
  },
  openConfirmDialog(confirmStrings) {
    pg.navigations.push({ kind: "openConfirmDialog", confirmStrings });
    showNavigation("openConfirmDialog (answered Cancel)", confirmStrings);
    return Promise.resolve({ confirmed: false });
  },
  openErrorDialog(options) {
    pg.navigations.push({ kind: "openErrorDialog", options });
    showNavigation("openErrorDialog", options);
    return Promise.resolve();
  },
};

const resources = {
  /** As the platform's: the key itself when the resx has no such key (documented for getString). */
  getString(key) {
    if (strings.has(key)) return strings.get(key);
    if (!pg.missingStrings.includes(key)) pg.missingStrings.push(key);
    // A key dropped on purpose (?missing=) is expected: say so without a warning.
    if (!missingKeys.has(key)) console.warn(`[playground] resources.getString: no string '${key}' in the resx`);
    return key;
  },
  getResource(_id, _success, failure) {
    failure?.();
  },
};

let renderQueued = false;
const factory = {
  requestRender() {
    if (renderQueued) return;
    renderQueued = true;
    setTimeout(() => {
      renderQueued = false;
      renderControl([]);
    }, 0);
  },
  getPopupService() {
    return { createPopup: noop, openPopup: noop, closePopup: noop, updatePopup: noop, deletePopup: noop, setPopupsId: noop, getPopupsId: () => "" };
  },
};

function buildContext(updatedProperties) {
  const { logicalName } = recordInfo();
  const entityId = pg.form.entityId ?? undefined;
  const parameters = Object.fromEntries(manifest.properties.map((p) => [p.name, parameterOf(p)]));
  const context = {
    parameters,
    updatedProperties,
    mode: {
      isControlDisabled: pg.form.disabled,
      isVisible: true,
      label: BINDINGS.checklistState.displayName,
      allocatedWidth: tracking ? containerSize.width : -1,
      allocatedHeight: tracking ? containerSize.height : -1,
      contextInfo: { entityId, entityTypeName: logicalName, entityRecordName: $("pg-record-name").textContent },
      trackContainerResize(value) {
        tracking = !!value;
      },
      setControlState(state) {
        controlState = { ...controlState, ...state };
        return true;
      },
      setFullScreen: noop,
    },
    page: { entityId, entityTypeName: logicalName, getClientUrl: clientUrl, appId: "00000000-0000-4000-8000-0000000a9901", isPageReadOnly: pg.form.disabled },
    webAPI: webApi,
    resources,
    userSettings: createUserSettings(pg.scenario.admin, language),
    formatting,
    navigation,
    client: createClient(),
    device: createDevice(),
    utils: createUtils(),
    factory,
    events: {},
  };
  if (pg.form.newLook) context.fluentDesignLanguage = { isDarkTheme: false, tokenTheme: { ...NEW_LOOK_TOKENS } };
  return context;
}

// ---------------------------------------------------------------------------------------------
// The control's lifecycle

function renderControl(updatedProperties = []) {
  if (!control) return;
  const reactElement = control.updateView(buildContext(updatedProperties));
  pg.updateViews++;
  window.ReactDOM.render(reactElement, container);
}

let outputQueued = false;
/** The control has a new value: the platform calls `getOutputs()` soon after, sets the column, and calls `updateView`. */
function notifyOutputChanged() {
  if (outputQueued) return;
  outputQueued = true;
  setTimeout(() => {
    outputQueued = false;
    if (!control) return;
    const outputs = control.getOutputs() ?? {};
    pg.outputs.push({ at: new Date().toISOString(), outputs: { ...outputs } });
    const changed = [];
    for (const [name, value] of Object.entries(outputs)) {
      if (value === undefined || !BINDINGS[name]) continue;
      const next = value === "" ? null : value;
      if (pg.form.values[name] !== next) {
        pg.form.values[name] = next;
        changed.push(name);
      }
    }
    if (changed.length) {
      updateFormState();
      renderProperties();
      renderControl(changed);
    }
  }, 0);
}

function startControl() {
  control = new ControlClass();
  tracking = false;
  control.init(buildContext([]), notifyOutputChanged, controlState, container);
  renderControl([]);
}

function stopControl() {
  if (!control) return;
  window.ReactDOM.unmountComponentAtNode(container);
  control.destroy();
  control = null;
}

/** Close and open the form again: a new control instance over the record as saved. */
async function reopen() {
  stopControl();
  adoptRecord(await readRecord());
  renderProperties();
  startControl();
}

new ResizeObserver(([entry]) => {
  const width = Math.round(entry.contentRect.width);
  const height = Math.round(entry.contentRect.height);
  if (width === containerSize.width && height === containerSize.height) return;
  containerSize = { width, height };
  if (tracking) renderControl(["layout"]);
}).observe(container);

// ---------------------------------------------------------------------------------------------
// The side panel: the manifest's properties and the form's switches

function renderProperties() {
  const box = $("pg-properties");
  const focused = document.activeElement?.closest?.("[data-prop]")?.dataset.prop;
  box.replaceChildren(
    ...manifest.properties.map((property) => {
      const binding = BINDINGS[property.name];
      const id = `pg-prop-${property.name}`;
      const value = pg.form.values[property.name] ?? "";
      const meta = `${property.name} · ${property.ofType} · ${binding ? `bound to ${binding.column}` : property.usage === "bound" ? "bound" : "static value"}`;
      const label = element("label", { for: id }, strings.get(property.displayNameKey) ?? property.name, element("br"), element("span", { class: "pg-meta", text: meta }));
      const wrapper = element("div", { class: "pg-prop", "data-prop": property.name, "data-dirty": binding && pg.form.values[property.name] !== pg.form.saved[property.name] ? "true" : undefined }, label);
      if (property.ofType === "Multiple") {
        const area = element("textarea", { id, spellcheck: "false" });
        area.value = formatJson(value);
        const apply = element("button", {
          type: "button",
          text: "Set this value on the form",
          title: "As a script or another control would: the control gets it through updateView",
          onclick: () => setProperty(property.name, area.value.trim() === "" ? null : area.value),
        });
        wrapper.append(area, element("div", { class: "pg-prop-actions" }, apply), element("span", { class: "pg-meta", text: `${value.length} characters${binding ? ` of at most ${binding.maxLength}` : ""}` }));
      } else {
        const input = element("input", { id, type: "text", placeholder: property.defaultValue ?? "" });
        input.value = value;
        input.addEventListener("change", () => setProperty(property.name, input.value === "" ? null : input.value));
        wrapper.append(input);
      }
      return wrapper;
    }),
  );
  if (focused) box.querySelector(`[data-prop="${focused}"] input, [data-prop="${focused}"] textarea`)?.focus();
}

/** The stored JSON shown readably; the control's own value is kept as it is in the form. */
function formatJson(text) {
  if (!text) return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function setProperty(name, value) {
  if (BINDINGS[name] && value !== null && value !== pg.form.values[name]) {
    // Keep the compact form when the panel only re-indented the same JSON.
    try {
      if (JSON.stringify(JSON.parse(value)) === JSON.stringify(JSON.parse(pg.form.values[name] ?? "null"))) value = pg.form.values[name];
    } catch {
      // not JSON: set as typed
    }
  }
  if (pg.form.values[name] === value) return;
  pg.form.values[name] = value;
  updateFormState();
  renderProperties();
  renderControl([name]);
}

function wireSwitches() {
  const toggle = (id, key) =>
    $(id).addEventListener("change", (event) => {
      pg.form[key] = event.target.checked;
      renderControl([]);
    });
  toggle("pg-readonly", "readOnly");
  toggle("pg-disabled", "disabled");
  toggle("pg-newlook", "newLook");
  $("pg-save").addEventListener("click", () => void save().catch(noop));
  $("pg-refresh").addEventListener("click", () => void refreshRecord().catch((e) => say(`Could not refresh: ${e?.message ?? e}`)));
  $("pg-reinit").addEventListener("click", () => void reopen().catch((e) => say(`Could not reopen: ${e?.message ?? e}`)));
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      void save().catch(noop);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The bar: scenario, latency, faults

function urlWith(changes) {
  const next = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  return `${location.pathname}?${next}`;
}

async function wireBar(info, scenarios) {
  const select = $("pg-scenario");
  select.replaceChildren(...scenarios.map((s) => element("option", { value: s.name, text: s.title ?? s.name, title: s.description })));
  select.value = pg.scenario.name;
  select.addEventListener("change", async () => {
    try {
      await http("POST", "/_emulator/scenario", { name: select.value });
      location.assign(urlWith({ scenario: select.value }));
    } catch (error) {
      say(`Could not switch the scenario: ${error.message}`);
    }
  });
  $("pg-reset").addEventListener("click", async () => {
    await http("POST", "/_emulator/reset");
    location.reload();
  });

  const latency = $("pg-latency");
  const ms = String(pg.scenario.latencyMs ?? 0);
  if (![...latency.options].some((o) => o.value === ms)) latency.append(element("option", { value: ms, text: `${ms} ms` }));
  latency.value = ms;
  latency.addEventListener("change", () => void http("POST", "/_emulator/latency", { ms: Number(latency.value) }).catch((e) => say(e.message)));

  const target = $("pg-fault-target");
  target.replaceChildren(...info.faultTargets.map((t) => element("option", { value: t, text: t === "*" ? "every request" : t })));
  target.value = "roles";
  const showFaults = (faults) => {
    const parts = Object.entries(faults ?? {}).map(([key, f]) => `${key}: ${f.kind}${f.times ? ` ×${f.times}` : ""}`);
    $("pg-faults").textContent = parts.length ? `Faults: ${parts.join("; ")}` : "";
  };
  showFaults(pg.scenario.faults);
  $("pg-fault-add").addEventListener("click", async () => {
    try {
      const current = await getJson("/_emulator/faults");
      const spec = { kind: $("pg-fault-kind").value };
      const times = Number($("pg-fault-times").value);
      if (times > 0) spec.times = times;
      showFaults(await http("POST", "/_emulator/faults", { ...current, [target.value]: spec }));
      say("Fault set: choose Check again in the control to read with it.");
    } catch (error) {
      say(`Could not set the fault: ${error.message}`);
    }
  });
  $("pg-fault-clear").addEventListener("click", async () => {
    showFaults(await http("DELETE", "/_emulator/faults"));
    say("");
  });

  const languages = $("pg-language");
  languages.replaceChildren(...LANGUAGES.map((l) => element("option", { value: l.lcid, text: `${l.name} (${l.lcid})`, lang: l.tag, dir: l.rtl ? "rtl" : undefined })));
  languages.value = String(language.lcid);
  languages.addEventListener("change", () => location.assign(urlWith({ lang: languages.value === "1033" ? null : languages.value })));

  const widths = $("pg-width");
  const wanted = String(controlWidth ?? "");
  if (![...widths.options].some((o) => o.value === wanted)) widths.append(element("option", { value: wanted, text: `${wanted} px` }));
  widths.value = wanted;
  widths.addEventListener("change", () => location.assign(urlWith({ width: widths.value || null })));

  const dev = $("pg-react-dev");
  dev.checked = reactDevelopment;
  dev.addEventListener("change", () => location.assign(urlWith({ react: dev.checked ? "development" : null })));
}

// ---------------------------------------------------------------------------------------------
// What the scenario expects, next to what the control shows

let expectationTimer = null;
function compareWithExpected() {
  clearTimeout(expectationTimer);
  expectationTimer = setTimeout(() => {
    const expected = pg.scenario?.expected;
    const box = $("pg-expected");
    if (!expected) {
      box.textContent = "This scenario states no expectations.";
      return;
    }
    const root = container.querySelector(".w365-checklist");
    const stage = root?.getAttribute("data-stage");
    if (!stage || stage === "loading") {
      box.textContent = "Waiting for the first check…";
      return;
    }
    const rows = [];
    if (expected.stage !== stage) rows.push(`stage: expected ${expected.stage}, shown ${stage}`);
    for (const [id, status] of Object.entries(expected.items ?? {})) {
      const shown = container.querySelector(`[data-item-id="${id}"]`)?.getAttribute("data-status") ?? "(missing)";
      if (shown !== status) rows.push(`${id}: expected ${status}, shown ${shown}`);
    }
    box.replaceChildren(
      rows.length
        ? element("div", { class: "pg-mismatch" }, element("strong", { text: `${rows.length} difference(s) from the scenario's expected block:` }), element("pre", { text: rows.join("\n") }))
        : element("div", { class: "pg-match", text: `Matches the scenario's expected block (stage ${stage}, ${Object.keys(expected.items ?? {}).length} items).` }),
    );
  }, 100);
}

// ---------------------------------------------------------------------------------------------

async function boot() {
  const info = await getJson("/_playground/info");
  if (!info.built) throw new Error("The control is not built: run npm run build -- --buildMode production (npm start does).");
  const scenarios = await getJson("/_emulator/scenarios");
  let summary = await getJson("/_emulator/scenario");
  const wanted = query.get("scenario");
  // The emulator keeps its data while the page reloads; a different scenario in the URL replaces it.
  if (wanted && wanted !== summary.name) summary = await http("POST", "/_emulator/scenario", { name: wanted });
  if (!wanted) history.replaceState(null, "", urlWith({ scenario: summary.name }));
  pg.scenario = summary;

  if (controlWidth) {
    // The form gives the control this width; the side panel moves below so the page itself stays narrow.
    document.body.dataset.controlWidth = String(controlWidth);
    container.style.width = `${controlWidth}px`;
    // The section's padding (host.css): 20 px either side.
    document.querySelector(".pg-layout").style.gridTemplateColumns = `${controlWidth + 40}px`;
  }
  $("pg-scenario-description").textContent = `${summary.title ?? summary.name}: ${summary.description ?? ""}`;
  $("pg-user").textContent = summary.admin?.name ?? "(unknown)";
  await wireBar(info, scenarios);
  wireSwitches();

  await loadPlatform();
  manifest = await loadManifest();
  strings = await loadStrings(manifest.resx);
  for (const property of manifest.properties) {
    if (!BINDINGS[property.name]) pg.form.values[property.name] = summary.properties?.[property.name] ?? property.defaultValue ?? null;
  }
  adoptRecord(await readRecord());
  renderProperties();
  ControlClass = await loadBundle();
  new window.MutationObserver(compareWithExpected).observe(container, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-stage"] });
  startControl();
  pg.ready = true;
}

boot().catch((error) => {
  pg.error = error?.message ?? String(error);
  say(`The playground could not start: ${pg.error}`);
  console.error(error);
});

