/**
 * The real control (PrerequisiteChecklist/index.ts, with its real session, reader and evaluation)
 * in jsdom, over a fake Dataverse whose `webAPI` and same-origin `fetch` inject faults per read.
 *
 * Every test here runs on jest's fake timers: the reader's back-off (1, 2, 4 s), `Retry-After` and
 * 30 s request timeout pass in no real time, and the calls' fake `Date.now()` shows the waits.
 */
import { act, fireEvent, render } from "@testing-library/react";
import * as fs from "fs";
import * as path from "path";
import { setImmediate as realSetImmediate } from "timers";
import { PrerequisiteChecklist } from "../../PrerequisiteChecklist/index";
import { CATALOGUE } from "../../PrerequisiteChecklist/checklist/catalogue";
import type { ItemId } from "../../PrerequisiteChecklist/checklist/types";

export type { ItemId };

export type Row = Record<string, unknown>;

/** Every read one check can make: round 1, then the reads round 1's answers call for. */
export type ReadKind =
  | "systemuser"
  | "role"
  | "fieldsecurityprofile"
  | "solution"
  | "languages"
  | "organization"
  | "team"
  | "role-direct"
  | "profile-direct"
  | "usersettings"
  | "timezonedefinition"
  | "asyncoperation";

export type FaultKind = "privilege" | "not-found" | "throttle-once" | "throttle-always" | "server-error" | "network" | "hang";

/** The catalogue's ids: the rows every test reads. */
export const ITEM_IDS: readonly ItemId[] = CATALOGUE.map((item) => item.id);
export type Statuses = Record<ItemId, string>;

// ---------------------------------------------------------------------------------------------
// Strings: the real resx, as the platform's resources.getString gives them.

const RESX = fs.readFileSync(path.join(__dirname, "../../PrerequisiteChecklist/strings/PrerequisiteChecklist.1033.resx"), "utf8");
export const STRINGS = new Map(
  [...RESX.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [
    m[1],
    m[2].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&"),
  ]),
);

// ---------------------------------------------------------------------------------------------
// The tenant the fake Dataverse answers from.

export const SYSADMIN_TEMPLATE = "627090ff-40a3-4053-8790-584edc5be201";
export const WORK365_APP_US = "e4b1a995-abe3-4350-a61c-65fccd32e8bd";
export const SERVICE_ACCOUNT_ID = "0c3a5d4e-1111-4c1e-9a55-000000000001";
export const RECORD = { entity: "w365_setup", id: "6e2c0000-0000-0000-0000-000000000001", column: "w365_checkliststate" };
export const ADMIN = { id: "9a000000-0000-0000-0000-00000000000a", name: "Dana Admin" };
/** The fake clock starts here; stored confirmations are older. */
export const NOW = new Date("2026-11-27T09:00:00.000Z");

export const serviceAccount = (overrides: Row = {}): Row => ({
  systemuserid: SERVICE_ACCOUNT_ID,
  fullname: "Work 365 Service",
  domainname: "w365serv@contoso.com",
  isdisabled: false,
  islicensed: true,
  accessmode: 0,
  applicationid: null,
  ...overrides,
});
export const WORK365_APP_USER: Row = {
  systemuserid: "0c3a5d4e-1111-4c1e-9a55-000000000099",
  fullname: "# Work 365",
  domainname: "work365.app@contoso.onmicrosoft.com",
  isdisabled: false,
  islicensed: false,
  accessmode: 4,
  applicationid: WORK365_APP_US,
};
export const SYSADMIN_ROLE: Row = { roleid: "a1000000-0000-0000-0000-000000000001", name: "System Administrator", _roletemplateid_value: SYSADMIN_TEMPLATE, _businessunitid_value: "b1000000-0000-0000-0000-000000000001" };
export const SALES_ROLE: Row = { roleid: "a1000000-0000-0000-0000-000000000002", name: "Work 365 Sales", _roletemplateid_value: null, _businessunitid_value: "b1000000-0000-0000-0000-000000000001" };
export const ADMIN_PROFILE: Row = { fieldsecurityprofileid: "c1000000-0000-0000-0000-000000000001", name: "Work 365 Admin" };
export const WORK365_SOLUTION: Row = {
  solutionid: "d1000000-0000-0000-0000-000000000001",
  uniquename: "Work365",
  friendlyname: "Work 365",
  version: "4.5.0.12",
  installedon: "2026-11-01T10:00:00Z",
  _createdby_value: SERVICE_ACCOUNT_ID,
  "_createdby_value@OData.Community.Display.V1.FormattedValue": "Work 365 Service",
  _parentsolutionid_value: null,
};
export const OWN_SOLUTION: Row = { ...WORK365_SOLUTION, solutionid: "d1000000-0000-0000-0000-000000000002", uniquename: "Work365PrerequisiteChecklist", friendlyname: "Work 365 Prerequisite Checklist", version: "1.0.0.0" };

