/**
 * Every entity set, column and navigation property the reader names exists in a real Web API
 * `$metadata` document. The names are parsed out of the requests the reader ACTUALLY sends (recorded
 * through a fake webAPI in scenarios that reach every query), so this test cannot drift from the code.
 *
 * The document is an on-premises v9 org of 2020: a name missing there may still exist online.
 */
import * as fs from "fs";
import * as path from "path";
import { HttpError } from "./errors";
import { createEnvironmentReader, type ReadRequest, type RetrieveMultiple } from "./reader";

const METADATA_PATH = path.resolve(__dirname, "../../../shared/vendor-data/dataverse-metadata/dynamics-metadata.xml");

// ---------------------------------------------------------------------------------------------
// The metadata: regexes over the one-line CSDL (no XML library needed), parsed once per file.

interface EntityType {
  baseType?: string;
  properties: Set<string>;
  /** Navigation property → { target entity type, collection-valued? }. */
  navigations: Map<string, { target: string; collection: boolean }>;
}

interface Metadata {
  entityTypes: Map<string, EntityType>;
  /** Entity type logical name → entity set name. */
  entitySets: Map<string, string>;
  /** Function name → properties of its return type. */
  functions: Map<string, Set<string>>;
}

const attr = (attrs: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
const unqualify = (type: string) => type.replace(/^(mscrm|Microsoft\.Dynamics\.CRM)\./, "");

function parseMetadata(xml: string): Metadata {
  const entityTypes = new Map<string, EntityType>();
  for (const m of xml.matchAll(/<EntityType\b([^>]*?)(?:\/>|>([\s\S]*?)<\/EntityType>)/g)) {
    const [, attrs, body = ""] = m;
    const properties = new Set([...body.matchAll(/<Property Name="([^"]+)"/g)].map((p) => p[1]));
    const navigations = new Map<string, { target: string; collection: boolean }>();
    for (const n of body.matchAll(/<NavigationProperty Name="([^"]+)" Type="([^"]+)"/g)) {
      const collection = /^Collection\(/.test(n[2]);
      navigations.set(n[1], { target: unqualify(n[2].replace(/^Collection\((.*)\)$/, "$1")), collection });
    }
    const baseType = attr(attrs, "BaseType");
    entityTypes.set(attr(attrs, "Name") as string, {
      baseType: baseType ? unqualify(baseType) : undefined,
      properties,
      navigations,
    });
  }
  const entitySets = new Map<string, string>();
  for (const m of xml.matchAll(/<EntitySet Name="([^"]+)" EntityType="([^"]+)"/g)) entitySets.set(unqualify(m[2]), m[1]);

  const complexTypes = new Map<string, Set<string>>();
  for (const m of xml.matchAll(/<ComplexType Name="([^"]+)"[^>]*?(?:\/>|>([\s\S]*?)<\/ComplexType>)/g)) {
    complexTypes.set(m[1], new Set([...(m[2] ?? "").matchAll(/<Property Name="([^"]+)"/g)].map((p) => p[1])));
  }
  const functions = new Map<string, Set<string>>();
  for (const m of xml.matchAll(/<Function Name="([^"]+)"[^>]*>([\s\S]*?)<\/Function>/g)) {
    const returnType = /<ReturnType Type="([^"]+)"/.exec(m[2])?.[1];
    functions.set(m[1], complexTypes.get(unqualify(returnType ?? "")) ?? new Set());
  }
  return { entityTypes, entitySets, functions };
}

function loadMetadata(): Metadata | Error {
  if (!fs.existsSync(METADATA_PATH)) {
    return new Error(
      `The Dataverse $metadata document is expected at ${METADATA_PATH} ` +
        "(../shared/vendor-data/dataverse-metadata/dynamics-metadata.xml beside the repository; CI provides it). " +
        "This test checks every name the reader sends against it and must not be skipped.",
    );
  }
  return parseMetadata(fs.readFileSync(METADATA_PATH, "utf8"));
}

const loaded = loadMetadata();
function metadata(): Metadata {
  if (loaded instanceof Error) throw loaded;
  return loaded;
}

/** Looks a member up on a type and its base types (systemuser → principal → crmbaseentity). */
function lookup<T>(md: Metadata, type: string, find: (t: EntityType) => T | undefined): T | undefined {
  for (let t = md.entityTypes.get(type); t; t = t.baseType ? md.entityTypes.get(t.baseType) : undefined) {
    const found = find(t);
    if (found !== undefined) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The queries: every name a request uses, and whether the metadata has it.

interface Use {
  entity: string;
  kind: "entity set" | "property" | "navigation" | "collection navigation" | "query option";
  name: string;
  /** The query it came from, for the failure message. */
  where: string;
}

interface Token {
  kind: "space" | "string" | "guid" | "number" | "path" | "punct";
  text: string;
}

// GUIDs before numbers and names: `627090ff-…` is neither.
const TOKEN =
  /(\s+)|('(?:[^']|'')*')|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|(-?\d+(?:\.\d+)?)|([A-Za-z_]\w*(?:\/[A-Za-z_]\w*)*)|([(),:])/iy;
const KINDS: Token["kind"][] = ["space", "string", "guid", "number", "path", "punct"];
const KEYWORDS = new Set(["eq", "ne", "gt", "ge", "lt", "le", "and", "or", "not", "null", "true", "false"]);
const FUNCTIONS = new Set(["contains", "startswith", "endswith", "tolower", "toupper"]);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < filter.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(filter);
    if (!m) throw new Error(`Cannot parse the filter at ${at}: ${filter.slice(at, at + 40)}`);
    const i = m.slice(1).findIndex((g) => g !== undefined);
    if (KINDS[i] !== "space") tokens.push({ kind: KINDS[i], text: m[0] });
  }
  return tokens;
}

