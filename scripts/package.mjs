#!/usr/bin/env node
// Packs Solutions/<Name>/src into Dataverse solution zips, laid out as `dotnet build` of the
// cdsproj (SolutionPackager, driven by Microsoft.PowerApps.MSBuild.Solution) lays them out.
// pac and the Power Apps MSBuild packages are not served here, so this script stands in for that build; the
// cdsproj files stay as pac writes them so a machine with dotnet builds the same solutions.
//
//   node scripts/package.mjs                 build the control (production), then pack
//   node scripts/package.mjs --controls DIR  pack an already-built out/controls folder
//   node scripts/package.mjs --bin DIR       write the zips somewhere else than Solutions/bin
//   node scripts/package.mjs --solution NAME one solution only (Work365Setup needs no control build)
//   node scripts/package.mjs --plugin DLL    pack an already-built plug-in assembly (net462)
//
// Same inputs give the same bytes: fixed entry order, fixed timestamps, fixed deflate level.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { DOMParser } from '@xmldom/xmldom';
import { PLUGIN_OUTPUTS, buildPlugin } from './build-plugin.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOLUTION_NAMES = ['Work365PrerequisiteChecklist', 'Work365Setup'];

// SolutionPackager writes its XML with a byte order mark and CRLF line ends; so do we.
const BOM = '\uFEFF';
const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>';
// A DOS date has no time zone: built from local parts it reads 2020-01-01 00:00 everywhere.
const ENTRY_TIME = new Date(2020, 0, 1, 0, 0, 0);

/** Parses XML and throws on any error or warning, so malformed output can never be zipped. */
export function parseXml(text, what) {
  const fail = (level, msg) => {
    throw new Error(`${what}: XML ${level}: ${msg}`);
  };
  return new DOMParser({ onError: fail }).parseFromString(text.replace(/^\uFEFF/, ''), 'text/xml');
}

const read = (file) => fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
const listDir = (dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

/** Every file under dir, as forward-slash paths relative to dir, in ordinal order. */
function walk(dir, prefix = '') {
  const out = [];
  for (const name of listDir(dir)) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) out.push(...walk(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out.sort();
}

/** The lines inside a file's root element, re-indented by `by` spaces (sources use 2-space steps). */
function innerLines(text, by) {
  const body = text.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>\s*/, '').replace(/<!--[\s\S]*?-->\s*/g, '');
  const start = body.indexOf('>') + 1;
  if (/\/>\s*$/.test(body.slice(0, start))) return [];
  const end = body.lastIndexOf('</');
  return body
    .slice(start, end)
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => ' '.repeat(by) + line);
}

/** A whole file's root element (attributes too), re-indented by `by` spaces. */
function elementLines(text, by) {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[^>]*\?>\s*/, '')
    .replace(/<!--[\s\S]*?-->\s*/g, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => ' '.repeat(by) + line);
}

const tagOf = (text) => /<([A-Za-z_][\w.-]*)/.exec(text.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, ''))[1];

/** Fills an empty `<Tag />` placeholder of the source Customizations.xml. */
function fill(xml, tag, lines) {
  if (lines.length === 0) return xml;
  const re = new RegExp(`^( *)<${tag} />$`, 'm');
  const m = re.exec(xml);
  if (!m) throw new Error(`Customizations.xml has no empty <${tag} /> placeholder`);
  return xml.replace(re, [`${m[1]}<${tag}>`, ...lines, `${m[1]}</${tag}>`].join('\n'));
}

/** `src/Entities/<name>/` (SolutionPackager's unpacked layout) back into `<Entity>` elements. */
function entityLines(srcDir) {
  const lines = [];
  for (const name of listDir(path.join(srcDir, 'Entities'))) {
    const dir = path.join(srcDir, 'Entities', name);
    lines.push('    <Entity>', ...innerLines(read(path.join(dir, 'Entity.xml')), 4));
    const formTypes = listDir(path.join(dir, 'FormXml'));
    if (formTypes.length) {
      lines.push('      <FormXml>');
      for (const type of formTypes) {
        lines.push(`        <forms type="${type}">`);
        for (const f of listDir(path.join(dir, 'FormXml', type)).filter((f) => f.endsWith('.xml'))) {
          lines.push(...innerLines(read(path.join(dir, 'FormXml', type, f)), 8));
        }
        lines.push('        </forms>');
      }
      lines.push('      </FormXml>');
    }
    const queries = listDir(path.join(dir, 'SavedQueries')).filter((f) => f.endsWith('.xml'));
    if (queries.length) {
      lines.push('      <SavedQueries>', '        <savedqueries>');
      for (const f of queries) lines.push(...innerLines(read(path.join(dir, 'SavedQueries', f)), 8));
      lines.push('        </savedqueries>', '      </SavedQueries>');
    }
    const ribbon = path.join(dir, 'RibbonDiff.xml');
    if (fs.existsSync(ribbon)) lines.push('      <RibbonDiffXml>', ...innerLines(read(ribbon), 6), '      </RibbonDiffXml>');
    lines.push('    </Entity>');
  }
  return lines;
}

