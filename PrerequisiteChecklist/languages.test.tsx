/**
 * @jest-environment jsdom
 */
/**
 * The control in the user's language, through the real lifecycle: the resx of `userSettings.languageId`
 * as the platform serves it (a missing key answers the key itself), English where a key is missing,
 * and right to left when `userSettings.isRTL`.
 */
import { getRTL } from "@fluentui/react";
import { act, render, waitFor } from "@testing-library/react";
import * as fs from "fs";
import * as path from "path";
import { DecompressionStream, ReadableStream, TextDecoderStream } from "stream/web";
import type { IInputs } from "./generated/ManifestTypes";
import { PrerequisiteChecklist } from "./index";

// jsdom has no web streams; the browser's DecompressionStream unpacks the English (components/strings.ts).
Object.assign(globalThis, { ReadableStream, DecompressionStream, TextDecoderStream });

function resx(lcid: number): Map<string, string> {
  const text = fs.readFileSync(path.join(__dirname, `strings/PrerequisiteChecklist.${lcid}.resx`), "utf8");
  const unescape = (value: string) => value.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  return new Map([...text.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [m[1], unescape(m[2])]));
}
const ENGLISH = resx(1033);

function fakeWebApi() {
  const rows: Record<string, Record<string, unknown>[]> = {
    systemuser: [{ systemuserid: "0c3a5d4e-1111-4c1e-9a55-000000000001", fullname: "Work 365 Service", domainname: "w365serv@contoso.com", isdisabled: false, islicensed: true, accessmode: 0, applicationid: null }],
    role: [{ roleid: "r1", name: "System Administrator", _roletemplateid_value: "627090ff-40a3-4053-8790-584edc5be201", _businessunitid_value: "b1" }],
    organization: [{ languagecode: 1033 }],
  };
  return {
    retrieveMultipleRecords: jest.fn(async (entity: string) => ({ entities: rows[entity] ?? [] })),
    retrieveRecord: jest.fn(async () => ({ w365_checkliststate: null })),
    createRecord: jest.fn(),
    updateRecord: jest.fn(),
    deleteRecord: jest.fn(),
  };
}

/** A context as Dataverse gives it to a user of `lcid`; `missing` keys are absent from that language's resx. */
function fakeContext(lcid: number, isRTL: boolean, missing: string[], requestRender: () => void) {
  // A language without a file of its own gets the English file.
  const strings = fs.existsSync(path.join(__dirname, `strings/PrerequisiteChecklist.${lcid}.resx`)) ? resx(lcid) : ENGLISH;
  const text = (raw: string | null) => ({ raw, formatted: raw ?? "" });
  return {
    parameters: {
      checklistState: { ...text(null), attributes: { LogicalName: "w365_checkliststate", MaxLength: 1048576 }, security: { editable: true, readable: true, secured: false } },
      serviceAccountUpn: text("w365serv@contoso.com"),
      work365SolutionName: text(null),
      adminProfileName: text(null),
      salesRoleName: text(null),
    } as unknown as IInputs,
    mode: { isControlDisabled: false, contextInfo: { entityId: "{6E2C0000-0000-0000-0000-000000000001}", entityTypeName: "w365_setup" } },
    page: { getClientUrl: () => "https://contoso.crm.dynamics.com" },
    webAPI: fakeWebApi(),
    // As the platform: the key itself when the user's resx has no such key.
    resources: { getString: (key: string) => (missing.includes(key) ? key : (strings.get(key) ?? key)) },
    userSettings: { userId: "{9A000000-0000-0000-0000-00000000000A}", userName: "Dana Admin", languageId: lcid, isRTL },
    formatting: { formatDateShort: (date: Date) => date.toISOString() },
    navigation: { openForm: jest.fn(), openUrl: jest.fn() },
    factory: { requestRender },
  } as unknown as ComponentFramework.Context<IInputs>;
}

beforeEach(() => {
  const body = { RetrieveProvisionedLanguages: [1033] };
  global.fetch = jest.fn(async () => ({ ok: true, status: 200, json: async () => body, text: async () => JSON.stringify(body), headers: { get: () => null } })) as unknown as typeof fetch;
});

