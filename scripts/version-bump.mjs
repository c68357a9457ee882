#!/usr/bin/env node
// Raises the patch part of the one version everything carries: package.json (and its lock),
// the control manifest and the version the control reports (X.Y.Z) and both solutions (X.Y.Z.0). Model-driven apps keep serving an
// old bundle unless the manifest version goes up, and an import needs a higher solution version.
// Each file is edited in place by a narrow substitution so nothing else in it moves; the control
// manifest belongs to another owner, so only the <control version="…"> attribute is touched.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOLUTIONS = ['Work365PrerequisiteChecklist', 'Work365Setup'];

/** Files and the substitution that moves each from `from` to `to`. */
function edits(root, from, to) {
  const q = (v) => v.replace(/\./g, '\\.');
  return [
    {
      file: path.join(root, 'package.json'),
      re: new RegExp(`^(\\s*"version": ")${q(from)}(")`, 'm'),
      to: `$1${to}$2`,
    },
    {
      file: path.join(root, 'PrerequisiteChecklist', 'ControlManifest.Input.xml'),
      re: new RegExp(`(<control\\b[^>]*\\sversion=")${q(from)}(")`),
      to: `$1${to}$2`,
    },
    {
      file: path.join(root, 'PrerequisiteChecklist', 'version.ts'),
      re: new RegExp(`(CONTROL_VERSION = ")${q(from)}(")`),
      to: `$1${to}$2`,
    },
    ...SOLUTIONS.map((name) => ({
      file: path.join(root, 'Solutions', name, 'src', 'Other', 'Solution.xml'),
      re: new RegExp(`(<Version>)${q(from)}\\.0(</Version>)`),
      to: `$1${to}.0$2`,
    })),
  ];
}

export function bumpVersion(root = ROOT) {
  const from = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(from);
  if (!m) throw new Error(`package.json version ${from} is not X.Y.Z`);
  const to = `${m[1]}.${m[2]}.${Number(m[3]) + 1}`;

  // Check every file first, so a disagreement changes nothing.
  const planned = edits(root, from, to).map((e) => {
    const text = fs.readFileSync(e.file, 'utf8');
    if (!e.re.test(text)) throw new Error(`${path.relative(root, e.file)} does not carry version ${from}; versions disagree, fix them first`);
    return { ...e, text };
  });
  for (const e of planned) fs.writeFileSync(e.file, e.text.replace(e.re, e.to));

  // Setup names the control solution's version in its dependency; keep it in step.
  const setup = path.join(root, 'Solutions', 'Work365Setup', 'src', 'Other', 'Solution.xml');
  const text = fs.readFileSync(setup, 'utf8');
  fs.writeFileSync(setup, text.replaceAll(`solution="Work365PrerequisiteChecklist (${from}.0)"`, `solution="Work365PrerequisiteChecklist (${to}.0)"`));

  // The lock's root entries mirror package.json; npm would rewrite them at the next install.
  const lockFile = path.join(root, 'package-lock.json');
  if (fs.existsSync(lockFile)) {
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
    if (lock.version === from) lock.version = to;
    if (lock.packages?.['']?.version === from) lock.packages[''].version = to;
    fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
  }
  return { from, to };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { from, to } = bumpVersion();
    console.log(`version ${from} -> ${to} (manifest ${to}, solutions ${to}.0)`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
