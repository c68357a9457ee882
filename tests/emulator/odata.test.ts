/** OData behaviour of the Dataverse emulator: $filter (lambdas too), $select, $expand, $orderby, $top, paging, strictness. */
import { startEmulatorServer } from "../../playground/emulator/emulator.cjs";
import { ID, q, request } from "./helpers";

let server: Awaited<ReturnType<typeof startEmulatorServer>>;
const get = (path: string, headers: Record<string, string> = {}) => request(server.url + path, { headers });
const names = (body: { value: Record<string, unknown>[] }, column = "fullname") => body.value.map((r) => r[column]);

beforeAll(async () => {
  server = await startEmulatorServer({ scenario: "roles-through-teams" });
});
afterAll(() => server.close());
beforeEach(() => server.emulator.reset());

describe("$filter", () => {
  test("the control's service-account query: percent-encoded literal, unquoted GUIDs, or", async () => {
    const path =
      "/api/data/v9.2/systemusers?$select=systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid" +
      `&$filter=domainname eq 'w365serv%40contoso.com' or applicationid eq ${ID.work365AppUs} or applicationid eq ${ID.work365AppEu}`;
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(names(res.json)).toEqual(["Work 365 Service", "# Work 365"]);
    expect(res.json["@odata.context"]).toMatch(/\/api\/data\/v9\.2\/\$metadata#systemusers\(systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid\)$/);
    expect(Object.keys(res.json.value[0])).toEqual(["@odata.etag", "systemuserid", "fullname", "domainname", "isdisabled", "islicensed", "accessmode", "applicationid"]);
  });

  test("strings compare case-insensitively and ignore trailing spaces in eq, as SQL Server does", async () => {
    const res = await get(q("systemusers", { $select: "fullname", $filter: "domainname eq 'W365SERV@Contoso.COM  '" }));
    expect(names(res.json)).toEqual(["Work 365 Service"]);
  });

  test("contains, startswith, endswith are case-insensitive", async () => {
    const sol = await get(q("solutions", { $select: "uniquename", $filter: "contains(uniquename,'WORK365') and startswith(friendlyname,'work 365') and endswith(uniquename,'365')" }));
    expect(names(sol.json, "uniquename")).toEqual(["Work365"]);
  });

  test("string literals with doubled quotes", async () => {
    server.emulator.store.put("systemuser", { systemuserid: "11111111-0000-4000-8000-0000000000aa", fullname: "Seán O'Brien", domainname: "o'brien@contoso.com" });
    const res = await get(q("systemusers", { $select: "fullname", $filter: "domainname eq 'o''brien@contoso.com'" }));
    expect(names(res.json)).toEqual(["Seán O'Brien"]);
  });

  test("ne, not, and/or precedence, parentheses, booleans and numbers", async () => {
    const a = await get(q("systemusers", { $select: "fullname", $filter: "not (isdisabled eq true) and accessmode eq 4 or fullname eq 'Dana Seller'" }));
    expect(names(a.json)).toEqual(["Dana Seller", "# Contoso Portal", "# Work 365"]);
    const b = await get(q("systemusers", { $select: "fullname", $filter: "islicensed ne true and (accessmode gt 0 or isdisabled eq true)" }));
    expect(names(b.json)).toEqual(["Old Work 365 Service", "# Contoso Portal", "# Work 365"]);
  });

  test("null and GUIDs (any case) on lookup columns", async () => {
    const res = await get(
      q("solutions", { $select: "uniquename", $filter: "_parentsolutionid_value eq null and _createdby_value eq 11111111-0000-4000-8000-00000000000A" }),
    );
    expect(res.json.value).toEqual([]);
    const patch = await get(q("solutions", { $select: "uniquename", $filter: "_parentsolutionid_value ne null" }));
    expect(names(patch.json, "uniquename")).toEqual(["Work365_Patch_4_5_1"]);
  });

  test("the control's solutions query finds Work 365 and skips its own setup solution and patches", async () => {
    const filter = "(contains(uniquename,'work365') or contains(friendlyname,'work 365')) and uniquename ne 'Work365Setup' and uniquename ne 'Work365PrerequisiteChecklist' and _parentsolutionid_value eq null";
    const res = await get(q("solutions", { $select: "solutionid,uniquename,friendlyname,version,installedon,_createdby_value", $filter: filter }));
    expect(res.json.value).toEqual([
      expect.objectContaining({ uniquename: "Work365", version: "4.5.0.12", installedon: "2025-01-06T10:30:00Z", _createdby_value: ID.serviceAccount }),
    ]);
  });

  test("nested any: roles held directly or through a team, in one query", async () => {
    const filter =
      `(_roletemplateid_value eq ${ID.sysAdminTemplate} or name eq 'Work 365 Sales') and ` +
      "(systemuserroles_association/any(u:u/domainname eq 'w365serv@contoso.com') or " +
      "teamroles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv@contoso.com')))";
    const res = await get(q("roles", { $select: "roleid,name,_roletemplateid_value,_businessunitid_value", $filter: filter }));
    expect(res.status).toBe(200);
    expect(names(res.json, "name")).toEqual(["Work 365 Sales"]);
    // The admin holds System Administrator directly and through the IT Admins team.
    const admin = await get(q("roles", { $select: "name", $filter: filter.replace(/w365serv/g, "admin") }));
    expect(names(admin.json, "name")).toEqual(["System Administrator"]);
  });

  test("profiles through a team; all(); any() without a predicate; lambda on a one-to-many", async () => {
    const profiles = await get(
      q("fieldsecurityprofiles", {
        $select: "name",
        $filter: "name eq 'Work 365 Admin' and (systemuserprofiles_association/any(u:u/domainname eq 'w365serv@contoso.com') or teamprofiles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv@contoso.com')))",
      }),
    );
    expect(names(profiles.json, "name")).toEqual(["Work 365 Admin"]);
    const teamsAllEnabled = await get(q("teams", { $select: "name", $filter: "teammembership_association/all(m:m/isdisabled eq false) and teammembership_association/any()" }));
    expect(names(teamsAllEnabled.json, "name")).toEqual(["Sales", "Work 365 Team", "IT Admins", "Dynamics Admins (Entra group)"]);
    const patched = await get(q("solutions", { $select: "uniquename", $filter: "solution_parent_solution/any()" }));
    expect(names(patched.json, "uniquename")).toEqual(["Work365"]);
  });

  test("an outer property inside a lambda refers to the row being filtered ($it)", async () => {
    const res = await get(q("teams", { $select: "name", $filter: "teammembership_association/any(m:m/_businessunitid_value eq _businessunitid_value and m/domainname eq 'dana@contoso.com')" }));
    expect(names(res.json, "name")).toEqual(["Sales"]);
  });

  test("single-valued navigation paths", async () => {
    const res = await get(q("solutions", { $select: "uniquename", $filter: "createdby/domainname eq 'w365serv@contoso.com' and publisherid/customizationprefix eq 'w365'" }));
    expect(names(res.json, "uniquename")).toEqual(["Work365", "Work365_Patch_4_5_1"]);
    const roles = await get(q("roles", { $select: "name", $filter: "businessunitid/name eq 'sales' and businessunitid/parentbusinessunitid/name eq 'contoso'" }));
    expect(names(roles.json, "name")).toEqual(["System Administrator", "Salesperson", "Work 365 Sales"]);
  });

  test("parameter aliases", async () => {
    const res = await get(`${q("systemusers", { $select: "fullname", $filter: "domainname eq @upn" })}&@upn=${encodeURIComponent("'dana@contoso.com'")}`);
    expect(names(res.json)).toEqual(["Dana Seller"]);
  });

  test("a + in the query string is a space (ASP.NET decoding): encode it as %2B", async () => {
    const plus = await get("/api/data/v9.2/roles?$select=name&$filter=name+eq+'Work+365+Sales'");
    expect(names(plus.json, "name")).toEqual(["Work 365 Sales", "Work 365 Sales"]);
  });
});

describe("strictness (status and body as Dataverse gives them)", () => {
  test.each([
    ["unknown column in $select", q("systemusers", { $select: "fullname,upn" }), "Could not find a property named 'upn' on type 'Microsoft.Dynamics.CRM.systemuser'."],
    ["unknown column in $filter", q("roles", { $filter: "templateid eq null" }), "Could not find a property named 'templateid' on type 'Microsoft.Dynamics.CRM.role'."],
    ["a navigation property is not a column", q("roles", { $select: "roletemplateid" }), "Could not find a property named 'roletemplateid' on type 'Microsoft.Dynamics.CRM.role'."],
    ["unknown navigation property in a lambda", q("roles", { $filter: "userroles/any(u:u/domainname eq 'x')" }), "Could not find a property named 'userroles' on type 'Microsoft.Dynamics.CRM.role'."],
    ["unknown column inside a nested lambda", q("roles", { $filter: "teamroles_association/any(t:t/teammembership_association/any(m:m/upn eq 'x'))" }), "Could not find a property named 'upn' on type 'Microsoft.Dynamics.CRM.systemuser'."],
    ["unknown navigation property in $expand", q("roles", { $expand: "users" }), "Could not find a property named 'users' on type 'Microsoft.Dynamics.CRM.role'."],
    ["unknown column in an $expand $select", q("roles", { $expand: "businessunitid($select=title)" }), "Could not find a property named 'title' on type 'Microsoft.Dynamics.CRM.businessunit'."],
    ["a quoted GUID", q("systemusers", { $filter: `systemuserid eq '${ID.admin}'` }), "A binary operator with incompatible types was detected. Found operand types 'Edm.Guid' and 'Edm.String' for operator kind 'Equal'."],
    ["a collection without a lambda", q("roles", { $filter: "systemuserroles_association/domainname eq 'x'" }), "The parent value for a property access of a property 'domainname' is not a single value. Property access can only be applied to a single value."],
    ["an unknown function", q("roles", { $filter: "tolower(name) eq 'x'" }), "An unknown function with name 'tolower' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."],
  ])("%s: 400", async (_label, path, message) => {
    const res = await get(path);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: { code: "0x0", message } });
  });

  test("syntax errors are 400", async () => {
    for (const filter of ["name eq", "name eq 'x", "(name eq 'x'", "name eq 'x' foo"]) {
      const res = await get(q("roles", { $filter: filter }));
      expect([res.status, res.json.error.code]).toEqual([400, "0x0"]);
    }
  });

  test("an unknown entity set: 404 0x80060888", async () => {
    const res = await get(q("systemuser", { $select: "fullname" }));
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: { code: "0x80060888", message: "Resource not found for the segment 'systemuser'." } });
    const fn = await get("/api/data/v9.2/RetrieveLanguages()");
    expect([fn.status, fn.json.error.message]).toEqual([404, "Resource not found for the segment 'RetrieveLanguages'."]);
  });

  test("a nested $expand containing a many-to-many: 400 0x80060888", async () => {
    const res = await get(q("systemusers", { $select: "fullname", $expand: "systemuserroles_association($select=name;$expand=businessunitid($select=name))" }));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      error: {
        code: "0x80060888",
        message: "The navigation property 'systemuserroles_association' cannot be expanded. Only many-to-one relationships are supported for nested expansion.",
      },
    });
    // A many-to-many next to a nested expand elsewhere in the query is refused as well.
    const beside = await get(q("systemusers", { $expand: "teammembership_association($select=name),businessunitid($select=name;$expand=parentbusinessunitid($select=name))" }));
    expect([beside.status, beside.json.error.message]).toEqual([400, expect.stringContaining("'teammembership_association' cannot be expanded")]);
  });

  test("$top/$orderby inside a many-to-one expand or a nested expand: 400 0x80060888", async () => {
    const message = "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship.";
    const manyToOne = await get(q("roles", { $expand: "businessunitid($select=name;$top=1)" }));
    expect([manyToOne.status, manyToOne.json]).toEqual([400, { error: { code: "0x80060888", message } }]);
    const nested = await get(q("publishers", { $expand: "publisher_solution($select=uniquename;$orderby=uniquename;$expand=createdby($select=fullname))" }));
    expect([nested.status, nested.json]).toEqual([400, { error: { code: "0x80060888", message } }]);
  });

  test("more than 15 expands: 400", async () => {
    let expand = "parentbusinessunitid($select=name)";
    for (let i = 0; i < 15; i++) expand = `parentbusinessunitid($select=name;$expand=${expand})`;
    const res = await get(q("businessunits", { $select: "name", $expand: expand }));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("0x80060888");
  });

  test("$skip and repeated options are refused; unknown $options too", async () => {
    expect((await get("/api/data/v9.2/roles?$skip=1")).status).toBe(400);
    expect((await get("/api/data/v9.2/roles?$select=name&$select=roleid")).status).toBe(400);
    expect((await get("/api/data/v9.2/roles?$fliter=name eq 'x'")).status).toBe(400);
    expect((await get("/api/data/v9.2/roles?foo=bar")).status).toBe(200);
  });
});

