/**
 * Every path segment, `$select`ed property, `$filter`ed property and `$expand` the reader sends
 * to Graph v1.0 exists in Graph's own v1.0 schema (the CSDL in ../shared, see its README). The
 * URLs are the ones the reader ACTUALLY sends in reads that reach every request (recorded through
 * the fake Graph), so this cannot drift from the code. The beta read is not in the v1.0 schema.
 */
import * as fs from "fs";
import * as path from "path";
import { denied, ENDPOINT, fakeGraph, type FakeRoute, notPremium } from "./fakeGraph";
import { contoso, GA_ROLE, IA_UPN, list, NATIVE_APP_ID, P, partnerRoutes, ROLE_GROUP_ID, SA_UPN, SP_ID } from "./fixtures";
import { createGraphReader, type GraphReadRequest } from "./reader";

const METADATA_PATH = path.resolve(__dirname, "../../../shared/vendor-data/graph-metadata/v1.0-cleanMetadata.xml");

interface EntityType {
  baseType?: string;
  properties: Set<string>;
  /** Navigation property → target type and whether it is a collection. */
  navigations: Map<string, { type: string; collection: boolean }>;
}

interface Schema {
  types: Map<string, EntityType>;
  /** Entity sets and singletons → their type; `collection` for entity sets. */
  roots: Map<string, { type: string; collection: boolean }>;
}

const unqualify = (type: string) => type.replace(/^(graph|microsoft\.graph)\./, "");

function parseSchema(xml: string): Schema {
  // Only the main namespace: the others (security, callRecords…) reuse type names.
  const start = xml.indexOf('<Schema Namespace="microsoft.graph" ');
  const main = xml.slice(start, xml.indexOf("</Schema>", start));
  const types = new Map<string, EntityType>();
  for (const m of main.matchAll(/<(?:EntityType|ComplexType) Name="([^"]+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:EntityType|ComplexType)>)/g)) {
    const [, name, attrs, body = ""] = m;
    const base = /BaseType="([^"]+)"/.exec(attrs)?.[1];
    types.set(name, {
      baseType: base ? unqualify(base) : undefined,
      properties: new Set([...body.matchAll(/<Property Name="([^"]+)"/g)].map((p) => p[1])),
      navigations: new Map(
        [...body.matchAll(/<NavigationProperty Name="([^"]+)" Type="([^"]+)"/g)].map((n) => [
          n[1],
          { type: unqualify(n[2].replace(/^Collection\((.*)\)$/, "$1")), collection: n[2].startsWith("Collection(") },
        ]),
      ),
    });
  }
  const roots = new Map<string, { type: string; collection: boolean }>();
  for (const m of main.matchAll(/<EntitySet Name="([^"]+)" EntityType="([^"]+)"/g)) roots.set(m[1], { type: unqualify(m[2]), collection: true });
  for (const m of main.matchAll(/<Singleton Name="([^"]+)" Type="([^"]+)"/g)) roots.set(m[1], { type: unqualify(m[2]), collection: false });
  return { types, roots };
}

/** The type and its base types, nearest first. */
function lineage(schema: Schema, type: string): EntityType[] {
  const out: EntityType[] = [];
  for (let t: string | undefined = type; t; t = schema.types.get(t)?.baseType) {
    const found = schema.types.get(t);
    if (!found) break;
    out.push(found);
  }
  return out;
}

/** Types derived from `type` (directly or not): a `$select` on a directoryObject collection may name a group's property. */
function derived(schema: Schema, type: string): string[] {
  const out = [type];
  // The iterator also visits what is pushed meanwhile: derived types of derived types.
  for (const base of out) {
    for (const [name, t] of schema.types) if (t.baseType === base && !out.includes(name)) out.push(name);
  }
  return out;
}

const hasProperty = (schema: Schema, type: string, property: string) =>
  derived(schema, type).some((d) => lineage(schema, d).some((t) => t.properties.has(property)));

function navigation(schema: Schema, type: string, name: string) {
  for (const t of lineage(schema, type)) {
    const nav = t.navigations.get(name);
    if (nav) return nav;
  }
  return undefined;
}

