/**
 * Every scenario file loads, is internally consistent, and its `expected` block agrees with
 * the data for the items Dataverse decides (read here through the emulator with the control's
 * kind of queries). The human-confirmed items are the control team's reading of prerequisites.md.
 */
import { ITEM_IDS, listScenarios, loadScenario, startEmulatorServer, validateScenario } from "../../playground/emulator/emulator.cjs";
import { ID, q, request } from "./helpers";

const scenarios = listScenarios();
const REQUIRED = [
  "fresh-tenant",
  "ready-to-install",
  "installed-awaiting-consent",
  "after-consent-clean",
  "after-consent-warnings",
  "one-tier-partner",
  "roles-through-teams",
  "upgrade",
  "no-role-read-privilege",
  "throttled",
  "markup-in-names",
];

test("the required scenarios exist, each with a title and a description", () => {
  expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(REQUIRED));
  for (const s of scenarios) {
    expect(typeof s.title).toBe("string");
    expect(s.description.length).toBeGreaterThan(40);
  }
  expect(new Set(scenarios.map((s) => s.order)).size).toBe(scenarios.length);
});

test.each(scenarios.map((s) => [s.name]))("%s is internally consistent", (name) => {
  const scenario = loadScenario(name);
  expect(validateScenario(scenario)).toEqual([]);
  expect(Object.keys(scenario.expected?.items ?? {}).sort()).toEqual([...ITEM_IDS].sort());
});

test("the consistency check catches dangling associations, unknown columns and bad expectations", () => {
  const broken = loadScenario("ready-to-install");
  broken.associations.systemuserroles_association.push({ systemuserid: ID.serviceAccount, roleid: "33333333-0000-4000-8000-0000000000ee" });
  broken.data.systemusers[0].upn = "x";
  broken.data.roles[0]._businessunitid_value = "66666666-0000-4000-8000-0000000000ee";
  (broken.expected as { items: Record<string, string> }).items["sales-role"] = "done";
  expect(validateScenario(broken)).toEqual([
    "systemusers[0]: unknown column 'upn'",
    "roles[0]._businessunitid_value (businessunitid) points at a missing businessunit 66666666-0000-4000-8000-0000000000ee",
    "systemuserroles_association[3].roleid points at a missing role 33333333-0000-4000-8000-0000000000ee",
    "expected.items.sales-role: 'done' is not a status",
  ]);
});

test("relative times (@now-3m) are resolved when the scenario loads", () => {
  const now = new Date("2030-05-01T12:00:00Z");
  const scenario = loadScenario("one-tier-partner", { now });
  const state = scenario.record.checklistState as { confirmations: Record<string, { at: string }> };
  expect(state.confirmations["mfa-policies"].at).toBe("2030-05-01T11:57:00.000Z");
});

test("the markup scenario carries markup in the names the control shows", () => {
  const scenario = loadScenario("markup-in-names");
  const account = scenario.data.systemusers.find((u) => u.systemuserid === ID.serviceAccount);
  expect(account?.fullname).toBe('<img src=x onerror="window.__xss=1">Service <b>Account</b>');
});

const hasGraphEvidence = (scenario: { record: { checklistState?: unknown } }) =>
  typeof scenario.record.checklistState === "object" && !!(scenario.record.checklistState as { evidence?: { graph?: unknown } } | null)?.evidence?.graph;

