import { DOMParser, type Element } from "@xmldom/xmldom";
import * as fs from "fs";
import * as path from "path";

const CONTROL = path.join(__dirname, "..");
const PREFLIGHT = path.join(CONTROL, "..", "preflight");
/** The Dataverse plug-in: its refusals read the Guard_ strings from these files (its build embeds them). */
const PLUGIN = path.join(CONTROL, "..", "ChecklistStatePlugin", "Plugin");
const ENGLISH = "PrerequisiteChecklist.1033.resx";
const KEY = /^[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]+$/;

/** The languages issue 10 ships, by LCID: English, then the translations (Arabic and Hebrew right to left). */
const LANGUAGES = [1033, 1031, 1036, 3082, 1043, 1040, 1046, 1030, 1053, 1044, 1041, 1025, 1037];

/**
 * Keys whose English may stay as it is in every language, because it is a name, an id or an
 * example value rather than words: the UPN placeholder is an example address, and the report's
 * "Work 365" line is the product's name. Everything else is translated.
 */
const SAME_AS_ENGLISH = new Set(["Settings_UpnPlaceholder", "Report_Work365Version"]);

/** Names that Work 365 defines (its own roles and profile): they stay in English in every language. */
const WORK365_NAMES = ["Work 365 Admin", "Work 365 Sales", "Work 365 Service"];

const STATUS_KEYS = ["Status_Met", "Status_NotMet", "Status_Warning", "Status_NeedsConfirmation", "Status_Confirmed", "Status_CannotCheck", "Status_NotApplicable", "Status_Pending"];

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" || entry.name === "bin" || entry.name === "obj" ? [] : sourceFiles(full);
    return /\.(tsx?|cs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && entry.name !== "testing.ts" && entry.name !== "english.ts" ? [full] : [];
  });
}

interface Resx {
  file: string;
  /** Keys in document order (a repeated key shows twice). */
  keys: string[];
  values: Map<string, string>;
  headers: Map<string, string>;
  /** Keys whose <data> lacks xml:space="preserve" or a <value>. */
  malformed: string[];
}

/** Strict parse with @xmldom/xmldom: any error or warning throws, naming the file. */
function readResx(file: string): Resx {
  const text = fs.readFileSync(path.join(__dirname, file), "utf8").replace(/^\uFEFF/, "");
  const fail = (level: string, message: string): never => {
    throw new Error(`${file} is not well-formed XML (${level}): ${message}`);
  };
  const root = new DOMParser({ onError: fail }).parseFromString(text, "text/xml").documentElement!;
  if (root.tagName !== "root") throw new Error(`${file}: the root element is <${root.tagName}>, not <root>`);
  const children = (node: Element, tag: string) => Array.from(node.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).tagName === tag);
  const valueOf = (node: Element) => children(node, "value")[0]?.textContent ?? null;
  const keys: string[] = [];
  const values = new Map<string, string>();
  const malformed: string[] = [];
  for (const data of children(root, "data")) {
    const key = data.getAttribute("name") ?? "";
    const value = valueOf(data);
    keys.push(key);
    if (value === null || data.getAttribute("xml:space") !== "preserve") malformed.push(key);
    values.set(key, value ?? "");
  }
  const headers = new Map(children(root, "resheader").map((h) => [h.getAttribute("name") ?? "", valueOf(h) ?? ""]));
  return { file, keys, values, headers, malformed };
}

const resxFiles = fs.readdirSync(__dirname).filter((name) => name.endsWith(".resx")).sort();
const translations = resxFiles.filter((name) => name !== ENGLISH);
const english = readResx(ENGLISH);

/** The prefixes resx keys have (`Status`, `Reason`…), plus the preflight command's and the plug-in's own. */
const KEY_PREFIXES = new Set([...english.keys.map((key) => key.split("_")[0]), "Preflight", "Guard"]);

/**
 * Every quoted literal in the control's code and in the preflight command's code that is a resx
 * key: it has a key's shape and a key's prefix (so `LC_ALL` or Graph's `Authorization_RequestDenied`
 * are not keys), and every key the manifest names.
 */
