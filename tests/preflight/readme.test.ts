/** The README's Preflight section keeps up with the command: every option, exit code and Graph permission. */
import * as fs from "node:fs";
import * as path from "node:path";
import { GRAPH_PERMISSIONS } from "../../PrerequisiteChecklist/checklist/entraIds";
import { DEFAULT_CLIENT_ID } from "../../preflight/auth";
import { helpText } from "../../preflight/help";
import { AUTH_METHODS } from "../../preflight/options";
import { createStrings } from "../../preflight/strings";
import { readResx, ROOT } from "./helpers";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const start = readme.indexOf("\n## Preflight\n");
const section = readme.slice(start, readme.indexOf("\n## ", start + 5));

describe("README, section Preflight", () => {
  it("exists, after 'What one check sends'", () => {
    expect(start).toBeGreaterThan(readme.indexOf("\n## What one check sends"));
    expect(section.length).toBeGreaterThan(2000);
  });

  it("names every option --help names, and every --auth method", () => {
    const options = [...helpText(createStrings(readResx(), 1033, "UTC")).matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(options.length).toBeGreaterThan(15);
    expect(options.filter((option) => !section.includes(`\`${option}`))).toEqual([]);
    expect(AUTH_METHODS.filter((method) => !section.includes(`\`${method}\``))).toEqual([]);
  });

  it("gives every exit code and the default client id", () => {
    for (const code of [0, 1, 2, 3]) expect(section).toContain(`\`${code}\``);
    expect(section).toContain(DEFAULT_CLIENT_ID);
  });

  it("names the permission of every Graph read, and the roles it lists", () => {
    const missing = Object.entries(GRAPH_PERMISSIONS).flatMap(([read, { permission, roles }]) =>
      [permission, ...roles].filter((name) => !section.includes(name)).map((name) => `${read}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