/** What is wrong with one inner URL against the schema; empty when nothing is. */
function problems(schema: Schema, url: string): string[] {
  const found: string[] = [];
  const [pathPart, query = ""] = url.split("?");
  const segments = pathPart.split("/").filter(Boolean);
  let current: { type: string; collection: boolean } | undefined;
  for (const [i, raw] of segments.entries()) {
    const segment = decodeURIComponent(raw);
    const keyed = /^(\w+)\((.*)\)$/.exec(segment); // applications(appId='…')
    if (i === 0) {
      current = schema.roots.get(keyed ? keyed[1] : segment);
      if (!current) return [`no entity set or singleton "${segment}"`];
      if (keyed) current = { type: current.type, collection: false };
      continue;
    }
    const from = current as { type: string; collection: boolean };
    const nav = navigation(schema, from.type, segment);
    if (nav) current = nav;
    else if (from.collection) current = { type: from.type, collection: false }; // a key: /users/<upn>
    else return [`no navigation "${segment}" on ${from.type}`];
  }
  const type = (current as { type: string }).type;
  const options = new URLSearchParams(query);
  for (const property of options.get("$select")?.split(",") ?? []) {
    if (!hasProperty(schema, type, property)) found.push(`$select: no property "${property}" on ${type}`);
  }
  for (const m of (options.get("$filter") ?? "").matchAll(/(\w+) (?:eq|in) /g)) {
    if (!hasProperty(schema, type, m[1])) found.push(`$filter: no property "${m[1]}" on ${type}`);
  }
  for (const name of options.get("$expand")?.split(",") ?? []) {
    if (!navigation(schema, type, name)) found.push(`$expand: no navigation "${name}" on ${type}`);
  }
  return found;
}

/** Reads that, together, send every v1.0 request the reader has. */
const READS: { routes: Record<string, FakeRoute>; request: GraphReadRequest }[] = [
  {
    // 1-Tier, no P1: the methods fallback; a role group (the account's own groups unread, so its members are); Work 365's service principal.
    routes: contoso({
      ...partnerRoutes(),
      [P.report]: notPremium(),
      [P.saMemberOf]: denied(),
      [P.roleAssignments]: list({
        id: "ra",
        roleDefinitionId: GA_ROLE,
        principalId: ROLE_GROUP_ID,
        principal: { "@odata.type": "#microsoft.graph.group", id: ROLE_GROUP_ID, displayName: "Admins" },
      }),
      [P.servicePrincipals]: list({ id: SP_ID, appId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd", displayName: "Work 365" }),
    }),
    request: { serviceAccountUpn: SA_UPN, globalAdminUpn: "dana@contoso.com", integrationAccountUpn: IA_UPN, nativeAppId: NATIVE_APP_ID },
  },
];

describe("the reader's requests against Graph's v1.0 schema", () => {
  let schema: Schema;
  const urls = new Set<string>();

  beforeAll(async () => {
    if (!fs.existsSync(METADATA_PATH)) {
      throw new Error(`Graph's v1.0 metadata is needed for this test and is not at ${METADATA_PATH} (see /work/shared/vendor-data/graph-metadata/README.txt).`);
    }
    schema = parseSchema(fs.readFileSync(METADATA_PATH, "utf8"));
    for (const { routes, request } of READS) {
      const graph = fakeGraph(routes);
      await createGraphReader({ endpoint: ENDPOINT, fetch: graph.fetch, sleep: async () => undefined }).read(request);
      graph.innerUrls.forEach((u) => urls.add(u));
    }
  });

  it("reaches every kind of request (17 in round 1, 5 kinds in round 2)", () => {
    const paths = new Set([...urls].map((u) => u.split("?")[0].replace(/\/users\/[^/]+/, "/users/{upn}").replace(/\/(groups|servicePrincipals)\/[^/]+\//, "/$1/{id}/")));
    expect([...paths].sort()).toEqual(
      [
        "/me",
        "/organization",
        "/users/{upn}",
        "/users/{upn}/licenseDetails",
        "/users/{upn}/transitiveMemberOf",
        "/reports/authenticationMethods/userRegistrationDetails",
        "/roleManagement/directory/roleAssignments",
        "/roleManagement/directory/roleEligibilityScheduleInstances",
        "/policies/identitySecurityDefaultsEnforcementPolicy",
        "/identity/conditionalAccess/policies",
        "/domains",
        "/subscribedSkus",
        "/servicePrincipals",
        "/users/{upn}/memberOf",
        `/applications(appId='${NATIVE_APP_ID}')`,
        "/users/{upn}/authentication/methods",
        "/groups/{id}/transitiveMembers",
        "/servicePrincipals/{id}/oauth2PermissionGrants",
        "/servicePrincipals/{id}/appRoleAssignments",
      ].sort(),
    );
  });

  it("names only paths, properties and navigations the schema has", () => {
    const wrong = [...urls].flatMap((u) => problems(schema, u).map((p) => `${u}: ${p}`));
    expect(wrong).toEqual([]);
  });

  it("would catch a property that does not exist (the check can fail)", () => {
    expect(problems(schema, "/users/x?$select=id,accountEnabled,mfaState")).toEqual(['$select: no property "mfaState" on user']);
    expect(problems(schema, "/users/x/authentication/requirements")).toEqual(['no navigation "requirements" on authentication']);
    expect(problems(schema, "/roleManagement/directory/roleAssignments?$expand=user")).toEqual(['$expand: no navigation "user" on unifiedRoleAssignment']);
  });
});
