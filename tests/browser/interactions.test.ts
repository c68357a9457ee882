/**
 * What an admin does on the form, in the playground with the production bundle: ticks that
 * survive a save and a reload, another admin's ticks that are not lost, Check again, read-only
 * forms, injected faults, names with markup, navigation, and the keyboard alone.
 */
import type { Page } from "playwright-core";
import {
  clickPart,
  confirmationsIn,
  formState,
  gotoScenario,
  openPage,
  partCheckbox,
  readScenario,
  rendered,
  storedValue,
  usePlaygroundAndBrowser,
  waitForCheck,
  type OpenPage,
} from "./harness";

jest.setTimeout(60_000);

const { playground, browser } = usePlaygroundAndBrowser();
let open: OpenPage | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** A fresh copy of the scenario in the emulator and a page on it (`query`: the playground's `lang`, `width`…). */
async function start(name: string, query: Record<string, string> = {}): Promise<Page> {
  await playground().api("POST", "/_emulator/scenario", { name });
  open = await openPage(browser(), playground().url);
  await gotoScenario(open.page, playground().url, name, query);
  return open.page;
}

/** Clicks "Check again" and waits until that check has finished (the check time changes). */
async function checkAgain(page: Page): Promise<void> {
  const before = await page.getAttribute("[data-checked-at]", "data-checked-at");
  await page.click('[data-action="check-again"]');
  await page.waitForFunction((previous) => {
    const at = document.querySelector("[data-checked-at]")?.getAttribute("data-checked-at");
    const button = document.querySelector<HTMLButtonElement>('[data-action="check-again"]');
    return !!at && at !== previous && !!button && !button.disabled;
  }, before);
  await waitForCheck(page);
}

declare function optionKey(el: HTMLInputElement | null): string | null;

function waitForFormValue(page: Page, predicate: string): Promise<unknown> {
  // `predicate` is the body of a function of the confirmations map `c`.
  return page.waitForFunction((body) => {
    const value = (window as unknown as { __playground: { form: { values: { checklistState: string | null } } } }).__playground.form.values.checklistState;
    const c = value ? (JSON.parse(value).confirmations ?? {}) : {};
    return new Function("c", `return (${body});`)(c);
  }, predicate);
}

async function save(page: Page): Promise<void> {
  await page.click("#pg-save");
  await page.waitForSelector('#pg-form-state[data-form-state="saved"]');
}

describe("a confirmation", () => {
  test("survives Save and a reload", async () => {
    const page = await start("fresh-tenant");
    const recordId = readScenario("fresh-tenant").record.id;
    await expect(partCheckbox(page, "service-account-mfa").isChecked()).resolves.toBe(false);

    await clickPart(page, "service-account-mfa");
    await waitForFormValue(page, `c["service-account-mfa"] && c["service-account-mfa"].confirmed === true`);
    await page.waitForSelector('#pg-form-state[data-form-state="unsaved"]');
    expect(confirmationsIn(await storedValue(playground(), recordId))["service-account-mfa"]).toBeUndefined();

    await save(page);
    const saved = confirmationsIn(await storedValue(playground(), recordId))["service-account-mfa"];
    expect(saved).toMatchObject({ confirmed: true, by: { id: readScenario("fresh-tenant").admin.id.toLowerCase(), name: "Avery Admin" } });

    await page.reload();
    await page.waitForFunction(() => (window as unknown as { __playground: { ready: boolean } }).__playground.ready);
    await waitForCheck(page);
    await expect(partCheckbox(page, "service-account-mfa").isChecked()).resolves.toBe(true);
    expect((await rendered(page)).items["service-account-mfa"]).toBe("confirmed");
    expect((await formState(page)).state).toBe("saved");
    open!.assertNoProblems();
  });

  test("keeps another admin's ticks saved meanwhile (merge before write)", async () => {
    const page = await start("fresh-tenant");
    const recordId = readScenario("fresh-tenant").record.id;
    const mine = "service-account-mfa";
    const theirs = "mfa-policies";
    await expect(partCheckbox(page, mine).isChecked()).resolves.toBe(false);
    await expect(partCheckbox(page, theirs).isChecked()).resolves.toBe(false);

    // Another admin (Dana Seller, through the Web API's impersonation header) saves a tick to the
    // record; the open form is not told (model-driven forms are not).
    const other = { id: "11111111-0000-4000-8000-000000000003", name: "Dana Seller" };
    const now = new Date().toISOString();
    const stored = JSON.parse((await storedValue(playground(), recordId)) ?? "null") ?? {
      version: 1,
      settings: { serviceAccountUpn: "w365serv@contoso.com", partnerTier: "indirect", mode: "install", changedAt: now },
      confirmations: {},
    };
    stored.confirmations[theirs] = { confirmed: true, by: other, at: now };
    await playground().api("PATCH", `/api/data/v9.2/w365_setups(${recordId})`, { w365_checkliststate: JSON.stringify(stored) }, { MSCRMCallerID: other.id });
    expect((await formState(page)).values.checklistState ?? "").not.toContain(other.name);

    await clickPart(page, mine);
    await waitForFormValue(page, `c[${JSON.stringify(mine)}] && c[${JSON.stringify(mine)}].confirmed === true`);
    const handed = confirmationsIn((await formState(page)).values.checklistState);
    expect(handed[mine]).toMatchObject({ confirmed: true, by: { name: "Avery Admin" } });
    expect(handed[theirs]).toMatchObject({ confirmed: true, by: other });
    // The control shows the other admin's tick too.
    await expect(partCheckbox(page, theirs).isChecked()).resolves.toBe(true);

    await save(page);
    const record = confirmationsIn(await storedValue(playground(), recordId));
    expect(record[mine]?.confirmed).toBe(true);
    expect(record[theirs]).toMatchObject({ confirmed: true, by: other });
    open!.assertNoProblems();
  });
});

describe("Check again", () => {
  test("shows the environment as it is after a change", async () => {
    const page = await start("ready-to-install");
    expect(await rendered(page)).toMatchObject({ stage: "before-install", items: { "work365-installed": "not-met" } });

    // Work 365 gets installed meanwhile: the ready-to-install data with installed-awaiting-consent's solutions, roles and profiles.
    const before = readScenario("ready-to-install");
    const after = readScenario("installed-awaiting-consent");
    const changed = { ...before, data: { ...before.data, solutions: after.data.solutions, roles: after.data.roles, fieldsecurityprofiles: after.data.fieldsecurityprofiles } };
    await playground().api("POST", "/_emulator/scenario", { scenario: changed });
    // Nothing changes by itself.
    expect((await rendered(page)).items["work365-installed"]).toBe("not-met");

    await checkAgain(page);
    const shown = await rendered(page);
    expect(shown.stage).toBe("awaiting-consent");
    expect(shown.items["work365-installed"]).toBe(after.expected!.items["work365-installed"]);
    expect(shown.items["sales-role"]).toBe(after.expected!.items["sales-role"]);
    expect(shown.items["admin-field-security-profile"]).toBe(after.expected!.items["admin-field-security-profile"]);
    open!.assertNoProblems();
  });
});

describe("an injected fault", () => {
  test.each([
    { target: "roles", fault: { kind: "privilege" }, affected: ["system-administrator-role", "sales-role"], says: /prvReadRole/ },
    { target: "fieldsecurityprofiles", fault: { kind: "privilege" }, affected: ["admin-field-security-profile"], says: /prvReadFieldSecurityProfile/ },
    { target: "roles", fault: { kind: "drop" }, affected: ["system-administrator-role", "sales-role"], says: /could not be reached/i },
    { target: "solutions", fault: { kind: "server-error" }, affected: null, says: null },
  ])("$fault.kind on $target turns only the items that need it cannot-check", async ({ target, fault, affected, says }) => {
    const page = await start("after-consent-clean");
    const baseline = await rendered(page);
    expect(baseline.items["service-account"]).toBe("met");

    await playground().api("POST", "/_emulator/faults", { [target]: fault });
    await checkAgain(page);
    const shown = await rendered(page);
    const changedItems = Object.keys(shown.items).filter((id) => shown.items[id] !== baseline.items[id]);
    if (affected) {
      expect(changedItems.sort()).toEqual([...affected].sort());
      for (const id of affected) expect(shown.items[id]).toBe("cannot-check");
      expect(shown.items["service-account"]).toBe("met");
      if (says) for (const id of affected) await expect(page.textContent(`[data-item-id="${id}"] [data-reason]`)).resolves.toMatch(says);
    } else {
      // Without the solutions the stage is unknown; every item that does not depend on it keeps its status.
      expect(shown.stage).toBe("unknown");
      expect(shown.items["work365-installed"]).toBe("cannot-check");
      for (const id of ["service-account", "english-language", "mfa-policies", "service-account-mfa"]) expect(shown.items[id]).toBe(baseline.items[id]);
      for (const id of changedItems) expect(shown.items[id]).toBe("cannot-check");
    }

    // Cleared, the next check is as before.
    await playground().api("DELETE", "/_emulator/faults");
    await checkAgain(page);
    expect(await rendered(page)).toEqual(baseline);
    open!.assertNoProblems();
  });
});

describe("a read-only form", () => {
  test.each([
    { how: "field security (the column is not editable)", toggle: "#pg-readonly" },
    { how: "a disabled control (form read-only)", toggle: "#pg-disabled" },
  ])("cannot change anything: $how", async ({ toggle }) => {
    const page = await start("fresh-tenant");
    const before = await formState(page);
    await page.check(toggle);
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLInputElement>(".w365-checklist input")].every((i) => i.disabled));

    const inputs = await page.$$eval(".w365-checklist input", (list) => list.map((i) => ({ type: (i as HTMLInputElement).type, disabled: (i as HTMLInputElement).disabled })));
    expect(inputs.filter((i) => i.type === "checkbox").length).toBeGreaterThanOrEqual(5);
    expect(inputs.filter((i) => i.type === "radio").length).toBeGreaterThanOrEqual(4);
    expect(inputs.filter((i) => !i.disabled)).toEqual([]);

    // Attempts: a mouse on every label, programmatic clicks, the keyboard.
    for (const label of await page.$$(".w365-checklist [data-part] label, .w365-checklist [data-setting] label")) await label.click({ force: true });
    await page.$$eval(".w365-checklist input", (list) => list.forEach((i) => (i as HTMLInputElement).click()));
    await page.focus('[data-action="check-again"]');
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab");
      if (!(await page.evaluate(() => !!document.activeElement?.closest(".w365-checklist")))) break;
      const tag = await page.evaluate(() => `${document.activeElement?.tagName}:${(document.activeElement as HTMLInputElement | null)?.type ?? ""}`);
      if (tag.startsWith("INPUT")) {
        await page.keyboard.press("Space");
        await page.keyboard.press("ArrowDown");
      }
    }
    await page.waitForTimeout(300);

    const after = await formState(page);
    expect(after.values).toEqual(before.values);
    expect(after.outputs).toBe(before.outputs);
    expect(after.state).toBe("saved");
    expect(await page.$$eval(".w365-checklist input[type=checkbox]:checked", (l) => l.length)).toBe(0);
    open!.assertNoProblems();
  });
});

