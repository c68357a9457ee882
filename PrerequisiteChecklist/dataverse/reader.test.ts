import type { EnvironmentFacts } from "../checklist/types";
import { HttpError } from "./errors";
import { createEnvironmentReader, type ReaderDeps, type ReadRequest, type RetrieveMultiple } from "./reader";

type Row = Record<string, unknown>;
interface Answer {
  entities: Row[];
  nextLink?: string;
}
/** Answers the nth call (1-based) of an entity; throw to reject. */
type Responder = (options: string, nth: number) => Answer | Promise<Answer>;
type Target = "systemuser" | "role" | "fieldsecurityprofile" | "solution" | "organization" | "team" | "usersettings" | "timezonedefinition" | "asyncoperation";
type LanguagesResponder = (nth: number) => unknown;

interface Call {
  entity: string;
  options: string | undefined;
  maxPageSize: number | undefined;
}

const SYSADMIN_TEMPLATE = "627090ff-40a3-4053-8790-584edc5be201";
const BU = "0e8c9a1f-0000-0000-0000-000000000001";

const SERVICE_USER: Row = {
  systemuserid: "A1B2C3D4-0000-0000-0000-000000000001",
  fullname: "W365 Service",
  domainname: "W365Serv@Contoso.com",
  isdisabled: false,
  islicensed: true,
  accessmode: 0,
  applicationid: null,
};
const APP_USER_US: Row = {
  systemuserid: "a1b2c3d4-0000-0000-0000-000000000002",
  fullname: "# Work 365",
  domainname: "",
  isdisabled: false,
  islicensed: false,
  accessmode: 4,
  applicationid: "E4B1A995-ABE3-4350-A61C-65FCCD32E8BD",
};
const SYSADMIN_ROLE: Row = {
  roleid: "b0000000-0000-0000-0000-000000000001",
  name: "Systemadministrator",
  _roletemplateid_value: SYSADMIN_TEMPLATE,
  _businessunitid_value: BU,
};
const SALES_ROLE: Row = {
  roleid: "b0000000-0000-0000-0000-000000000002",
  name: "Work 365 Sales",
  _roletemplateid_value: null,
  _businessunitid_value: BU,
};
const ADMIN_PROFILE: Row = { fieldsecurityprofileid: "c0000000-0000-0000-0000-000000000001", name: "Work 365 Admin" };
const OLD_SOLUTION: Row = {
  solutionid: "d0000000-0000-0000-0000-000000000001",
  uniquename: "Work365",
  friendlyname: "Work 365",
  version: "4.1.0.3",
  installedon: "2023-02-01T10:00:00Z",
  _createdby_value: "a1b2c3d4-0000-0000-0000-000000000009",
};
const NEW_SOLUTION: Row = {
  solutionid: "d0000000-0000-0000-0000-000000000002",
  uniquename: "Work365Billing",
  friendlyname: "Work 365 Billing",
  version: "4.5.0.12",
  installedon: "2024-06-01T10:00:00Z",
  _createdby_value: "A1B2C3D4-0000-0000-0000-000000000001",
  "_createdby_value@OData.Community.Display.V1.FormattedValue": "W365 Service",
};

const DEFAULTS: Record<Target, Row[]> = {
  systemuser: [SERVICE_USER, APP_USER_US],
  role: [SYSADMIN_ROLE, SALES_ROLE],
  fieldsecurityprofile: [ADMIN_PROFILE],
  solution: [OLD_SOLUTION, NEW_SOLUTION],
  organization: [{ languagecode: 1033 }],
  team: [],
  usersettings: [{ systemuserid: "a1b2c3d4-0000-0000-0000-000000000001", localeid: 1033, timezonecode: 35 }],
  timezonedefinition: [
    { timezonecode: 4, userinterfacename: "(GMT-08:00) Pacific Time (US & Canada)" },
    { timezonecode: 35, userinterfacename: "(GMT-05:00) Eastern Time (US & Canada)" },
  ],
  asyncoperation: [
    { asyncoperationid: "e0000000-0000-0000-0000-000000000001", name: "Work 365 invoice sync", createdon: "2026-11-20T10:00:00Z" },
    { asyncoperationid: "e0000000-0000-0000-0000-000000000002", name: "Work 365 usage import", createdon: "2026-11-26T10:00:00Z" },
  ],
};