export interface Holdings {
  rolesDirect: Row[];
  rolesThroughTeams: Row[];
  profilesDirect: Row[];
  profilesThroughTeams: Row[];
}

export interface Tenant {
  users: Row[];
  /** What each user holds, by lower-case `domainname`. */
  holdings: Record<string, Holdings>;
  solutions: Row[];
  provisionedLanguages: number[];
  baseLanguage: number;
  entraGroupTeams: Row[];
  /** false: the admin lacks prvReadTeam, so the direct-or-team reads of roles and profiles answer 403. */
  canReadTeams: boolean;
  /** Each user's personal options, by lower-case `domainname`. */
  personalSettings: Record<string, Row>;
  timeZones: Row[];
  /** System jobs, each with the lower-case `domainname` of its owner as `owner`. */
  systemJobs: Row[];
}

export const noHoldings = (): Holdings => ({ rolesDirect: [], rolesThroughTeams: [], profilesDirect: [], profilesThroughTeams: [] });

/**
 * Awaiting consent: Work 365 installed by the service account; the account holds System
 * Administrator directly, neither the Work 365 role nor profile; English provisioned, base language
 * German (so a failed languages read cannot be rescued by the base language).
 */
export function baseTenant(): Tenant {
  return {
    users: [serviceAccount(), WORK365_APP_USER],
    holdings: { "w365serv@contoso.com": { ...noHoldings(), rolesDirect: [SYSADMIN_ROLE] } },
    solutions: [WORK365_SOLUTION, OWN_SOLUTION],
    provisionedLanguages: [1033, 1031],
    baseLanguage: 1031,
    entraGroupTeams: [{ teamid: "e1000000-0000-0000-0000-000000000001" }],
    canReadTeams: true,
    personalSettings: { "w365serv@contoso.com": { systemuserid: SERVICE_ACCOUNT_ID, localeid: 1033, timezonecode: 35 } },
    timeZones: [
      { timezonecode: 35, userinterfacename: "(GMT-05:00) Eastern Time (US & Canada)" },
      { timezonecode: 85, userinterfacename: "(GMT) Dublin, Edinburgh, Lisbon, London" },
    ],
    systemJobs: [
      { asyncoperationid: "f1000000-0000-0000-0000-000000000001", name: "Work 365 invoice sync", createdon: "2026-11-26T22:00:00Z", statecode: 3, owner: "w365serv@contoso.com" },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the control's OData strings the way Dataverse does.

/** The first `'…'` literal after `prefix`, decoded (percent-encoding, then doubled quotes). */
export function literalAfter(options: string, prefix: string): string | null {
  const at = options.indexOf(`${prefix} '`);
  if (at < 0) return null;
  const m = /^'((?:[^']|'')*)'/.exec(options.slice(at + prefix.length + 1));
  return m ? decodeURIComponent(m[1]).replace(/''/g, "'") : null;
}

