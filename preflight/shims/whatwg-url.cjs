"use strict";
// node-fetch 2 (under dataverse-ify) takes `URL` from Node's `url` module and falls back to the
// whatwg-url package only where Node has none. Node 20 has it, so the bundle carries this instead
// of whatwg-url and its 300 KB of Unicode tables (scripts/build-preflight.mjs aliases it).
module.exports = { URL: globalThis.URL, URLSearchParams: globalThis.URLSearchParams };
