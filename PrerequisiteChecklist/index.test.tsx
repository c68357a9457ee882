/**
 * @jest-environment jsdom
 */
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import * as fs from "fs";
import * as path from "path";
import type { IInputs } from "./generated/ManifestTypes";
import { PrerequisiteChecklist } from "./index";
import { CONTROL_VERSION } from "./version";

const RESX = fs.readFileSync(path.join(__dirname, "strings/PrerequisiteChecklist.1033.resx"), "utf8");
const STRINGS = new Map([...RESX.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [m[1], unescapeXml(m[2])]));
function unescapeXml(text: string) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

const SERVICE_ACCOUNT = {
  systemuserid: "0c3a5d4e-1111-4c1e-9a55-000000000001",
  fullname: '<img src=x onerror="window.__xss=1">Work 365 Service',
  domainname: "w365serv@contoso.com",
  isdisabled: false,
  islicensed: true,
  accessmode: 0,
  applicationid: null,
};

/** Answers like Dataverse for a tenant that is ready to install, and records what was asked. */
function fakeWebApi() {
  const requests: string[] = [];
  let saved: string | null = null;
  const rows: Record<string, Record<string, unknown>[]> = {
    systemuser: [SERVICE_ACCOUNT],
    role: [{ roleid: "r1", name: "System Administrator", _roletemplateid_value: "627090ff-40a3-4053-8790-584edc5be201", _businessunitid_value: "b1" }],
    fieldsecurityprofile: [],
    solution: [],
    organization: [{ languagecode: 1033 }],
    team: [],
    usersettings: [{ systemuserid: "0c3a5d4e-1111-4c1e-9a55-000000000001", localeid: 1033, timezonecode: 35 }],
    timezonedefinition: [{ timezonecode: 35, userinterfacename: "(GMT-05:00) Eastern Time (US & Canada)" }],
  };
  const webAPI = {
    retrieveMultipleRecords: jest.fn(async (entity: string, options?: string) => {
      requests.push(`${entity}${options ?? ""}`);
      return { entities: rows[entity] ?? [] };
    }),
    retrieveRecord: jest.fn(async (_entity: string, _id: string) => ({ w365_checkliststate: saved })),
    createRecord: jest.fn(),
    updateRecord: jest.fn(),
    deleteRecord: jest.fn(),
  };
  return { webAPI, requests, save: (value: string | null) => (saved = value) };
}

function fakeContext(webAPI: ReturnType<typeof fakeWebApi>["webAPI"], value: string | null, options: { disabled?: boolean; editable?: boolean } = {}) {
  const text = (raw: string | null) => ({ raw, formatted: raw ?? "" });
  return {
    parameters: {
      checklistState: { ...text(value), attributes: { LogicalName: "w365_checkliststate", MaxLength: 1048576 }, security: { editable: options.editable ?? true, readable: true, secured: false } },
      serviceAccountUpn: text("w365serv@contoso.com"),
      work365SolutionName: text(null),
      adminProfileName: text(null),
      salesRoleName: text(null),
    } as unknown as IInputs,
    mode: { isControlDisabled: options.disabled ?? false, contextInfo: { entityId: "{6E2C0000-0000-0000-0000-000000000001}", entityTypeName: "w365_setup" } },
    page: { getClientUrl: () => "https://contoso.crm.dynamics.com" },
    webAPI,
    resources: { getString: (key: string) => STRINGS.get(key) ?? `!${key}!` },
    userSettings: { userId: "{9A000000-0000-0000-0000-00000000000A}", userName: "Dana Admin" },
    formatting: { formatDateShort: (date: Date) => date.toISOString() },
    navigation: { openForm: jest.fn(), openUrl: jest.fn() },
  } as unknown as ComponentFramework.Context<IInputs>;
}

beforeEach(() => {
  // Same-origin fetch of RetrieveProvisionedLanguages().
  const body = { RetrieveProvisionedLanguages: [1033] };
  global.fetch = jest.fn(async () => ({ ok: true, status: 200, json: async () => body, text: async () => JSON.stringify(body), headers: { get: () => null } })) as unknown as typeof fetch;
});

const row = (id: string) => document.querySelector(`[data-item-id="${id}"]`)!;