/** Dataverse compares strings case-insensitively. */
const same = (a: unknown, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

export function kindOf(entity: string, options: string): ReadKind {
  if (entity === "role") return options.includes("teamroles_association") ? "role" : "role-direct";
  if (entity === "fieldsecurityprofile") return options.includes("teamprofiles_association") ? "fieldsecurityprofile" : "profile-direct";
  return entity as ReadKind;
}

function answer(tenant: Tenant, kind: ReadKind, options: string): Row[] {
  const upn = literalAfter(options, "domainname eq") ?? "";
  const held = tenant.holdings[upn.toLowerCase()] ?? noHoldings();
  switch (kind) {
    case "systemuser": {
      const apps = [...options.matchAll(/applicationid eq ([0-9a-f-]{36})/g)].map((m) => m[1]);
      return tenant.users.filter((u) => (upn && same(u.domainname, upn)) || apps.includes(String(u.applicationid)));
    }
    case "role":
    case "role-direct": {
      const name = literalAfter(options, "name eq") ?? "";
      const roles = kind === "role" ? [...held.rolesDirect, ...held.rolesThroughTeams] : held.rolesDirect;
      return roles.filter((r) => r._roletemplateid_value === SYSADMIN_TEMPLATE || same(r.name, name));
    }
    case "fieldsecurityprofile":
    case "profile-direct": {
      const name = literalAfter(options, "name eq") ?? "";
      const profiles = kind === "fieldsecurityprofile" ? [...held.profilesDirect, ...held.profilesThroughTeams] : held.profilesDirect;
      return profiles.filter((p) => same(p.name, name));
    }
    case "solution": {
      const unique = literalAfter(options, "uniquename eq");
      const candidates = tenant.solutions.filter((s) => s._parentsolutionid_value == null);
      if (unique !== null) return candidates.filter((s) => same(s.uniquename, unique));
      const own = ["work365prerequisitechecklist", "work365setup"];
      return candidates.filter((s) => {
        const u = String(s.uniquename).toLowerCase();
        const f = String(s.friendlyname).toLowerCase();
        return (u.includes("work365") || f.includes("work365") || f.includes("work 365")) && !own.includes(u);
      });
    }
    case "organization":
      return [{ languagecode: tenant.baseLanguage }];
    case "team":
      return tenant.entraGroupTeams.slice(0, 1);
    case "usersettings": {
      const row = tenant.personalSettings[(literalAfter(options, "systemuserid_systemuser/domainname eq") ?? "").toLowerCase()];
      return row ? [row] : [];
    }
    case "timezonedefinition":
      return tenant.timeZones;
    case "asyncoperation": {
      const owner = (literalAfter(options, "owninguser/domainname eq") ?? "").toLowerCase();
      return tenant.systemJobs
        .filter((j) => j.owner === owner && j.statecode !== 3)
        .sort((a, b) => String(a.createdon).localeCompare(String(b.createdon)))
        .map(({ owner: _owner, statecode: _state, ...row }) => row);
    }
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Faults, as webAPI and fetch give them.

/** The read privilege Dataverse names for each read (the narrower reads' 403 names the team one). */
export const PRIVILEGE: Record<ReadKind, string> = {
  systemuser: "prvReadUser",
  role: "prvReadRole",
  fieldsecurityprofile: "prvReadFieldSecurityProfile",
  solution: "prvReadSolution",
  languages: "prvReadOrganization",
  organization: "prvReadOrganization",
  team: "prvReadTeam",
  "role-direct": "prvReadRole",
  "profile-direct": "prvReadFieldSecurityProfile",
  usersettings: "prvReadUserSettings",
  timezonedefinition: "prvReadTimeZoneDefinition",
  asyncoperation: "prvReadAsyncOperation",
};

const privilegeMessage = (privilege: string) =>
  `Principal user (Id=9a000000-0000-0000-0000-00000000000a, type=8, roleCount=1, privilegeCount=583, accessMode='0 Read-Write'), is missing ${privilege} privilege (Id=e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1036) on OTC=1036. Consider adding missed privilege to one of the principal (user/team) roles.`;
export const MESSAGES = {
  notFound: "Resource not found for the segment 'x'.",
  throttled: "Number of requests exceeded the limit of 6000 over time window of 300 seconds.",
  serverError: "An unexpected error occurred.",
  network: "Failed to fetch",
};
/** What `Retry-After` says on a throttled same-origin fetch. */
export const RETRY_AFTER_SECONDS = 3;

/** A webAPI rejection: `{errorCode, message}` with the code as a positive decimal. */
function webApiError(fault: FaultKind, kind: ReadKind): { errorCode: number; message: string } {
  switch (fault) {
    case "privilege":
      return { errorCode: 0x80040220, message: privilegeMessage(PRIVILEGE[kind]) };
    case "not-found":
      return { errorCode: 0x80040217, message: MESSAGES.notFound };
    case "throttle-once":
    case "throttle-always":
      return { errorCode: 0x80072322, message: MESSAGES.throttled };
    case "server-error":
      return { errorCode: 0x80040216, message: MESSAGES.serverError };
    default:
      // Network down: webAPI has no Dataverse code to give.
      return { errorCode: 0, message: MESSAGES.network };
  }
}

interface FakeResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
  headers: { get(name: string): string | null };
}

function response(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  const text = JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    json: async () => JSON.parse(text),
    text: async () => text,
    headers: { get: (name) => headers[Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ""] ?? null },
  };
}

function fetchFault(fault: FaultKind): FakeResponse {
  const error = (status: number, code: string, message: string, headers?: Record<string, string>) => response(status, { error: { code, message } }, headers);
  switch (fault) {
    case "privilege":
      return error(403, "0x80040220", privilegeMessage(PRIVILEGE.languages));
    case "not-found":
      return error(404, "0x80040217", MESSAGES.notFound);
    case "throttle-once":
    case "throttle-always":
      return error(429, "0x80072322", MESSAGES.throttled, { "Retry-After": String(RETRY_AFTER_SECONDS) });
    default:
      return error(500, "0x80040216", MESSAGES.serverError);
  }
}

// ---------------------------------------------------------------------------------------------
// The fake Dataverse: webAPI, fetch, and what they were asked.

export interface Call {
  kind: ReadKind;
  options: string;
  /** Fake time the call was made and answered (null: never answered). */
  startedAt: number;
  endedAt: number | null;
  fault: FaultKind | null;
}

export interface Dataverse {
  tenant: Tenant;
  faults: Partial<Record<ReadKind, FaultKind>>;
  /** Answers take this long (fake time). */
  latencyMs: number;
  /** A gate that holds every answer until opened (null: answer at once). */
  gate: Promise<void> | null;
  calls: Call[];
  inFlight: number;
  maxInFlight: number;
  /** The record's saved column value, as retrieveRecord reads it. */
  saved: string | null;
  /** retrieveRecord (the re-read before a write) takes this long (fake time). */
  recordLatencyMs: number;
  webAPI: {
    retrieveMultipleRecords: jest.Mock;
    retrieveRecord: jest.Mock;
    createRecord: jest.Mock;
    updateRecord: jest.Mock;
    deleteRecord: jest.Mock;
  };
  fetch: jest.Mock;
  callsOf(kind: ReadKind): Call[];
  /** Waits between the calls of a kind, in ms of fake time. */
  waitsOf(kind: ReadKind): number[];
  setFault(kind: ReadKind, fault: FaultKind): void;
  clearFaults(): void;
}

export function fakeDataverse(tenant: Tenant = baseTenant()): Dataverse {
  const dv = {} as Dataverse;
  const throttledOnce = new Set<ReadKind>();

  async function serve<T>(kind: ReadKind, options: string, ok: () => T, fail: (fault: FaultKind) => Promise<T>): Promise<T> {
    const fault = dv.faults[kind] ?? null;
    const effective = fault === "throttle-once" && throttledOnce.has(kind) ? null : fault;
    if (effective === "throttle-once") throttledOnce.add(kind);
    const call: Call = { kind, options, startedAt: Date.now(), endedAt: null, fault: effective };
    dv.calls.push(call);
    dv.inFlight++;
    dv.maxInFlight = Math.max(dv.maxInFlight, dv.inFlight);
    if (effective === "hang") return new Promise<T>(() => undefined);
    try {
      if (dv.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, dv.latencyMs));
      else await Promise.resolve();
      if (dv.gate) await dv.gate;
      return effective ? await fail(effective) : ok();
    } finally {
      dv.inFlight--;
      call.endedAt = Date.now();
    }
  }

  Object.assign(dv, {
    tenant,
    faults: {},
    latencyMs: 0,
    gate: null,
    calls: [],
    inFlight: 0,
    maxInFlight: 0,
    saved: null,
    recordLatencyMs: 0,
    webAPI: {
      retrieveMultipleRecords: jest.fn((entity: string, options = "") => {
        const kind = kindOf(entity, options);
        return serve(
          kind,
          options,
          () => {
            if (!dv.tenant.canReadTeams && (kind === "role" || kind === "fieldsecurityprofile")) {
              throw webApiError("privilege", "team");
            }
            return { entities: answer(dv.tenant, kind, options) };
          },
          (fault) => Promise.reject(webApiError(fault, kind)),
        );
      }),
      retrieveRecord: jest.fn(async (entity: string, id: string, options?: string) => {
        if (entity !== RECORD.entity || id.toLowerCase() !== RECORD.id || options !== `?$select=${RECORD.column}`) {
          throw { errorCode: 0x80040217, message: `Unexpected retrieveRecord(${entity}, ${id}, ${options})` };
        }
        if (dv.recordLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, dv.recordLatencyMs));
        return { [RECORD.column]: dv.saved };
      }),
      createRecord: jest.fn(),
      updateRecord: jest.fn(),
      deleteRecord: jest.fn(),
    },
    fetch: jest.fn((url: string) => {
      if (!url.endsWith("/api/data/v9.2/RetrieveProvisionedLanguages()")) throw new Error(`Unexpected fetch ${url}`);
      return serve(
        "languages",
        url,
        () => response(200, { RetrieveProvisionedLanguages: dv.tenant.provisionedLanguages }),
        (fault) => (fault === "network" ? Promise.reject(new TypeError(MESSAGES.network)) : Promise.resolve(fetchFault(fault))),
      );
    }),
    callsOf: (kind: ReadKind) => dv.calls.filter((c) => c.kind === kind),
    waitsOf: (kind: ReadKind) => {
      const calls = dv.callsOf(kind);
      return calls.slice(1).map((c, i) => c.startedAt - (calls[i].endedAt ?? calls[i].startedAt));
    },
    setFault: (kind: ReadKind, fault: FaultKind) => {
      dv.faults[kind] = fault;
      throttledOnce.delete(kind);
    },
    clearFaults: () => {
      dv.faults = {};
      throttledOnce.clear();
    },
  });
  return dv;
}