/** The names a `$filter` uses, lambda variables typed by the navigation property they range over. */
function filterUses(md: Metadata, entity: string, filter: string, where: string): Use[] {
  const tokens = tokenize(filter);
  const uses: Use[] = [];
  let i = 0;
  const expect = (text: string) => {
    if (tokens[i]?.text !== text) throw new Error(`Expected "${text}" at token ${i} of ${filter}`);
    i++;
  };

  /** Walks `a/b/c` from a type; returns the type reached, or undefined when a step is missing. */
  function walk(segments: string[], vars: Map<string, string | undefined>, lastIsProperty: boolean): string | undefined {
    let type = entity;
    let rest = segments;
    if (vars.has(segments[0])) {
      const varType = vars.get(segments[0]);
      if (varType === undefined) return undefined; // its navigation property is already reported missing
      type = varType;
      rest = segments.slice(1);
    }
    for (const [n, name] of rest.entries()) {
      if (lastIsProperty && n === rest.length - 1) {
        uses.push({ entity: type, kind: "property", name, where });
        return type;
      }
      const nav = lookup(md, type, (t) => t.navigations.get(name));
      const lambda = !lastIsProperty && n === rest.length - 1;
      uses.push({ entity: type, kind: lambda ? "collection navigation" : "navigation", name, where });
      if (!nav) return undefined;
      type = nav.target;
    }
    return type;
  }

  function expression(vars: Map<string, string | undefined>): void {
    while (i < tokens.length && tokens[i].text !== ")") {
      const token = tokens[i];
      const next = tokens[i + 1];
      if (token.text === "(") {
        i++;
        expression(vars);
        expect(")");
      } else if (token.kind === "path" && /\/(any|all)$/.test(token.text) && next?.text === "(") {
        const target = walk(token.text.split("/").slice(0, -1), vars, false);
        i += 2;
        const variable = tokens[i++].text;
        expect(":");
        expression(new Map(vars).set(variable, target));
        expect(")");
      } else if (token.kind === "path" && !(KEYWORDS.has(token.text) || (FUNCTIONS.has(token.text) && next?.text === "("))) {
        walk(token.text.split("/"), vars, true);
        i++;
      } else {
        i++; // literals, keywords, function names, commas
      }
    }
  }
  expression(new Map());
  if (i !== tokens.length) throw new Error(`Unbalanced parentheses in ${filter}`);
  return uses;
}

const SUPPORTED_OPTIONS = new Set(["$select", "$filter", "$top", "$orderby"]);

