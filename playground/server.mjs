/**
 * The playground: one origin that serves
 *   /                       the host page (playground/host/), a model-driven form stand-in;
 *   /platform/*             the platform libraries, from node_modules (never a CDN), and Fluent's icon font;
 *   /control/*              the built control (out/controls/PrerequisiteChecklist/);
 *   /api/data/v9.x/*        the Dataverse Web API emulator (playground/emulator/);
 *   /_emulator/*            the emulator's control API (scenario, faults, latency, store);
 *   /_playground/info       what the host page needs to know about this server.
 *
 *   node playground/server.mjs [--port 8181] [--host localhost] [--scenario ready-to-install] [--latency 0]
 *
 * `--port 0` picks a free port. The first line on stdout is `Playground: <url>` (tests read it).
 * `npm start` builds the control (production) first; this script only serves what is built.
 */
import fs from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const CONTROL_DIR = path.join(root, "out", "controls", "PrerequisiteChecklist");
const HOST_DIR = path.join(here, "host");
/** Fluent's icon font, which the platform's Fluent loads from a CDN; served here instead (FabricConfig.iconBaseUrl). */
const ICON_FONTS_DIR = path.join(root, "node_modules", "@fluentui", "font-icons-mdl2", "fonts");

/** The platform libraries Dataverse supplies to a virtual control, as the pcf-start harness ships them. */
const PLATFORM = {
  // React 16.14 as the platform's `Reactv16` global (pcf-start's build of it).
  "react.js": path.join(root, "node_modules", "pcf-start", "lib", "react_16_14_0.js"),
  // Fluent 8.121.1 as `FluentUIReactv81211`; its UMD wrapper reads `React` and `ReactDOM`.
  "fluent.js": path.join(root, "node_modules", "pcf-start", "lib", "fluent_8_121_1.js"),
  // pcf-start has no ReactDOM build; the platform's matches react-dom 16.14 from node_modules.
  "react-dom.js": path.join(root, "node_modules", "react-dom", "umd", "react-dom.production.min.js"),
  // Development builds, for `?react=development` (React's warnings show in the console).
  "react.development.js": path.join(root, "node_modules", "react", "umd", "react.development.js"),
  "react-dom.development.js": path.join(root, "node_modules", "react-dom", "umd", "react-dom.development.js"),
};

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".resx": "application/xml; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function sendFile(res, file) {
  fs.stat(file, (error, stat) => {
    if (error || !stat.isFile()) return sendText(res, 404, `Not found: ${path.relative(root, file)}\n`);
    res.writeHead(200, {
      "Content-Type": TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-store",
    });
    fs.createReadStream(file).pipe(res);
  });
}

function sendText(res, status, text, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  res.end(text);
}

/** A path under `dir`, or null when the request tries to leave it. */
function inside(dir, relative) {
  let decoded;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  const file = path.resolve(dir, "." + path.posix.normalize("/" + decoded));
  return file === dir || file.startsWith(dir + path.sep) ? file : null;
}

/**
 * @param {{ port?: number, host?: string, scenario?: string, latencyMs?: number, quiet?: boolean }} [options]
 * @returns {Promise<{ url: string, server: import("node:http").Server, emulator: any, close: () => Promise<void> }>}
 */
export async function startPlayground(options = {}) {
  const { createEmulator, TABLES, FUNCTIONS } = require("./emulator/emulator.cjs");
  const emulator = createEmulator({ scenario: options.scenario ?? "ready-to-install", latencyMs: options.latencyMs ?? 0 });
  const faultTargets = ["*", ...Object.values(TABLES).map((t) => t.entitySet), ...FUNCTIONS];

  const server = http.createServer(async (req, res) => {
    try {
      if (await emulator.handle(req, res)) return;
      const url = new URL(req.url ?? "/", "http://localhost");
      const p = url.pathname;
      if (req.method !== "GET" && req.method !== "HEAD") return sendText(res, 405, "Method not allowed\n");
      if (p === "/" || p === "/index.html") return sendFile(res, path.join(HOST_DIR, "index.html"));
      if (p === "/favicon.ico") return sendText(res, 204, "");
      if (p === "/_playground/info") {
        const built = fs.existsSync(path.join(CONTROL_DIR, "bundle.js"));
        return sendText(
          res,
          200,
          JSON.stringify({ built, faultTargets, platform: Object.keys(PLATFORM) }),
          "application/json; charset=utf-8",
        );
      }
      if (p.startsWith("/platform/icons/")) {
        const file = inside(ICON_FONTS_DIR, p.slice("/platform/icons/".length));
        return file ? sendFile(res, file) : sendText(res, 400, "Bad path\n");
      }
      if (p.startsWith("/platform/")) {
        const file = PLATFORM[p.slice("/platform/".length)];
        return file ? sendFile(res, file) : sendText(res, 404, "Not a platform library\n");
      }
      if (p.startsWith("/control/")) {
        const file = inside(CONTROL_DIR, p.slice("/control/".length));
        return file ? sendFile(res, file) : sendText(res, 400, "Bad path\n");
      }
      if (p.startsWith("/host/")) {
        const file = inside(HOST_DIR, p.slice("/host/".length));
        return file ? sendFile(res, file) : sendText(res, 400, "Bad path\n");
      }
      return sendText(res, 404, `Not found: ${p}\n`);
    } catch (error) {
      if (!res.headersSent) sendText(res, 500, `Playground error: ${error instanceof Error ? error.message : error}\n`);
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8181, options.host ?? "localhost", () => resolve(undefined));
  });
  const address = /** @type {import("node:net").AddressInfo} */ (server.address());
  const url = `http://localhost:${address.port}/`;
  const close = () =>
    new Promise((done) => {
      emulator.releaseHeld();
      server.closeAllConnections();
      server.close(() => done(undefined));
    });
  return { url, server, emulator, close };
}

function argsOf(argv) {
  const value = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
  };
  return {
    port: Number(value("port", process.env.PORT ?? "8181")),
    host: value("host", "localhost"),
    scenario: value("scenario", "ready-to-install"),
    latencyMs: Number(value("latency", "0")),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = argsOf(process.argv.slice(2));
  if (!fs.existsSync(path.join(CONTROL_DIR, "bundle.js"))) {
    console.error(`No built control in ${path.relative(root, CONTROL_DIR)}: run "npm run build -- --buildMode production" (or "npm start", which builds first).`);
    process.exit(1);
  }
  startPlayground(args).then(
    ({ url, close }) => {
      console.log(`Playground: ${url}`);
      console.log(`  scenario '${args.scenario}'; Web API emulator at ${url}api/data/v9.2/, its control API at ${url}_emulator`);
      console.log("  Ctrl+C stops it.");
      const stop = () => close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (error) => {
      console.error(
        error && error.code === "EADDRINUSE"
          ? `Port ${args.port} is in use: stop what runs there, or choose another with --port <n> (or PORT=<n>).`
          : `Could not start the playground: ${error instanceof Error ? error.message : error}`,
      );
      process.exit(1);
    },
  );
}