/** `src/<Folder>/<name>/<File>.xml` components (app modules, site maps) as elements. */
function componentLines(srcDir, folder, file) {
  const lines = [];
  for (const name of listDir(path.join(srcDir, folder))) {
    const text = read(path.join(srcDir, folder, name, file));
    const tag = tagOf(text);
    lines.push(`    <${tag}>`, ...innerLines(text, 4), `    </${tag}>`);
  }
  return lines;
}

/** Reads the control that a pcf-scripts build wrote into `<controlsDir>/<Constructor>/`. */
export function readBuiltControl(controlsDir) {
  const dirs = listDir(controlsDir).filter((d) => fs.existsSync(path.join(controlsDir, d, 'ControlManifest.xml')));
  if (dirs.length !== 1) throw new Error(`Expected one built control in ${controlsDir}, found ${dirs.length}; run the production build first`);
  const dir = path.join(controlsDir, dirs[0]);
  const doc = parseXml(read(path.join(dir, 'ControlManifest.xml')), 'built ControlManifest.xml');
  const control = doc.getElementsByTagName('control')[0];
  const files = walk(dir);
  // A manifest resource that did not make it into the build would only fail at import time.
  const resources = doc.getElementsByTagName('resources')[0];
  for (const el of Array.from(resources ? resources.childNodes : [])) {
    const p = el.nodeType === 1 && el.getAttribute('path');
    if (p && !files.includes(p)) throw new Error(`Built control lacks the resource ${p} its manifest names`);
  }
  return {
    dir,
    files,
    namespace: control.getAttribute('namespace'),
    constructor: control.getAttribute('constructor'),
    version: control.getAttribute('version'),
  };
}

const solutionDir = (root, name) => path.join(root, 'Solutions', name);

/** True when the cdsproj references a plug-in project, as `pac solution add-reference` writes it. */
function referencesPlugin(root, name) {
  const cdsproj = read(path.join(solutionDir(root, name), `${name}.cdsproj`));
  return /<ProjectReference Include="[^"]*\.csproj" \/>/.test(cdsproj);
}

/**
 * `src/PluginAssemblies/<name>-<GUID>/<name>.dll.data.xml` and `src/SdkMessageProcessingSteps/`
 * as the MSBuild solution targets pack them: each assembly element into SolutionPluginAssemblies,
 * the built DLL at the path its FileName names, each step into SdkMessageProcessingSteps.
 */
function pluginParts(src, assemblyFile) {
  const assemblies = [];
  const files = [];
  for (const folder of listDir(path.join(src, 'PluginAssemblies'))) {
    for (const dataFile of listDir(path.join(src, 'PluginAssemblies', folder)).filter((f) => f.endsWith('.dll.data.xml'))) {
      const text = read(path.join(src, 'PluginAssemblies', folder, dataFile));
      const fileName = /<FileName>\/([^<]+)<\/FileName>/.exec(text)?.[1];
      if (fileName !== `PluginAssemblies/${folder}/${dataFile.replace(/\.data\.xml$/, '')}`) throw new Error(`${folder}/${dataFile}: FileName ${fileName} is not the file beside it`);
      if (!assemblyFile || !fs.existsSync(assemblyFile)) throw new Error(`${fileName} needs the plug-in's net462 build; run npm run build:plugin`);
      assemblies.push(...elementLines(text, 4));
      files.push([fileName, fs.readFileSync(assemblyFile)]);
    }
  }
  const steps = listDir(path.join(src, 'SdkMessageProcessingSteps'))
    .filter((f) => f.endsWith('.xml'))
    .flatMap((f) => elementLines(read(path.join(src, 'SdkMessageProcessingSteps', f)), 4));
  return { assemblies, steps, files };
}