function keysUsed(): Set<string> {
  const used = new Set<string>();
  for (const file of [...sourceFiles(CONTROL), ...sourceFiles(PREFLIGHT), ...sourceFiles(PLUGIN)]) {
    const code = fs.readFileSync(file, "utf8");
    for (const [, double, single] of code.matchAll(/"([^"\s]+)"|'([^'\s]+)'/g)) {
      const literal = double ?? single;
      if (KEY.test(literal) && KEY_PREFIXES.has(literal.split("_")[0])) used.add(literal);
    }
  }
  const manifest = fs.readFileSync(path.join(CONTROL, "ControlManifest.Input.xml"), "utf8");
  for (const [, key] of manifest.matchAll(/-key="([^"]+)"/g)) used.add(key);
  return used;
}

const placeholders = (value = "") => [...value.matchAll(/\{[^{}]*\}/g)].map((m) => m[0]).sort();
const sorted = (items: Iterable<string>) => [...items].sort();

describe("English (1033)", () => {
  const used = keysUsed();

  it("is there, with the keys of the control and of the preflight command", () => {
    expect(resxFiles).toContain(ENGLISH);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].some((key) => key.startsWith("Status_"))).toBe(true);
  });

  it("has every key the code uses, and no key it does not", () => {
    const keys = new Set(english.keys);
    expect(sorted([...used].filter((key) => !keys.has(key)))).toEqual([]);
    expect(sorted([...keys].filter((key) => !used.has(key)))).toEqual([]);
  });
});

describe("the languages", () => {
  it("are the thirteen the control ships, one file each, named <control>.<LCID>.resx", () => {
    expect(resxFiles).toEqual(sorted(LANGUAGES.map((lcid) => `PrerequisiteChecklist.${lcid}.resx`)));
  });

  it("are all declared in the manifest, and the manifest declares no other", () => {
    const manifest = fs.readFileSync(path.join(CONTROL, "ControlManifest.Input.xml"), "utf8");
    const declared = [...manifest.matchAll(/<resx\s+path="([^"]+)"\s+version="[^"]+"\s*\/>/g)].map((m) => m[1]);
    expect(sorted(declared)).toEqual(resxFiles.map((file) => `strings/${file}`));
    // English first: a platform that falls back to the first file falls back to English.
    expect(declared[0]).toBe(`strings/${ENGLISH}`);
  });
});

describe.each(resxFiles)("%s", (file) => {
  // Parsing is a test of its own: a file that is not well-formed fails here with the parser's words.
  let resx: Resx;
  it("is well-formed XML with the resx headers of English", () => {
    resx = readResx(file);
    expect(resx.headers).toEqual(english.headers);
    expect(resx.malformed).toEqual([]);
  });

  it("has every key of English once, and no other", () => {
    const repeated = resx.keys.filter((key, index) => resx.keys.indexOf(key) !== index);
    expect(repeated).toEqual([]);
    expect({ missing: english.keys.filter((key) => !resx.values.has(key)), extra: resx.keys.filter((key) => !english.values.has(key)) }).toEqual({ missing: [], extra: [] });
  });

  it("has a value for every key, with the same placeholders as English", () => {
    const empty = resx.keys.filter((key) => resx.values.get(key)!.trim() === "");
    expect(empty).toEqual([]);
    const differing = english.keys
      .filter((key) => resx.values.has(key))
      .filter((key) => placeholders(resx.values.get(key)).join() !== placeholders(english.values.get(key)).join())
      .map((key) => `${key}: ${placeholders(resx.values.get(key)).join(" ")} instead of ${placeholders(english.values.get(key)).join(" ")}`);
    expect(differing).toEqual([]);
  });

  it("keeps the names Work 365 defines in English", () => {
    const lost = english.keys.flatMap((key) =>
      WORK365_NAMES.filter((name) => english.values.get(key)!.includes(name) && resx.values.has(key) && !resx.values.get(key)!.includes(name)).map((name) => `${key}: ${name}`),
    );
    expect(lost).toEqual([]);
  });

  it("gives every status its own word", () => {
    const words = STATUS_KEYS.map((key) => (resx.values.get(key) ?? "").trim().toLocaleLowerCase());
    expect(new Set(words).size).toBe(STATUS_KEYS.length);
  });

  if (file !== ENGLISH) {
    it("translates every value, except names and ids", () => {
      const untranslated = english.keys.filter((key) => !SAME_AS_ENGLISH.has(key) && resx.values.get(key) === english.values.get(key));
      expect(untranslated).toEqual([]);
    });
  }
});

it("the allow-list of untranslated keys names keys that exist", () => {
  for (const key of SAME_AS_ENGLISH) expect(english.values.has(key)).toBe(true);
  expect(translations.length).toBe(LANGUAGES.length - 1);
});