describe("$select, $orderby, $top, keys, navigation paths", () => {
  test("$orderby desc and $top", async () => {
    const res = await get(q("systemusers", { $select: "fullname", $orderby: "fullname desc", $top: "3" }));
    expect(names(res.json)).toEqual(["Work 365 Service", "SYSTEM", "Old Work 365 Service"]);
    expect(res.json["@odata.nextLink"]).toBeUndefined();
  });

  test("without $select every column comes back, null when empty", async () => {
    const res = await get(q("organizations", {}));
    expect(res.json.value[0]).toEqual({
      "@odata.etag": expect.stringMatching(/^W\/"\d+"$/),
      organizationid: "88888888-0000-4000-8000-000000000001",
      name: "contoso",
      languagecode: 1033,
      createdon: "2024-11-04T08:00:00Z",
    });
  });

  test("a record by key, a missing key (404 0x80040217), a bad key (400)", async () => {
    const ok = await get(`/api/data/v9.2/systemusers(${ID.serviceAccount})?$select=fullname`);
    expect(ok.json).toEqual(expect.objectContaining({ fullname: "Work 365 Service", systemuserid: ID.serviceAccount }));
    expect(ok.json["@odata.context"]).toMatch(/#systemusers\(fullname\)\/\$entity$/);
    const missing = await get("/api/data/v9.2/systemusers(11111111-0000-4000-8000-0000000000ff)");
    expect([missing.status, missing.json.error.code]).toEqual([404, "0x80040217"]);
    expect((await get("/api/data/v9.2/systemusers(abc)")).status).toBe(400);
  });

  test("a collection-valued navigation path", async () => {
    const res = await get(`/api/data/v9.2/teams(22222222-0000-4000-8000-000000000020)/teamroles_association?$select=name`);
    expect(names(res.json, "name")).toEqual(["Work 365 Sales"]);
  });

  test("formatted values and lookup annotations when asked for", async () => {
    const path = q("solutions", { $select: "uniquename,_createdby_value,ismanaged", $filter: "uniquename eq 'Work365'" });
    const plain = await get(path);
    expect(Object.keys(plain.json.value[0]).filter((k) => k.includes("@"))).toEqual(["@odata.etag"]);
    const annotated = await get(path, { Prefer: 'odata.include-annotations="*"' });
    expect(annotated.headers["preference-applied"]).toBe('odata.include-annotations="*"');
    expect(annotated.json.value[0]).toEqual(
      expect.objectContaining({
        "_createdby_value@OData.Community.Display.V1.FormattedValue": "Work 365 Service",
        "_createdby_value@Microsoft.Dynamics.CRM.lookuplogicalname": "systemuser",
        "_createdby_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "createdby",
        "ismanaged@OData.Community.Display.V1.FormattedValue": "Yes",
      }),
    );
  });
});

describe("$expand", () => {
  test("many-to-one and many-to-many side by side, with $select, $filter, $orderby and $top on the collection", async () => {
    const res = await get(
      q("roles", {
        $select: "name",
        $filter: "name eq 'System Administrator'",
        $expand: "businessunitid($select=name),teamroles_association($select=name;$filter=teamtype eq 0;$orderby=name desc;$top=5)",
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json["@odata.context"]).toMatch(/#roles\(name,businessunitid\(name\),teamroles_association\(name\)\)$/);
    const [root] = res.json.value;
    expect(root.businessunitid).toEqual({ "@odata.etag": expect.any(String), name: "contoso", businessunitid: "66666666-0000-4000-8000-000000000001" });
    expect(root.teamroles_association).toEqual([expect.objectContaining({ name: "IT Admins" })]);
    expect(root["teamroles_association@odata.nextLink"]).toMatch(/\/roles\(33333333-0000-4000-8000-000000000001\)\/teamroles_association\?\$select=name$/);
  });

  test("nested expand of single-valued properties under a one-to-many", async () => {
    const res = await get(q("publishers", { $select: "uniquename", $filter: "customizationprefix eq 'w365'", $expand: "publisher_solution($select=uniquename;$filter=ismanaged eq true;$expand=createdby($select=fullname))" }));
    expect(res.status).toBe(200);
    const solutions = res.json.value[0].publisher_solution;
    expect(solutions.map((s: { uniquename: string; createdby: { fullname: string } }) => [s.uniquename, s.createdby.fullname])).toEqual([
      ["Work365Setup", "Avery Admin"],
      ["Work365PrerequisiteChecklist", "Avery Admin"],
      ["Work365", "Work 365 Service"],
      ["Work365_Patch_4_5_1", "Work 365 Service"],
    ]);
  });

  test("an empty lookup expands to null", async () => {
    const res = await get(q("solutions", { $select: "uniquename", $filter: "uniquename eq 'Work365'", $expand: "parentsolutionid($select=uniquename)" }));
    expect(res.json.value[0].parentsolutionid).toBeNull();
  });
});

describe("paging", () => {
  test("Prefer: odata.maxpagesize pages with @odata.nextLink and $skiptoken; the link keeps the query", async () => {
    const first = await get(q("systemusers", { $select: "fullname", $filter: "isdisabled eq false" }), { Prefer: "odata.maxpagesize=2" });
    expect(first.headers["preference-applied"]).toBe("odata.maxpagesize=2");
    expect(first.json.value).toHaveLength(2);
    const link: string = first.json["@odata.nextLink"];
    expect(link).toContain("$skiptoken=");
    expect(decodeURIComponent(link)).toContain("$filter=isdisabled eq false");
    expect(decodeURIComponent(link)).toMatch(/<cookie pagenumber="2" pagingcookie="/);

    const all = [...names(first.json)];
    let next: string | undefined = link;
    let pages = 1;
    while (next) {
      const page = await request(next, { headers: { Prefer: "odata.maxpagesize=2" } });
      expect(page.status).toBe(200);
      all.push(...names(page.json));
      next = page.json["@odata.nextLink"];
      pages++;
    }
    expect(pages).toBe(3); // six enabled users
    const expected = await get(q("systemusers", { $select: "fullname", $filter: "isdisabled eq false" }));
    expect(all).toEqual(names(expected.json));
    expect(new Set(all).size).toBe(all.length);
  });

  test("the default page is 5000 rows and larger page sizes are capped", async () => {
    for (let i = 0; i < 5003; i++) {
      const n = i.toString(16).padStart(12, "0");
      server.emulator.store.put("publisher", { publisherid: `7777aaaa-0000-4000-8000-${n}`, uniquename: `p${i}`, friendlyname: `P ${i}` });
    }
    const res = await get(q("publishers", { $select: "uniquename" }));
    expect(res.json.value).toHaveLength(5000);
    expect(res.json["@odata.nextLink"]).toBeDefined();
    const capped = await get(q("publishers", { $select: "uniquename" }), { Prefer: "odata.maxpagesize=9000" });
    expect(capped.json.value).toHaveLength(5000);
    expect(capped.headers["preference-applied"]).toBe("odata.maxpagesize=5000");
  });

  test("$top is ignored when a page size is requested (as documented for Dataverse)", async () => {
    const res = await get(q("teams", { $select: "teamid", $filter: "teamtype eq 0", $top: "1" }), { Prefer: "odata.maxpagesize=2" });
    expect(res.json.value).toHaveLength(2);
    expect(res.json["@odata.nextLink"]).toBeDefined();
    const noPaging = await get(q("teams", { $select: "teamid", $filter: "teamtype eq 2 or teamtype eq 3", $top: "1" }));
    expect(noPaging.json.value).toEqual([expect.objectContaining({ teamid: "22222222-0000-4000-8000-000000000010" })]);
  });

  test("$count=true", async () => {
    const res = await get(q("roles", { $select: "name", $count: "true" }), { Prefer: "odata.maxpagesize=1" });
    expect(res.json["@odata.count"]).toBe(8);
    expect(res.json.value).toHaveLength(1);
  });
});

describe("functions", () => {
  test("RetrieveProvisionedLanguages(), RetrieveAvailableLanguages(), WhoAmI()", async () => {
    const langs = await get("/api/data/v9.2/RetrieveProvisionedLanguages()");
    expect(langs.json).toEqual({ "@odata.context": expect.stringContaining("RetrieveProvisionedLanguagesResponse"), RetrieveProvisionedLanguages: [1033] });
    const available = await get("/api/data/v9.2/RetrieveAvailableLanguages()");
    expect(available.json.LocaleIds).toEqual([1033]);
    const who = await get("/api/data/v9.2/WhoAmI()");
    expect(who.json).toEqual(expect.objectContaining({ UserId: ID.admin, BusinessUnitId: "66666666-0000-4000-8000-000000000001" }));
  });
});
