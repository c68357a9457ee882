// Prints the production bundle's size, raw and gzipped, against the 60 KB budget.
// Usage: npm run size (builds in production mode first).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 60 * 1024;
const file = new URL("../out/controls/PrerequisiteChecklist/bundle.js", import.meta.url);
const bytes = readFileSync(file);
const gzipped = gzipSync(bytes, { level: 9 }).length;
console.log(`bundle.js  ${bytes.length} bytes raw, ${gzipped} bytes gzipped (budget ${BUDGET} bytes raw: ${bytes.length <= BUDGET ? "within" : "OVER"})`);
process.exitCode = bytes.length <= BUDGET ? 0 : 1;