const REQUEST: ReadRequest = {
  serviceAccountUpn: "w365serv@contoso.com",
  work365SolutionName: "",
  adminProfileName: "Work 365 Admin",
  salesRoleName: "Work 365 Sales",
  consentConfirmedInCycle: false,
};

// The exact strings of a full check (round 1).
const USERS =
  "?$select=systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid" +
  "&$filter=domainname eq 'w365serv%40contoso.com' or applicationid eq e4b1a995-abe3-4350-a61c-65fccd32e8bd" +
  " or applicationid eq 5e56ae97-9be1-40d3-938b-99ea52175a30";
const ROLES =
  "?$select=roleid,name,_roletemplateid_value,_businessunitid_value" +
  "&$filter=(_roletemplateid_value eq 627090ff-40a3-4053-8790-584edc5be201 or name eq 'Work%20365%20Sales')" +
  " and (systemuserroles_association/any(u:u/domainname eq 'w365serv%40contoso.com')" +
  " or teamroles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv%40contoso.com')))";
const PROFILES =
  "?$select=fieldsecurityprofileid,name&$filter=name eq 'Work%20365%20Admin'" +
  " and (systemuserprofiles_association/any(u:u/domainname eq 'w365serv%40contoso.com')" +
  " or teamprofiles_association/any(t:t/teammembership_association/any(m:m/domainname eq 'w365serv%40contoso.com')))";
const SETTINGS = "?$select=systemuserid,localeid,timezonecode&$filter=systemuserid_systemuser/domainname eq 'w365serv%40contoso.com'";
const TIME_ZONES = "?$select=timezonecode,userinterfacename";
const SYSTEM_JOBS =
  "?$select=asyncoperationid,name,createdon&$filter=statecode ne 3 and owninguser/domainname eq 'w365serv%40contoso.com'&$orderby=createdon asc";
const SOLUTIONS =
  "?$select=solutionid,uniquename,friendlyname,version,installedon,_createdby_value" +
  "&$filter=(contains(uniquename,'work365') or contains(friendlyname,'work365') or contains(friendlyname,'work%20365'))" +
  " and uniquename ne 'Work365PrerequisiteChecklist' and uniquename ne 'Work365Setup'" +
  " and _parentsolutionid_value eq null and isvisible eq true";
// Round 2.
const ROLES_DIRECT =
  "?$select=roleid,name,_roletemplateid_value,_businessunitid_value" +
  "&$filter=(_roletemplateid_value eq 627090ff-40a3-4053-8790-584edc5be201 or name eq 'Work%20365%20Sales')" +
  " and systemuserroles_association/any(u:u/domainname eq 'w365serv%40contoso.com')";
const PROFILES_DIRECT =
  "?$select=fieldsecurityprofileid,name&$filter=name eq 'Work%20365%20Admin'" +
  " and systemuserprofiles_association/any(u:u/domainname eq 'w365serv%40contoso.com')";
const ORGANIZATION = "?$select=languagecode";
const GROUP_TEAMS = "?$select=teamid&$filter=teamtype eq 2 or teamtype eq 3&$top=1";

const rows = (entities: Row[]): Responder => () => ({ entities });
const reject = (error: unknown): Responder => () => {
  throw error;
};
const never: Responder = () => new Promise<Answer>(() => undefined);
const denied = (privilege: string) => ({
  errorCode: 2147746336,
  message: `Principal user (Id=a1b2…, type=8, roleCount=1) is missing ${privilege} privilege (Id=…)`,
});

function setup(
  overrides: Partial<Record<Target, Responder>> & { languages?: LanguagesResponder } = {},
  deps: Partial<ReaderDeps> = {},
) {
  const calls: Call[] = [];
  const getJsonCalls: string[] = [];
  const sleeps: number[] = [];
  const counts = new Map<string, number>();
  const nth = (key: string) => {
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return counts.get(key) as number;
  };
  const webApi: RetrieveMultiple = {
    retrieveMultipleRecords(entity, options, maxPageSize) {
      calls.push({ entity, options, maxPageSize });
      const n = nth(entity);
      const responder = overrides[entity as Target] ?? rows(DEFAULTS[entity as Target] ?? []);
      return Promise.resolve().then(() => responder(options ?? "", n));
    },
  };
  const getJson = (path: string) => {
    getJsonCalls.push(path);
    const n = nth("languages");
    const responder = overrides.languages ?? (() => ({ RetrieveProvisionedLanguages: [1031, 1033] }));
    return Promise.resolve().then(() => responder(n));
  };
  const reader = createEnvironmentReader({
    webApi,
    getJson,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    requestTimeoutMs: 1000,
    ...deps,
  });
  const optionsOf = (entity: string) => calls.filter((c) => c.entity === entity).map((c) => c.options);
  return { reader, calls, getJsonCalls, sleeps, optionsOf };
}

