#!/usr/bin/env node
/**
 * Builds the preflight command into ONE self-contained file, dist/w365-preflight.mjs, that runs
 * with plain `node` (20+) and no node_modules beside it: esbuild bundles preflight/main.ts with
 * the control's domain code, dataverse-ify, @azure/identity and the control's resx files (inlined
 * as text).
 *
 *   node scripts/build-preflight.mjs             build
 *   node scripts/build-preflight.mjs --if-stale  build only when the output is missing or older than a source
 *
 * About `fs`: dataverse-ify depends on the npm placeholder package `fs@0.0.1-security`, which the
 * registry we use does not serve; package.json overrides it with an empty package. Node's built-in
 * `fs` always wins over a package of that name (and esbuild, on platform node, leaves `fs` to
 * Node), so nothing changes at run time.
 */
import { build } from "esbuild";
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUTPUT = path.join(ROOT, "dist", "w365-preflight.mjs");
const STRINGS = path.join(ROOT, "PrerequisiteChecklist", "strings");
/** What the bundle is made of: a change in any of these calls for a new build. */
const SOURCES = [
  path.join(ROOT, "preflight"),
  path.join(ROOT, "PrerequisiteChecklist", "checklist"),
  path.join(ROOT, "PrerequisiteChecklist", "dataverse"),
  STRINGS,
  path.join(ROOT, "package.json"),
  path.join(ROOT, "package-lock.json"),
  fileURLToPath(import.meta.url),
];

function newestSource(entry) {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestSource(path.join(entry, child)));
  return newest;
}

export function isStale() {
  if (!existsSync(OUTPUT)) return true;
  const built = statSync(OUTPUT).mtimeMs;
  return SOURCES.some((source) => existsSync(source) && newestSource(source) > built);
}

/** `import resx from "virtual:preflight-resx"`: every resx file, by LCID, through the text loader. */
const resxPlugin = {
  name: "preflight-resx",
  setup(b) {
    b.onResolve({ filter: /^virtual:preflight-resx$/ }, () => ({ path: "resx", namespace: "preflight-resx" }));
    b.onLoad({ filter: /.*/, namespace: "preflight-resx" }, () => {
      const files = readdirSync(STRINGS).filter((name) => /^PrerequisiteChecklist\.\d+\.resx$/.test(name)).sort();
      const imports = files.map((name, i) => `import r${i} from ${JSON.stringify(`./${name}`)};`);
      const entries = files.map((name, i) => `${Number(/\.(\d+)\.resx$/.exec(name)[1])}: r${i}`);
      return {
        contents: `${imports.join("\n")}\nexport default { ${entries.join(", ")} };\n`,
        resolveDir: STRINGS,
        loader: "js",
        watchFiles: files.map((name) => path.join(STRINGS, name)),
      };
    });
  },
};

const LAZY = path.join(ROOT, "preflight", "lazy");
const SHARED = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  target: "node20",
  write: false,
  // Smaller is faster to start (V8 reads the whole file); names are kept for error names and --verbose stacks.
  minify: true,
  keepNames: true,
  legalComments: "eof",
  // node-fetch uses Node's own URL; its whatwg-url fallback (300 KB of tables) is never reached on Node 20.
  alias: { "whatwg-url": path.join(ROOT, "preflight", "shims", "whatwg-url.cjs") },
  logLevel: "warning",
};

/**
 * `import("./lazy/<name>")`: the large libraries (@azure/identity, dataverse-ify) are each built on
 * their own as CommonJS and kept in the bundle as a string, compiled on first import only. V8 skims
 * a string far faster than it parses code, so `--help` does not pay for half a megabyte of
 * libraries it never runs, and `--auth none` not for the sign-in.
 */
function lazyPlugin() {
  return {
    name: "preflight-lazy",
    setup(b) {
      b.onResolve({ filter: /^\.\/lazy\/\w+$/ }, (args) => {
        const file = path.join(args.resolveDir, `${args.path}.ts`);
        return path.dirname(file) === LAZY ? { path: file, namespace: "preflight-lazy" } : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: "preflight-lazy" }, async ({ path: file }) => {
        const built = await build({ ...SHARED, entryPoints: [file], format: "cjs", outfile: path.join(ROOT, "dist", "lazy.cjs") });
        const source = built.outputFiles[0].text;
        const names = [...readFileSync(file, "utf8").matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) => m[1].split(",").map((n) => n.trim()).filter(Boolean));
        const filename = `w365-preflight.mjs/${path.basename(file, ".ts")}.cjs`;
        return {
          loader: "js",
          resolveDir: LAZY,
          watchFiles: [file],
          contents: [
            'import { createRequire } from "node:module";',
            'import { runInThisContext } from "node:vm";',
            `const source = ${JSON.stringify(source)};`,
            "const module = { exports: {} };",
            `runInThisContext("(function (exports, require, module) {" + source + "\\n})", { filename: ${JSON.stringify(filename)} })(module.exports, createRequire(import.meta.url), module);`,
            `export const { ${names.join(", ")} } = module.exports;`,
          ].join("\n"),
        };
      });
    },
  };
}

export async function buildPreflight() {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const result = await build({
    ...SHARED,
    entryPoints: [path.join(ROOT, "preflight", "main.ts")],
    format: "esm",
    outfile: OUTPUT,
    loader: { ".resx": "text" },
    plugins: [resxPlugin, lazyPlugin()],
    define: { __PREFLIGHT_VERSION__: JSON.stringify(version) },
    banner: {
      js: [
        "#!/usr/bin/env node",
        // Bundled CommonJS (msal, node-fetch) calls require(); ESM has none, so make one.
        'import { createRequire as __w365CreateRequire } from "node:module";',
        "const require = __w365CreateRequire(import.meta.url);",
      ].join("\n"),
    },
  });
  const [file] = result.outputFiles;
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  // Written aside and renamed: test files that build at the same time never run half a file.
  const temporary = `${OUTPUT}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  chmodSync(temporary, 0o755);
  renameSync(temporary, OUTPUT);
  return { output: OUTPUT, bytes: file.contents.length, version };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale");
  if (ifStale && !isStale()) process.exit(0);
  buildPreflight().then(
    ({ output, bytes, version }) => {
      if (!ifStale || process.stdout.isTTY) console.error(`w365-preflight ${version}: ${path.relative(ROOT, output)} (${(bytes / 1024).toFixed(0)} KB)`);
    },
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
