/**
 * The emulator may only name what Microsoft Graph v1.0 has. Checked against the real CSDL kept
 * outside the repository: every entity set, singleton and navigation segment a route walks (with
 * the type it reaches), every property the emulator can return or accept in `$select` (with its
 * type), every `$filter` property and `$expand`, and every answer the scenarios give.
 *
 * Exempt: `GET /beta/users/{id}/authentication/requirements` (route `authenticationRequirements`)
 * is beta only, so it is not in the v1.0 CSDL; the test below shows it is indeed absent there.
 */
import { COMPLEX, DERIVED, ROUTES, TYPES, listScenarios, loadScenario, startGraphEmulatorServer } from "../../playground/graph-emulator/emulator.cjs";
import { chain, loadCsdl, METADATA, navigationType, propertyType, qualifyGraph, shapeProblems, type Csdl } from "./csdl";
import { readLikeThePreflight, roundOne, parseArgs } from "./helpers";

const G = (name: string) => `microsoft.graph.${name}`;
let csdl: Csdl;

beforeAll(() => {
  csdl = loadCsdl();
});

test("the CSDL is where CI puts it, and is Graph v1.0", () => {
  expect(METADATA.replace(/\\/g, "/")).toMatch(/shared\/vendor-data\/graph-metadata\/v1\.0-cleanMetadata\.xml$/);
  expect(csdl.types.size).toBeGreaterThan(1000);
  expect(csdl.entitySets.get("users")).toBe(G("user"));
});

describe("types the emulator returns", () => {
  test.each(Object.entries(TYPES))("%s: every property and navigation property exists with its type", (name, type) => {
    expect(csdl.types.get(G(name))?.kind).toBe("EntityType");
    const problems: string[] = [];
    for (const [property, declared] of Object.entries(type.properties)) {
      const real = propertyType(csdl, G(name), property);
      if (real !== qualifyGraph(declared)) problems.push(`${name}.${property}: emulator says ${declared}, CSDL says ${real ?? "(no such property)"}`);
    }
    for (const [nav, declared] of Object.entries(type.navigation ?? {})) {
      const real = navigationType(csdl, G(name), nav);
      if (real !== qualifyGraph(declared)) problems.push(`${name}.${nav}: emulator says ${declared}, CSDL says ${real ?? "(no such navigation property)"}`);
    }
    expect(problems).toEqual([]);
  });

  test.each(Object.entries(COMPLEX))("complex type %s: every property exists with its type", (name, type) => {
    expect(csdl.types.get(G(name))?.kind).toBe("ComplexType");
    const problems: string[] = [];
    for (const [property, declared] of Object.entries(type.properties)) {
      const real = propertyType(csdl, G(name), property);
      if (real !== qualifyGraph(declared)) problems.push(`${name}.${property}: emulator says ${declared}, CSDL says ${real ?? "(no such property)"}`);
    }
    for (const [nav, declared] of Object.entries(type.navigation ?? {})) {
      if (navigationType(csdl, G(name), nav) !== qualifyGraph(declared)) problems.push(`${name}.${nav}: not a navigation property to ${declared}`);
    }
    expect(problems).toEqual([]);
  });

  test("every complex or entity type a property names is one the emulator describes", () => {
    const described = new Set([...Object.keys(TYPES), ...Object.keys(COMPLEX)].map(G));
    const named = [...Object.values(TYPES), ...Object.values(COMPLEX)].flatMap((t) => [...Object.values(t.properties), ...Object.values(t.navigation ?? {})]);
    const structured = named
      .map((t) => qualifyGraph(t).replace(/^Collection\((.*)\)$/, "$1"))
      .filter((t) => !t.startsWith("Edm.") && csdl.types.has(t));
    expect(structured.filter((t) => !described.has(t) && t !== G("directoryObject"))).toEqual([]);
  });

  test.each(Object.entries(DERIVED))("the types a %s collection holds derive from it", (base, derived) => {
    for (const d of derived) expect(chain(csdl, G(d)).map((t) => t.name)).toContain(G(base));
  });
});