/** Opens the control like the platform: init, updateView, and updateView again whenever it asks for a render. */
async function open(lcid: number, isRTL: boolean, missing: string[] = []) {
  const control = new PrerequisiteChecklist();
  const requestRender = jest.fn(() => view.rerender(control.updateView(context)));
  const context = fakeContext(lcid, isRTL, missing, requestRender);
  control.init(context, jest.fn());
  const view = render(control.updateView(context));
  await waitFor(() => expect(document.querySelector(".w365-checklist")!.getAttribute("data-stage")).toBe("before-install"));
  return { control, view, requestRender, root: document.querySelector(".w365-checklist")! };
}

const keyShaped = /\b[A-Z][A-Za-z0-9]*_[A-Z][A-Za-z0-9_]*\b/;

afterEach(() => document.body.replaceChildren());

describe("the user's language", () => {
  it("German: the German resx, marked de-DE, left to right", async () => {
    const german = resx(1031);
    const { root } = await open(1031, false);
    const wrapper = root.closest("[lang]")!;
    expect([wrapper.getAttribute("lang"), wrapper.getAttribute("dir")]).toEqual(["de-DE", "ltr"]);
    expect(root.querySelector('[data-item-id="service-account"] [data-status-text]')!.textContent).toBe(german.get("Status_Met"));
    expect(root.querySelector('[data-action="check-again"]')!.textContent).toBe(german.get("Button_CheckAgain"));
    expect(german.get("Button_CheckAgain")).not.toBe(ENGLISH.get("Button_CheckAgain"));
    expect(root.textContent).not.toMatch(keyShaped);
  });

  it("a key missing in German reads in English, never as the key", async () => {
    const german = resx(1031);
    const { root, requestRender } = await open(1031, false, ["Button_CheckAgain", "Status_Met", "Item_ServiceAccount_Title"]);
    // Unpacking the English takes a moment; the key is never shown meanwhile.
    expect(root.textContent).not.toMatch(keyShaped);
    await waitFor(() => expect(requestRender).toHaveBeenCalled());
    const row = document.querySelector('[data-item-id="service-account"]')!;
    expect(row.querySelector("[data-status-text]")!.textContent).toBe(ENGLISH.get("Status_Met"));
    expect(row.textContent).toContain(ENGLISH.get("Item_ServiceAccount_Title"));
    expect(document.querySelector('[data-action="check-again"]')!.textContent).toBe(ENGLISH.get("Button_CheckAgain"));
    // The rest stays German.
    expect(document.querySelector('[data-action="copy-report"]')!.textContent).toBe(german.get("Button_CopyReport"));
    expect(document.body.textContent).not.toMatch(keyShaped);
  });

  it("a language the control does not ship (Russian) reads and is marked English", async () => {
    const { root } = await open(1049, false);
    expect(root.closest("[lang]")!.getAttribute("lang")).toBe("en-US");
    expect(root.querySelector('[data-action="check-again"]')!.textContent).toBe(ENGLISH.get("Button_CheckAgain"));
  });
});

describe("right to left", () => {
  it.each([
    [1025, "ar-SA"],
    [1037, "he-IL"],
  ])("%s: the control, and only the control, is right to left", async (lcid, tag) => {
    const strings = resx(lcid);
    const { root, control } = await open(lcid, true);
    const wrapper = root.closest("[dir]")!;
    expect([wrapper.getAttribute("dir"), wrapper.getAttribute("lang")]).toEqual(["rtl", tag]);
    expect(root.querySelector('[data-item-id="service-account"] [data-status-text]')!.textContent).toBe(strings.get("Status_Met"));
    // Through the control's own Fluent theme: the page (and Fluent's page-wide setting) stay as they are.
    expect(getRTL()).toBe(false);
    expect(document.documentElement.getAttribute("dir")).toBeNull();
    expect(document.body.getAttribute("dir")).toBeNull();
    act(() => control.destroy());
  });
});
