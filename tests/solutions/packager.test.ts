// The packager and the version bump on their own: a hand-made out/controls folder stands in for
// the production build, and the bump runs on a copy of the files it edits.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CONTROL_SOLUTION, ROOT, SETUP_SOLUTION, fakeControls, runPackager, tempDir, unzip, vendorFile, version, xml, zipName } from "./helpers";

const MANIFEST = path.join("PrerequisiteChecklist", "ControlManifest.Input.xml");
const SOLUTION_XML = (name: string): string => path.join("Solutions", name, "src", "Other", "Solution.xml");

const VERSION_TS = "PrerequisiteChecklist/version.ts";

/** A copy of the repository parts the scripts read, with node_modules linked in. */
function copyRepo(): string {
  const dir = tempDir("repo");
  for (const rel of ["package.json", "package-lock.json", MANIFEST, VERSION_TS, "scripts", "Solutions"]) {
    fs.cpSync(path.join(ROOT, rel), path.join(dir, rel), { recursive: true, filter: (src) => !/[\\/]Solutions[\\/](bin|obj)\b/.test(src) });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const runBump = (root: string): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, [path.join(root, "scripts", "version-bump.mjs")], { cwd: root, encoding: "utf8" });

const read = (root: string, rel: string): string => fs.readFileSync(path.join(root, rel), "utf8");

describe("solution projects, as pac solution init and add-reference write them", () => {
  const cdsproj = (name: string): string => read(ROOT, path.join("Solutions", name, `${name}.cdsproj`));

  it("one folder per solution with a cdsproj named after it, src/Other/Solution.xml and Customizations.xml", () => {
    for (const name of [CONTROL_SOLUTION, SETUP_SOLUTION]) {
      expect(name).not.toBe("pcf-project");
      const project = xml(cdsproj(name), `${name}.cdsproj`).documentElement;
      expect(project.getAttribute("xmlns")).toBe("http://schemas.microsoft.com/developer/msbuild/2003");
      expect(cdsproj(name)).toContain('<PackageReference Include="Microsoft.PowerApps.MSBuild.Solution" Version="1.*" />');
      expect(cdsproj(name)).toContain("<SolutionRootPath>src</SolutionRootPath>");
      // Both: dotnet build writes the unmanaged and the managed zip.
      expect(cdsproj(name)).toMatch(/^\s*<SolutionPackageType>Both<\/SolutionPackageType>/m);
      for (const f of ["Solution.xml", "Customizations.xml"]) xml(read(ROOT, path.join("Solutions", name, "src", "Other", f)), `${name} ${f}`);
      expect(read(ROOT, path.join("Solutions", name, "src", "Other", "Solution.xml"))).toContain("<Managed>2</Managed>");
    }
  });

  it("the control solution references only the control project, Work365Setup only the plug-in's, with pac's relative backslash paths", () => {
    const references = (name: string): string[] => [...cdsproj(name).matchAll(/<ProjectReference Include="([^"]+)" \/>/g)].map((m) => m[1]);
    expect(references(CONTROL_SOLUTION)).toEqual(["..\\..\\pcf-project.pcfproj"]);
    expect(references(SETUP_SOLUTION)).toEqual(["..\\..\\ChecklistStatePlugin\\Plugin\\Work365.ChecklistStatePlugin.csproj"]);
    for (const name of [CONTROL_SOLUTION, SETUP_SOLUTION]) {
      for (const reference of references(name)) expect(fs.existsSync(path.resolve(ROOT, "Solutions", name, reference.replace(/\\/g, "/")))).toBe(true);
    }
  });

  it("a missing reference package fails with where it is expected", () => {
    expect(() => vendorFile("no-such-package.zip")).toThrow(/expected at .*shared[\\/]vendor-data[\\/]solution-zips .*CI provides it/);
  });
});

describe("packager with an already-built control folder", () => {
  it("packs without building, the same bytes every time", () => {
    const controls = fakeControls(tempDir("controls"));
    const [a, b] = [tempDir("a"), tempDir("b")];
    runPackager(["--controls", controls, "--bin", a]);
    runPackager(["--controls", controls, "--bin", b]);
    const names = fs.readdirSync(a).sort();
    expect(names).toEqual([zipName(CONTROL_SOLUTION, false), zipName(CONTROL_SOLUTION, true), zipName(SETUP_SOLUTION, false), zipName(SETUP_SOLUTION, true)].sort());
    for (const n of names) expect(fs.readFileSync(path.join(a, n)).equals(fs.readFileSync(path.join(b, n)))).toBe(true);
    expect([...unzip(path.join(a, zipName(CONTROL_SOLUTION, true))).keys()]).toEqual([
      "customizations.xml",
      "solution.xml",
      "Controls/w365_Work365.PrerequisiteChecklist/ControlManifest.xml",
      "Controls/w365_Work365.PrerequisiteChecklist/bundle.js",
      // Every language's strings, in ordinal order.
      ...[1025, 1030, 1031, 1033, 1036, 1037, 1040, 1041, 1043, 1044, 1046, 1053, 3082].map((lcid) => `Controls/w365_Work365.PrerequisiteChecklist/strings/PrerequisiteChecklist.${lcid}.resx`),
      "[Content_Types].xml",
    ]);
  });

  it("refuses a built control whose version is not the solutions' version", () => {
    const controls = fakeControls(tempDir("controls"), { version: "9.9.9" });
    expect(() => runPackager(["--controls", controls, "--bin", tempDir("bin")])).toThrow(/Versions disagree.*built control manifest is 9\.9\.9/);
  });

  it("refuses a built control that lacks a resource its manifest names", () => {
    const controls = fakeControls(tempDir("controls"), { withResx: false });
    expect(() => runPackager(["--controls", controls, "--bin", tempDir("bin")])).toThrow(/lacks the resource strings\/PrerequisiteChecklist\.1033\.resx/);
  });

  it("refuses an out folder with no built control", () => {
    expect(() => runPackager(["--controls", tempDir("empty"), "--bin", tempDir("bin")])).toThrow(/Expected one built control/);
  });
});

describe("npm run version:bump", () => {
  it("raises the patch part in package.json, the manifest, the control's reported version and both solutions, and nothing else", () => {
    const root = copyRepo();
    const before = Object.fromEntries(["package.json", MANIFEST, SOLUTION_XML(CONTROL_SOLUTION), SOLUTION_XML(SETUP_SOLUTION)].map((f) => [f, read(root, f)]));
    const [x, y, z] = version().split(".").map(Number);
    const next = `${x}.${y}.${z + 1}`;
    const r = runBump(root);
    expect(r.status).toBe(0);

    expect(JSON.parse(read(root, "package.json")).version).toBe(next);
    const lock = JSON.parse(read(root, "package-lock.json"));
    expect([lock.version, lock.packages[""].version]).toEqual([next, next]);
    expect(read(root, MANIFEST)).toMatch(new RegExp(`<control [^>]*version="${next.replace(/\./g, "\\.")}"`));
    expect(read(root, VERSION_TS)).toContain(`CONTROL_VERSION = "${next}"`);
    for (const name of [CONTROL_SOLUTION, SETUP_SOLUTION]) expect(read(root, SOLUTION_XML(name))).toContain(`<Version>${next}.0</Version>`);
    expect(read(root, SOLUTION_XML(SETUP_SOLUTION))).toContain(`solution="${CONTROL_SOLUTION} (${next}.0)"`);

    // Only the version moved: undo it and each file is as it was (the resx version stays put).
    const undo = (s: string): string => s.split(`${next}.0`).join(`${version()}.0`).replace(`"version": "${next}"`, `"version": "${version()}"`).replace(`version="${next}"`, `version="${version()}"`);
    for (const [f, text] of Object.entries(before)) expect(undo(read(root, f))).toBe(text);

    // The bumped tree packs to the new version.
    const bin = tempDir("bumped");
    runPackager(["--controls", fakeControls(tempDir("controls"), { version: next }), "--bin", bin], root);
    expect(fs.readdirSync(bin)).toContain(zipName(CONTROL_SOLUTION, true, next));
  });

  it("changes nothing when the versions already disagree", () => {
    const root = copyRepo();
    const file = path.join(root, SOLUTION_XML(SETUP_SOLUTION));
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/<Version>[^<]*<\/Version>/, "<Version>0.0.1.0</Version>"));
    const before = read(root, "package.json") + read(root, MANIFEST);
    const r = runBump(root);
    expect(r.status).not.toBe(0);
    expect(String(r.stderr)).toMatch(/Work365Setup.*does not carry version/);
    expect(read(root, "package.json") + read(root, MANIFEST)).toBe(before);
  });
});
