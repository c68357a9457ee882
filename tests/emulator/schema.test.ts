/**
 * The emulator's schema must only name things real Dataverse has: every entity set, column and
 * navigation property (with its kind and target) is checked against a real Web API $metadata
 * document kept outside the repository. Tables marked `custom` (ours) are skipped; names marked
 * `onlineOnly` must be absent there (the document is an older on-premises v9 org).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FUNCTIONS, RELATIONSHIPS, TABLES, type TableSchema } from "../../playground/emulator/emulator.cjs";

const METADATA = path.resolve(__dirname, "../../../shared/vendor-data/dataverse-metadata/dynamics-metadata.xml");

let cached: string | null = null;
function metadata(): string {
  if (cached === null) {
    if (!fs.existsSync(METADATA)) {
      throw new Error(
        `Dataverse metadata not found at ${METADATA} (../shared/vendor-data/dataverse-metadata/dynamics-metadata.xml ` +
          `relative to the repository). CI provides it beside the repository; it is not copied into the project.`,
      );
    }
    cached = fs.readFileSync(METADATA, "utf8");
  }
  return cached;
}

interface NavInfo {
  type: string;
  partner: string | null;
  constraint: string | null;
}
interface TypeInfo {
  properties: Map<string, string>;
  navigation: Map<string, NavInfo>;
}

const typeCache = new Map<string, TypeInfo>();
function entityType(name: string): TypeInfo {
  const hit = typeCache.get(name);
  if (hit) return hit;
  const xml = metadata();
  const open = new RegExp(`<EntityType Name="${name}"( [^>]*)?>`).exec(xml);
  if (!open) throw new Error(`EntityType ${name} not in the metadata`);
  const end = xml.indexOf("</EntityType>", open.index);
  const block = xml.slice(open.index, end);
  const info: TypeInfo = { properties: new Map(), navigation: new Map() };
  for (const m of block.matchAll(/<Property Name="([^"]+)" Type="([^"]+)"/g)) info.properties.set(m[1], m[2]);
  for (const m of block.matchAll(/<NavigationProperty Name="([^"]+)" Type="([^"]+)"([^>]*?)(\/>|>(.*?)<\/NavigationProperty>)/g)) {
    const partner = /Partner="([^"]+)"/.exec(m[3]);
    const constraint = m[5] ? /<ReferentialConstraint Property="([^"]+)"/.exec(m[5]) : null;
    info.navigation.set(m[1], { type: m[2], partner: partner ? partner[1] : null, constraint: constraint ? constraint[1] : null });
  }
  const base = /BaseType="mscrm\.(\w+)"/.exec(open[0]);
  if (base) {
    const parent = entityType(base[1]);
    for (const [k, v] of parent.properties) if (!info.properties.has(k)) info.properties.set(k, v);
    for (const [k, v] of parent.navigation) if (!info.navigation.has(k)) info.navigation.set(k, v);
  }
  typeCache.set(name, info);
  return info;
}

const dataverseTables = Object.values(TABLES).filter((t) => !t.custom);
const online = (t: TableSchema, name: string) => (t.onlineOnly ?? []).includes(name);

describe("emulator schema against the real Dataverse metadata", () => {
  test("the metadata document is where CI puts it", () => {
    expect(metadata().length).toBeGreaterThan(1_000_000);
  });

  test.each(dataverseTables.map((t) => [t.entitySet, t] as const))("entity set %s exists with its entity type", (set, t) => {
    expect(metadata()).toContain(`<EntitySet Name="${set}" EntityType="Microsoft.Dynamics.CRM.${t.logicalName}"`);
  });

  test.each(dataverseTables.map((t) => [t.logicalName, t] as const))("columns of %s exist with their types", (logical, t) => {
    const info = entityType(logical);
    const problems: string[] = [];
    for (const [column, type] of Object.entries(t.columns)) {
      if (online(t, column)) continue;
      const real = info.properties.get(column);
      if (real !== type) problems.push(`${logical}.${column}: emulator ${type}, metadata ${real ?? "absent"}`);
    }
    if (!info.properties.has(t.primaryKey)) problems.push(`${logical}: primary key ${t.primaryKey} absent`);
    if (!(t.primaryName in t.columns)) problems.push(`${logical}: primaryName ${t.primaryName} is not a column`);
    expect(problems).toEqual([]);
  });

  test.each(dataverseTables.map((t) => [t.logicalName, t] as const))("navigation properties of %s exist with kind and target", (logical, t) => {
    const info = entityType(logical);
    const problems: string[] = [];
    for (const [name, nav] of Object.entries(t.navigation)) {
      if (online(t, name)) continue;
      const real = info.navigation.get(name);
      if (!real) {
        problems.push(`${logical}.${name}: absent`);
        continue;
      }
      const collection = `Collection(mscrm.${nav.target})`;
      if (nav.kind === "ManyToOne") {
        if (real.type !== `mscrm.${nav.target}`) problems.push(`${logical}.${name}: type ${real.type}, expected mscrm.${nav.target}`);
        if (real.constraint !== nav.column) problems.push(`${logical}.${name}: lookup column ${real.constraint}, emulator ${nav.column}`);
        if (nav.column && t.columns[nav.column] !== "Edm.Guid") problems.push(`${logical}.${name}: column ${nav.column} is not a Guid column`);
      } else if (nav.kind === "OneToMany") {
        if (real.type !== collection) problems.push(`${logical}.${name}: type ${real.type}, expected ${collection}`);
        const partner = real.partner ? entityType(nav.target).navigation.get(real.partner) : undefined;
        if (!partner || partner.constraint !== nav.column) {
          problems.push(`${logical}.${name}: partner ${real.partner} on ${nav.target} does not use column ${nav.column}`);
        }
        if (nav.column && TABLES[nav.target].columns[nav.column] !== "Edm.Guid") problems.push(`${logical}.${name}: ${nav.target}.${nav.column} is not in the emulator schema`);
      } else {
        if (real.type !== collection) problems.push(`${logical}.${name}: type ${real.type}, expected ${collection}`);
        if (real.partner !== name) problems.push(`${logical}.${name}: partner ${real.partner}, expected the same name (many-to-many)`);
        if (real.constraint) problems.push(`${logical}.${name}: has a referential constraint, so it is not many-to-many`);
        const other = entityType(nav.target).navigation.get(name);
        if (!other || other.type !== `Collection(mscrm.${logical})`) problems.push(`${nav.target}.${name}: the other side is missing`);
        const rel = RELATIONSHIPS[nav.relationship ?? ""];
        if (!rel || !rel.tables.includes(logical) || !rel.tables.includes(nav.target)) problems.push(`${logical}.${name}: relationship ${nav.relationship} does not join ${logical} and ${nav.target}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("both sides of each many-to-many relationship are in the emulator schema", () => {
    for (const [name, rel] of Object.entries(RELATIONSHIPS)) {
      const [a, b] = rel.tables;
      expect(TABLES[a].navigation[name]).toEqual({ kind: "ManyToMany", target: b, relationship: name });
      expect(TABLES[b].navigation[name]).toEqual({ kind: "ManyToMany", target: a, relationship: name });
    }
  });

  test("names marked online-only are really absent from the on-premises metadata (so the mark stays honest)", () => {
    const marked: string[] = [];
    for (const t of dataverseTables) {
      const info = entityType(t.logicalName);
      for (const name of t.onlineOnly ?? []) {
        marked.push(`${t.logicalName}.${name}`);
        expect(info.properties.has(name) || info.navigation.has(name)).toBe(false);
      }
    }
    // Known, documented online: team.azureactivedirectoryobjectid (Microsoft Entra group teams).
    expect(marked).toEqual(["team.azureactivedirectoryobjectid"]);
  });

  test.each(FUNCTIONS.map((f) => [f]))("function %s exists", (fn) => {
    expect(metadata()).toContain(`<FunctionImport Name="${fn}" Function="Microsoft.Dynamics.CRM.${fn}"`);
  });
});