describe("expected statuses of the automatic items agree with the data", () => {
  let server: Awaited<ReturnType<typeof startEmulatorServer>>;
  beforeAll(async () => {
    server = await startEmulatorServer({ scenario: "fresh-tenant" });
  });
  afterAll(() => server.close());

  const read = async (path: string) => {
    const res = await request(server.url + path);
    expect(res.status).toBe(200);
    return res.json;
  };
  const esc = (s: string) => s.replace(/'/g, "''");

  test.each(scenarios.map((s) => [s.name]))("%s", async (name) => {
    const scenario = loadScenario(name);
    server.emulator.setScenario(name);
    const deniedRoles = Boolean(scenario.faults?.roles);
    server.emulator.setFaults({}); // read the facts; the faults are accounted for below
    const expected = scenario.expected as { stage: string; items: Record<string, string> };
    const state = (scenario.record.checklistState ?? {}) as { settings?: { serviceAccountUpn?: string } };
    const upn = esc(scenario.record.serviceAccountUpn || state.settings?.serviceAccountUpn || "");

    const users = await read(q("systemusers", { $select: "systemuserid,isdisabled,islicensed,accessmode", $filter: `domainname eq '${upn}'` }));
    const user = users.value[0];
    expect(expected.items["service-account"]).toBe(user && !user.isdisabled ? "met" : "not-met");
    // Without the user, its licence and roles cannot be known or acted on yet: pending.
    if (!user) expect(expected.items["service-account-licence"]).toBe("pending");
    else if (!user.islicensed || user.accessmode !== 0) expect(expected.items["service-account-licence"]).toBe("not-met");
    // With the preflight's Graph reading kept on the record, the licence type can be read as well.
    else expect(["needs-confirmation", "confirmed", ...(hasGraphEvidence(scenario) ? ["met", "not-met"] : [])]).toContain(expected.items["service-account-licence"]);

    const held = (condition: string) =>
      read(
        q("roles", {
          $select: "name",
          $filter: `(${condition}) and (systemuserroles_association/any(u:u/domainname eq '${upn}') or teamroles_association/any(t:t/teammembership_association/any(m:m/domainname eq '${upn}')))`,
        }),
      ).then((r) => r.value.length > 0);
    const sysAdmin = await held(`_roletemplateid_value eq ${ID.sysAdminTemplate}`);
    const sales = await held("name eq 'Work 365 Sales'");
    const profiles = await read(
      q("fieldsecurityprofiles", {
        $select: "name",
        $filter: `name eq 'Work 365 Admin' and (systemuserprofiles_association/any(u:u/domainname eq '${upn}') or teamprofiles_association/any(t:t/teammembership_association/any(m:m/domainname eq '${upn}')))`,
      }),
    );
    const solutions = await read(
      q("solutions", {
        $select: "uniquename,_createdby_value",
        $filter: "(contains(uniquename,'work365') or contains(friendlyname,'work 365')) and uniquename ne 'Work365Setup' and uniquename ne 'Work365PrerequisiteChecklist' and _parentsolutionid_value eq null",
      }),
    );
    const work365 = solutions.value[0];
    const languages = (await read("/api/data/v9.2/RetrieveProvisionedLanguages()")).RetrieveProvisionedLanguages as number[];
    const base = (await read(q("organizations", { $select: "languagecode" }))).value[0].languagecode;

    // Stage: Work 365 absent means before install.
    if (!work365) expect(expected.stage).toBe("before-install");
    else expect(["before-install", "awaiting-consent", "after-consent"]).toContain(expected.stage);
    if (!work365) expect(expected.items["consent-completed"]).toBe("pending"); // cannot be acted on before Work 365 is found
    expect(expected.items["work365-installed"]).toBe(!work365 ? "not-met" : work365._createdby_value === user?.systemuserid ? "met" : "warning");
    expect(expected.items["english-language"]).toBe(languages.includes(1033) || base === 1033 ? "met" : "not-met");

    const after = expected.stage === "after-consent";
    const sysAdminStatus = deniedRoles ? "cannot-check" : after ? (sysAdmin ? "warning" : "met") : sysAdmin ? "met" : user ? "not-met" : "pending";
    expect(expected.items["system-administrator-role"]).toBe(sysAdminStatus);
    const laterStatus = (isHeld: boolean, denied: boolean) => (!work365 ? "pending" : denied ? "cannot-check" : isHeld ? "met" : "not-met");
    expect(expected.items["sales-role"]).toBe(laterStatus(sales, deniedRoles));
    expect(expected.items["admin-field-security-profile"]).toBe(laterStatus(profiles.value.length > 0, false));

    // The service account's format, through the settings row's lookup to its user (as the reader asks).
    const settings = await read(
      q("usersettingscollection", { $select: "localeid,timezonecode", $filter: `systemuserid_systemuser/domainname eq '${upn}'` }),
    );
    const timeZones = await read(q("timezonedefinitions", { $select: "timezonecode,userinterfacename" }));
    if (!user) expect(expected.items["service-account-settings"]).toBe("pending");
    else {
      expect(settings.value).toHaveLength(1);
      expect(timeZones.value.map((t: { timezonecode: number }) => t.timezonecode)).toContain(settings.value[0].timezonecode);
      if (settings.value[0].localeid !== 1033) expect(expected.items["service-account-settings"]).toBe("not-met");
      else expect(["needs-confirmation", "confirmed"]).toContain(expected.items["service-account-settings"]);
    }

    // System jobs of the service account that have not completed: only an upgrade asks.
    const mode = (scenario.record.checklistState as { settings?: { mode?: string } } | undefined)?.settings?.mode;
    const jobs = await read(
      q("asyncoperations", { $select: "name,createdon", $filter: `statecode ne 3 and owninguser/domainname eq '${upn}'`, $orderby: "createdon asc" }),
    );
    expect(expected.items["system-jobs-completed"]).toBe(mode !== "upgrade" ? "not-applicable" : jobs.value.length > 0 ? "warning" : "met");
  });
});