/** Holds every answer from now on until the returned function is called. */
export function holdAnswers(dv: Dataverse): () => void {
  let open!: () => void;
  dv.gate = new Promise<void>((resolve) => (open = resolve));
  return () => {
    dv.gate = null;
    open();
  };
}

// ---------------------------------------------------------------------------------------------
// The form around the control.

export interface FormOptions {
  /** The bound column's value. */
  value?: string | null;
  serviceAccountUpn?: string | null;
  work365SolutionName?: string | null;
  adminProfileName?: string | null;
  salesRoleName?: string | null;
  maxLength?: number;
}

type Context = Parameters<PrerequisiteChecklist["init"]>[0];

export function fakeContext(dv: Dataverse, form: FormOptions): Context {
  const text = (raw: string | null | undefined) => ({ raw: raw ?? null, formatted: raw ?? "" });
  return {
    parameters: {
      checklistState: {
        ...text(form.value ?? null),
        attributes: { LogicalName: RECORD.column, MaxLength: form.maxLength ?? 1048576 },
        security: { editable: true, readable: true, secured: false },
      },
      serviceAccountUpn: text(form.serviceAccountUpn === undefined ? "w365serv@contoso.com" : form.serviceAccountUpn),
      work365SolutionName: text(form.work365SolutionName),
      adminProfileName: text(form.adminProfileName),
      salesRoleName: text(form.salesRoleName),
    },
    mode: { isControlDisabled: false, contextInfo: { entityId: `{${RECORD.id.toUpperCase()}}`, entityTypeName: RECORD.entity } },
    page: { getClientUrl: () => "https://contoso.crm.dynamics.com" },
    webAPI: dv.webAPI,
    resources: { getString: (key: string) => STRINGS.get(key) ?? `!${key}!` },
    userSettings: { userId: `{${ADMIN.id.toUpperCase()}}`, userName: ADMIN.name },
    formatting: { formatDateShort: (date: Date) => date.toISOString() },
    navigation: { openForm: jest.fn(), openUrl: jest.fn() },
  } as unknown as Context;
}