describe("routes", () => {
  /** Walk a route's path through the entity container and navigation properties; the type (and whether a collection) it reaches. */
  function walk(route: (typeof ROUTES)[number]): { type: string; collection: boolean } {
    let type = "";
    let collection = false;
    route.path.forEach((segment, i) => {
      const at = `/${route.version}/${route.path.map((s) => (typeof s === "string" ? s : "{…}")).join("/")} segment ${i}`;
      if (typeof segment !== "string") {
        if ("key" in segment) {
          if (!collection) throw new Error(`${at}: a key after a single value`);
          collection = false;
          return;
        }
        const set = csdl.entitySets.get(segment.entitySet);
        if (!set) throw new Error(`${at}: no entity set ${segment.entitySet}`);
        if (!csdl.types.get(set)?.alternateKeys.includes(segment.alternateKey)) throw new Error(`${at}: ${set} has no alternate key ${segment.alternateKey}`);
        type = set;
        collection = false;
        return;
      }
      let next: string | undefined;
      if (i === 0) {
        next = csdl.entitySets.has(segment) ? `Collection(${csdl.entitySets.get(segment)})` : csdl.singletons.get(segment);
      } else {
        if (collection) throw new Error(`${at}: '${segment}' after a collection without a key`);
        next = navigationType(csdl, type, segment);
      }
      if (!next) throw new Error(`${at}: '${segment}' is neither an entity set, a singleton nor a navigation property of ${type || "the container"}`);
      const c = /^Collection\((.*)\)$/.exec(next);
      collection = Boolean(c);
      type = c ? c[1] : next;
    });
    return { type, collection };
  }

  const v1 = ROUTES.filter((r) => r.version === "v1.0");

  test.each(v1.map((r) => [r.key, r] as const))("%s: every segment exists and reaches the declared type", (_key, route) => {
    const reached = walk(route);
    expect(reached).toEqual({ type: G(route.type), collection: route.collection });
  });

  test.each(v1.map((r) => [r.key, r] as const))("%s: $select, $filter and $expand name real members of the type", (_key, route) => {
    const types = (route.derived ?? [route.type]).map(G);
    const problems: string[] = [];
    for (const t of types) {
      for (const p of Object.keys(TYPES[t.replace("microsoft.graph.", "")].properties)) {
        if (!propertyType(csdl, t, p)) problems.push(`$select ${p} not on ${t}`);
      }
    }
    for (const p of route.filter?.properties ?? []) if (!propertyType(csdl, G(route.type), p)) problems.push(`$filter ${p} not on ${route.type}`);
    for (const n of route.expand ?? []) if (!navigationType(csdl, G(route.type), n)) problems.push(`$expand ${n} not on ${route.type}`);
    expect(problems).toEqual([]);
  });

  test("the beta route is exempt because v1.0 has no authentication/requirements", () => {
    expect(ROUTES.filter((r) => r.version === "beta").map((r) => r.key)).toEqual(["authenticationRequirements"]);
    expect(navigationType(csdl, G("user"), "authentication")).toBe(G("authentication"));
    expect(navigationType(csdl, G("authentication"), "requirements")).toBeUndefined();
  });
});

describe("graph-requests.md against the CSDL", () => {
  const urls = roundOne(parseArgs(["--upn", "w365serv@contoso.com", "--tier", "direct", "--global-admin", "ga@contoso.com", "--integration-account", "pcia@contoso.com", "--native-app-id", "00000000-0000-4000-8000-000000000052"]));
  const typeOf: Record<string, string> = {
    r1: "user",
    r2: "organization",
    r3: "user",
    r4: "licenseDetails",
    r6: "userRegistrationDetails",
    r6b: "userRegistrationDetails",
    r6c: "userRegistrationDetails",
    r7: "user",
    r8: "unifiedRoleAssignment",
    r10: "identitySecurityDefaultsEnforcementPolicy",
    r11: "conditionalAccessPolicy",
    r12: "domain",
    r13: "subscribedSku",
    r14: "servicePrincipal",
    r15: "user",
    r17: "application",
  };

  test.each(Object.entries(typeOf))("%s: every $select property is on its type", (id, type) => {
    const select = /[?&]\$select=([^&]*)/.exec(urls[id])?.[1] ?? "";
    const missing = select.split(",").filter((p) => p && !propertyType(csdl, G(type), p));
    expect(missing).toEqual([]);
  });

  test("r16 memberOf $select=id,displayName: displayName is not on directoryObject, only on the groups and roles it returns (Graph accepts it; so does the emulator)", () => {
    expect(urls.r16).toContain("$select=id,displayName");
    expect(propertyType(csdl, G("directoryObject"), "displayName")).toBeUndefined();
    expect(propertyType(csdl, G("group"), "displayName")).toBe("Edm.String");
    expect(propertyType(csdl, G("directoryRole"), "displayName")).toBe("Edm.String");
  });

  test("grantControls.authenticationStrength is a containment navigation property of the complex type, not a property", () => {
    expect(propertyType(csdl, G("conditionalAccessGrantControls"), "authenticationStrength")).toBeUndefined();
    expect(navigationType(csdl, G("conditionalAccessGrantControls"), "authenticationStrength")).toBe(G("authenticationStrengthPolicy"));
  });
});

describe("every answer of every scenario names only what the CSDL has", () => {
  let server: Awaited<ReturnType<typeof startGraphEmulatorServer>>;
  beforeAll(async () => {
    server = await startGraphEmulatorServer({ scenario: "ready-to-install" });
  });
  afterAll(() => server.close());

  const scenarios = listScenarios().map((s) => s.name);
  test.each(scenarios)("%s", async (name) => {
    server.emulator.setScenario(name);
    server.emulator.setFaults({}); // the data, not the faults, is what is checked here
    const reads = await readLikeThePreflight(server.url, loadScenario(name).args);
    const problems: string[] = [];
    let checked = 0;
    for (const { endpoint, id, status, body } of reads.bodies) {
      const route = ROUTES.find((r) => r.key === endpoint);
      if (!route || route.version !== "v1.0" || status !== 200) continue;
      checked++;
      if (route.collection) problems.push(...shapeProblems(csdl, body.value, `Collection(${G(route.type)})`, `${id} ${endpoint}`));
      else problems.push(...shapeProblems(csdl, body, G(route.type), `${id} ${endpoint}`));
    }
    // me, organization, roleAssignments, securityDefaults, domains, subscribedSkus and servicePrincipals answer in every scenario.
    expect(checked).toBeGreaterThanOrEqual(7);
    expect(problems).toEqual([]);
  });
});
