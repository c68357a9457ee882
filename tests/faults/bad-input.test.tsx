/**
 * @jest-environment ./tests/faults/environment.cjs
 */
/**
 * Bad input, in the real control: odd UPNs, stored values this version cannot use, names that
 * match nothing. Each gets a clear message (the visible text is asserted), and nothing the admin
 * confirmed is lost.
 */
import { act, fireEvent } from "@testing-library/react";
import {
  ADMIN_PROFILE,
  SALES_ROLE,
  STORED_TICKS,
  SYSADMIN_ROLE,
  advance,
  baseTenant,
  click,
  noHoldings,
  openForm,
  reasonOf,
  serviceAccount,
  settle,
  stage,
  statusOf,
  storedState,
  tickBox,
  useFaultHarness,
  WORK365_APP_USER,
  type Dataverse,
  type Form,
  type Tenant,
} from "./harness";

const harness = useFaultHarness();

const NEW_TICK = "mfa-registration/global-administrator";
const text = () => document.body.textContent ?? "";

/** The stored ticks are shown; a new tick reaches getOutputs together with them (and with anything else stored). */
async function expectNothingLost(form: Form, keys: string[] = Object.keys(STORED_TICKS)) {
  const stored = (JSON.parse(form.options.value ?? "null") as { confirmations?: Record<string, unknown> } | null)?.confirmations ?? {};
  for (const key of keys) expect(tickBox(key).checked).toBe(true);
  await click(tickBox(NEW_TICK));
  await settle();
  expect(form.notify).toHaveBeenCalled();
  const output = form.output()!;
  expect(Object.keys(output.confirmations)).toEqual(expect.arrayContaining([...keys, NEW_TICK]));
  for (const key of keys) expect(output.confirmations[key]).toEqual(stored[key]);
  return output;
}

/** A tenant whose service account has this UPN (and holds System Administrator directly). */
function tenantWithUpn(upn: string): Tenant {
  return {
    ...baseTenant(),
    users: [serviceAccount({ domainname: upn }), WORK365_APP_USER],
    holdings: { [upn.toLowerCase()]: { ...noHoldings(), rolesDirect: [SYSADMIN_ROLE] } },
  };
}

const optionsOf = (dv: Dataverse, kind: "systemuser" | "role" | "fieldsecurityprofile") => dv.callsOf(kind).map((c) => c.options);

