/**
 * The entity set names the preflight gives dataverse-ify up front (so it never looks them up):
 * every table the reader queries has one, and each is the real one, as Dataverse's own $metadata
 * and the emulator's schema name it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { TABLES } from "../../playground/emulator/emulator.cjs";
import {
  baseLanguageQuery,
  entraGroupTeamsQuery,
  personalSettingsQuery,
  profilesQuery,
  rolesQuery,
  solutionsQuery,
  systemJobsQuery,
  timeZonesQuery,
  usersQuery,
} from "../../PrerequisiteChecklist/dataverse/queries";
import { KNOWN_ENTITY_SETS, READER_ENTITY_SETS } from "../../preflight/entitySets";
import { ROOT } from "./helpers";

const METADATA = path.resolve(ROOT, "..", "shared", "vendor-data", "dataverse-metadata", "dynamics-metadata.xml");

describe("entity set names", () => {
  it("cover every table the control's reader queries", () => {
    const queried = [usersQuery("a@b.c"), rolesQuery("a@b.c", "r", "direct-or-team"), profilesQuery("a@b.c", "p", "direct"), solutionsQuery(""), baseLanguageQuery, entraGroupTeamsQuery, personalSettingsQuery("a@b.c"), timeZonesQuery, systemJobsQuery("a@b.c")].map((q) => q.entity);
    expect([...new Set(queried)].sort()).toEqual(Object.keys(READER_ENTITY_SETS).sort());
  });

  it("are the emulator's", () => {
    for (const [logical, set] of Object.entries(KNOWN_ENTITY_SETS)) expect([logical, TABLES[logical]?.entitySet]).toEqual([logical, set]);
  });

  it("are Dataverse's own ($metadata)", () => {
    if (!fs.existsSync(METADATA)) {
      throw new Error(`The real Dataverse $metadata is missing: ${METADATA} (../shared/vendor-data/dataverse-metadata/dynamics-metadata.xml beside the repository).`);
    }
    const xml = fs.readFileSync(METADATA, "utf8");
    const sets = new Map([...xml.matchAll(/<EntitySet Name="(\w+)" EntityType="Microsoft\.Dynamics\.CRM\.(\w+)"/g)].map((m) => [m[2], m[1]]));
    expect(sets.size).toBeGreaterThan(100);
    for (const [logical, set] of Object.entries(READER_ENTITY_SETS)) expect([logical, sets.get(logical)]).toEqual([logical, set]);
  });
});