export interface Form {
  control: PrerequisiteChecklist;
  dv: Dataverse;
  notify: jest.Mock;
  options: FormOptions;
  /** updateView with changed form values (the platform does this after a save or a script's change). */
  update(changes: Partial<FormOptions>): void;
  /** The platform's answer to notifyOutputChanged: getOutputs, then updateView with the new value. */
  adoptOutput(): void;
  output(): { confirmations: Record<string, { confirmed: boolean; by: { id: string; name: string }; at: string }>; [key: string]: unknown } | null;
  unmount(): void;
}

/** init + updateView + render, as a model-driven form does; the first check starts at once. */
export function openForm(dv: Dataverse, options: FormOptions = {}): Form {
  const control = new PrerequisiteChecklist();
  const notify = jest.fn();
  let current: FormOptions = { ...options };
  dv.saved = options.value ?? null;
  const context = fakeContext(dv, current);
  control.init(context, notify);
  let view!: ReturnType<typeof render>;
  act(() => {
    view = render(control.updateView(context));
  });
  const form: Form = {
    control,
    dv,
    notify,
    get options() {
      return current;
    },
    update(changes) {
      current = { ...current, ...changes };
      act(() => {
        view.rerender(control.updateView(fakeContext(dv, current)));
      });
    },
    adoptOutput() {
      form.update({ value: control.getOutputs().checklistState ?? null });
    },
    output() {
      const text = control.getOutputs().checklistState;
      return text === undefined ? null : JSON.parse(text);
    },
    unmount() {
      act(() => view.unmount());
    },
  };
  return form;
}