describe("the control's lifecycle", () => {
  it("init → updateView → tick → getOutputs, with the real resx strings", async () => {
    const api = fakeWebApi();
    const control = new PrerequisiteChecklist();
    const notify = jest.fn();
    const context = fakeContext(api.webAPI, null);
    control.init(context, notify);
    const view = render(control.updateView(context));

    await waitFor(() => expect(row("service-account").getAttribute("data-status")).toBe("met"));
    expect(document.querySelector(".w365-checklist")!.getAttribute("data-stage")).toBe("before-install");
    expect(document.querySelectorAll("[data-item-id]")).toHaveLength(18);
    expect(row("system-administrator-role").getAttribute("data-status")).toBe("met");
    expect(row("english-language").getAttribute("data-status")).toBe("met");
    expect(row("service-account-mfa").getAttribute("data-status")).toBe("needs-confirmation");
    expect(screen.getAllByText("Needs you").length).toBeGreaterThan(0);
    // Names read from Dataverse are text, never markup.
    expect(screen.getByText(/<img src=x onerror="window.__xss=1">Work 365 Service/)).toBeTruthy();
    expect(document.querySelector("img")).toBeNull();
    // Opening the form never makes it dirty.
    expect(notify).not.toHaveBeenCalled();
    expect(document.body.textContent).not.toMatch(/![A-Z][A-Za-z_]+!/);

    // The common case: one round of seven requests (six through webAPI, the languages through fetch).
    expect(api.requests.map((r) => r.split("?")[0]).sort()).toEqual(["fieldsecurityprofile", "role", "solution", "systemuser", "timezonedefinition", "usersettings"]);
    expect(global.fetch).toHaveBeenCalledWith("https://contoso.crm.dynamics.com/api/data/v9.2/RetrieveProvisionedLanguages()", expect.anything());

    api.save(JSON.stringify({ version: 1, settings: {}, confirmations: { "mfa-policies": { confirmed: true, by: { id: "x", name: "Sam Other" }, at: "2026-01-01T00:00:00Z" } } }));
    const tick = row("service-account-mfa").querySelector("input[type=checkbox]")!;
    await act(async () => {
      fireEvent.click(tick);
    });
    await waitFor(() => expect(notify).toHaveBeenCalledTimes(1));
    expect(api.webAPI.retrieveRecord).toHaveBeenCalledWith("w365_setup", "6E2C0000-0000-0000-0000-000000000001", "?$select=w365_checkliststate");
    const output = JSON.parse(control.getOutputs().checklistState!);
    expect(output.confirmations["service-account-mfa"]).toMatchObject({ confirmed: true, by: { id: "9a000000-0000-0000-0000-00000000000a", name: "Dana Admin" } });
    expect(output.confirmations["mfa-policies"].by.name).toBe("Sam Other");

    // The platform hands the new value back through updateView.
    view.rerender(control.updateView(fakeContext(api.webAPI, control.getOutputs().checklistState!)));
    await waitFor(() => expect(row("service-account-mfa").getAttribute("data-status")).toBe("confirmed"));
    expect(row("service-account-mfa").textContent).toMatch(/Confirmed by Dana Admin/);
    expect(screen.getByText(/not saved yet/)).toBeTruthy();

    control.destroy();
    view.unmount();
  });

  it("copies a readiness report for a support ticket", async () => {
    const api = fakeWebApi();
    const control = new PrerequisiteChecklist();
    const context = fakeContext(api.webAPI, null);
    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    control.init(context, jest.fn());
    const view = render(control.updateView(context));
    await waitFor(() => expect(row("service-account").getAttribute("data-status")).toBe("met"));
    await act(async () => {
      fireEvent.click(screen.getByText("Copy report"));
    });
    const report = (writeText.mock.calls[0] as unknown as [string])[0];
    expect(report).toMatch(/^Work 365 prerequisite checklist: readiness report\nEnvironment: https:\/\/contoso\.crm\.dynamics\.com\n/);
    expect(report).toContain(`Checklist control: ${CONTROL_VERSION}`);
    expect(report).toContain("Service account: w365serv@contoso.com");
    expect(report).toContain("- [Met] English (1033) is enabled in Dynamics 365");
    expect(await screen.findByText("Report copied.")).toBeTruthy();
    control.destroy();
    view.unmount();
  });

  it("is read-only when the control is disabled or the column is not editable, re-read on every updateView", async () => {
    const api = fakeWebApi();
    const control = new PrerequisiteChecklist();
    const notify = jest.fn();
    const editable = fakeContext(api.webAPI, null);
    control.init(editable, notify);
    const view = render(control.updateView(fakeContext(api.webAPI, null, { editable: false })));
    await waitFor(() => expect(row("service-account").getAttribute("data-status")).toBe("met"));
    const tick = row("service-account-mfa").querySelector("input[type=checkbox]") as HTMLInputElement;
    expect(tick.disabled).toBe(true);
    fireEvent.click(tick);
    expect(notify).not.toHaveBeenCalled();

    view.rerender(control.updateView(editable));
    expect((row("service-account-mfa").querySelector("input[type=checkbox]") as HTMLInputElement).disabled).toBe(false);
    view.rerender(control.updateView(fakeContext(api.webAPI, null, { disabled: true })));
    expect((row("service-account-mfa").querySelector("input[type=checkbox]") as HTMLInputElement).disabled).toBe(true);
    control.destroy();
    view.unmount();
  });

  it("shows a stored value it cannot read as a warning and changes nothing until reset", async () => {
    const api = fakeWebApi();
    const control = new PrerequisiteChecklist();
    const notify = jest.fn();
    const context = fakeContext(api.webAPI, "{corrupt");
    control.init(context, notify);
    const view = render(control.updateView(context));
    await waitFor(() => expect(row("service-account").getAttribute("data-status")).toBe("met"));
    expect(screen.getByText(/not valid JSON/)).toBeTruthy();
    expect((row("service-account-mfa").querySelector("input[type=checkbox]") as HTMLInputElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByText("Reset the checklist"));
    });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(JSON.parse(control.getOutputs().checklistState!)).toEqual({ version: 1, settings: {}, confirmations: {} });
    control.destroy();
    view.unmount();
  });
});

