/** The evaluation with the preflight's Graph reading as a second source beside the ticks. */
import { evaluate, type Evaluation } from "./evaluate";
import type { GraphEvidence } from "./graph";
import { changeSettings, setConfirmation } from "./state";
import {
  ADMIN,
  BEFORE_INSTALL_TICKS,
  SALES_ROLE,
  WORK365,
  facts,
  graphEvidence,
  graphFacts,
  mfaPolicy,
  settings,
  ticked,
} from "./testing";
import type { ChecklistState, EnvironmentFacts, ItemId } from "./types";

const NOW = new Date("2026-11-27T09:00:00Z");
const READ_AT = "2026-11-27T08:30:00Z";

function run(options: { state?: ChecklistState; graph?: GraphEvidence | null; facts?: EnvironmentFacts; now?: Date } = {}) {
  const state = options.state ?? ticked([]);
  return evaluate({
    facts: options.facts ?? facts(),
    confirmations: state.confirmations,
    settings: settings({
      ...(state.settings.mode ? { mode: state.settings.mode } : {}),
      ...(state.settings.cycleStartedAt ? { cycleStartedAt: state.settings.cycleStartedAt } : {}),
    }),
    now: options.now ?? NOW,
    graph: options.graph === undefined ? graphEvidence(graphFacts(), READ_AT) : options.graph,
  });
}
const item = (evaluation: Evaluation, id: ItemId) => evaluation.items.find((i) => i.id === id)!;
const view = (evaluation: Evaluation, id: ItemId) => ({ status: item(evaluation, id).status, source: item(evaluation, id).source });