describe("the service account's UPN", () => {
  it.each([
    ["empty", null],
    ["empty string", ""],
    ["only spaces", "   "],
  ])("%s: says to type it, reads nobody, and the dependent items wait", async (_name, upn) => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: upn });
    await settle();
    expect(statusOf("service-account")).toBe("not-met");
    expect(reasonOf("service-account")).toBe("No service account named yet: type its UPN above.");
    for (const id of ["service-account-licence", "system-administrator-role", "admin-field-security-profile", "sales-role"] as const) {
      expect(statusOf(id)).toBe("pending");
      expect(reasonOf(id)).toBe("Type the service account's UPN above first.");
    }
    // Only the application users, the solutions and the languages are read.
    expect(dv.calls.map((c) => c.kind).sort()).toEqual(["languages", "solution", "systemuser"]);
    expect(optionsOf(dv, "systemuser")[0]).not.toContain("domainname eq");
    expect(document.querySelector<HTMLInputElement>('[data-setting="upn"] input, input[data-setting="upn"]')).not.toBeNull();
    await expectNothingLost(form);
  });

  it("with a quote: the filter doubles it, and the account is found", async () => {
    const upn = "o'brien@contoso.com";
    const dv = harness.dataverse(tenantWithUpn(upn));
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: upn });
    await settle();
    const literal = "'o''brien%40contoso.com'";
    expect(optionsOf(dv, "systemuser")[0]).toContain(`domainname eq ${literal}`);
    expect(optionsOf(dv, "role")[0]!.split(literal)).toHaveLength(3);
    expect(optionsOf(dv, "fieldsecurityprofile")[0]!.split(literal)).toHaveLength(3);
    expect(statusOf("service-account")).toBe("met");
    expect(reasonOf("service-account")).toBe("Work 365 Service (o'brien@contoso.com) is in this environment.");
    expect(statusOf("system-administrator-role")).toBe("met");
    await expectNothingLost(form);
  });

  it("with spaces around it: trimmed before it is read", async () => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: "  w365serv@contoso.com \t" });
    await settle();
    expect(optionsOf(dv, "systemuser")[0]).toContain("domainname eq 'w365serv%40contoso.com' or");
    expect(statusOf("service-account")).toBe("met");
    expect(reasonOf("service-account")).toBe("Work 365 Service (w365serv@contoso.com) is in this environment.");
    await expectNothingLost(form);
  });

  it("typed with spaces around it: stored trimmed, read trimmed", async () => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: null });
    await settle();
    const field = document.querySelector<HTMLInputElement>("input[data-setting='upn'], [data-setting='upn'] input")!;
    act(() => {
      fireEvent.change(field, { target: { value: "  w365serv@contoso.com  " } });
    });
    await act(async () => {
      fireEvent.keyDown(field, { key: "Enter" });
      await jest.advanceTimersByTimeAsync(0);
    });
    await settle();
    expect(statusOf("service-account")).toBe("met");
    expect(optionsOf(dv, "systemuser").at(-1)).toContain("domainname eq 'w365serv%40contoso.com' or");
    const output = form.output()!;
    expect((output.settings as { serviceAccountUpn: string }).serviceAccountUpn).toBe("w365serv@contoso.com");
    expect(Object.keys(output.confirmations).sort()).toEqual(Object.keys(STORED_TICKS).sort());
  });

  it("in upper case: matches the lower-case domainname (Dataverse compares case-insensitively)", async () => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: "W365SERV@CONTOSO.COM" });
    await settle();
    expect(optionsOf(dv, "systemuser")[0]).toContain("domainname eq 'W365SERV%40CONTOSO.COM'");
    expect(statusOf("service-account")).toBe("met");
    expect(reasonOf("service-account")).toBe("Work 365 Service (w365serv@contoso.com) is in this environment.");
    expect(statusOf("system-administrator-role")).toBe("met");
    // Installed by the service account, whatever the UPN's case.
    expect(statusOf("work365-installed")).toBe("met");
    await expectNothingLost(form);
  });

  it.each([["jürgen.müller@contoso.com"], ["δοκιμή@παράδειγμα.ελ"], ["用户@例子.公司"]])("non-ASCII %s: percent-encoded, found", async (upn) => {
    const dv = harness.dataverse(tenantWithUpn(upn));
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: upn });
    await settle();
    const options = optionsOf(dv, "systemuser")[0]!;
    expect(options).toContain(`domainname eq '${encodeURIComponent(upn)}'`);
    expect(options).toMatch(/^[\x20-\x7e]*$/);
    expect(statusOf("service-account")).toBe("met");
    expect(reasonOf("service-account")).toBe(`Work 365 Service (${upn}) is in this environment.`);
    await expectNothingLost(form);
  });

  it("that matches nobody: not met, and says why a new user may not be there yet", async () => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(), serviceAccountUpn: "nobody@contoso.com" });
    await settle();
    expect(statusOf("service-account")).toBe("not-met");
    expect(reasonOf("service-account")).toBe(
      "No user with the UPN nobody@contoso.com is in this environment. A new user can take 10–15 minutes to reach Dynamics 365, and must be in the environment's security group if it has one.",
    );
    expect(statusOf("service-account-licence")).toBe("pending");
    expect(reasonOf("service-account-licence")).toBe("Waiting for the service account to exist in Dynamics 365.");
    await expectNothingLost(form);
  });
});

