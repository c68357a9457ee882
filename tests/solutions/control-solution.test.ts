// Work365PrerequisiteChecklist (the control alone) and the whole `npm run package` output.
// `npm test` builds the control once (scripts/ensure-build.mjs) before jest; these tests pack that
// build twice and show the output is byte-for-byte reproducible.
import * as fs from "fs";
import * as path from "path";
import {
  CONTROL_NAME, CONTROL_SOLUTION, PREFIX, ROOT, SETUP_SOLUTION,
  all, at, attrNames, callPackager, centralDirectory, child, childNames, elements, runPackager, tempDir, text, unzip, vendorFile, version, xml, zipName,
} from "./helpers";

jest.setTimeout(300_000);

const BUILT = path.join(ROOT, "out", "controls", "PrerequisiteChecklist");
const FOLDER = `Controls/${CONTROL_NAME}/`;
let first: string;
let second: string;
const control = (managed: boolean): Map<string, Buffer> => unzip(path.join(first, zipName(CONTROL_SOLUTION, managed)));
const builtFiles = (): string[] => {
  const walk = (dir: string, prefix = ""): string[] =>
    fs.readdirSync(dir).sort().flatMap((n) => (fs.statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n), `${prefix}${n}/`) : [`${prefix}${n}`]));
  return walk(BUILT).sort();
};

beforeAll(() => {
  first = tempDir("pkg1");
  second = tempDir("pkg2");
  runPackager(["--controls", path.join(ROOT, "out", "controls"), "--bin", first]);
  runPackager(["--controls", path.join(ROOT, "out", "controls"), "--bin", second]);
});

describe("npm run package", () => {
  it("writes the unmanaged and managed zip of both solutions, named <Unique>_<X_Y_Z_0>[_managed].zip", () => {
    expect(fs.readdirSync(first).sort()).toEqual(
      [zipName(CONTROL_SOLUTION, false), zipName(CONTROL_SOLUTION, true), zipName(SETUP_SOLUTION, false), zipName(SETUP_SOLUTION, true)].sort(),
    );
  });

  it("gives the same bytes for the same inputs", () => {
    for (const f of fs.readdirSync(first)) expect(fs.readFileSync(path.join(second, f)).equals(fs.readFileSync(path.join(first, f)))).toBe(true);
  });

  it("writes deflated entries with forward slashes, fixed timestamps and no directory entries", () => {
    for (const f of fs.readdirSync(first)) {
      for (const e of centralDirectory(fs.readFileSync(path.join(first, f)))) {
        expect(e.method).toBe(8);
        expect(e.name).not.toMatch(/\\|\/$/);
        expect(e.extraLength).toBe(0);
        expect([e.dosDate, e.dosTime]).toEqual([((2020 - 1980) << 9) | (1 << 5) | 1, 0]);
      }
    }
  });

  it("builds the control in production mode", () => {
    // webpack's production mode minifies: no line of the bundle is left indented.
    const bundle = fs.readFileSync(path.join(BUILT, "bundle.js"), "utf8");
    expect(bundle.split("\n").length).toBeLessThan(20);
    expect(fs.statSync(path.join(BUILT, "bundle.js")).size).toBeLessThan(5 * 1024 * 1024);
  });
});

