import * as fs from "fs";
import * as path from "path";

const CONTROL = path.join(__dirname, "..");
const KEY = /^[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+$/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && entry.name !== "testing.ts" ? [full] : [];
  });
}

/** Every quoted literal in the control's code that has the shape of a resx key, and every key the manifest names. */
function keysUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(CONTROL)) {
    const code = fs.readFileSync(file, "utf8");
    for (const [, double, single] of code.matchAll(/"([^"\s]+)"|'([^'\s]+)'/g)) {
      const literal = double ?? single;
      if (KEY.test(literal)) used.add(literal);
    }
  }
  const manifest = fs.readFileSync(path.join(CONTROL, "ControlManifest.Input.xml"), "utf8");
  for (const [, key] of manifest.matchAll(/-key="([^"]+)"/g)) used.add(key);
  return used;
}

const resxFiles = fs.readdirSync(__dirname).filter((name) => name.endsWith(".resx"));
const keysOf = (file: string) =>
  new Set([...fs.readFileSync(path.join(__dirname, file), "utf8").matchAll(/<data name="([^"]+)"/g)].map((m) => m[1]));

describe("resx strings", () => {
  const used = keysUsed();

  it("ships English", () => {
    expect(resxFiles).toContain("PrerequisiteChecklist.1033.resx");
    expect(used.size).toBeGreaterThan(100);
  });

  it.each(resxFiles)("%s has every key the code uses, and no key it does not", (file) => {
    const keys = keysOf(file);
    expect([...used].filter((key) => !keys.has(key)).sort()).toEqual([]);
    expect([...keys].filter((key) => !used.has(key)).sort()).toEqual([]);
  });

  it.each(resxFiles)("%s has a value for every key, with the same placeholders as English", (file) => {
    const english = fs.readFileSync(path.join(__dirname, "PrerequisiteChecklist.1033.resx"), "utf8");
    const text = fs.readFileSync(path.join(__dirname, file), "utf8");
    const values = (xml: string) =>
      new Map([...xml.matchAll(/<data name="([^"]+)"[^>]*>\s*<value>([\s\S]*?)<\/value>/g)].map((m) => [m[1], m[2]]));
    const placeholders = (value = "") => [...value.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const theirs = values(text);
    for (const [key, value] of values(english)) {
      expect([key, (theirs.get(key) ?? "").trim().length > 0]).toEqual([key, true]);
      expect([key, placeholders(theirs.get(key))]).toEqual([key, placeholders(value)]);
    }
  });
});