function queryUses(md: Metadata, entity: string, options: string): Use[] {
  const where = `${entity}${options}`;
  const uses: Use[] = [{ entity, kind: "entity set", name: entity, where }];
  // Literal contents are percent-encoded, so `&` separates options only.
  for (const part of options.replace(/^\?/, "").split("&")) {
    const [name, value = ""] = [part.slice(0, part.indexOf("=")), part.slice(part.indexOf("=") + 1)];
    uses.push({ entity, kind: "query option", name, where });
    if (name === "$select") {
      for (const column of value.split(",")) uses.push({ entity, kind: "property", name: column, where });
    } else if (name === "$orderby") {
      for (const order of value.split(",")) uses.push({ entity, kind: "property", name: order.trim().split(/\s+/)[0], where });
    } else if (name === "$filter") {
      uses.push(...filterUses(md, entity, value, where));
    }
  }
  return uses;
}

function exists(md: Metadata, use: Use): boolean {
  switch (use.kind) {
    case "entity set":
      return md.entitySets.has(use.entity);
    case "query option":
      return SUPPORTED_OPTIONS.has(use.name);
    case "property":
      return lookup(md, use.entity, (t) => (t.properties.has(use.name) ? true : undefined)) === true;
    case "navigation":
      // A step of a path (`owninguser/domainname`) must be single-valued; collections need a lambda.
      return lookup(md, use.entity, (t) => t.navigations.get(use.name))?.collection === false;
    case "collection navigation":
      return lookup(md, use.entity, (t) => t.navigations.get(use.name))?.collection === true;
  }
}

const missing = (md: Metadata, uses: Use[]) =>
  uses.filter((u) => !exists(md, u)).map((u) => `${u.kind} ${u.entity}.${u.name} (in ${u.where})`);

// ---------------------------------------------------------------------------------------------
// The requests the reader sends, recorded in scenarios that together reach every query.

const REQUEST: ReadRequest = {
  serviceAccountUpn: "o'brien#1@contoso.com",
  work365SolutionName: "",
  adminProfileName: "Work 365 Admin",
  salesRoleName: "Work 365 Sales",
  consentConfirmedInCycle: false,
  upgradeMode: true,
};

async function recordRequests(): Promise<{ queries: Map<string, { entity: string; options: string }>; functions: Set<string> }> {
  const queries = new Map<string, { entity: string; options: string }>();
  const functions = new Set<string>();
  const teamPrivilegeMissing = { errorCode: 2147746336, message: "missing prvReadTeam privilege" };
  const scenarios: { request: ReadRequest; answer: (entity: string, options: string) => Record<string, unknown>[] }[] = [
    // Common case, plus group teams (the account exists without System Administrator) and the base language (no 1033).
    {
      request: REQUEST,
      answer: (entity) =>
        entity === "organization"
          ? [{ languagecode: 1033 }]
          : entity === "systemuser"
            ? [{ systemuserid: "0c3a5d4e-1111-4c1e-9a55-000000000001", domainname: REQUEST.serviceAccountUpn, fullname: "O'Brien" }]
            : [],
    },
    // Team privilege missing: the narrower role and profile reads.
    {
      request: REQUEST,
      answer: (entity, options) => {
        if (/^(role|fieldsecurityprofile)$/.test(entity) && options.includes("teammembership_association")) throw teamPrivilegeMissing;
        return [];
      },
    },
    // No UPN, solution by unique name.
    { request: { ...REQUEST, serviceAccountUpn: "", work365SolutionName: "Work365" }, answer: () => [] },
  ];
  for (const scenario of scenarios) {
    const webApi: RetrieveMultiple = {
      retrieveMultipleRecords: async (entity, options = "") => {
        queries.set(`${entity}${options}`, { entity, options });
        return { entities: scenario.answer(entity, options) };
      },
    };
    const getJson = async (p: string) => {
      functions.add(p);
      if (scenario === scenarios[0]) return { RetrieveProvisionedLanguages: [1031] };
      throw new HttpError(500, "unused");
    };
    await createEnvironmentReader({ webApi, getJson, sleep: async () => undefined }).read(scenario.request);
  }
  return { queries, functions };
}

// ---------------------------------------------------------------------------------------------

