import { DOMParser } from "@xmldom/xmldom";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { inflateSync } from "zlib";
import { PACKED_ENGLISH } from "./english";
import { createStrings, withEnglishFallback } from "./strings";

const ROOT = path.join(__dirname, "..", "..");
const RESX = path.join(__dirname, "..", "strings", "PrerequisiteChecklist.1033.resx");

/** English, read from the resx with an XML parser (not the generator's code). */
function englishResx(): Map<string, string> {
  const doc = new DOMParser().parseFromString(fs.readFileSync(RESX, "utf8"), "text/xml");
  return new Map(Array.from(doc.getElementsByTagName("data")).map((d) => [d.getAttribute("name")!, d.getElementsByTagName("value")[0].textContent ?? ""]));
}
// Guard_ strings are the plug-in's: the server words its refusals, the form shows them as it gets them.
const shownByTheControl = (key: string) => !/^(Manifest|Property|Preflight|Guard)_/.test(key);

describe("the English packed into the bundle", () => {
  it("holds every string the control shows, as the English resx says", () => {
    const packed = JSON.parse(inflateSync(Buffer.from(PACKED_ENGLISH, "base64")).toString("utf8")) as Record<string, string>;
    const expected = Object.fromEntries([...englishResx()].filter(([key]) => shownByTheControl(key)));
    expect(Object.keys(expected).length).toBeGreaterThan(150);
    // When this fails after a change to the English resx: node scripts/english-strings.mjs
    expect(packed).toEqual(expected);
  });

  it("is what scripts/english-strings.mjs --check accepts", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "english-strings.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  });
});

describe("a key missing in the user's language", () => {
  // The platform's getString answers the key itself when the resx has no such key.
  const platformWithout = (missing: Set<string>, values: Map<string, string>) => (key: string) => (missing.has(key) ? key : (values.get(key) ?? key));

  it("reads in English once unpacked, never as the key, and asks for one render", async () => {
    const english = englishResx();
    const german = new Map([...english].map(([key, value]) => [key, `[de] ${value}`]));
    const missing = new Set([...english.keys()].filter(shownByTheControl));
    let renders = 0;
    const strings = createStrings(platformWithout(missing, german), (date) => date.toISOString(), () => renders++);

    // The first miss starts unpacking: nothing shows for that moment, and never the key.
    expect(strings.get("Status_Met")).toBe("");
    expect(strings.get("Button_CheckAgain")).toBe("");
    await waitFor(() => renders > 0);
    expect(renders).toBe(1);

    for (const key of missing) expect([key, strings.get(key)]).toEqual([key, english.get(key)]);
    // Messages fill their placeholders from the English too.
    expect(strings.format({ key: "Text_ConfirmedBy", args: { name: "Dana", time: { time: "2026-01-02T03:04:05.000Z" } } })).toBe(
      english.get("Text_ConfirmedBy")!.replace("{name}", "Dana").replace("{time}", "2026-01-02T03:04:05.000Z"),
    );
    // What the language has is still the language's.
    const someMissing = createStrings(platformWithout(new Set(["Status_Met"]), german), (date) => date.toISOString());
    expect(someMissing.get("Status_NotMet")).toBe(`[de] ${english.get("Status_NotMet")}`);
    expect(someMissing.get("Status_Met")).toBe(english.get("Status_Met"));
  });

  it("also when the platform answers nothing at all", () => {
    // The English is unpacked by now (module state, as in the bundle): no render is asked for.
    const render = jest.fn();
    const get = withEnglishFallback(() => "", render);
    expect(get("Status_Warning")).toBe(englishResx().get("Status_Warning"));
    expect(get("No_SuchKey")).toBe("");
    expect(render).not.toHaveBeenCalled();
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