describe("what the preflight read from Microsoft Graph", () => {
  it("shows each row's source, the reading's author and time, and keeps the evidence through a tick", async () => {
    const { graphEvidence, graphFacts } = await import("./checklist/testing");
    const readAt = new Date(Date.now() - 60 * 60_000).toISOString();
    const stored = JSON.stringify({ version: 1, settings: {}, confirmations: {}, evidence: { graph: graphEvidence(graphFacts(), readAt) } });
    const api = fakeWebApi();
    api.save(stored);
    const control = new PrerequisiteChecklist();
    const notify = jest.fn();
    const context = fakeContext(api.webAPI, stored);
    control.init(context, notify);
    const view = render(control.updateView(context));

    await waitFor(() => expect(row("service-account").getAttribute("data-status")).toBe("met"));
    expect(row("service-account").getAttribute("data-source")).toBe("dataverse");
    expect(row("service-account").querySelector("[data-source-line]")!.textContent).toMatch(/^Read from Dataverse/);
    expect(row("service-account-mfa").getAttribute("data-status")).toBe("met");
    expect(row("service-account-mfa").getAttribute("data-source")).toBe("graph");
    expect(row("service-account-mfa").querySelector("[data-source-line]")!.textContent).toMatch(/Read from Microsoft Entra ID by the preflight, .*, by Dana Admin\./);
    expect(row("mfa-registration").querySelector('[data-part="mfa-registration/service-account"]')!.getAttribute("data-source")).toBe("graph");
    // Each of several parts says what was read for it; a single part's reading is the row's reason already.
    expect(row("mfa-registration").querySelectorAll("[data-part-reading]")).toHaveLength(2);
    expect(row("service-account-mfa").querySelectorAll("[data-part-reading]")).toHaveLength(0);
    expect(row("mfa-policy-wait").getAttribute("data-source")).toBe("derived");
    expect(row("partner-center").getAttribute("data-source")).toBe("none");
    // MessageBar renders its text a moment later, for screen readers.
    await waitFor(() => expect(document.querySelector("[data-graph-reading]")!.textContent).toMatch(/Check again re-reads Dataverse only/));
    expect(notify).not.toHaveBeenCalled();

    // A tick keeps the evidence: it is merged, never dropped.
    await act(async () => {
      fireEvent.click(row("global-admin").querySelector("input[type=checkbox]")!);
    });
    await waitFor(() => expect(notify).toHaveBeenCalled());
    expect(JSON.parse(control.getOutputs().checklistState!).evidence).toEqual(JSON.parse(stored).evidence);

    control.destroy();
    view.unmount();
  });

  it("marks a reading older than seven days as stale, and still counts it", async () => {
    const { graphEvidence, graphFacts } = await import("./checklist/testing");
    const readAt = new Date(Date.now() - 9 * 86_400_000).toISOString();
    const stored = JSON.stringify({ version: 1, settings: {}, confirmations: {}, evidence: { graph: graphEvidence(graphFacts(), readAt) } });
    const api = fakeWebApi();
    const control = new PrerequisiteChecklist();
    const context = fakeContext(api.webAPI, stored);
    control.init(context, jest.fn());
    const view = render(control.updateView(context));
    await waitFor(() => expect(row("service-account-mfa").getAttribute("data-status")).toBe("met"));
    expect(document.querySelector("[data-graph-reading]")!.getAttribute("data-graph-reading")).toBe("stale");
    expect(row("service-account-mfa").querySelector("[data-source-line]")!.textContent).toMatch(/9 days ago\. It still counts; run the preflight again/);
    control.destroy();
    view.unmount();
  });
});