describe("Work365PrerequisiteChecklist zips", () => {
  it("hold solution, customizations, the built control files and [Content_Types].xml, in pac's order", () => {
    for (const managed of [false, true]) {
      expect([...control(managed).keys()]).toEqual(["customizations.xml", "solution.xml", ...builtFiles().map((f) => FOLDER + f), "[Content_Types].xml"]);
    }
  });

  it("have one Default per extension and an Override for the control manifest in [Content_Types].xml", () => {
    const types = xml(control(true).get("[Content_Types].xml")!).documentElement;
    const exts = [...new Set([...control(true).keys()].map((n) => path.extname(n).slice(1)))];
    expect(elements(types).filter((e) => e.tagName === "Default").map((e) => e.getAttribute("Extension"))).toEqual(exts);
    expect(elements(types).filter((e) => e.tagName === "Override").map((e) => `${e.getAttribute("PartName")} ${e.getAttribute("ContentType")}`)).toEqual([
      `/${FOLDER}ControlManifest.xml application/octet-stream`,
    ]);
  });

  it("declare the solution, version, managed flag, publisher and the control as root component (type 66)", () => {
    for (const [managed, flag] of [[false, "0"], [true, "1"]] as const) {
      const m = at(xml(control(managed).get("solution.xml")!).documentElement, "SolutionManifest");
      expect(child(m, "UniqueName").textContent).toBe(CONTROL_SOLUTION);
      expect(child(m, "Version").textContent).toBe(`${version()}.0`);
      expect(child(m, "Managed").textContent).toBe(flag);
      expect(at(m, "Publisher", "UniqueName").textContent).toBe("Work365");
      expect(at(m, "Publisher", "LocalizedNames", "LocalizedName").getAttribute("description")).toBe("Work 365");
      expect(at(m, "Publisher", "CustomizationPrefix").textContent).toBe(PREFIX);
      expect(elements(child(m, "RootComponents")).map((r) => `${r.getAttribute("type")} ${r.getAttribute("schemaName")} ${r.getAttribute("behavior")}`)).toEqual([
        `66 ${CONTROL_NAME} 0`,
      ]);
      expect(elements(child(m, "MissingDependencies"))).toEqual([]);
    }
  });

  it("list the control in customizations.xml CustomControls", () => {
    const c = xml(control(true).get("customizations.xml")!).documentElement;
    const entries = elements(child(c, "CustomControls"));
    expect(entries.map((e) => `${child(e, "Name").textContent} ${child(e, "FileName").textContent}`)).toEqual([`${CONTROL_NAME} /${FOLDER}ControlManifest.xml`]);
    expect(elements(child(c, "Entities"))).toEqual([]);
  });

  it("carry the built manifest at the packed version, with every resource it names", () => {
    const files = control(true);
    const manifestBytes = files.get(`${FOLDER}ControlManifest.xml`)!;
    expect(manifestBytes.equals(fs.readFileSync(path.join(BUILT, "ControlManifest.xml")))).toBe(true);
    const c = all(xml(manifestBytes, "ControlManifest.xml"), "control")[0];
    expect(`${PREFIX}_${c.getAttribute("namespace")}.${c.getAttribute("constructor")}`).toBe(CONTROL_NAME);
    expect(`${c.getAttribute("version")}.0`).toBe(at(xml(files.get("solution.xml")!).documentElement, "SolutionManifest", "Version").textContent);
    const paths = elements(all(c, "resources")[0]).map((r) => r.getAttribute("path")).filter((p): p is string => !!p);
    expect(paths).toEqual(expect.arrayContaining(["bundle.js", "strings/PrerequisiteChecklist.1033.resx"]));
    for (const p of paths) expect(files.get(FOLDER + p)?.equals(fs.readFileSync(path.join(BUILT, p)))).toBe(true);
  });

  it("carry every language's resx as the repository has it, and the built manifest names each one", () => {
    const sources = fs.readdirSync(path.join(ROOT, "PrerequisiteChecklist", "strings")).filter((f) => f.endsWith(".resx")).sort();
    expect(sources.length).toBe(13);
    const manifest = all(xml(fs.readFileSync(path.join(BUILT, "ControlManifest.xml")), "ControlManifest.xml"), "resx").map((r) => r.getAttribute("path"));
    expect([...manifest].sort()).toEqual(sources.map((f) => `strings/${f}`));
    for (const file of sources) {
      const source = fs.readFileSync(path.join(ROOT, "PrerequisiteChecklist", "strings", file));
      // pcf-scripts copied it into the build…
      expect([file, fs.readFileSync(path.join(BUILT, "strings", file)).equals(source)]).toEqual([file, true]);
      // …and npm run package into both zips.
      for (const managed of [false, true]) expect([file, managed, control(managed).get(`${FOLDER}strings/${file}`)?.equals(source)]).toEqual([file, managed, true]);
    }
  });

  it("carry only well-formed XML", () => {
    for (const f of fs.readdirSync(first)) {
      for (const [name, data] of unzip(path.join(first, f))) if (/\.(xml|resx)$/.test(name)) xml(data, `${f} ${name}`);
    }
  });
});

