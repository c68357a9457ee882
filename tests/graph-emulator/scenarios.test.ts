/**
 * Every Graph scenario is consistent and its `expected` block speaks the checklist's words: the
 * item ids come from the catalogue, the status and stage words from the checklist's own typed
 * tables (report.ts, checked against types.ts at compile time), so the validator holds no copy.
 * The expectations are cross-checked against the paired Dataverse scenario where Graph has
 * nothing to say, and against the format's own rules (who can be a source of what).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOGUE } from "../../PrerequisiteChecklist/checklist/catalogue";
import { STAGE_KEYS, STATUS_KEYS } from "../../PrerequisiteChecklist/checklist/report";
import type { Source, Stage, Status } from "../../PrerequisiteChecklist/checklist/types";
import { SKUS, SOURCES, createGraphEmulator, listScenarios, loadScenario, validateScenario, type GraphScenario, type Source as ScenarioSource } from "../../playground/graph-emulator/emulator.cjs";

// The words, read from the checklist; the annotations make the compiler prove the tables are complete.
const statusTable: Record<Status, string> = STATUS_KEYS;
const stageTable: Record<Stage, string> = STAGE_KEYS;
const vocabulary = {
  itemIds: CATALOGUE.map((item) => item.id),
  statuses: Object.keys(statusTable),
  stages: Object.keys(stageTable),
};
// The scenario format's source words are the checklist's `Source`, both ways.
const sourcesAreTheChecklists: [ScenarioSource] extends [Source] ? ([Source] extends [ScenarioSource] ? true : false) : false = true;

const REQUIRED = [
  "global-admin-without-licence",
  "fresh-tenant",
  "ready-to-install",
  "after-consent-global-admin-still-held",
  "mfa-report-only",
  "security-defaults-on",
  "no-premium",
  "no-p2-global-admin-not-granted",
  "no-premium-global-admin-not-granted",
  "mfa-some-sign-ins",
  "mfa-registered-minutes-ago",
  "one-tier-with-admin-agents",
  "one-tier-without-admin-agents-or-native-app",
  "no-policy-read",
  "service-account-only-in-entra",
  "throttled",
  "paging",
];
const scenarios = listScenarios();
const DATAVERSE_DIR = path.resolve(__dirname, "../../playground/scenarios");

interface DataverseScenario {
  record: { serviceAccountUpn?: string | null; checklistState?: { settings?: { partnerTier?: string; serviceAccountUpn?: string }; confirmations?: Record<string, { confirmed: boolean }> } };
  expected: { stage: string; items: Record<string, string> };
}
const dataverse = (name: string): DataverseScenario => JSON.parse(fs.readFileSync(path.join(DATAVERSE_DIR, `${name}.json`), "utf8"));
const arg = (s: GraphScenario, name: string) => {
  const i = s.args.indexOf(name);
  return i >= 0 ? s.args[i + 1] : undefined;
};

test("the vocabulary comes from the checklist", () => {
  expect(sourcesAreTheChecklists).toBe(true);
  expect(vocabulary.itemIds).toHaveLength(18);
  expect(vocabulary.statuses).toHaveLength(8);
  expect(vocabulary.stages).toContain("before-install");
  expect([...SOURCES].sort()).toEqual(["dataverse", "derived", "graph", "none", "person"]);
});

test("the required scenarios exist, each with a title, a description and a why", () => {
  expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(REQUIRED));
  for (const s of scenarios) {
    expect(s.title.length).toBeGreaterThan(5);
    expect(s.description.length).toBeGreaterThan(40);
    expect(loadScenario(s.name).why.length).toBeGreaterThan(80);
  }
  expect(new Set(scenarios.map((s) => s.order)).size).toBe(scenarios.length);
});

describe.each(scenarios.map((s) => [s.name]))("%s", (name) => {
  const s = loadScenario(name);
  const dv = dataverse(s.dataverse);
  const items = s.expected.items;

  test("is consistent, speaks the checklist's words and pairs with an existing Dataverse scenario", () => {
    expect(validateScenario(s, vocabulary)).toEqual([]);
    expect(Object.keys(items).sort()).toEqual([...vocabulary.itemIds].sort());
  });

  test("its arguments agree with the Dataverse record (UPN, tier)", () => {
    const state = dv.record.checklistState;
    expect(arg(s, "--upn")).toBe(dv.record.serviceAccountUpn || state?.settings?.serviceAccountUpn);
    expect(arg(s, "--tier")).toBe(state?.settings?.partnerTier ?? "indirect");
    if (arg(s, "--tier") === "indirect") expect([arg(s, "--integration-account"), arg(s, "--native-app-id")]).toEqual([undefined, undefined]);
  });

  test("where Graph has nothing to say, the Dataverse scenario's expectation stands", () => {
    expect(s.expected.stage).toBe(dv.expected.stage);
    const dataverseOnly = ["english-language", "work365-installed", "system-administrator-role", "admin-field-security-profile", "sales-role", "service-account", "consent-completed"];
    if (arg(s, "--tier") === "indirect") dataverseOnly.push("partner-center");
    for (const id of dataverseOnly) expect([id, items[id].status]).toEqual([id, dv.expected.items[id]]);
  });

  test("sources follow the format: derived wait, person only for a tick, none only when nothing answered", () => {
    expect(items["mfa-policy-wait"].source).toBe("derived");
    const confirmations = dv.record.checklistState?.confirmations ?? {};
    for (const item of CATALOGUE) {
      const e = items[item.id];
      if (item.id === "mfa-policy-wait") continue;
      if (e.status === "confirmed") expect([item.id, e.source]).toEqual([item.id, "person"]);
      if (e.source === "person") {
        const ticked = item.parts.some((p) => confirmations[p.key]?.confirmed);
        expect([item.id, "ticked", ticked]).toEqual([item.id, "ticked", true]);
      }
      if (e.status === "pending") expect([item.id, e.source]).toEqual([item.id, "none"]);
      if (e.source === "none") expect([item.id, ["pending", "not-applicable"].includes(e.status)]).toEqual([item.id, true]);
      if (["met", "not-met", "warning"].includes(e.status)) expect([item.id, ["dataverse", "graph"].includes(e.source)]).toEqual([item.id, true]);
    }
    if (s.expected.exitCode === 2) expect(Object.values(items).some((e) => e.status === "cannot-check")).toBe(true);
  });

  test("Graph-read expectations agree with the scenario's own data", () => {
    const users = s.users ?? [];
    const sa = users.find((u) => String(u.userPrincipalName).toLowerCase() === arg(s, "--upn"));
    if (!sa) for (const id of ["service-account-mfa", "global-admin", "service-account-licence"]) expect([id, items[id].status]).toEqual([id, "pending"]);
    // premium-licences, when Graph answers it: none owned / owned but unassigned / assigned.
    if (items["premium-licences"].source === "graph") {
      const premium = (sku: string) => SKUS[sku].servicePlans.some((p) => ["AAD_PREMIUM", "AAD_PREMIUM_P2"].includes(p.servicePlanName));
      const owned = (s.subscribedSkus ?? []).some((k) => premium(String(k.skuPartNumber)));
      const assigned = users.some((u) => ((u.licenses ?? []) as { skuPartNumber: string }[]).some((l) => premium(l.skuPartNumber)));
      expect(items["premium-licences"].status).toBe(!owned ? "not-applicable" : assigned ? "met" : "warning");
    }
  });
});

describe("the consistency check", () => {
  test("catches unknown keys, dangling ids, missing roles, bad arguments, unknown fault targets, id mismatches and bad expectations", () => {
    const broken = loadScenario("ready-to-install") as GraphScenario & Record<string, unknown>;
    (broken.users as Record<string, unknown>[])[0].nickname = "Ave";
    ((broken.groups as Record<string, unknown>[])[0].members as string[]).push("00000000-0000-4000-8000-0000000000ee");
    (broken.roleAssignments as Record<string, unknown>[]).push({ id: "gr", roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", principalId: "aaaaaaaa-0000-4000-8000-000000000002", directoryScopeId: "/" });
    (broken.users as Record<string, unknown>[])[3].id = "aaaaaaaa-0000-4000-8000-000000000005";
    broken.args = [...broken.args, "--environment", "https://contoso.crm.dynamics.com"];
    broken.faults = { usres: 403 } as never;
    broken.expected.items["sales-role"] = { status: "done", source: "none" } as never;
    broken.expected.items["english-language"] = { status: "met", source: "magic" } as never;
    delete (broken.expected.items as Record<string, unknown>)["work365-installed"];
    broken.expected.stage = "installing";
    expect(validateScenario(broken, vocabulary).sort()).toEqual(
      [
        "users[0]: unknown key 'nickname'",
        "groups[0].members[3] points at a missing user, group or service principal 00000000-0000-4000-8000-0000000000ee",
        "roleAssignments[2].roleDefinitionId f2ef992c-3afb-46b9-b7cf-a126ee74c451 has no directoryRoles entry",
        "users: svc-w365serv@contoso.com is aaaaaaaa-0000-4000-8000-000000000004 in Dataverse scenario 'ready-to-install', aaaaaaaa-0000-4000-8000-000000000005 here",
        "args: --environment is added by the harness, not the scenario",
        "faults.usres: not an endpoint (use me, organization, users, licenseDetails, transitiveMemberOf, memberOf, authenticationMethods, userRegistrationDetails, roleAssignments, roleEligibilityScheduleInstances, securityDefaults, conditionalAccessPolicies, domains, subscribedSkus, servicePrincipals, oauth2PermissionGrants, appRoleAssignments, transitiveMembers, applications, authenticationRequirements, $batch or *)",
        "expected.items.sales-role: 'done' is not a status",
        "expected.items.english-language: 'magic' is not a source (use dataverse, graph, person, derived, none)",
        "expected.items: 'work365-installed' missing",
        "expected.stage: 'installing' is not a stage",
      ].sort(),
    );
  });

  test("catches licences the tenant does not own, unknown SKUs, bad methods and dangling policy scopes", () => {
    const broken = loadScenario("ready-to-install") as GraphScenario & Record<string, unknown>;
    const users = broken.users as Record<string, unknown>[];
    users[2].licenses = [{ skuPartNumber: "EMS" }, { skuPartNumber: "NOT_A_SKU" }];
    users[2].authenticationMethods = [{ "@odata.type": "#microsoft.graph.smsAuthenticationMethod", id: "x" }];
    (broken.conditionalAccessPolicies as { conditions: { users: Record<string, string[]> } }[])[1].conditions.users.includeGroups = ["00000000-0000-4000-8000-0000000000ef"];
    broken.dataverse = "no-such-dataverse-scenario";
    expect(validateScenario(broken, vocabulary).sort()).toEqual(
      [
        "users[2].licenses[0]: the tenant has no EMS subscription",
        "users[2].licenses[1].skuPartNumber: 'NOT_A_SKU' is not in skus.cjs",
        "users[2].authenticationMethods[0]: unknown @odata.type '#microsoft.graph.smsAuthenticationMethod'",
        "conditionalAccessPolicies[1].conditions.users.includeGroups points at a missing group 00000000-0000-4000-8000-0000000000ef",
        "dataverse: no Dataverse scenario 'no-such-dataverse-scenario'",
      ].sort(),
    );
  });

  test("without the checklist's words it still checks the shape, and the emulator refuses an inconsistent scenario", () => {
    const s = loadScenario("paging");
    expect(validateScenario(s)).toEqual([]);
    const broken = { ...s, signedInUser: "nobody@contoso.com" };
    expect(validateScenario(broken)).toEqual(["signedInUser points at a missing user nobody@contoso.com"]);
    expect(() => createGraphEmulator({ scenario: broken })).toThrow(/inconsistent:\n {2}signedInUser points at a missing user/);
  });
});