describe("names with markup", () => {
  test("render as text: no element is injected and no script runs", async () => {
    const page = await start("markup-in-names");
    const scenario = readScenario("markup-in-names");
    const serviceAccountName = (scenario.data.systemusers as { fullname: string; domainname?: string }[]).find((u) => u.domainname === "w365serv@contoso.com")!.fullname;

    // The viewing admin's name (with a script tag) lands in a confirmation.
    const box = page.locator(".w365-checklist [data-part] input[type=checkbox]:not(:checked):not([disabled])").first();
    const part = await box.evaluate((input) => input.closest("[data-part]")!.getAttribute("data-part")!);
    await clickPart(page, part);
    await waitForFormValue(page, `c[${JSON.stringify(part)}] && c[${JSON.stringify(part)}].confirmed === true`);

    // And the service account's record opens in the navigation panel (its name again).
    await page.click('[data-item-id="service-account"] [data-link="Action_OpenServiceAccount"]');
    await page.waitForSelector("#pg-navigation pre");
    await page.waitForTimeout(200);

    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    const injected = await page.$$eval(".w365-checklist script, .w365-checklist img, .w365-checklist b, .w365-checklist i:not([data-icon-name])", (l) => l.length);
    expect(injected).toBe(0);
    const text = await page.textContent(".w365-checklist");
    expect(text).toContain(serviceAccountName);
    expect(text).toContain(scenario.admin.name);
    expect(await page.$$eval("body script:not([src]), body img", (l) => l.length)).toBe(0);
    open!.assertNoProblems();
  });
});

