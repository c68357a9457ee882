/**
 * The form in front of the plug-in that guards the settings row (the emulator runs its net10.0
 * build on every write): after Save the form holds what the server stored, stamped by the server;
 * a write the server refuses is a failed save with the server's words, and nothing is lost.
 */
import type { Page } from "playwright-core";
import { clickPart, confirmationsIn, formState, gotoScenario, openPage, readScenario, storedValue, usePlaygroundAndBrowser, type OpenPage } from "./harness";

jest.setTimeout(60_000);

const { playground, browser } = usePlaygroundAndBrowser();
let open: OpenPage | undefined;

afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function start(name: string): Promise<Page> {
  await playground().api("POST", "/_emulator/scenario", { name });
  open = await openPage(browser(), playground().url);
  await gotoScenario(open.page, playground().url, name);
  return open.page;
}

const handed = (page: Page): Promise<string | null> => formState(page).then((f) => f.values.checklistState);

async function tickAndWait(page: Page, key: string): Promise<string> {
  await clickPart(page, key);
  await page.waitForFunction((k) => {
    const value = (window as unknown as { __playground: { form: { values: { checklistState: string | null } } } }).__playground.form.values.checklistState;
    return !!value && JSON.parse(value).confirmations?.[k]?.confirmed === true;
  }, key);
  return (await handed(page))!;
}

const patches = async (): Promise<number> =>
  (await playground().api<{ method: string }[]>("GET", "/_emulator/requests")).filter((r) => r.method === "PATCH").length;

describe("the form behind the plug-in", () => {
  test("holds the server's who and when after Save, and does not write again", async () => {
    const page = await start("fresh-tenant");
    const recordId = readScenario("fresh-tenant").record.id;
    const key = "service-account-mfa";
    const before = confirmationsIn(await tickAndWait(page, key))[key];
    // The server's clock runs on: its time for the tick is the time of the save, not of the click.
    await page.waitForTimeout(50);
    await playground().api("DELETE", "/_emulator/requests");
    await page.click("#pg-save");
    await page.waitForSelector('#pg-form-state[data-form-state="saved"]');

    const stored = await storedValue(playground(), recordId);
    const entry = confirmationsIn(stored)[key];
    expect(entry).toMatchObject({ confirmed: true, by: { id: "11111111-0000-4000-8000-000000000001", name: "Avery Admin" } });
    expect(Date.parse(entry.at)).toBeGreaterThan(Date.parse(before.at));
    expect(await handed(page)).toBe(stored);
    expect(await patches()).toBe(1);
    await expect(page.locator("#pg-message").textContent()).resolves.toBe("");
    open!.assertNoProblems();
  });

  test("shows the server's refusal as a failed save, keeps the tick on the form and the record as it was", async () => {
    const page = await start("fresh-tenant");
    const recordId = readScenario("fresh-tenant").record.id;
    const key = "service-account-mfa";
    await tickAndWait(page, key);

    // Meanwhile another admin fills the record almost to the column's maximum (unknown keys are kept).
    const current = JSON.parse((await storedValue(playground(), recordId)) ?? '{"version":1,"settings":{},"confirmations":{}}');
    const probe = JSON.stringify({ ...current, notes: "" });
    const full = JSON.stringify({ ...current, notes: "x".repeat(1048576 - probe.length - 20) });
    await playground().api("PATCH", `/api/data/v9.2/w365_setups(${recordId})`, { w365_checkliststate: full }, { MSCRMCallerID: "11111111-0000-4000-8000-000000000003" });
    const storedBefore = await storedValue(playground(), recordId);

    await page.click("#pg-save");
    await page.waitForFunction(() => /^Could not save: /.test(document.getElementById("pg-message")?.textContent ?? ""));
    const message = (await page.locator("#pg-message").textContent())!;
    expect(message).toMatch(/^Could not save: The checklist was not saved: together with what is already on the record it would be 1,048,\d{3} characters, more than the column's 1,048,576\. The record keeps what it had\.$/);
    expect((await formState(page)).state).toBe("unsaved");
    expect(confirmationsIn(await handed(page))[key]?.confirmed).toBe(true);
    expect(await storedValue(playground(), recordId)).toBe(storedBefore);
    // The one refused PATCH is the only problem: nothing threw in the page.
    expect(open!.problems.badApiCalls).toEqual([expect.stringMatching(/^400 PATCH .*\/w365_setups\(/)]);
    expect(open!.problems.pageErrors).toEqual([]);
  });
});