describe("the reader's requests against a real $metadata document", () => {
  let recorded: Awaited<ReturnType<typeof recordRequests>>;
  beforeAll(async () => {
    recorded = await recordRequests();
  });

  it("has the metadata document", () => {
    expect(metadata().entityTypes.size).toBeGreaterThan(100);
  });

  it("reaches every query in the scenarios", () => {
    const entities = new Set([...recorded.queries.values()].map((q) => q.entity));
    expect([...entities].sort()).toEqual([
      "asyncoperation",
      "fieldsecurityprofile",
      "organization",
      "role",
      "solution",
      "systemuser",
      "team",
      "timezonedefinition",
      "usersettings",
    ]);
    // Round 1 (2 variants for users, 2 for solutions, settings, time zones, system jobs) + narrower roles and profiles + base language + group teams.
    expect(recorded.queries.size).toBe(13);
  });

  it("every entity set, column, navigation property and lambda exists", () => {
    const md = metadata();
    const uses = [...recorded.queries.values()].flatMap((q) => queryUses(md, q.entity, q.options));
    expect(missing(md, uses)).toEqual([]);
    // The parser really walked the lambdas: the team lambda's variable is typed as team, its inner one as systemuser.
    expect(uses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: "role", kind: "collection navigation", name: "teamroles_association" }),
        expect.objectContaining({ entity: "team", kind: "collection navigation", name: "teammembership_association" }),
        expect.objectContaining({ entity: "systemuser", kind: "property", name: "domainname" }),
        expect.objectContaining({ entity: "fieldsecurityprofile", kind: "collection navigation", name: "teamprofiles_association" }),
        expect.objectContaining({ entity: "solution", kind: "property", name: "_parentsolutionid_value" }),
        expect.objectContaining({ entity: "team", kind: "property", name: "teamtype" }),
        expect.objectContaining({ entity: "usersettings", kind: "navigation", name: "systemuserid_systemuser" }),
        expect.objectContaining({ entity: "asyncoperation", kind: "navigation", name: "owninguser" }),
        expect.objectContaining({ entity: "asyncoperation", kind: "property", name: "createdon" }),
      ]),
    );
    const sets = [...new Set(uses.filter((u) => u.kind === "entity set").map((u) => u.entity))].sort();
    expect(sets.map((e) => md.entitySets.get(e))).toEqual([
      "asyncoperations",
      "fieldsecurityprofiles",
      "organizations",
      "roles",
      "solutions",
      "systemusers",
      "teams",
      "timezonedefinitions",
      "usersettingscollection",
    ]);
  });

  it("the unbound function exists and returns the property the reader reads", () => {
    const md = metadata();
    expect([...recorded.functions]).toEqual(["RetrieveProvisionedLanguages()"]);
    for (const call of recorded.functions) {
      const name = call.replace(/\(\)$/, "");
      expect(md.functions.get(name)).toEqual(new Set([name]));
    }
  });

  it("the checker itself finds wrong names (so a pass means something)", () => {
    const md = metadata();
    const wrong = queryUses(
      md,
      "role",
      "?$select=name,roletemplateid&$expand=x&$filter=systemuserroles_association/any(u:u/nosuchcolumn eq 'a') or teamroles_association/any(t:t/systemuserroles_association/any(m:m/domainname eq 'b')) and businessunitid/name eq 'c'",
    );
    expect(missing(md, wrong).map((m) => m.replace(/ \(in .*\)$/, ""))).toEqual([
      "property role.roletemplateid", // a navigation property, not a column
      "query option role.$expand",
      "property systemuser.nosuchcolumn",
      "collection navigation team.systemuserroles_association", // the lambda variable is a team, not a user
    ]);
    // A collection used as a path step, and an $orderby column that does not exist.
    expect(missing(md, queryUses(md, "systemuser", "?$orderby=nosuchcolumn asc&$filter=user_settings/localeid eq 1033")).map((m) => m.replace(/ \(in .*\)$/, ""))).toEqual([
      "property systemuser.nosuchcolumn",
      "navigation systemuser.user_settings",
    ]);
    expect(missing(md, queryUses(md, "roles", "?$select=name"))).toEqual(["entity set roles.roles (in roles?$select=name)", "property roles.name (in roles?$select=name)"]);
  });
});