/** The names of the facts that failed. */
function failing(facts: EnvironmentFacts): string[] {
  return Object.entries(facts)
    .filter(([, r]) => ("ok" in r ? !r.ok : r.failure !== undefined))
    .map(([name]) => name)
    .sort();
}

/** Lets every settled promise run its continuations. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("a full check, common case", () => {
  it("sends exactly these requests and nothing in round 2", async () => {
    const { reader, calls, getJsonCalls } = setup();
    await reader.read(REQUEST);
    expect(calls).toEqual([
      { entity: "systemuser", options: USERS, maxPageSize: undefined },
      { entity: "role", options: ROLES, maxPageSize: undefined },
      { entity: "fieldsecurityprofile", options: PROFILES, maxPageSize: undefined },
      { entity: "solution", options: SOLUTIONS, maxPageSize: undefined },
      { entity: "usersettings", options: SETTINGS, maxPageSize: undefined },
      { entity: "timezonedefinition", options: TIME_ZONES, maxPageSize: undefined },
    ]);
    expect(getJsonCalls).toEqual(["RetrieveProvisionedLanguages()"]);
  });

  it("in upgrade mode also reads the service account's system jobs that have not completed, in round 1", async () => {
    const { reader, calls } = setup();
    const facts = await reader.read({ ...REQUEST, upgradeMode: true });
    expect(calls.map((c) => c.entity)).toEqual(["systemuser", "role", "fieldsecurityprofile", "solution", "usersettings", "timezonedefinition", "asyncoperation"]);
    expect(calls[6].options).toBe(SYSTEM_JOBS);
    expect(facts.systemJobs).toEqual({ ok: true, value: { count: 2, oldest: { name: "Work 365 invoice sync", createdOn: "2026-11-20T10:00:00Z" } } });
  });

  it("a 403 on the system jobs fails that fact alone", async () => {
    const { reader } = setup({ asyncoperation: reject(denied("prvReadAsyncOperation")) });
    const facts = await reader.read({ ...REQUEST, upgradeMode: true });
    expect(failing(facts)).toEqual(["systemJobs"]);
    expect(facts.systemJobs).toMatchObject({ ok: false, failure: { kind: "privilege-denied", privilege: "prvReadAsyncOperation" } });
  });

  it("keeps the time zone's code when its name cannot be read, and says when the account has no settings row", async () => {
    let facts = await setup({ timezonedefinition: reject(denied("prvReadTimeZoneDefinition")) }).reader.read(REQUEST);
    expect(facts.personalSettings).toEqual({ ok: true, value: { localeId: 1033, timeZoneCode: 35, timeZoneName: null } });
    expect(failing(facts)).toEqual([]);
    facts = await setup({ usersettings: rows([]) }).reader.read(REQUEST);
    expect(facts.personalSettings).toEqual({ ok: true, value: null });
    facts = await setup({ usersettings: rows([{ systemuserid: "x" }]) }).reader.read(REQUEST);
    expect(facts.personalSettings).toMatchObject({ ok: false, failure: { kind: "unexpected" } });
  });

  it("starts every round-1 request (at most 7) before any answers", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated = (entities: Row[]): Responder => async () => {
      await gate;
      return { entities };
    };
    const { reader, calls, getJsonCalls } = setup({
      systemuser: gated(DEFAULTS.systemuser),
      role: gated(DEFAULTS.role),
      fieldsecurityprofile: gated(DEFAULTS.fieldsecurityprofile),
      solution: gated(DEFAULTS.solution),
      usersettings: gated(DEFAULTS.usersettings),
      timezonedefinition: gated(DEFAULTS.timezonedefinition),
      languages: async () => {
        await gate;
        return { RetrieveProvisionedLanguages: [1033] };
      },
    });
    const done = reader.read(REQUEST);
    await flush();
    expect(calls.length + getJsonCalls.length).toBe(7);
    open();
    await done;
    expect(calls.length + getJsonCalls.length).toBe(7);
  });

  it("turns the answers into facts", async () => {
    const { reader } = setup();
    const facts = await reader.read(REQUEST);
    expect(facts).toEqual<EnvironmentFacts>({
      serviceAccount: {
        ok: true,
        value: {
          id: "a1b2c3d4-0000-0000-0000-000000000001",
          fullName: "W365 Service",
          domainName: "W365Serv@Contoso.com",
          isDisabled: false,
          isLicensed: true,
          accessMode: 0,
        },
      },
      work365ApplicationUsers: {
        ok: true,
        value: [
          { id: "a1b2c3d4-0000-0000-0000-000000000002", fullName: "# Work 365", applicationId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd" },
        ],
      },
      rolesHeld: {
        found: [
          { id: SYSADMIN_ROLE.roleid as string, name: "Systemadministrator", roleTemplateId: SYSADMIN_TEMPLATE, businessUnitId: BU },
          { id: SALES_ROLE.roleid as string, name: "Work 365 Sales", roleTemplateId: null, businessUnitId: BU },
        ],
      },
      profilesHeld: { found: [{ id: ADMIN_PROFILE.fieldsecurityprofileid as string, name: "Work 365 Admin" }] },
      work365Solutions: {
        ok: true,
        value: [
          {
            id: "d0000000-0000-0000-0000-000000000002",
            uniqueName: "Work365Billing",
            friendlyName: "Work 365 Billing",
            version: "4.5.0.12",
            installedOn: "2024-06-01T10:00:00Z",
            createdById: "a1b2c3d4-0000-0000-0000-000000000001",
            createdByName: "W365 Service",
          },
          {
            id: "d0000000-0000-0000-0000-000000000001",
            uniqueName: "Work365",
            friendlyName: "Work 365",
            version: "4.1.0.3",
            installedOn: "2023-02-01T10:00:00Z",
            createdById: "a1b2c3d4-0000-0000-0000-000000000009",
            createdByName: null,
          },
        ],
      },
      provisionedLanguages: { ok: true, value: [1031, 1033] },
      personalSettings: { ok: true, value: { localeId: 1033, timeZoneCode: 35, timeZoneName: "(GMT-05:00) Eastern Time (US & Canada)" } },
    });
  });

  it("finds no service account when no row has the UPN", async () => {
    const { reader } = setup({ systemuser: rows([APP_USER_US]) });
    const facts = await reader.read(REQUEST);
    expect(facts.serviceAccount).toEqual({ ok: true, value: null });
    expect(facts.work365ApplicationUsers.ok && facts.work365ApplicationUsers.value).toHaveLength(1);
  });

  it("without a UPN reads only the application users, solutions and languages", async () => {
    const { reader, calls, getJsonCalls } = setup();
    const facts = await reader.read({ ...REQUEST, serviceAccountUpn: "   " });
    expect(calls.map((c) => [c.entity, c.options])).toEqual([
      [
        "systemuser",
        "?$select=systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid" +
          "&$filter=applicationid eq e4b1a995-abe3-4350-a61c-65fccd32e8bd or applicationid eq 5e56ae97-9be1-40d3-938b-99ea52175a30",
      ],
      ["solution", SOLUTIONS],
    ]);
    expect(getJsonCalls).toHaveLength(1);
    expect(facts.serviceAccount).toEqual({ ok: true, value: null });
    expect(facts.rolesHeld).toEqual({ found: [] });
    expect(facts.profilesHeld).toEqual({ found: [] });
    expect(facts.entraGroupTeamsExist).toBeUndefined();
  });

  it("serviceAccount stays {ok, null} without a UPN even when the application users cannot be read", async () => {
    const { reader } = setup({ systemuser: reject(denied("prvReadUser")) });
    const facts = await reader.read({ ...REQUEST, serviceAccountUpn: "" });
    expect(facts.serviceAccount).toEqual({ ok: true, value: null });
    expect(facts.work365ApplicationUsers).toMatchObject({ ok: false, failure: { kind: "privilege-denied", privilege: "prvReadUser" } });
  });

  it("looks a configured solution up by unique name", async () => {
    const { reader, optionsOf } = setup();
    await reader.read({ ...REQUEST, work365SolutionName: " Work365 " });
    expect(optionsOf("solution")).toEqual([
      "?$select=solutionid,uniquename,friendlyname,version,installedon,_createdby_value" +
        "&$filter=uniquename eq 'Work365' and _parentsolutionid_value eq null and isvisible eq true",
    ]);
  });
});

describe("the UPN in string literals", () => {
  it("doubles quotes, encodes and trims", async () => {
    const obrien = { ...SERVICE_USER, domainname: "O'Brien@contoso.com" };
    const { reader, optionsOf } = setup({ systemuser: rows([obrien]) });
    const facts = await reader.read({ ...REQUEST, serviceAccountUpn: "  o'brien@contoso.com \t" });
    const lit = "'o''brien%40contoso.com'";
    expect(optionsOf("systemuser")[0]).toContain(`domainname eq ${lit} or`);
    expect(optionsOf("role")[0]?.split(lit)).toHaveLength(3);
    expect(optionsOf("fieldsecurityprofile")[0]?.split(lit)).toHaveLength(3);
    expect(facts.serviceAccount).toMatchObject({ ok: true, value: { domainName: "O'Brien@contoso.com" } });
  });

  it("encodes # & and non-ASCII so they cannot end or split the URL", async () => {
    const { reader, calls } = setup();
    await reader.read({ ...REQUEST, serviceAccountUpn: "jörg#1&co@contoso.com" });
    const lit = "'j%C3%B6rg%231%26co%40contoso.com'";
    for (const call of calls.filter((c) => c.entity !== "solution" && c.entity !== "timezonedefinition")) {
      expect(call.options).toContain(lit);
      expect(call.options).not.toMatch(/[#ö]|&co/);
    }
  });
});

describe("paging", () => {
  it("follows @odata.nextLink with its query part", async () => {
    const next = "https://contoso.crm.dynamics.com/api/data/v9.2/roles?$select=roleid,name&$skiptoken=%3Ccookie%20page%3D%222%22%3E";
    const { reader, optionsOf } = setup({
      role: (_, n) => (n === 1 ? { entities: [SALES_ROLE], nextLink: next } : { entities: [SYSADMIN_ROLE] }),
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toEqual([ROLES, "?$select=roleid,name&$skiptoken=%3Ccookie%20page%3D%222%22%3E"]);
    expect(facts.rolesHeld.found.map((r) => r.name)).toEqual(["Work 365 Sales", "Systemadministrator"]);
    expect(facts.rolesHeld.failure).toBeUndefined();
    // Sysadmin found on page 2: no group-team read.
    expect(optionsOf("team")).toEqual([]);
  });

  it("stops after a bounded number of pages and says so", async () => {
    const { reader, optionsOf } = setup(
      { solution: () => ({ entities: [OLD_SOLUTION], nextLink: "https://x/api/data/v9.2/solutions?$skiptoken=again" }) },
      { maxPages: 3 },
    );
    const facts = await reader.read(REQUEST);
    expect(optionsOf("solution")).toHaveLength(3);
    expect(facts.work365Solutions).toMatchObject({ ok: false, failure: { kind: "unexpected" } });
  });
});

describe("403 on roles or profiles: the narrower, direct read", () => {
  it("roles: team privilege missing, the role is found directly; the failure stays", async () => {
    const { reader, optionsOf } = setup({
      role: (options) => {
        if (options.includes("teamroles_association")) throw denied("prvReadTeam");
        return { entities: [SYSADMIN_ROLE] };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toEqual([ROLES, ROLES_DIRECT]);
    expect(facts.rolesHeld.found.map((r) => r.roleTemplateId)).toEqual([SYSADMIN_TEMPLATE]);
    expect(facts.rolesHeld.failure).toMatchObject({ kind: "privilege-denied", privilege: "prvReadTeam" });
    expect(failing(facts)).toEqual(["rolesHeld"]);
    // Roles not fully read: the group-team hint is not read.
    expect(optionsOf("team")).toEqual([]);
  });

  it("profiles: team privilege missing, the profile is found directly; the failure stays", async () => {
    const { reader, optionsOf } = setup({
      fieldsecurityprofile: (options) => {
        if (options.includes("teamprofiles_association")) throw { errorCode: "0x80040220", message: "missing prvReadTeam privilege" };
        return { entities: [ADMIN_PROFILE] };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("fieldsecurityprofile")).toEqual([PROFILES, PROFILES_DIRECT]);
    expect(facts.profilesHeld).toEqual({
      found: [{ id: ADMIN_PROFILE.fieldsecurityprofileid, name: "Work 365 Admin" }],
      failure: { kind: "privilege-denied", privilege: "prvReadTeam", detail: "missing prvReadTeam privilege" },
    });
  });

  it("keeps the first failure when the narrower read fails too", async () => {
    const { reader, optionsOf } = setup({
      role: (options) => {
        throw options.includes("teamroles_association") ? denied("prvReadTeam") : { errorCode: 0x80040217, message: "gone" };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toHaveLength(2);
    expect(facts.rolesHeld).toEqual({ found: [], failure: expect.objectContaining({ privilege: "prvReadTeam" }) });
  });

  it("does not retry when the direct read needs the missing privilege too", async () => {
    const { reader, optionsOf } = setup({ role: reject(denied("prvReadRole")), fieldsecurityprofile: reject(denied("prvReadUser")) });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toEqual([ROLES]);
    expect(optionsOf("fieldsecurityprofile")).toEqual([PROFILES]);
    expect(facts.rolesHeld.failure?.privilege).toBe("prvReadRole");
    expect(facts.profilesHeld.failure?.privilege).toBe("prvReadUser");
  });
});

describe("the base language", () => {
  it("is read from the organization when 1033 is not provisioned", async () => {
    const { reader, optionsOf } = setup({
      languages: () => ({ RetrieveProvisionedLanguages: [1031] }),
      organization: rows([{ languagecode: 1033 }]),
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("organization")).toEqual([ORGANIZATION]);
    expect(facts.provisionedLanguages).toEqual({ ok: true, value: [1031] });
    expect(facts.baseLanguage).toEqual({ ok: true, value: 1033 });
  });

  it("is read when the provisioned languages fail", async () => {
    const { reader, optionsOf } = setup({
      languages: () => {
        throw new HttpError(500, "Internal server error");
      },
      organization: rows([{ languagecode: 1036 }]),
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("organization")).toEqual([ORGANIZATION]);
    expect(facts.provisionedLanguages).toMatchObject({ ok: false, failure: { kind: "server-error" } });
    expect(facts.baseLanguage).toEqual({ ok: true, value: 1036 });
  });

  it("a failed or odd organization read is only baseLanguage's failure", async () => {
    const a = setup({ languages: () => ({ RetrieveProvisionedLanguages: [1031] }), organization: reject(denied("prvReadOrganization")) });
    const factsA = await a.reader.read(REQUEST);
    expect(factsA.baseLanguage).toMatchObject({ ok: false, failure: { privilege: "prvReadOrganization" } });
    expect(failing(factsA)).toEqual(["baseLanguage"]);

    const b = setup({ languages: () => ({ nope: true }), organization: rows([]) });
    const factsB = await b.reader.read(REQUEST);
    expect(failing(factsB)).toEqual(["baseLanguage", "provisionedLanguages"]);
  });
});

describe("Entra group teams", () => {
  const noSysadmin = { role: rows([SALES_ROLE]) };

  it("are read when the System Administrator role is not held", async () => {
    const { reader, optionsOf } = setup({ ...noSysadmin, team: rows([{ teamid: "e0000000-0000-0000-0000-000000000001" }]) });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("team")).toEqual([GROUP_TEAMS]);
    expect(facts.entraGroupTeamsExist).toEqual({ ok: true, value: true });
  });

  it("none found", async () => {
    const { reader } = setup({ ...noSysadmin, team: rows([]) });
    expect((await reader.read(REQUEST)).entraGroupTeamsExist).toEqual({ ok: true, value: false });
  });

  it.each`
    case                                                    | overrides                                            | request                                              | reads
    ${"Work 365 found, consent confirmed: not expected"}    | ${noSysadmin}                                        | ${{ consentConfirmedInCycle: true }}                 | ${false}
    ${"Work 365 found, consent not confirmed"}              | ${noSysadmin}                                        | ${{}}                                                | ${true}
    ${"Work 365 not found, consent confirmed"}              | ${{ ...noSysadmin, solution: rows([]) }}             | ${{ consentConfirmedInCycle: true }}                 | ${true}
    ${"solutions failed, consent confirmed"}                | ${{ ...noSysadmin, solution: reject(denied("prvReadSolution")) }} | ${{ consentConfirmedInCycle: true }}    | ${true}
    ${"roles failed"}                                       | ${{ role: reject(denied("prvReadRole")) }}           | ${{}}                                                | ${false}
    ${"System Administrator held"}                          | ${{}}                                                | ${{}}                                                | ${false}
    ${"no UPN"}                                             | ${noSysadmin}                                        | ${{ serviceAccountUpn: "" }}                         | ${false}
    ${"no such service account (the role is pending)"}     | ${{ ...noSysadmin, systemuser: rows([]) }}           | ${{}}                                                | ${false}
    ${"service account read failed"}                        | ${{ ...noSysadmin, systemuser: reject(denied("prvReadUser")) }} | ${{}}                                     | ${true}
  `("$case: read = $reads", async ({ overrides, request, reads }) => {
    const { reader, optionsOf } = setup(overrides);
    const facts = await reader.read({ ...REQUEST, ...request });
    expect(optionsOf("team")).toEqual(reads ? [GROUP_TEAMS] : []);
    expect(facts.entraGroupTeamsExist !== undefined).toBe(reads);
  });

  it("a failure is just {ok: false}", async () => {
    const { reader } = setup({ ...noSysadmin, team: reject(denied("prvReadTeam")) });
    const facts = await reader.read(REQUEST);
    expect(facts.entraGroupTeamsExist).toMatchObject({ ok: false, failure: { kind: "privilege-denied", privilege: "prvReadTeam" } });
    expect(failing(facts)).toEqual(["entraGroupTeamsExist"]);
  });
});

describe("round 2", () => {
  it("starts its reads together, after round 1", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { reader, calls } = setup({
      role: rows([SALES_ROLE]),
      fieldsecurityprofile: async (options) => {
        if (options.includes("teamprofiles_association")) throw denied("prvReadTeam");
        await gate;
        return { entities: [] };
      },
      languages: () => ({ RetrieveProvisionedLanguages: [1031] }),
      organization: async () => {
        await gate;
        return { entities: [{ languagecode: 1033 }] };
      },
      team: async () => {
        await gate;
        return { entities: [] };
      },
    });
    const done = reader.read(REQUEST);
    for (let i = 0; i < 5; i++) await flush();
    expect(calls.map((c) => c.entity)).toEqual([
      "systemuser",
      "role",
      "fieldsecurityprofile",
      "solution",
      "usersettings",
      "timezonedefinition",
      "fieldsecurityprofile",
      "organization",
      "team",
    ]);
    open();
    const facts = await done;
    expect(failing(facts)).toEqual(["profilesHeld"]);
  });
});

describe("each failing read marks only its own facts", () => {
  const own: Record<string, string[]> = {
    systemuser: ["serviceAccount", "work365ApplicationUsers"],
    role: ["rolesHeld"],
    fieldsecurityprofile: ["profilesHeld"],
    solution: ["work365Solutions"],
    languages: ["provisionedLanguages"],
    usersettings: ["personalSettings"],
  };
  const privilegeOf: Record<string, string> = {
    systemuser: "prvReadUser",
    role: "prvReadRole",
    fieldsecurityprofile: "prvReadFieldSecurityProfile",
    solution: "prvReadSolution",
    languages: "prvReadOrganization",
    usersettings: "prvReadUserSettings",
  };
  const errors: Record<string, (target: string) => unknown> = {
    "403": (t) => (t === "languages" ? new HttpError(403, denied(privilegeOf[t]).message) : denied(privilegeOf[t])),
    "404": (t) => (t === "languages" ? new HttpError(404, "Not found") : { errorCode: -2147220969, message: "Does Not Exist" }),
    "500": (t) => (t === "languages" ? new HttpError(500, "Internal") : { status: 500, message: "Internal" }),
    network: () => new TypeError("Failed to fetch"),
  };
  const expected: Record<string, object> = {
    "403": { kind: "privilege-denied" },
    "404": { kind: "not-found" },
    "500": { kind: "server-error" },
    network: { kind: "offline", detail: "Failed to fetch" },
    timeout: { kind: "timeout" },
  };

  const cases = Object.keys(own).flatMap((target) => Object.keys(expected).map((how) => [target, how] as const));

  it.each(cases)("%s: %s", async (target, how) => {
    const responder: Responder = how === "timeout" ? never : reject(errors[how](target));
    const overrides =
      target === "languages"
        ? { languages: (n: number) => responder("", n) }
        : { [target]: responder };
    const { reader, sleeps } = setup(overrides, { requestTimeoutMs: 20 });
    const facts = await reader.read(REQUEST);
    expect(failing(facts)).toEqual(own[target].slice().sort());
    const first = own[target][0] as keyof EnvironmentFacts;
    const fact = facts[first] as { failure?: object };
    expect(fact.failure).toMatchObject(how === "403" ? { ...expected[how], privilege: privilegeOf[target] } : expected[how]);
    expect(sleeps).toEqual([]);
    if (target === "languages") expect(facts.baseLanguage).toEqual({ ok: true, value: 1033 });
  });

  it("a webAPI that throws synchronously or answers nonsense still resolves", async () => {
    const reader = createEnvironmentReader({
      webApi: {
        retrieveMultipleRecords: (entity) => {
          if (entity === "role") throw new Error("boom");
          return Promise.resolve({} as Answer);
        },
      },
      getJson: () => Promise.resolve(null),
      requestTimeoutMs: 50,
    });
    const facts = await reader.read(REQUEST);
    expect(facts.rolesHeld.failure).toEqual({ kind: "unexpected", detail: "boom" });
    expect(facts.work365Solutions).toMatchObject({ ok: false, failure: { kind: "unexpected" } });
    expect(facts.provisionedLanguages).toMatchObject({ ok: false });
  });
});

describe("throttling", () => {
  it.each([
    ["positive decimal", 2147951394],
    ["negative decimal", -2147015902],
    ["hex string", "0x80072322"],
    ["execution time", 0x80072321],
    ["concurrency", 0x80072326],
  ])("%s code: backs off, then succeeds", async (_, errorCode) => {
    const { reader, optionsOf, sleeps } = setup({
      solution: (_options, n) => {
        if (n === 1) throw { errorCode, message: "Number of requests exceeded the limit" };
        return { entities: [NEW_SOLUTION] };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("solution")).toEqual([SOLUTIONS, SOLUTIONS]);
    expect(sleeps).toEqual([1000]);
    expect(facts.work365Solutions).toMatchObject({ ok: true, value: [{ uniqueName: "Work365Billing" }] });
    expect(failing(facts)).toEqual([]);
  });

  it("throttled every time: bounded tries, then `throttled`", async () => {
    const { reader, optionsOf, sleeps } = setup({ role: reject({ errorCode: 2147951394, message: "Too many requests" }) });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toHaveLength(4);
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(facts.rolesHeld).toEqual({ found: [], failure: { kind: "throttled", detail: "Too many requests" } });
    expect(failing(facts)).toEqual(["rolesHeld"]);
  });

  it("uses the injected delays", async () => {
    const { reader, optionsOf, sleeps } = setup(
      { systemuser: reject({ errorCode: "0x80072326", message: "Concurrency" }) },
      { retryDelaysMs: [5, 10] },
    );
    const facts = await reader.read(REQUEST);
    expect(optionsOf("systemuser")).toHaveLength(3);
    expect(sleeps).toEqual([5, 10]);
    expect(facts.serviceAccount).toMatchObject({ ok: false, failure: { kind: "throttled" } });
  });

  it("a throttled page is retried and paging goes on", async () => {
    const { reader, optionsOf, sleeps } = setup({
      role: (_, n) => {
        if (n === 1) return { entities: [SALES_ROLE], nextLink: "https://x/api/data/v9.2/roles?$skiptoken=2" };
        if (n === 2) throw { errorCode: 2147951394, message: "slow down" };
        return { entities: [SYSADMIN_ROLE] };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(optionsOf("role")).toEqual([ROLES, "?$skiptoken=2", "?$skiptoken=2"]);
    expect(sleeps).toEqual([1000]);
    expect(facts.rolesHeld.found).toHaveLength(2);
  });

  it.each([
    [7, 7000],
    [600, 60000],
  ])("getJson's Retry-After of %ss waits %sms", async (seconds, waited) => {
    const { reader, getJsonCalls, sleeps } = setup({
      languages: (n) => {
        if (n === 1) throw new HttpError(429, "Too Many Requests", { retryAfterSeconds: seconds });
        return { RetrieveProvisionedLanguages: [1033] };
      },
    });
    const facts = await reader.read(REQUEST);
    expect(getJsonCalls).toHaveLength(2);
    expect(sleeps).toEqual([waited]);
    expect(facts.provisionedLanguages).toEqual({ ok: true, value: [1033] });
  });
});

describe("timeout", () => {
  it("uses a real timer by default and clears it", async () => {
    jest.useFakeTimers();
    try {
      const { reader } = setup({ solution: never }, { requestTimeoutMs: undefined });
      const done = reader.read(REQUEST);
      await jest.advanceTimersByTimeAsync(29_999);
      let settled = false;
      void done.then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      const facts = await done;
      expect(facts.work365Solutions).toMatchObject({ ok: false, failure: { kind: "timeout" } });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
