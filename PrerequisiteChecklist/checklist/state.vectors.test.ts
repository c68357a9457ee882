import * as fs from "fs";
import * as path from "path";
import { guardWrite } from "./state";

/** The vectors the plug-in's C# port runs too (tests/state-vectors/README.md). */
const DIR = path.join(__dirname, "..", "..", "tests", "state-vectors");

interface Vector {
  description: string;
  stored: unknown;
  incoming: unknown;
  user: { id: string; name: string };
  now: string;
  maxLength: number;
  expected: { kind: string; value?: unknown; [detail: string]: unknown };
}

/** A column value: text as it is, null, or the JSON written compactly. */
const columnValue = (value: unknown): string | null => (value === null ? null : typeof value === "string" ? value : JSON.stringify(value));

const vectors = fs
  .readdirSync(DIR)
  .filter((file) => file.endsWith(".json"))
  .sort()
  .map((file) => [file.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(DIR, file), "utf8")) as Vector] as const);

describe("the server's write rules, by the shared vectors", () => {
  it("has vectors for every outcome", () => {
    const outcomes = new Set(vectors.map(([, v]) => (v.expected.kind === "write" ? "write" : v.expected.reason)));
    expect([...outcomes].sort()).toEqual(["incoming-newer-version", "incoming-not-a-checklist", "incoming-not-json", "stored-unreadable", "too-long", "write"]);
  });

  it.each(vectors)("%s", (_name, vector) => {
    const result = guardWrite(columnValue(vector.stored), columnValue(vector.incoming), { by: vector.user, now: new Date(vector.now) }, vector.maxLength);
    const expected = vector.expected.kind === "write" ? { ...vector.expected, value: columnValue(vector.expected.value) } : vector.expected;
    expect(result).toEqual(expected);
  });
});