describe("the Setup form and the built control agree", () => {
  it("every form parameter names a property the built manifest declares and a column the table defines", () => {
    const setup = unzip(path.join(first, zipName(SETUP_SOLUTION, true)));
    const c = xml(setup.get("customizations.xml")!);
    const manifest = xml(control(true).get(`${FOLDER}ControlManifest.xml`)!);
    const properties = new Map(all(manifest, "property").map((p) => [p.getAttribute("name"), p]));
    const columns = new Map(elements(at(c.documentElement, "Entities", "Entity", "EntityInfo", "entity", "attributes")).map((a) => [child(a, "LogicalName").textContent, a]));
    const uses = all(c, "customControl").filter((cc) => cc.getAttribute("name") === CONTROL_NAME);
    expect(uses).toHaveLength(3);
    for (const cc of uses) {
      const params = elements(child(cc, "parameters"));
      // Every required property is set.
      for (const [name, p] of properties) if (p.getAttribute("required") === "true") expect(params.map((x) => x.tagName)).toContain(name);
      for (const p of params) {
        expect(properties.has(p.tagName)).toBe(true);
        expect(columns.has(p.textContent)).toBe(true);
      }
      // The bound property sits on a multiline column, as its of-type Multiple needs.
      expect(child(columns.get(params.find((p) => p.tagName === "checklistState")!.textContent)!, "Type").textContent).toBe("ntext");
    }
  });

  it("the prefix is w365 in both publishers, the control name and everything Setup names", () => {
    for (const f of fs.readdirSync(first)) {
      const files = unzip(path.join(first, f));
      expect(at(xml(files.get("solution.xml")!).documentElement, "SolutionManifest", "Publisher", "CustomizationPrefix").textContent).toBe(PREFIX);
      for (const e of all(xml(files.get("customizations.xml")!), "Name")) if (e.parentNode && (e.parentNode as Element).tagName === "CustomControl") expect(e.textContent!.startsWith(`${PREFIX}_`)).toBe(true);
    }
  });
});