describe("the stored state", () => {
  it.each([
    ["empty", ""],
    ["null", null],
    ["JSON null", "null"],
    ["spaces", "  \n "],
  ])("%s: an empty checklist, no warning, and the first tick is written", async (_name, value) => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value });
    await settle();
    expect(document.querySelector("[data-stored-state]")).toBeNull();
    expect(statusOf("service-account-mfa")).toBe("needs-confirmation");
    expect(form.notify).not.toHaveBeenCalled();
    await click(tickBox("service-account-mfa"));
    await settle();
    expect(form.output()).toMatchObject({ version: 1, confirmations: { "service-account-mfa": { confirmed: true } } });
  });

  it.each([
    ["not JSON", '{"version":1,"confirmations":{"service-account-mfa":', "not-json", "The saved checklist is not readable (not valid JSON). It is left as it is; reset the checklist to start again."],
    [
      "of a newer version",
      JSON.stringify({ version: 2, confirmations: { "service-account-mfa": { confirmed: true } }, layout: "v2" }),
      "newer-version",
      "The checklist was saved by a newer version of this control (format 2). It is left as it is; update the control, or reset the checklist.",
    ],
    ["not a checklist", JSON.stringify(["a", "list"]), "not-a-checklist", "The saved value is not a checklist this control knows. It is left as it is; reset the checklist to start again."],
  ])("%s: a warning, the checks still run, and the value is left alone", async (_name, value, kind, message) => {
    const dv = harness.dataverse();
    const form = openForm(dv, { value });
    await settle();
    const warning = document.querySelector(`[data-stored-state="${kind}"]`);
    expect(warning?.textContent).toContain(message);
    expect(statusOf("service-account")).toBe("met");
    expect(stage()).toBe("awaiting-consent");
    // Nothing can change it by accident: the ticks are disabled, and nothing is written.
    expect(tickBox("service-account-mfa").disabled).toBe(true);
    fireEvent.click(tickBox("service-account-mfa"));
    await advance(1000);
    form.update({ value });
    await advance(1000);
    expect(form.notify).not.toHaveBeenCalled();
    expect(form.control.getOutputs().checklistState).toBeUndefined();
  });

  it("with keys this version does not know: kept when a tick is written", async () => {
    const stored = {
      version: 1,
      layout: { collapsed: ["after-consent"] },
      settings: { serviceAccountUpn: "w365serv@contoso.com", partnerTier: "indirect", theme: "dark", changedAt: "2026-11-26T08:00:00.000Z" },
      confirmations: { ...STORED_TICKS, "future-item/part": { confirmed: true, by: { id: "x", name: "Sam Other" }, at: "2026-11-26T08:30:00.000Z", note: "kept" } },
    };
    const value = JSON.stringify(stored);
    const dv = harness.dataverse();
    const form = openForm(dv, { value, serviceAccountUpn: null });
    await settle();
    expect(document.querySelector("[data-stored-state]")).toBeNull();
    expect(statusOf("service-account")).toBe("met");
    const output = await expectNothingLost(form);
    expect(output.layout).toEqual(stored.layout);
    expect(output.settings).toEqual(stored.settings);
    expect(output.confirmations["future-item/part"]).toEqual(stored.confirmations["future-item/part"]);
  });

  it("with setting values this version does not know: says they are ignored, uses the defaults, keeps them", async () => {
    const settings = { partnerTier: "3-tier", mode: "migrate", cycleStartedAt: "soon", changedAt: "2026-11-26T08:00:00.000Z" };
    const dv = harness.dataverse();
    const form = openForm(dv, { value: storedState(STORED_TICKS, settings) });
    await settle();
    expect(text()).toContain("Saved settings this version does not know were ignored (defaults used): partnerTier, mode, cycleStartedAt.");
    expect(statusOf("partner-center")).toBe("not-applicable"); // 2-Tier, the default
    expect(stage()).toBe("awaiting-consent"); // install mode, the default
    const output = await expectNothingLost(form);
    expect(output.settings).toEqual(settings);
  });

  describe("near the column's maximum length", () => {
    const value = storedState();
    // Room for less than one more confirmation.
    const tight = value.length + 40;

    it("opens without writing anything", async () => {
      const dv = harness.dataverse();
      const form = openForm(dv, { value, maxLength: value.length });
      await settle();
      expect(form.notify).not.toHaveBeenCalled();
      for (const key of Object.keys(STORED_TICKS)) expect(tickBox(key).checked).toBe(true);
    });

    it("a tick that fits is written", async () => {
      const dv = harness.dataverse();
      const form = openForm(dv, { value, maxLength: value.length + 200 });
      await settle();
      await expectNothingLost(form);
      expect(form.control.getOutputs().checklistState!.length).toBeLessThanOrEqual(value.length + 200);
    });

    it("a tick that does not fit is refused with a message; what was stored stays", async () => {
      const dv = harness.dataverse();
      const form = openForm(dv, { value, maxLength: tight });
      await settle();
      await click(tickBox(NEW_TICK));
      await settle();
      expect(text()).toMatch(new RegExp(`This change was not kept: the checklist would be \\d+ characters, more than the column's ${tight}\\.`));
      expect(form.notify).not.toHaveBeenCalled();
      expect(form.control.getOutputs().checklistState).toBeUndefined();
      for (const key of Object.keys(STORED_TICKS)) expect(tickBox(key).checked).toBe(true);
    });

    // Regression (fixed in d98968b, session.ts): write() applied the change before save() found it
    // too long, and nothing restored it: the refused tick stayed on screen, its item "confirmed".
    it("a refused tick is not shown as ticked, and its item keeps its status", async () => {
      const dv = harness.dataverse();
      const form = openForm(dv, { value, maxLength: tight });
      await settle();
      expect(statusOf("mfa-registration")).toBe("needs-confirmation");
      await click(tickBox(NEW_TICK));
      await settle();
      expect(form.control.getOutputs().checklistState).toBeUndefined();
      expect(tickBox(NEW_TICK).checked).toBe(false);
      expect(statusOf("mfa-registration")).toBe("needs-confirmation");
    });
  });
});

