// Large-tenant scenarios for the benchmark: a service account in T teams that hold R security
// roles between them, across several business units, with 100 field security profiles.
// The result is scenario data for the emulator (`POST /_emulator/scenario {scenario}`), built on
// the "ready-to-install" scenario's admin, record, publishers and organization.
import { readFileSync } from "node:fs";

const BASE = new URL("../../playground/scenarios/ready-to-install.json", import.meta.url);
const SYSADMIN_TEMPLATE = "627090ff-40a3-4053-8790-584edc5be201";
const SERVICE_ACCOUNT_ID = "11111111-0000-4000-8000-000000000002";
const ADMIN_ID = "11111111-0000-4000-8000-000000000001";
const BUSINESS_UNITS = 5;
const PROFILES = 100;
const OTHER_USERS = 60;

/** A GUID from a prefix (8 hex digits) and a number, e.g. guid("b0000000", 12). */
const guid = (prefix, n) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/**
 * @param {{ teams: number, roles: number, profiles?: number, businessUnits?: number }} size
 * @returns {Record<string, any>} scenario data
 */
export function largeTenant({ teams, roles, profiles = PROFILES, businessUnits = BUSINESS_UNITS }) {
  const base = JSON.parse(readFileSync(BASE, "utf8"));
  const rootBu = base.data.businessunits[0].businessunitid;
  const extra = Math.max(0, businessUnits - base.data.businessunits.length);
  const divisions = Array.from({ length: extra }, (_, i) => ({
    businessunitid: guid("b0b0b0b0", i + 1),
    name: `Division ${i + 1}`,
    isdisabled: false,
    _parentbusinessunitid_value: rootBu,
    createdon: "2024-11-04T08:05:00Z",
  }));
  const data = { ...base.data };
  data.businessunits = [...base.data.businessunits, ...divisions];
  const bus = data.businessunits.slice(0, businessUnits).map((b) => b.businessunitid);

  const admin = base.data.systemusers.find((u) => u.systemuserid === ADMIN_ID);
  const serviceAccount = base.data.systemusers.find((u) => u.systemuserid === SERVICE_ACCOUNT_ID);
  const others = Array.from({ length: OTHER_USERS }, (_, i) => ({
    ...admin,
    systemuserid: guid("a0a0a0a0", i + 1),
    fullname: `User ${i + 1}`,
    domainname: `user${i + 1}@contoso.com`,
    internalemailaddress: `user${i + 1}@contoso.com`,
    azureactivedirectoryobjectid: guid("acacacac", i + 1),
    _businessunitid_value: bus[i % bus.length],
  }));
  const work365App = {
    ...admin,
    systemuserid: guid("a0a0a0a0", 9999),
    fullname: "# Work 365",
    domainname: "work365.app@contoso.onmicrosoft.com",
    internalemailaddress: "work365.app@contoso.onmicrosoft.com",
    azureactivedirectoryobjectid: guid("acacacac", 9999),
    islicensed: false,
    accessmode: 4,
    applicationid: "e4b1a995-abe3-4350-a61c-65fccd32e8bd",
  };
  const hasApp = base.data.systemusers.some((u) => u.applicationid === work365App.applicationid);
  data.systemusers = [...base.data.systemusers, ...(hasApp ? [] : [work365App]), ...others];

  // Teams, round-robin over the business units they use (at most all of them).
  const usedBus = bus.slice(0, Math.min(teams, bus.length));
  data.teams = Array.from({ length: teams }, (_, i) => ({
    teamid: guid("7e7e7e7e", i + 1),
    name: `Team ${i + 1}`,
    teamtype: 0,
    isdefault: false,
    _businessunitid_value: usedBus[i % usedBus.length],
    _administratorid_value: ADMIN_ID,
  }));

  // Every business unit has its copy of System Administrator and of the Work 365 Sales role; the
  // roles the teams hold are spread over the business units the teams are in, each held by one
  // team of its own business unit.
  data.roletemplates = base.data.roletemplates;
  const roleRows = [];
  const teamRoles = [];
  const teamsOf = (bu) => data.teams.filter((t) => t._businessunitid_value === bu);
  let n = 0;
  for (const [b, bu] of bus.entries()) {
    const share = usedBus.includes(bu) ? Math.floor(roles / usedBus.length) + (usedBus.indexOf(bu) < roles % usedBus.length ? 1 : 0) : 0;
    const count = Math.max(share, 2);
    for (let k = 0; k < count; k++) {
      const id = guid("3e3e3e3e", ++n);
      const name = k === 0 ? "System Administrator" : k === 1 ? "Work 365 Sales" : `Custom role ${b + 1}.${k - 1}`;
      roleRows.push({
        roleid: id,
        name,
        _roletemplateid_value: k === 0 ? SYSADMIN_TEMPLATE : null,
        _businessunitid_value: bu,
        _parentrootroleid_value: null,
        ismanaged: k < 2,
      });
      if (k < share) {
        const holders = teamsOf(bu);
        teamRoles.push({ teamid: holders[k % holders.length].teamid, roleid: id });
      }
    }
  }
  data.roles = roleRows;

  data.fieldsecurityprofiles = Array.from({ length: profiles }, (_, i) => ({
    fieldsecurityprofileid: guid("f5f5f5f5", i + 1),
    name: i === 0 ? "Work 365 Admin" : `Profile ${i}`,
    description: null,
    ismanaged: false,
  }));
  // Teams hold the profiles round-robin (the first team holds Work 365 Admin).
  const teamProfiles = data.fieldsecurityprofiles.map((p, i) => ({ teamid: data.teams[i % teams].teamid, fieldsecurityprofileid: p.fieldsecurityprofileid }));

  data.solutions = [
    ...base.data.solutions,
    {
      solutionid: "55555555-0000-4000-8000-000000000010",
      uniquename: "Work365",
      friendlyname: "Work 365",
      version: "4.5.0.12",
      ismanaged: true,
      isvisible: true,
      installedon: "2025-01-06T10:30:00Z",
      _createdby_value: SERVICE_ACCOUNT_ID,
      _publisherid_value: "77777777-0000-4000-8000-000000000003",
      _parentsolutionid_value: null,
    },
  ];

  // The service account is in every team; the other users in a few each.
  const membership = [
    ...data.teams.map((t) => ({ systemuserid: SERVICE_ACCOUNT_ID, teamid: t.teamid })),
    ...data.teams.flatMap((t, i) => [0, 1, 2].map((k) => ({ systemuserid: others[(i * 3 + k) % others.length].systemuserid, teamid: t.teamid }))),
  ];

  const by = { id: ADMIN_ID, name: admin.fullname };
  const at = "2025-01-06T11:00:00Z";
  const tick = (extra = {}) => ({ confirmed: true, by, at, ...extra });
  const checklistState = {
    version: 1,
    settings: { serviceAccountUpn: serviceAccount.domainname, partnerTier: "indirect", mode: "install", changedAt: "2025-01-06T09:05:00Z" },
    confirmations: {
      "premium-licences": tick({ answer: "assigned" }),
      "mfa-policies": tick({ at: "2025-01-06T09:15:00Z" }),
      "mfa-registration/service-account": tick(),
      "mfa-registration/global-administrator": tick(),
      "service-account-licence/customer-engagement": tick(),
      "service-account-mfa": tick(),
      "global-admin/granted": tick(),
      "consent-completed": tick({ at: "2025-01-06T11:30:00Z", work365Version: "4.5.0.12" }),
    },
  };

  return {
    name: `bench-${teams}-teams-${roles}-roles`,
    title: `Large tenant: ${teams} teams, ${roles} roles`,
    description: `Benchmark: the service account is in ${teams} teams that hold ${roles} security roles between them across ${usedBus.length} of ${bus.length} business units; ${profiles} field security profiles; Work 365 installed, consent confirmed.`,
    admin: base.admin,
    record: { ...base.record, checklistState },
    data,
    provisionedLanguages: base.provisionedLanguages,
    associations: {
      systemuserroles_association: [],
      systemuserprofiles_association: [],
      teammembership_association: membership,
      teamroles_association: teamRoles,
      teamprofiles_association: teamProfiles,
    },
  };
}