// ---------------------------------------------------------------------------------------------
// Reading the DOM.

export const root = () => document.querySelector(".w365-checklist");
export const row = (id: ItemId) => document.querySelector(`[data-item-id="${id}"]`) as HTMLElement;
export const statusOf = (id: ItemId) => row(id)?.getAttribute("data-status") ?? null;
export const reasonOf = (id: ItemId) => row(id)?.querySelector("[data-reason]")?.textContent ?? "";
export const stage = () => root()?.getAttribute("data-stage") ?? null;
export const checkAgainButton = () => document.querySelector('[data-action="check-again"]') as HTMLButtonElement;

export function statuses(): Statuses {
  return Object.fromEntries(ITEM_IDS.map((id) => [id, statusOf(id)])) as Statuses;
}

export function isComplete(): boolean {
  if (!root() || stage() === "loading") return false;
  if (ITEM_IDS.some((id) => !statusOf(id))) return false;
  return !!checkAgainButton() && !checkAgainButton().disabled;
}

/** A part's checkbox (premium-licences: its "assigned" answer). */
export function tickBox(key: string): HTMLInputElement {
  const part = document.querySelector(`[data-part="${key}"]`);
  if (!part) throw new Error(`No part ${key} on screen`);
  const input = key === "premium-licences" ? part.querySelectorAll("input[type=radio]")[0] : part.querySelector("input[type=checkbox]");
  return input as HTMLInputElement;
}

