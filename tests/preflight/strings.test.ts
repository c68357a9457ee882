import * as fs from "node:fs";
import * as path from "node:path";
import { createStrings, lcidOfEnvironment, lcidOfLocale, parseResx } from "../../preflight/strings";
import { readResx, ROOT } from "./helpers";

const resx = readResx();

describe("preflight strings", () => {
  it.each([
    ["de_DE.UTF-8", 1031],
    ["de", 1031],
    ["pt_BR.UTF-8", 1046],
    ["pt_PT", 2070],
    ["en_GB.UTF-8", 1033],
    ["ja_JP.eucJP", 1041],
    ["zh_TW", 1028],
    ["sr_RS@latin", 2074],
    ["sr_RS", 3098],
  ])("the terminal locale %s is LCID %d", (locale, lcid) => {
    expect(lcidOfLocale(locale)).toBe(lcid);
  });

  it("C, POSIX and unknown languages are none; the environment falls back to English", () => {
    expect(lcidOfLocale("C")).toBeUndefined();
    expect(lcidOfLocale("POSIX")).toBeUndefined();
    expect(lcidOfLocale("tlh_QO")).toBeUndefined();
    expect(lcidOfEnvironment({})).toBe(1033);
    expect(lcidOfEnvironment({ LANG: "C.UTF-8" })).toBe(1033);
  });

  it("LC_ALL wins over LC_MESSAGES, which wins over LANG", () => {
    expect(lcidOfEnvironment({ LC_ALL: "fr_FR.UTF-8", LC_MESSAGES: "de_DE", LANG: "nl_NL" })).toBe(1036);
    expect(lcidOfEnvironment({ LC_MESSAGES: "de_DE", LANG: "nl_NL" })).toBe(1031);
    expect(lcidOfEnvironment({ LANG: "nl_NL.UTF-8" })).toBe(1043);
  });

  it("reads resx values with XML entities undone", () => {
    const values = parseResx('<root><data name="A_B" xml:space="preserve"><value>Settings &gt; Product &amp; &#8211; &#x2014;</value></data></root>');
    expect(values.get("A_B")).toBe("Settings > Product & – —");
  });

  it("a key missing in a language falls back to English, never to the key", () => {
    const german = '<root><data name="Status_Met" xml:space="preserve"><value>Erfüllt (Test)</value></data></root>';
    const strings = createStrings({ 1033: resx[1033], 1031: german }, 1031, "UTC");
    expect(strings.get("Status_Met")).toBe("Erfüllt (Test)");
    expect(strings.get("Status_NotMet")).toBe(parseResx(resx[1033]).get("Status_NotMet"));
    expect(strings.get("Preflight_Help_Usage")).toMatch(/^Usage: w365-preflight check/);
    expect(() => strings.get("Preflight_NoSuchKey")).toThrow(/No string Preflight_NoSuchKey/);
  });

  it("a language without a resx is English", () => {
    const strings = createStrings({ 1033: resx[1033] }, 1049, "UTC");
    expect(strings.lcid).toBe(1033);
    expect(strings.get("Status_Met")).toBe("Met");
  });

  it("every Preflight_ key the command uses is in the English resx", () => {
    const english = parseResx(resx[1033]);
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
    const used = new Set(files(path.join(ROOT, "preflight")).flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/"(Preflight_\w+)"/g)].map((m) => m[1])));
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((key) => !english.has(key))).toEqual([]);
  });

  it("formats times in the chosen language", () => {
    const english = createStrings(resx, 1033, "UTC");
    expect(english.formatTime("2026-11-28T09:14:00Z")).toMatch(/Nov 28, 2026.*9:14/);
    expect(resx[1031]).toBeDefined();
    expect(createStrings(resx, 1031, "UTC").formatTime("2026-11-28T09:14:00Z")).toMatch(/28\.11\.2026.*09:14/);
  });
});
