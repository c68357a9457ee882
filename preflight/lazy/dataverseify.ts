/**
 * dataverse-ify (and node-fetch under it), only to check. Imported lazily; in the bundle it is kept
 * as text and compiled only when imported (scripts/build-preflight.mjs), so `--help` never pays for it.
 */
export { WebApiBase } from "dataverse-ify/lib/webapi/WebApiBase";
export { NodeWebApiRequest } from "dataverse-ify/lib/webapi/node/NodeWebApiRequest";
export { sendWebApiRequest } from "dataverse-ify/lib/webapi/WebApiRequest";
