"use strict";
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, so plain node, jest and Playwright load it without a build */
/**
 * The HTTP plumbing both emulators share: the Dataverse Web API emulator (emulator/) and the Graph
 * emulator (graph-emulator/). Reading a JSON body, sending JSON, holding and dropping connections,
 * the standalone server and its command line. What an emulator answers stays in the emulator: the
 * error for a body that is too large or not JSON, the headers, the text of the 404 come in as
 * parameters, so each keeps its own service's words. Plain Node, no dependencies.
 */
const http = require("node:http");

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `decodeURIComponent`, or the text as it came when it is not valid percent-encoding (for logs,
 * which must show every request, however malformed).
 * @param {string} text
 */
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * A request's path and query as the request log shows them: decoded, `+` in the query read as a
 * space (as the ASP.NET front ends of both services read it).
 * @param {string} pathname
 * @param {string} query the raw query, without `?`
 */
const decodedPath = (pathname, query) => safeDecode(pathname) + (query ? `?${safeDecode(query.replace(/\+/g, " "))}` : "");

/**
 * `readJson(req)`: the request body parsed as JSON, `null` when it is empty. A body over `maxBytes`
 * rejects with `tooLarge()` and the request is destroyed (an emulator must not buffer whatever a
 * client sends); a body that does not parse rejects with `notJson()`.
 * @param {{ maxBytes: number, tooLarge: () => Error, notJson: () => Error }} options
 * @returns {(req: import("node:http").IncomingMessage) => Promise<any>}
 */
function jsonBodyReader({ maxBytes, tooLarge, notJson }) {
  return (req) =>
    new Promise((resolve, reject) => {
      let size = 0;
      /** @type {Buffer[]} */
      const chunks = [];
      req.on("data", (chunk) => {
        size += chunk.length;
        if (size > maxBytes) {
          reject(tooLarge());
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (!text.trim()) return resolve(null);
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(notJson());
        }
      });
      req.on("error", reject);
    });
}

/**
 * @typedef {{ status?: number | string | null } & Record<string, any>} LogEntry a request log entry; gets the status answered
 * @typedef {Record<string, string | number>} Headers
 */

/**
 * `sendJson` and `sendEmpty` with an emulator's own headers (CORS, OData-Version…) and JSON media
 * type. Neither writes to a response that is already answered or closed (a fault, a client gone),
 * and both note the status in the request log entry.
 * @param {{ headers: Headers, contentType: string }} options
 */
function responder({ headers: common, contentType }) {
  /**
   * @param {import("node:http").ServerResponse} res
   * @param {number} status
   * @param {unknown} body
   * @param {LogEntry} log
   * @param {Headers} [headers] after the common ones and Content-Length, so they may replace them
   */
  function sendJson(res, status, body, log, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    log.status = status;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...common,
      "Content-Type": contentType,
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  /**
   * @param {import("node:http").ServerResponse} res
   * @param {number} status
   * @param {LogEntry} log
   * @param {Headers} [headers]
   */
  function sendEmpty(res, status, log, headers = {}) {
    if (res.headersSent || res.destroyed) return;
    log.status = status;
    res.writeHead(status, { ...common, ...headers });
    res.end();
  }

  return { sendJson, sendEmpty };
}

/**
 * The requests a `hang` fault holds: never answered until `release()` (a scenario change, the
 * control API, the server's close), so a client's timeout can be tested.
 */
function heldRequests() {
  /** @type {Set<import("node:http").ServerResponse>} */
  const held = new Set();
  return {
    /**
     * @param {import("node:http").ServerResponse} res
     * @param {LogEntry} log
     */
    hold(res, log) {
      log.status = "held";
      held.add(res);
      res.on("close", () => held.delete(res));
    },
    /** Destroy the sockets of the held requests. */
    release() {
      for (const res of held) res.socket?.destroy();
      held.clear();
    },
    get size() {
      return held.size;
    },
  };
}

/**
 * Answer nothing: the socket is destroyed (a `drop` fault).
 * @param {import("node:http").IncomingMessage} req
 * @param {LogEntry} log
 */
function drop(req, log) {
  log.status = "dropped";
  req.socket.destroy();
}

/**
 * A standalone server for an emulator (tests, benchmark, `node emulator.cjs`); other paths answer
 * 404 with `notFound`. `close()` releases held requests and ends kept-alive connections first, so it
 * never waits for a client.
 * @template {{ handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse): Promise<boolean>, releaseHeld(): void }} E
 * @param {E} emulator
 * @param {{ port?: number, host?: string, notFound: string }} options
 * @returns {Promise<{ emulator: E, server: import("node:http").Server, url: string, close: () => Promise<void> }>}
 */
function startServer(emulator, options) {
  const host = options.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    emulator.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404, { "Content-Type": "text/plain" });
        res.end(options.notFound);
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const address = /** @type {import("node:net").AddressInfo} */ (server.address());
      const url = `http://${host}:${address.port}`;
      const close = () =>
        new Promise((done) => {
          emulator.releaseHeld();
          emulator.close?.();
          server.closeAllConnections();
          server.close(() => done(undefined));
        });
      resolve({ emulator, server, url, close });
    });
  });
}

/**
 * The standalone command line both emulators take: `--port N --host H --scenario NAME --latency MS`.
 * @param {string[]} args `process.argv.slice(2)`
 * @param {number} defaultPort
 */
function standaloneOptions(args, defaultPort) {
  /** @param {string} name @param {string} fallback */
  const arg = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  return {
    port: Number(arg("port", String(defaultPort))),
    host: arg("host", "127.0.0.1"),
    scenario: arg("scenario", "ready-to-install"),
    latencyMs: Number(arg("latency", "0")),
  };
}

module.exports = { sleep, safeDecode, decodedPath, jsonBodyReader, responder, heldRequests, drop, startServer, standaloneOptions };