/** True when the cdsproj references a .pcfproj, as `pac solution add-reference` writes it. */
function referencesControl(root, name) {
  const cdsproj = read(path.join(solutionDir(root, name), `${name}.cdsproj`));
  return /<ProjectReference Include="[^"]*\.pcfproj" \/>/.test(cdsproj);
}

const textOf = (xml, tag) => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!m) throw new Error(`No <${tag}> in Solution.xml`);
  return m[1];
};

/** Unique name, version and publisher prefix of a solution's src/Other/Solution.xml. */
export function readSolution(root, name) {
  const xml = read(path.join(solutionDir(root, name), 'src', 'Other', 'Solution.xml'));
  return { xml, uniqueName: textOf(xml, 'UniqueName'), version: textOf(xml, 'Version'), prefix: textOf(xml, 'CustomizationPrefix') };
}

/**
 * One solution as ordered zip entries: customizations.xml, solution.xml, the control files,
 * [Content_Types].xml last — the order of pac's build output.
 */
export function solutionEntries(root, name, { managed, control, pluginAssembly }) {
  const src = path.join(solutionDir(root, name), 'src');
  const solution = readSolution(root, name);
  let solutionXml = solution.xml.replace(/<Managed>\d<\/Managed>/, `<Managed>${managed ? 1 : 0}</Managed>`);
  let customizations = read(path.join(src, 'Other', 'Customizations.xml')).replace(/<\?xml[^>]*\?>\s*/, '');
  const controlFiles = [];
  if (control) {
    // What the MSBuild solution targets do for a referenced pcfproj: name the control after the
    // publisher prefix, list it in CustomControls and make it a root component (type 66).
    const controlName = `${solution.prefix}_${control.namespace}.${control.constructor}`;
    const folder = `Controls/${controlName}`;
    customizations = fill(customizations, 'CustomControls', [
      '    <CustomControl>',
      `      <Name>${controlName}</Name>`,
      `      <FileName>/${folder}/ControlManifest.xml</FileName>`,
      '    </CustomControl>',
    ]);
    const root66 = `      <RootComponent type="66" schemaName="${controlName}" behavior="0" />`;
    solutionXml = solutionXml.includes('<RootComponents />')
      ? solutionXml.replace('<RootComponents />', `<RootComponents>\n${root66}\n    </RootComponents>`)
      : solutionXml.replace('</RootComponents>', `  ${root66.trim()}\n    </RootComponents>`);
    for (const f of control.files) controlFiles.push([`${folder}/${f}`, fs.readFileSync(path.join(control.dir, f))]);
  }
  const plugin = pluginParts(src, pluginAssembly);
  customizations = fill(customizations, 'SolutionPluginAssemblies', plugin.assemblies);
  customizations = fill(customizations, 'SdkMessageProcessingSteps', plugin.steps);
  customizations = fill(customizations, 'Entities', entityLines(src));
  customizations = fill(customizations, 'AppModuleSiteMaps', componentLines(src, 'AppModuleSiteMaps', 'AppModuleSiteMap.xml'));
  customizations = fill(customizations, 'AppModules', componentLines(src, 'AppModules', 'AppModule.xml'));

  const asPac = (xml) => Buffer.from(BOM + xml.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n'), 'utf8');
  const entries = [
    ['customizations.xml', asPac(`${XML_DECL}\n${customizations}`)],
    ['solution.xml', asPac(solutionXml)],
    ...controlFiles,
    ...plugin.files,
  ];
  entries.push(['[Content_Types].xml', Buffer.from(BOM + contentTypes(entries.map(([n]) => n)), 'utf8')]);
  for (const [entry, data] of entries) if (entry.endsWith('.xml')) parseXml(data.toString('utf8'), `${name} ${entry}`);
  return entries;
}

/** One Default per extension in order of first use, one Override per control manifest (as pac). */
export function contentTypes(names) {
  const exts = [];
  for (const n of [...names, '[Content_Types].xml']) {
    const ext = path.extname(n).slice(1).toLowerCase();
    if (ext && !exts.includes(ext)) exts.push(ext);
  }
  const defaults = exts.map((e) => `<Default Extension="${e}" ContentType="${e === 'xml' ? 'text/xml' : 'application/octet-stream'}" />`);
  const overrides = names
    .filter((n) => n.endsWith('/ControlManifest.xml'))
    .map((n) => `<Override PartName="/${n}" ContentType="application/octet-stream" />`);
  return `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">${defaults.join('')}${overrides.join('')}</Types>`;
}

/** Deflated entries, no directory entries, fixed timestamps: the same entries give the same bytes. */
export function zipBytes(entries) {
  const files = {};
  for (const [name, data] of entries) files[name] = [new Uint8Array(data), { level: 6, mtime: ENTRY_TIME }];
  return Buffer.from(zipSync(files));
}

/** The single version everything carries: X.Y.Z in the manifest and package.json, X.Y.Z.0 in solutions. */
export function checkVersions(root, control) {
  const pkg = JSON.parse(read(path.join(root, 'package.json'))).version;
  const expected = `${pkg}.0`;
  const problems = [];
  if (control && control.version !== pkg) problems.push(`built control manifest is ${control.version} (rebuild, or run npm run version:bump)`);
  for (const name of SOLUTION_NAMES) {
    const { version, xml } = readSolution(root, name);
    if (version !== expected) problems.push(`${name} Solution.xml is ${version}`);
    for (const m of xml.matchAll(/solution="(\w+) \(([\d.]+)\)"/g)) {
      if (SOLUTION_NAMES.includes(m[1]) && m[2] !== expected) problems.push(`${name} depends on ${m[1]} (${m[2]})`);
    }
  }
  if (problems.length) throw new Error(`Versions disagree with package.json ${pkg} (solutions ${expected}): ${problems.join('; ')}`);
  return expected;
}

/** Writes <Unique>_<v>.zip and <Unique>_<v>_managed.zip per solution into binDir. */
export function packageSolutions({ root = ROOT, controlsDir = path.join(root, 'out', 'controls'), binDir = path.join(root, 'Solutions', 'bin'), names = SOLUTION_NAMES, pluginAssembly = PLUGIN_OUTPUTS.assembly } = {}) {
  const needsControl = names.some((n) => referencesControl(root, n));
  const control = needsControl ? readBuiltControl(controlsDir) : undefined;
  const version = checkVersions(root, control);
  fs.mkdirSync(binDir, { recursive: true });
  const written = [];
  for (const name of names) {
    const { uniqueName } = readSolution(root, name);
    for (const managed of [false, true]) {
      const entries = solutionEntries(root, name, {
        managed,
        control: referencesControl(root, name) ? control : undefined,
        pluginAssembly: referencesPlugin(root, name) ? pluginAssembly : undefined,
      });
      const file = path.join(binDir, `${uniqueName}_${version.replace(/\./g, '_')}${managed ? '_managed' : ''}.zip`);
      const bytes = zipBytes(entries);
      fs.writeFileSync(file, bytes);
      written.push({ file, size: bytes.length, entries: entries.map(([n]) => n) });
    }
  }
  return written;
}

/**
 * The production build, through ensure-build: pcf-scripts exits 0 even when the build fails, and
 * ensure-build reads its output to tell.
 */
export function buildControl(root = ROOT) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'ensure-build.mjs'), '--force'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`The production build failed (exit ${r.status})`);
  return path.join(root, 'out', 'controls');
}

function main(argv) {
  const arg = (flag) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? path.resolve(argv[i + 1]) : undefined;
  };
  const i = argv.indexOf('--solution');
  const names = i >= 0 ? [argv[i + 1]] : SOLUTION_NAMES;
  // Work365Setup alone does not contain the control, so it needs no control build (the plug-in's, yes).
  const needsBuild = names.some((n) => referencesControl(ROOT, n));
  const controlsDir = arg('--controls') ?? (needsBuild ? buildControl(ROOT) : undefined);
  const pluginAssembly = arg('--plugin');
  if (!pluginAssembly && names.some((n) => referencesPlugin(ROOT, n))) buildPlugin();
  for (const { file, size, entries } of packageSolutions({ controlsDir, binDir: arg('--bin'), names, pluginAssembly })) {
    console.log(`${path.relative(process.cwd(), file)}  ${size} bytes`);
    for (const e of entries) console.log(`  ${e}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
