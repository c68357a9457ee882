import { evaluate } from "./evaluate";
import { buildReport } from "./report";
import { setConfirmation } from "./state";
import { ADMIN, WORK365, facts, graphEvidence, settings, ticked } from "./testing";

describe("buildReport", () => {
  it("gives the environment, versions, settings, check time, then every item with status, reason and who confirmed it", () => {
    let state = ticked(["service-account-mfa"]);
    state = setConfirmation(state, { key: "mfa-policies", confirmed: false }, ADMIN, new Date("2026-11-27T08:30:00Z"));
    const evaluation = evaluate({
      facts: facts({ work365Solutions: { ok: true, value: [WORK365] } }),
      confirmations: state.confirmations,
      settings: settings({ partnerTier: "direct" }),
      now: new Date("2026-11-27T09:00:00Z"),
    });
    const report = buildReport({
      evaluation,
      settings: settings({ partnerTier: "direct" }),
      environmentUrl: "https://contoso.crm.dynamics.com",
      controlVersion: "1.0.3",
      checkedAt: "2026-11-27T09:00:00Z",
      getString: (key) => `<${key}{name}{time}>`,
      formatTime: (iso) => `T(${iso})`,
    });
    const lines = report.split("\n");
    expect(lines.slice(1, 8)).toEqual([
      "<Report_Environment{name}{time}>: https://contoso.crm.dynamics.com",
      "<Report_Work365Version{name}{time}>: Work 365 4.5.0.12",
      "<Report_ControlVersion{name}{time}>: 1.0.3",
      "<Report_ServiceAccount{name}{time}>: w365serv@contoso.com",
      "<Report_PartnerTier{name}{time}>: <Tier_Direct{name}{time}>",
      "<Report_Mode{name}{time}>: <Mode_Install{name}{time}>",
      "<Report_CheckedAt{name}{time}>: T(2026-11-27T09:00:00Z)",
    ]);
    expect(report).toContain("- [<Status_Confirmed{name}{time}>] <Item_ServiceAccountMfa_Title{name}{time}>");
    expect(report).toContain("  <Part_ServiceAccountMfa{name}{time}>: <Report_PartConfirmed" + "Dana AdminT(2026-11-27T08:00:00.000Z)>");
    expect(report).toContain("  <Part_MfaPolicies{name}{time}>: <Report_PartClearedDana AdminT(2026-11-27T08:30:00.000Z)>");
    expect(lines.filter((line) => line.startsWith("- ["))).toHaveLength(18);
  });

  it("says per item whether it was read from Dataverse, read from Entra ID, confirmed by a person or worked out", () => {
    const state = ticked(["consent-completed"], new Date("2026-11-27T08:00:00Z"));
    const evaluation = evaluate({
      facts: facts({ work365Solutions: { ok: true, value: [WORK365] } }),
      confirmations: state.confirmations,
      settings: settings(),
      now: new Date("2026-11-27T09:00:00Z"),
      graph: graphEvidence(),
    });
    const report = buildReport({
      evaluation,
      settings: settings(),
      environmentUrl: "https://contoso.crm.dynamics.com",
      controlVersion: "1.0.3",
      checkedAt: "2026-11-27T09:00:00Z",
      getString: (key) => `<${key}{time}>`,
      formatTime: (iso) => `T(${iso})`,
    });
    const line = (title: string) => report.split("\n").find((l) => l.includes(`<${title}{time}>`))!;
    expect(line("Item_ServiceAccount_Title")).toMatch(/\(<Report_SourceDataverse[^>]*>\)$/);
    expect(line("Item_ServiceAccountMfa_Title")).toMatch(/\(<Report_SourceGraphT\(2026-11-27T08:30:00Z\)>\)$/);
    expect(line("Item_ConsentCompleted_Title")).toMatch(/\(<Report_SourcePerson[^>]*>\)$/);
    expect(line("Item_MfaPolicyWait_Title")).toMatch(/\(<Report_SourceDerived[^>]*>\)$/);
    expect(line("Item_PartnerCenter_Title")).not.toContain("Report_Source");
  });
});