describe("names that match nothing", () => {
  /** After consent's prerequisites: the account holds the Work 365 role and profile under their default names. */
  const holdsEverything = (): Tenant => ({
    ...baseTenant(),
    holdings: { "w365serv@contoso.com": { ...noHoldings(), rolesDirect: [SYSADMIN_ROLE, SALES_ROLE], profilesDirect: [ADMIN_PROFILE] } },
  });

  it("the defaults find them", async () => {
    const dv = harness.dataverse(holdsEverything());
    openForm(dv, { value: storedState() });
    await settle();
    expect(statusOf("work365-installed")).toBe("met");
    expect(statusOf("admin-field-security-profile")).toBe("met");
    expect(statusOf("sales-role")).toBe("met");
  });

  it("a Work 365 solution name that matches nothing: not installed, says what was looked for", async () => {
    const dv = harness.dataverse(holdsEverything());
    const form = openForm(dv, { value: storedState(), work365SolutionName: "Work365Typo" });
    await settle();
    expect(dv.callsOf("solution")[0].options).toContain("uniquename eq 'Work365Typo'");
    expect(statusOf("work365-installed")).toBe("not-met");
    expect(reasonOf("work365-installed")).toBe("No Work 365 solution found (looked for Work365Typo). Install it signed in as the service account.");
    expect(stage()).toBe("before-install");
    await expectNothingLost(form);
  });

  it("a profile name that matches nothing: not held, names the profile looked for", async () => {
    const dv = harness.dataverse(holdsEverything());
    const form = openForm(dv, { value: storedState(), adminProfileName: "Work 365 Admins" });
    await settle();
    expect(statusOf("admin-field-security-profile")).toBe("not-met");
    expect(reasonOf("admin-field-security-profile")).toBe(
      "The service account does not have the Work 365 Admins field security profile, directly or through a team. Assign it.",
    );
    expect(statusOf("sales-role")).toBe("met");
    await expectNothingLost(form);
  });

  it("a role name that matches nothing: not held, names the role looked for and the newer name", async () => {
    const dv = harness.dataverse(holdsEverything());
    const form = openForm(dv, { value: storedState(), salesRoleName: "Work 365 Salez" });
    await settle();
    expect(statusOf("sales-role")).toBe("not-met");
    expect(reasonOf("sales-role")).toBe(
      "The service account does not have the Work 365 Salez role, directly or through a team. Assign it. Newer Work 365 versions name this role Work 365 Service.",
    );
    // System Administrator is found by its template, whatever the sales role is called.
    expect(statusOf("system-administrator-role")).toBe("met");
    await expectNothingLost(form);
  });
});
