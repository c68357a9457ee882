// Shared by the solution tests: run the packager (plain Node ESM, so it runs in its own node
// process rather than through ts-jest's CommonJS), read zips back and walk their XML.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { unzipSync } from "fflate";
import { DOMParser } from "@xmldom/xmldom";

export const ROOT = path.resolve(__dirname, "../..");
export const PACKAGER = path.join(ROOT, "scripts", "package.mjs");
export const VENDOR = path.resolve(__dirname, "../../../shared/vendor-data/solution-zips");
export const CONTROL_SOLUTION = "Work365PrerequisiteChecklist";
export const SETUP_SOLUTION = "Work365Setup";
export const CONTROL_NAME = "w365_Work365.PrerequisiteChecklist";
export const PREFIX = "w365";

export const tempDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `w365-${tag}-`));

/** The plug-in's net462 build, which npm test builds before jest runs (scripts/build-plugin.mjs). */
export const PLUGIN_DLL = path.join(ROOT, "ChecklistStatePlugin", "Plugin", "bin", "Release", "net462", "Work365.ChecklistStatePlugin.dll");

/** Runs scripts/package.mjs with args (and the built plug-in); throws with its output when it fails. */
export function runPackager(args: string[], root = ROOT): string {
  const plugin = args.includes("--plugin") ? [] : ["--plugin", PLUGIN_DLL];
  const r = spawnSync(process.execPath, [path.join(root, "scripts", "package.mjs"), ...args, ...plugin], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`package.mjs ${args.join(" ")} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Calls an exported function of package.mjs with JSON arguments and returns its JSON result. */
export function callPackager<T>(fn: string, ...args: unknown[]): T {
  const code = `import * as p from ${JSON.stringify("file://" + PACKAGER)}; process.stdout.write(JSON.stringify(p[${JSON.stringify(fn)}](...JSON.parse(process.argv[1]))));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", code, JSON.stringify(args)], { encoding: "utf8" })) as T;
}

export const version = (): string => (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
export const zipName = (unique: string, managed: boolean, v = version()): string => `${unique}_${`${v}.0`.replace(/\./g, "_")}${managed ? "_managed" : ""}.zip`;

export interface CentralEntry {
  name: string;
  madeBy: number;
  flags: number;
  method: number;
  dosTime: number;
  dosDate: number;
  extraLength: number;
  externalAttrs: number;
}

/** The central directory, read by hand: what unzip -Zv shows for pac's zip, to compare with ours. */
export function centralDirectory(zip: Buffer): CentralEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const out: CentralEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    out.push({
      madeBy: zip.readUInt16LE(at + 4),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      extraLength,
      externalAttrs: zip.readUInt32LE(at + 38),
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

export function unzip(file: string): Map<string, Buffer> {
  const files = unzipSync(new Uint8Array(fs.readFileSync(file)));
  return new Map(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
}

export const text = (b: Buffer): string => b.toString("utf8").replace(/^\uFEFF/, "");

/** Strict parse: any error or warning from the parser fails the test. */
export function xml(source: string | Buffer, what = "xml"): Document {
  const s = typeof source === "string" ? source : text(source);
  const fail = (level: string, msg: string): never => {
    throw new Error(`${what} is not well-formed XML (${level}): ${msg}`);
  };
  return new DOMParser({ onError: fail }).parseFromString(s, "text/xml") as unknown as Document;
}

export const elements = (node: Node): Element[] => Array.from(node.childNodes).filter((n): n is Element => n.nodeType === 1);
export const childNames = (node: Node): string[] => elements(node).map((e) => e.tagName);
export const child = (node: Node, name: string): Element => {
  const found = elements(node).find((e) => e.tagName === name);
  if (!found) throw new Error(`<${(node as Element).tagName}> has no <${name}>`);
  return found;
};
/** Follows a path of child element names from node. */
export const at = (node: Node, ...names: string[]): Element => names.reduce<Node>((n, name) => child(n, name), node) as Element;
export const all = (node: Document | Element, tag: string): Element[] => Array.from(node.getElementsByTagName(tag)) as Element[];
export const attrNames = (e: Element): string[] => Array.from(e.attributes).map((a) => a.name);

/** True when every item of `part` appears in `whole`, in the same order. */
export function isSubsequence(part: string[], whole: string[]): boolean {
  let i = 0;
  for (const w of whole) if (i < part.length && part[i] === w) i++;
  return i === part.length;
}

/** The reference packages come with the project's shared data; CI lays them beside the repo. */
export function vendorFile(...parts: string[]): string {
  const p = path.join(VENDOR, ...parts);
  if (!fs.existsSync(p)) {
    throw new Error(`Reference solution package missing: ${p}. The tests compare against the real packages in shared/vendor-data/solution-zips/, expected at ${VENDOR} (../shared beside the repository; CI provides it).`);
  }
  return p;
}

/** A hand-made stand-in for out/controls, shaped like pcf-scripts' production output. */
export function fakeControls(dir: string, opts: { version?: string; withResx?: boolean } = {}): string {
  const controlDir = path.join(dir, "PrerequisiteChecklist");
  fs.mkdirSync(path.join(controlDir, "strings"), { recursive: true });
  const source = fs.readFileSync(path.join(ROOT, "PrerequisiteChecklist", "ControlManifest.Input.xml"), "utf8");
  const manifest = source
    .replace(/(<control\b[^>]*\sversion=")[^"]*"/, `$1${opts.version ?? version()}"`)
    .replace('<code path="index.ts"', '<code path="bundle.js"');
  fs.writeFileSync(path.join(controlDir, "ControlManifest.xml"), manifest);
  fs.writeFileSync(path.join(controlDir, "bundle.js"), "var pcf_tools_652ac3f36e1e4bca82eb3c1dc44e6fad = {};\n");
  if (opts.withResx !== false) {
    // Every resx the manifest names, as the build copies them.
    for (const [, resx] of source.matchAll(/<resx path="([^"]+)"/g)) fs.writeFileSync(path.join(controlDir, resx), '<?xml version="1.0" encoding="utf-8"?>\n<root />\n');
  }
  return dir;
}
