// Prints the production bundle's size, raw and gzipped, against the 80 KB budget.
// Usage: npm run size (builds in production mode first).
// The budget was 60 KB until the form evaluated the preflight's Graph reading with the domain's own
// rules (about 18 KB) and carried English for keys a translation lacks (7.5 KB, packed).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 80 * 1024;
const file = new URL("../out/controls/PrerequisiteChecklist/bundle.js", import.meta.url);
const bytes = readFileSync(file);
const gzipped = gzipSync(bytes, { level: 9 }).length;
console.log(`bundle.js  ${bytes.length} bytes raw, ${gzipped} bytes gzipped (budget ${BUDGET} bytes raw: ${bytes.length <= BUDGET ? "within" : "OVER"})`);
process.exitCode = bytes.length <= BUDGET ? 0 : 1;