// ---------------------------------------------------------------------------------------------
// Time.

/** Lets the fake clock run `ms`, flushing promises between timers, inside act. */
export async function advance(ms: number): Promise<void> {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

/** Runs the fake clock until the checklist is complete (or the budget is spent); returns the fake ms it took. */
export async function settle(budgetMs = 120_000, stepMs = 250): Promise<number> {
  const start = Date.now();
  await advance(0);
  while (!isComplete() && Date.now() - start < budgetMs) await advance(stepMs);
  if (!isComplete()) throw new Error(`The checklist was not complete after ${budgetMs} ms of fake time (stage ${stage()}).`);
  return Date.now() - start;
}

/** A click, and the promises it starts, inside act. */
export async function click(element: Element): Promise<void> {
  await act(async () => {
    fireEvent.click(element);
    await jest.advanceTimersByTimeAsync(0);
  });
}

/** One real turn of the event loop, so Node reports unhandled rejections. */
export const realTurn = () => new Promise((resolve) => realSetImmediate(resolve));

// ---------------------------------------------------------------------------------------------
// Guards: no unhandled rejection, no console.error (React's warnings go there).

export interface Guards {
  rejections: unknown[];
  errors: unknown[][];
}

/** What tests/faults/environment.cjs records: the worker's unhandled rejections during this test. */
const unhandledRejections = (): unknown[] => (globalThis as unknown as { __unhandledRejections?: unknown[] }).__unhandledRejections ?? [];

/**
 * Installs the fake clock, global.fetch and the guards around every test of the calling file
 * (which must run in tests/faults/environment.cjs: `@jest-environment ./tests/faults/environment.cjs`).
 */
export function useFaultHarness(): { guards: Guards; dataverse(tenant?: Tenant): Dataverse } {
  const guards: Guards = { rejections: unhandledRejections(), errors: [] };
  let errorSpy: jest.SpyInstance;

  beforeAll(() => {
    if (!("__unhandledRejections" in globalThis)) throw new Error("Run this file in tests/faults/environment.cjs (see its docblock).");
  });

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW });
    guards.rejections = unhandledRejections();
    guards.errors.length = 0;
    errorSpy = jest.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      guards.errors.push(args);
    });
  });

  afterEach(async () => {
    jest.useRealTimers();
    // Node reports an unhandled rejection after a turn of the event loop.
    await realTurn();
    await realTurn();
    errorSpy.mockRestore();
    expect(guards.rejections).toEqual([]);
    expect(guards.errors).toEqual([]);
  });

  return {
    guards,
    dataverse(tenant?: Tenant) {
      const dv = fakeDataverse(tenant);
      global.fetch = ((url: string) => dv.fetch(url)) as unknown as typeof fetch;
      return dv;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Stored state.

export const by = { id: ADMIN.id, name: ADMIN.name };
export const tick = (at: string, extra: Row = {}) => ({ confirmed: true, by: { id: "7b000000-0000-0000-0000-000000000007", name: "Sam Other" }, at, ...extra });

/** Confirmations made by another admin the day before: they must survive every fault. */
export const STORED_TICKS: Record<string, Row> = {
  "premium-licences": tick("2026-11-26T08:00:00.000Z", { answer: "assigned" }),
  "mfa-policies": tick("2026-11-26T08:01:00.000Z"),
  "mfa-registration/service-account": tick("2026-11-26T08:20:00.000Z"),
  "service-account-licence/customer-engagement": tick("2026-11-26T08:21:00.000Z"),
  "service-account-mfa": tick("2026-11-26T08:22:00.000Z"),
  "global-admin/granted": tick("2026-11-26T08:23:00.000Z"),
};

export const storedState = (confirmations: Record<string, Row> = STORED_TICKS, settings: Row = {}) =>
  JSON.stringify({ version: 1, settings, confirmations });