// The real pac-built managed package of a PCF control: our managed control zip must be laid out
// the same way (entry order, compression, zip header fields, content types, XML shape).
describe("the managed control zip matches the real pac-built package", () => {
  const REF = "CodeInterpreterControlSolution.extracted";
  let listing: string;
  let realEntries: string[];
  const normalise = (name: string, folder: string, ctor: string): string => name.replace(folder, "Controls/CONTROL/").replace(`${ctor}.1033.resx`, "CTOR.1033.resx");
  beforeAll(() => {
    listing = fs.readFileSync(vendorFile(REF, "zip-listing.txt"), "utf8");
    // The `unzip -lv` table: Length Method Size Cmpr Date Time CRC-32 Name.
    realEntries = listing.split("\n").filter((l) => /^\s*\d+\s+(Defl|Stored)/.test(l)).map((l) => l.trim().split(/\s+/).slice(7).join(" "));
  });

  it("reads the reference listing", () => {
    expect(realEntries[0]).toBe("customizations.xml");
    expect(realEntries.at(-1)).toBe("[Content_Types].xml");
  });

  it("entry order", () => {
    const ours = [...control(true).keys()].map((n) => normalise(n, FOLDER, "PrerequisiteChecklist"));
    const real = realEntries.map((n) => normalise(n, "Controls/dev_CodeInterpreterSample.CodeInterpreterControl/", "CodeInterpreterControl"));
    // The sample ships English only; our translations sit beside it, the strings folder in ordinal order.
    const translation = (n: string) => /\/strings\/PrerequisiteChecklist\.\d+\.resx$/.test(n);
    expect(ours.filter((n) => !translation(n))).toEqual(real);
    const strings = [...control(true).keys()].filter((n) => n.startsWith(`${FOLDER}strings/`));
    expect(strings).toEqual([...strings].sort());
    const first = [...control(true).keys()].indexOf(strings[0]);
    expect([...control(true).keys()].slice(first, first + strings.length)).toEqual(strings);
  });

  it("zip header fields", () => {
    // What unzip -Zv printed for every entry of the real package.
    for (const expected of ["file system or operating system of origin:      MS-DOS, OS/2 or NT FAT", "version of encoding software:                   2.0",
      "minimum software version required to extract:   2.0", "compression method:                             deflated", "extended local header:                          no",
      "length of extra field:                          0 bytes", "non-MSDOS external file attributes:             000000 hex"]) {
      expect(listing.split(expected).length - 1).toBe(realEntries.length);
    }
    for (const e of centralDirectory(fs.readFileSync(path.join(first, zipName(CONTROL_SOLUTION, true))))) {
      expect(e.madeBy).toBe(20); // high byte 0: MS-DOS; low byte 20: version 2.0
      expect(e.method).toBe(8);
      expect(e.flags & 0x08).toBe(0); // no data descriptor ("extended local header")
      expect(e.extraLength).toBe(0);
      expect(e.externalAttrs).toBe(0);
    }
  });

  it("[Content_Types].xml follows the same rule", () => {
    const real = fs.readFileSync(vendorFile(REF, "[Content_Types].xml"));
    // The rule our packager applies, run on the real package's entry names, gives the real file.
    expect(callPackager<string>("contentTypes", realEntries.filter((n) => n !== "[Content_Types].xml"))).toBe(text(real));
    const ours = control(true).get("[Content_Types].xml")!;
    expect(ours.subarray(0, 3)).toEqual(real.subarray(0, 3));
  });

  it("solution.xml and customizations.xml have the same shape and encoding", () => {
    const files = control(true);
    for (const name of ["solution.xml", "customizations.xml"]) {
      const real = fs.readFileSync(vendorFile(REF, name));
      const ours = files.get(name)!;
      expect(ours.subarray(0, 3)).toEqual(real.subarray(0, 3));
      expect(text(ours).split("\r\n")[0]).toBe(text(real).split("\r\n")[0]);
      const paths = (d: Document): string[] => {
        const out: string[] = [];
        const visit = (e: Element, p: string): void => {
          const here = `${p}/${e.tagName}`;
          if (!out.includes(here)) out.push(here);
          elements(e).forEach((c) => visit(c, here));
        };
        visit(d.documentElement, "");
        return out;
      };
      const [o, r] = [paths(xml(ours)), paths(xml(real))];
      // Ours describes the solution in one sentence; the sample left Descriptions empty.
      expect(o.filter((p) => p !== "/ImportExportXml/SolutionManifest/Descriptions/Description")).toEqual(r);
      expect(attrNames(xml(ours).documentElement)).toEqual(attrNames(xml(real).documentElement));
    }
  });

  it("the built manifest has the shape of the real built manifest", () => {
    const real = xml(fs.readFileSync(vendorFile(REF, "Controls", "dev_CodeInterpreterSample.CodeInterpreterControl", "ControlManifest.xml")));
    const ours = xml(control(true).get(`${FOLDER}ControlManifest.xml`)!);
    expect(childNames(ours.documentElement)).toEqual(childNames(real.documentElement));
    const shape = (d: Document): string[] => childNames(all(d, "control")[0]).filter((n) => n !== "property");
    expect(shape(ours)).toEqual(shape(real));
  });
});