describe("Graph facts as a second source", () => {
  it("clears every Entra item of a ready tenant: only the time zone, which Dataverse shows, needs a tick", () => {
    const evaluation = run({ state: ticked(["service-account-settings/time-zone"]) });
    expect(view(evaluation, "service-account-licence")).toEqual({ status: "met", source: "graph" });
    expect(view(evaluation, "service-account-mfa")).toEqual({ status: "met", source: "graph" });
    expect(view(evaluation, "mfa-registration")).toEqual({ status: "met", source: "graph" });
    expect(view(evaluation, "mfa-policies")).toEqual({ status: "met", source: "graph" });
    expect(view(evaluation, "mfa-policy-wait")).toEqual({ status: "met", source: "derived" });
    expect(view(evaluation, "global-admin")).toEqual({ status: "met", source: "graph" });
    expect(view(evaluation, "premium-licences")).toEqual({ status: "met", source: "graph" });
    expect(evaluation.headline.key).toBe("Headline_ReadyToInstall");
  });

  it("keeps Dataverse as the source of what Dataverse reads, and none for what nothing answered", () => {
    const evaluation = run();
    expect(view(evaluation, "service-account")).toEqual({ status: "met", source: "dataverse" });
    expect(view(evaluation, "english-language")).toEqual({ status: "met", source: "dataverse" });
    expect(view(evaluation, "partner-center")).toEqual({ status: "not-applicable", source: "none" });
    expect(view(evaluation, "sales-role")).toEqual({ status: "pending", source: "none" });
    expect(view(run({ graph: null }), "service-account-mfa")).toEqual({ status: "needs-confirmation", source: "none" });
  });

  it("gives each part its own status and source, with Graph's reason", () => {
    const part = item(run(), "mfa-registration").parts.find((p) => p.key === "mfa-registration/service-account")!;
    expect(part).toMatchObject({ status: "met", source: "graph", checked: false, reason: { key: "Graph_Mfa_Registered" } });
  });

  it("lets a later tick overrule an earlier reading, and a later reading overrule an earlier tick", () => {
    const noMfa = graphFacts();
    noMfa.serviceAccount.mfa = { ok: true, value: { methods: [], readFrom: "report" } };
    const earlierTick = ticked(["mfa-registration/service-account"], new Date("2026-11-27T08:00:00Z"));
    const laterTick = ticked(["mfa-registration/service-account"], new Date("2026-11-27T08:45:00Z"));
    const part = (e: Evaluation) => item(e, "mfa-registration").parts[0];
    expect(part(run({ state: earlierTick, graph: graphEvidence(noMfa, READ_AT) }))).toMatchObject({ status: "not-met", source: "graph" });
    expect(part(run({ state: laterTick, graph: graphEvidence(noMfa, READ_AT) }))).toMatchObject({ status: "confirmed", source: "person" });
    expect(view(run({ state: earlierTick, graph: graphEvidence(noMfa, READ_AT) }), "mfa-registration")).toEqual({ status: "not-met", source: "graph" });
  });

  it("leaves the answer to a tick where the reading cannot decide, whenever the tick was given", () => {
    const reportOnly = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ state: "enabledForReportingButNotEnforced" })] } });
    const untickedRead = run({ graph: graphEvidence(reportOnly, READ_AT) });
    expect(view(untickedRead, "service-account-mfa")).toEqual({ status: "needs-confirmation", source: "graph" });
    expect(item(untickedRead, "service-account-mfa").reason.key).toBe("Graph_ServiceAccountMfa_ReportOnly");
    const tickedBefore = ticked(["service-account-mfa"], new Date("2026-11-27T08:00:00Z"));
    expect(view(run({ state: tickedBefore, graph: graphEvidence(reportOnly, READ_AT) }), "service-account-mfa")).toEqual({ status: "confirmed", source: "person" });
  });

  it("names the missing permission as cannot-check, never not-met", () => {
    const denied = { ok: false as const, failure: { kind: "privilege-denied" as const, privilege: "Policy.Read.All", detail: "denied", service: "graph" as const } };
    const evaluation = run({ graph: graphEvidence(graphFacts({ securityDefaultsEnabled: denied, conditionalAccessPolicies: denied }), READ_AT) });
    expect(view(evaluation, "mfa-policies")).toEqual({ status: "cannot-check", source: "graph" });
    expect(item(evaluation, "mfa-policies").reason).toEqual({ key: "Failure_Graph_PermissionMissing", args: { permission: "Policy.Read.All" } });
    expect(view(evaluation, "service-account-mfa").status).toBe("cannot-check");
    expect(view(evaluation, "mfa-registration").status).toBe("met");
  });

  it("waits ten minutes after the policy that made MFA policies met changed, and says when it changes", () => {
    const recent = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ changedAt: "2026-11-27T08:55:00Z" })] } });
    const evaluation = run({ graph: graphEvidence(recent, READ_AT) });
    expect(view(evaluation, "mfa-policy-wait")).toEqual({ status: "pending", source: "derived" });
    expect(evaluation.nextChangeAt).toBe("2026-11-27T09:05:00.000Z");
  });

  it("does not start the MFA wait on a policy reading that is only a warning, even after an earlier tick", () => {
    const reportOnly = graphFacts({ conditionalAccessPolicies: { ok: true, value: [mfaPolicy({ state: "enabledForReportingButNotEnforced" })] } });
    const evaluation = run({ state: ticked(["mfa-policies"], new Date("2026-11-27T07:00:00Z")), graph: graphEvidence(reportOnly, READ_AT) });
    expect(view(evaluation, "mfa-policies")).toEqual({ status: "warning", source: "graph" });
    expect(view(evaluation, "mfa-policy-wait")).toEqual({ status: "pending", source: "derived" });
  });

  it("before the service account reaches Dataverse: a wrong licence read in Entra ID is not met; MFA of a user Entra ID lacks is pending", () => {
    const teamMembersOnly = graphFacts({
      serviceAccountLicences: {
        ok: true,
        value: [{ skuId: "8e7a3d30-d97d-43ab-837c-d7701cef83dc", skuPartNumber: "DYN365_ENTERPRISE_TEAM_MEMBERS", servicePlans: [{ servicePlanId: "6a54b05e-4fab-40e7-9828-428db3b336fa", servicePlanName: "DYN365_ENTERPRISE_TEAM_MEMBERS", provisioningStatus: "Success" }] }],
      },
    });
    const missingInDataverse = facts({ serviceAccount: { ok: true, value: null } });
    expect(view(run({ facts: missingInDataverse, graph: graphEvidence(teamMembersOnly, READ_AT) }), "service-account-licence")).toEqual({ status: "not-met", source: "graph" });
    expect(view(run({ facts: missingInDataverse }), "service-account-licence")).toEqual({ status: "pending", source: "none" });
    const nowhere = graphFacts();
    nowhere.serviceAccount.user = { ok: true, value: null };
    const evaluation = run({ facts: missingInDataverse, graph: graphEvidence(nowhere, READ_AT) });
    expect(view(evaluation, "service-account-mfa")).toEqual({ status: "pending", source: "none" });
    expect(view(evaluation, "mfa-registration")).toEqual({ status: "pending", source: "none" });
  });

  it("says the service account exists in Entra ID when Dataverse does not have it yet", () => {
    const evaluation = run({ facts: facts({ serviceAccount: { ok: true, value: null } }) });
    expect(item(evaluation, "service-account")).toMatchObject({ status: "not-met", source: "dataverse", reason: { key: "Reason_ServiceAccount_OnlyInEntra" } });
  });

  it("shows Work 365's admin consent in Entra ID beside the consent tick, which still decides", () => {
    const consented = graphFacts({ work365ServicePrincipals: { ok: true, value: [{ appId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd", displayName: "Work 365", adminConsent: true }] } });
    const evaluation = run({ facts: facts({ work365Solutions: { ok: true, value: [WORK365] } }), graph: graphEvidence(consented, READ_AT) });
    expect(view(evaluation, "consent-completed")).toEqual({ status: "needs-confirmation", source: "none" });
    expect(item(evaluation, "consent-completed").evidence.map((m) => m.key)).toContain("Graph_Consent_Granted");
  });
});

describe("Global Administrator around the consent", () => {
  const afterConsent = (consentAt: Date) =>
    ticked(["consent-completed"], consentAt, ticked(BEFORE_INSTALL_TICKS.filter((k) => !k.startsWith("global-admin"))));
  const installedFacts = facts({ work365Solutions: { ok: true, value: [WORK365] }, rolesHeld: { found: [SALES_ROLE] }, profilesHeld: { found: [{ id: "f1", name: "Work 365 Admin" }] } });
  const notActive = graphFacts({ globalAdminRole: { ok: true, value: { active: false, eligible: false, throughGroup: null } } });

  it("counts the removal as read only when the reading came after consent was confirmed", () => {
    const readAfter = run({ state: afterConsent(new Date("2026-11-27T08:00:00Z")), facts: installedFacts, graph: graphEvidence(notActive, READ_AT) });
    expect(view(readAfter, "global-admin")).toEqual({ status: "met", source: "graph" });
    const readBefore = run({ state: afterConsent(new Date("2026-11-27T08:40:00Z")), facts: installedFacts, graph: graphEvidence(notActive, READ_AT) });
    expect(view(readBefore, "global-admin")).toEqual({ status: "needs-confirmation", source: "none" });
  });

  it("warns when the role is read still active after consent", () => {
    const evaluation = run({ state: afterConsent(new Date("2026-11-27T08:00:00Z")), facts: installedFacts });
    expect(view(evaluation, "global-admin")).toEqual({ status: "warning", source: "graph" });
    expect(item(evaluation, "global-admin").reason.key).toBe("Graph_GlobalAdmin_StillActive");
  });

  it("asks for the removal only after consent: before it, that part is pending", () => {
    const removed = (e: Evaluation) => item(e, "global-admin").parts.find((p) => p.key === "global-admin/removed")!;
    expect(removed(run({ graph: null }))).toMatchObject({ status: "pending", source: "none" });
    expect(removed(run({ state: afterConsent(new Date("2026-11-27T08:40:00Z")), facts: installedFacts, graph: null }))).toMatchObject({ status: "needs-confirmation", source: "none" });
  });

  it("does not count a reading from before the current upgrade cycle", () => {
    const upgrading = changeSettings(ticked([]), { mode: "upgrade" }, new Date("2026-11-27T08:45:00Z"));
    const evaluation = run({ state: upgrading, facts: facts({ work365Solutions: { ok: true, value: [WORK365] } }) });
    expect(view(evaluation, "global-admin")).toEqual({ status: "needs-confirmation", source: "none" });
    expect(view(evaluation, "mfa-registration")).toEqual({ status: "met", source: "graph" });
  });
});

describe("the age of a reading", () => {
  it("still counts after seven days, and says it is stale", () => {
    const old = run({ graph: graphEvidence(graphFacts(), "2026-11-19T08:00:00Z") });
    expect(view(old, "service-account-mfa")).toEqual({ status: "met", source: "graph" });
    expect(old.graph).toMatchObject({ stale: true, ageDays: 8, by: { name: "Dana Admin" } });
    expect(run().graph).toMatchObject({ stale: false, ageDays: 0 });
    expect(run({ graph: null }).graph).toBeNull();
  });

  it("un-ticking after a reading takes the reading back to a person's question", () => {
    const state = setConfirmation(ticked([]), { key: "mfa-registration/service-account", confirmed: false }, ADMIN, new Date("2026-11-27T08:50:00Z"));
    const part = item(run({ state }), "mfa-registration").parts[0];
    expect(part).toMatchObject({ status: "needs-confirmation", source: "person" });
  });
});