describe("navigation", () => {
  test("record links and web links open in the playground's panel, the page stays", async () => {
    const page = await start("ready-to-install");
    const url = page.url();
    const serviceAccount = (readScenario("ready-to-install").data.systemusers as { systemuserid: string; domainname?: string }[]).find(
      (u) => u.domainname === "w365serv@contoso.com",
    )!;

    await page.click('[data-item-id="service-account"] [data-link="Action_OpenServiceAccount"]');
    await page.waitForSelector("#pg-navigation pre");
    const navigations = (await formState(page)).navigations;
    expect(navigations.at(-1)).toMatchObject({ kind: "openForm", options: { entityName: "systemuser", entityId: expect.stringMatching(new RegExp(serviceAccount.systemuserid, "i")) } });
    await expect(page.textContent("#pg-navigation")).resolves.toContain("w365serv@contoso.com");

    await page.locator('[data-item-id="service-account-mfa"] a[href^="https://"], [data-item-id="service-account-mfa"] button[data-link]').last().click();
    const last = (await formState(page)).navigations.at(-1);
    expect(last?.kind).toBe("openUrl");
    expect(last?.url).toMatch(/^https:\/\//);
    expect(page.url()).toBe(url);
    expect(browser().contexts().flatMap((c) => c.pages()).length).toBe(1);
    open!.assertNoProblems();
  });
});

describe("the keyboard alone", () => {
  test.each([
    ["left to right (English)", {}],
    ["right to left (Arabic)", { lang: "1025" }],
  ])("reaches and ticks every confirmation and changes every setting, %s", async (_, query: Record<string, string>) => {
    const page = await start("fresh-tenant", query);
    const direction = await page.evaluate(() => getComputedStyle(document.querySelector(".w365-checklist")!).direction);
    expect(direction).toBe(query.lang ? "rtl" : "ltr");
    // Without a UPN from the form the control asks for one: clear the form's column so that field is there too.
    await page.fill('[data-prop="serviceAccountUpn"] input', "");
    await page.press('[data-prop="serviceAccountUpn"] input', "Tab");
    await page.waitForSelector('.w365-checklist input[data-setting="upn"], .w365-checklist [data-setting="upn"] input');
    await waitForCheck(page);

    // Fluent's radios carry their option's key in their id: `<group name>-<key>`.
    await page.addScriptTag({ content: "window.optionKey = (el) => (el && el.id.startsWith(el.name + '-') ? el.id.slice(el.name.length + 1) : null);" });
    const initial = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll(".w365-checklist [role=radiogroup], .w365-checklist .ms-ChoiceFieldGroup")].map((g) => [
          g.closest("[data-setting],[data-part]")?.getAttribute("data-setting") ?? g.closest("[data-part]")?.getAttribute("data-part"),
          optionKey(g.querySelector("input:checked") as HTMLInputElement | null),
        ]),
      ),
    );

    const ticked = new Set<string>();
    const changedGroups = new Map<string, string>();
    let typedUpn = false;
    await page.focus('[data-action="check-again"]');
    for (let step = 0; step < 200; step++) {
      await page.keyboard.press("Tab");
      const at = await page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        if (!el || !el.closest(".w365-checklist")) return null;
        return {
          tag: el.tagName,
          type: el.type,
          checked: el.checked,
          value: optionKey(el),
          part: el.closest("[data-part]")?.getAttribute("data-part") ?? null,
          setting: el.closest("[data-setting]")?.getAttribute("data-setting") ?? null,
        };
      });
      if (!at) break;
      if (at.tag === "INPUT" && at.type === "checkbox" && !at.checked && at.part) {
        await page.keyboard.press("Space");
        await page.waitForFunction(() => (document.activeElement as HTMLInputElement).checked);
        ticked.add(at.part);
      } else if (at.tag === "INPUT" && at.type === "radio") {
        const group = at.setting ?? at.part ?? "?";
        if (!changedGroups.has(group)) {
          await page.keyboard.press(at.checked ? "ArrowDown" : "Space");
          await page.waitForFunction((before) => {
            const el = document.activeElement as HTMLInputElement;
            return el.type === "radio" && el.checked && (before.checked ? optionKey(el) !== before.value : true);
          }, at);
          changedGroups.set(group, (await page.evaluate(() => optionKey(document.activeElement as HTMLInputElement))) ?? "?");
        }
      } else if (at.tag === "INPUT" && at.setting === "upn" && !typedUpn) {
        await page.keyboard.type("w365serv@contoso.com");
        await page.keyboard.press("Enter");
        // The account's own confirmations open once the check finds it.
        await page.waitForFunction(
          () =>
            document.querySelector(".w365-checklist")?.getAttribute("data-stage") !== "loading" &&
            !(document.querySelector('[data-action="check-again"]') as HTMLButtonElement).disabled,
        );
        typedUpn = true;
      }
    }

    // Every confirmation that can be given now (1-Tier brings the Partner Center ones; a step that
    // cannot be taken yet, consent before Work 365 is found, is disabled) was reached and ticked.
    const boxes = await page.$$eval(".w365-checklist [data-part] input[type=checkbox]:not(:disabled)", (l) => l.map((i) => i.closest("[data-part]")!.getAttribute("data-part")!));
    expect(boxes.length).toBeGreaterThanOrEqual(5);
    expect([...ticked].sort()).toEqual([...boxes].sort());
    expect(await page.$$eval(".w365-checklist [data-part] input[type=checkbox]:not(:disabled):not(:checked)", (l) => l.map((i) => i.closest("[data-part]")!.getAttribute("data-part")))).toEqual([]);
    expect(typedUpn).toBe(true);
    expect([...changedGroups.keys()].sort()).toEqual(Object.keys(initial).sort());
    for (const [group, value] of changedGroups) expect(value).not.toBe(initial[group]);

    // All of it reached the form.
    await page.waitForTimeout(200);
    const handed = confirmationsIn((await formState(page)).values.checklistState);
    for (const part of boxes) expect(handed[part]?.confirmed).toBe(true);
    const settings = JSON.parse((await formState(page)).values.checklistState ?? "{}").settings;
    expect(settings.serviceAccountUpn).toBe("w365serv@contoso.com");
    expect(settings.partnerTier).toBe(changedGroups.get("partner-tier"));
    open!.assertNoProblems();
  });
});
