import { CATALOGUE } from "./catalogue";
import { evaluate, type Evaluation } from "./evaluate";
import { changeSettings, setConfirmation } from "./state";
import {
  ADMIN,
  BEFORE_INSTALL_TICKS,
  SALES_ROLE,
  SERVICE_ACCOUNT,
  SYSTEM_ADMINISTRATOR,
  WORK365,
  facts,
  failure,
  settings,
  ticked,
} from "./testing";
import type { ChecklistSettings, ChecklistState, EnvironmentFacts, ItemId, Status } from "./types";

const NOW = new Date("2026-11-27T09:00:00Z");

function run(options: { facts?: EnvironmentFacts; state?: ChecklistState; settings?: Partial<ChecklistSettings>; now?: Date } = {}) {
  const state = options.state ?? ticked([]);
  return evaluate({
    facts: options.facts ?? facts(),
    confirmations: state.confirmations,
    settings: settings({ ...options.settings, ...cycleOf(state) }),
    now: options.now ?? NOW,
  });
}

const cycleOf = (state: ChecklistState): Partial<ChecklistSettings> => ({
  ...(state.settings.mode ? { mode: state.settings.mode } : {}),
  ...(state.settings.cycleStartedAt ? { cycleStartedAt: state.settings.cycleStartedAt } : {}),
});

const statusOf = (evaluation: Evaluation, id: ItemId): Status => evaluation.items.find((item) => item.id === id)!.status;
const reasonOf = (evaluation: Evaluation, id: ItemId) => evaluation.items.find((item) => item.id === id)!.reason;
const statuses = (evaluation: Evaluation) => Object.fromEntries(evaluation.items.map((item) => [item.id, item.status]));

const installed = (overrides: Partial<EnvironmentFacts> = {}) => facts({ work365Solutions: { ok: true, value: [WORK365] }, ...overrides });
const afterConsentState = () =>
  ticked(["consent-completed", "global-admin/removed"], new Date("2026-11-27T08:30:00Z"), ticked(BEFORE_INSTALL_TICKS));
const afterConsentFacts = (overrides: Partial<EnvironmentFacts> = {}) =>
  installed({
    rolesHeld: { found: [SALES_ROLE] },
    profilesHeld: { found: [{ id: "f1", name: "Work 365 Admin" }] },
    ...overrides,
  });

describe("the catalogue", () => {
  it("has every item of the prerequisite page, with stable ids", () => {
    expect(CATALOGUE.map((item) => item.id)).toEqual([
      "premium-licences",
      "mfa-policies",
      "mfa-policy-wait",
      "mfa-registration",
      "service-account",
      "service-account-licence",
      "service-account-mfa",
      "service-account-settings",
      "global-admin",
      "global-admin-licence",
      "system-administrator-role",
      "english-language",
      "partner-center",
      "system-jobs-completed",
      "work365-installed",
      "consent-completed",
      "admin-field-security-profile",
      "sales-role",
    ]);
    expect(CATALOGUE.flatMap((item) => item.parts.map((p) => p.key))).toEqual([
      "premium-licences",
      "mfa-policies",
      "mfa-registration/service-account",
      "mfa-registration/global-administrator",
      "service-account-licence/customer-engagement",
      "service-account-mfa",
      "service-account-settings/time-zone",
      "global-admin/granted",
      "global-admin/removed",
      "global-admin-licence",
      "partner-center/integration-account",
      "partner-center/admin-agent-role",
      "partner-center/integration-mfa",
      "partner-center/native-app",
      "consent-completed",
    ]);
  });
});

describe("stage", () => {
  it("is before install while Work 365 is not found", () => {
    const evaluation = run();
    expect(evaluation.stage).toBe("before-install");
    expect(evaluation.headline.key).toBe("Headline_Blocked");
  });

  it("says Ready to install when every install prerequisite holds", () => {
    const evaluation = run({ state: ticked(BEFORE_INSTALL_TICKS) });
    expect(evaluation.blockers).toEqual([]);
    expect(evaluation.headline.key).toBe("Headline_ReadyToInstall");
    expect(statuses(evaluation)).toEqual({
      "premium-licences": "confirmed",
      "mfa-policies": "confirmed",
      "mfa-policy-wait": "met",
      "mfa-registration": "confirmed",
      "service-account": "met",
      "service-account-licence": "confirmed",
      "service-account-mfa": "confirmed",
      "service-account-settings": "confirmed",
      "global-admin": "confirmed",
      "global-admin-licence": "confirmed",
      "system-administrator-role": "met",
      "english-language": "met",
      "partner-center": "not-applicable",
      "system-jobs-completed": "not-applicable",
      "work365-installed": "not-met",
      "consent-completed": "pending",
      "admin-field-security-profile": "pending",
      "sales-role": "pending",
    });
  });

  it("awaits consent once Work 365 is found, and consent is what blocks", () => {
    const evaluation = run({ facts: installed(), state: ticked(BEFORE_INSTALL_TICKS) });
    expect(evaluation.stage).toBe("awaiting-consent");
    expect(evaluation.blockers).toEqual(["consent-completed"]);
    expect(evaluation.headline).toEqual({ key: "Headline_Blocked", args: { count: 1, next: { key: "Next_Consent" } } });
    expect(statusOf(evaluation, "consent-completed")).toBe("needs-confirmation");
    expect(statusOf(evaluation, "admin-field-security-profile")).toBe("not-met");
    expect(statusOf(evaluation, "sales-role")).toBe("not-met");
  });

  it("is after consent once consent is confirmed, and Setup complete when the temporary privileges are gone", () => {
    const evaluation = run({ facts: afterConsentFacts(), state: afterConsentState() });
    expect(evaluation.stage).toBe("after-consent");
    expect(evaluation.blockers).toEqual([]);
    expect(evaluation.headline.key).toBe("Headline_SetupComplete");
    expect(evaluation.counts).toEqual({ done: 17, toDo: 0, needsYou: 0, later: 0, recommendationsOpen: 0 });
  });

  it("is unknown when the solutions cannot be read, and so is every verdict that depends on it", () => {
    const evaluation = run({
      facts: facts({ work365Solutions: { ok: false, failure: failure("privilege-denied", "prvReadSolution") } }),
      state: ticked(BEFORE_INSTALL_TICKS),
    });
    expect(evaluation.stage).toBe("unknown");
    expect(evaluation.headline.key).toBe("Headline_StageUnknown");
    expect(evaluation.stageReason).toEqual({
      key: "Reason_StageUnknown",
      args: { why: { key: "Failure_PrivilegeDenied", args: { privilege: "prvReadSolution" } } },
    });
    for (const id of ["work365-installed", "consent-completed", "global-admin", "system-administrator-role", "sales-role", "admin-field-security-profile"] as const) {
      expect([id, statusOf(evaluation, id)]).toEqual([id, "cannot-check"]);
    }
    // Facts that do not depend on the stage still stand.
    expect(statusOf(evaluation, "service-account")).toBe("met");
    expect(statusOf(evaluation, "english-language")).toBe("met");
    expect(statusOf(evaluation, "service-account-mfa")).toBe("confirmed");
  });
});

describe("summary counts", () => {
  it("counts done, to do, needs you and later, with the recommendation apart", () => {
    const evaluation = run({ facts: facts({ provisionedLanguages: { ok: true, value: [1031] }, baseLanguage: { ok: true, value: 1031 } }) });
    const all = evaluation.items.filter((item) => !item.recommendation);
    const { done, toDo, needsYou, later } = evaluation.counts;
    expect(done + toDo + needsYou + later).toBe(all.length);
    expect(evaluation.counts).toEqual({ done: 4, toDo: 2, needsYou: 7, later: 4, recommendationsOpen: 1 });
  });
});

describe("service-account", () => {
  it("is met when the user exists and is enabled, with a link to the user record", () => {
    const item = run().items.find((i) => i.id === "service-account")!;
    expect(item.status).toBe("met");
    expect(item.reason).toEqual({ key: "Reason_ServiceAccount_Found", args: { name: "Work 365 Service", upn: "w365serv@contoso.com" } });
    expect(item.action?.target).toEqual({ kind: "record", entityName: "systemuser", id: SERVICE_ACCOUNT.id });
  });
  it("is not met without a UPN, when not found, or when disabled", () => {
    expect(reasonOf(run({ settings: { serviceAccountUpn: "" } }), "service-account").key).toBe("Reason_ServiceAccount_NoUpn");
    const missing = run({ facts: facts({ serviceAccount: { ok: true, value: null } }) });
    expect(statusOf(missing, "service-account")).toBe("not-met");
    expect(reasonOf(missing, "service-account").key).toBe("Reason_ServiceAccount_NotFound");
    const disabled = run({ facts: facts({ serviceAccount: { ok: true, value: { ...SERVICE_ACCOUNT, isDisabled: true } } }) });
    expect(statusOf(disabled, "service-account")).toBe("not-met");
  });
  it("cannot be checked when the user read fails, saying which privilege is missing", () => {
    const evaluation = run({ facts: facts({ serviceAccount: { ok: false, failure: failure("privilege-denied", "prvReadUser") } }) });
    expect(statusOf(evaluation, "service-account")).toBe("cannot-check");
    expect(reasonOf(evaluation, "service-account")).toEqual({ key: "Failure_PrivilegeDenied", args: { privilege: "prvReadUser" } });
  });
  it("leaves the items that need the account pending while it is missing", () => {
    const evaluation = run({ facts: facts({ serviceAccount: { ok: true, value: null }, rolesHeld: { found: [] } }) });
    expect(statusOf(evaluation, "service-account-licence")).toBe("pending");
    expect(statusOf(evaluation, "system-administrator-role")).toBe("pending");
    expect(statusOf(evaluation, "sales-role")).toBe("pending");
  });
});

describe("service-account-licence", () => {
  it("needs a person to confirm which licence, then is confirmed", () => {
    expect(statusOf(run(), "service-account-licence")).toBe("needs-confirmation");
    expect(statusOf(run({ state: ticked(["service-account-licence/customer-engagement"]) }), "service-account-licence")).toBe("confirmed");
  });
  it("is not met when unlicensed or not read-write, whatever a person ticked", () => {
    const state = ticked(["service-account-licence/customer-engagement"]);
    const unlicensed = run({ state, facts: facts({ serviceAccount: { ok: true, value: { ...SERVICE_ACCOUNT, isLicensed: false } } }) });
    expect(statusOf(unlicensed, "service-account-licence")).toBe("not-met");
    const nonInteractive = run({ state, facts: facts({ serviceAccount: { ok: true, value: { ...SERVICE_ACCOUNT, accessMode: 4 } } }) });
    expect(statusOf(nonInteractive, "service-account-licence")).toBe("not-met");
    expect(reasonOf(nonInteractive, "service-account-licence")).toEqual({
      key: "Reason_Licence_AccessMode",
      args: { mode: { key: "AccessMode_NonInteractive" } },
    });
  });
  it("cannot be checked when the user read fails", () => {
    const evaluation = run({ facts: facts({ serviceAccount: { ok: false, failure: failure("throttled") } }) });
    expect(statusOf(evaluation, "service-account-licence")).toBe("cannot-check");
    expect(reasonOf(evaluation, "service-account-licence").key).toBe("Failure_Throttled");
  });
});

describe("confirmed-by-a-person items", () => {
  it.each(["service-account-mfa", "mfa-policies"] as const)("%s goes from needs-confirmation to confirmed and back", (id) => {
    expect(statusOf(run(), id)).toBe("needs-confirmation");
    const yes = ticked([id]);
    expect(statusOf(run({ state: yes }), id)).toBe("confirmed");
    const no = setConfirmation(yes, { key: id, confirmed: false }, ADMIN, new Date("2026-11-27T08:10:00Z"));
    expect(statusOf(run({ state: no }), id)).toBe("needs-confirmation");
  });
  it("mfa-registration needs both parts", () => {
    const one = run({ state: ticked(["mfa-registration/service-account"]) });
    expect(statusOf(one, "mfa-registration")).toBe("needs-confirmation");
    expect(reasonOf(one, "mfa-registration").args).toMatchObject({ done: 1, total: 2 });
    expect(statusOf(run({ state: ticked(["mfa-registration/service-account", "mfa-registration/global-administrator"]) }), "mfa-registration")).toBe(
      "confirmed",
    );
  });
  it("premium-licences is a recommendation: assigned, none, or unanswered, never blocking", () => {
    const assigned = run({ state: ticked(["premium-licences"]) });
    expect(statusOf(assigned, "premium-licences")).toBe("confirmed");
    const none = setConfirmation(ticked([]), { key: "premium-licences", confirmed: true, answer: "none" }, ADMIN, NOW);
    expect(statusOf(run({ state: none }), "premium-licences")).toBe("not-applicable");
    const unanswered = run({ state: ticked(BEFORE_INSTALL_TICKS.filter((key) => key !== "premium-licences")) });
    expect(statusOf(unanswered, "premium-licences")).toBe("needs-confirmation");
    expect(unanswered.blockers).toEqual([]);
    expect(unanswered.counts.recommendationsOpen).toBe(1);
  });
});

describe("mfa-policy-wait", () => {
  const confirmedAt = new Date("2026-11-27T08:55:00Z");
  it("is pending until the policies are confirmed", () => {
    expect(statusOf(run(), "mfa-policy-wait")).toBe("pending");
    expect(reasonOf(run(), "mfa-policy-wait").key).toBe("Reason_MfaPolicyWait_AfterPolicies");
  });
  it("is pending with the time it is ready, then met when that time comes", () => {
    const state = ticked(["mfa-policies"], confirmedAt);
    const waiting = run({ state, now: new Date("2026-11-27T09:00:00Z") });
    expect(statusOf(waiting, "mfa-policy-wait")).toBe("pending");
    expect(reasonOf(waiting, "mfa-policy-wait")).toEqual({ key: "Reason_MfaPolicyWait_Until", args: { time: { time: "2026-11-27T09:05:00.000Z" } } });
    expect(waiting.nextChangeAt).toBe("2026-11-27T09:05:00.000Z");
    const ready = run({ state, now: new Date("2026-11-27T09:05:00Z") });
    expect(statusOf(ready, "mfa-policy-wait")).toBe("met");
    expect(ready.nextChangeAt).toBeNull();
  });
});

describe("global-admin", () => {
  it("before consent: granted is confirmed, not granted needs confirmation", () => {
    expect(statusOf(run(), "global-admin")).toBe("needs-confirmation");
    expect(statusOf(run({ state: ticked(["global-admin/granted"]) }), "global-admin")).toBe("confirmed");
  });
  it("after consent: granted without removed is a warning; removed is confirmed; neither needs confirmation", () => {
    const consent = ["consent-completed"];
    expect(statusOf(run({ facts: afterConsentFacts(), state: ticked([...consent, "global-admin/granted"]) }), "global-admin")).toBe("warning");
    expect(statusOf(run({ facts: afterConsentFacts(), state: ticked([...consent, "global-admin/granted", "global-admin/removed"]) }), "global-admin")).toBe(
      "confirmed",
    );
    expect(statusOf(run({ facts: afterConsentFacts(), state: ticked(consent) }), "global-admin")).toBe("needs-confirmation");
  });
  it("a warning after consent keeps setup from being complete", () => {
    const evaluation = run({ facts: afterConsentFacts(), state: ticked(["consent-completed"], NOW, ticked(BEFORE_INSTALL_TICKS)) });
    expect(evaluation.blockers).toEqual(["global-admin"]);
    expect(evaluation.headline.args?.next).toEqual({ key: "Next_Complete" });
  });
});

describe("system-administrator-role", () => {
  it("before install: held is met, not held is not met", () => {
    expect(statusOf(run(), "system-administrator-role")).toBe("met");
    const notHeld = run({ facts: facts({ rolesHeld: { found: [] } }) });
    expect(statusOf(notHeld, "system-administrator-role")).toBe("not-met");
    expect(reasonOf(notHeld, "system-administrator-role").key).toBe("Reason_SystemAdministrator_NotHeld");
  });
  it("mentions first sign-in when the environment has Microsoft Entra group teams", () => {
    const evaluation = run({ facts: facts({ rolesHeld: { found: [] }, entraGroupTeamsExist: { ok: true, value: true } }) });
    expect(reasonOf(evaluation, "system-administrator-role").key).toBe("Reason_SystemAdministrator_NotHeldGroupTeams");
  });
  it("after consent: held is a warning, removed is met", () => {
    const state = afterConsentState();
    expect(statusOf(run({ facts: afterConsentFacts({ rolesHeld: { found: [SYSTEM_ADMINISTRATOR, SALES_ROLE] } }), state }), "system-administrator-role")).toBe(
      "warning",
    );
    expect(statusOf(run({ facts: afterConsentFacts(), state }), "system-administrator-role")).toBe("met");
  });
  it("is met when any successful read proves it, cannot-check only when none does and one failed", () => {
    const partly = facts({ rolesHeld: { found: [SYSTEM_ADMINISTRATOR], failure: failure("privilege-denied", "prvReadTeam") } });
    expect(statusOf(run({ facts: partly }), "system-administrator-role")).toBe("met");
    const unproved = facts({ rolesHeld: { found: [], failure: failure("privilege-denied", "prvReadTeam") } });
    expect(statusOf(run({ facts: unproved }), "system-administrator-role")).toBe("cannot-check");
    expect(reasonOf(run({ facts: unproved }), "system-administrator-role")).toEqual({
      key: "Failure_PrivilegeDenied",
      args: { privilege: "prvReadTeam" },
    });
  });
});

describe("english-language", () => {
  it("is met when 1033 is provisioned or is the base language", () => {
    expect(statusOf(run(), "english-language")).toBe("met");
    const base = facts({ provisionedLanguages: { ok: true, value: [1031] }, baseLanguage: { ok: true, value: 1033 } });
    expect(statusOf(run({ facts: base }), "english-language")).toBe("met");
    const readFailedButBase = facts({ provisionedLanguages: { ok: false, failure: failure("offline") }, baseLanguage: { ok: true, value: 1033 } });
    expect(statusOf(run({ facts: readFailedButBase }), "english-language")).toBe("met");
  });
  it("is not met when neither shows English, naming the languages found", () => {
    const evaluation = run({ facts: facts({ provisionedLanguages: { ok: true, value: [1031, 1036] }, baseLanguage: { ok: true, value: 1031 } }) });
    expect(statusOf(evaluation, "english-language")).toBe("not-met");
    expect(reasonOf(evaluation, "english-language").args).toEqual({ languages: "1031, 1036" });
  });
  it("cannot be checked when the reads fail and none proves it", () => {
    const offline = facts({ provisionedLanguages: { ok: false, failure: failure("offline") }, baseLanguage: { ok: true, value: 1031 } });
    expect(statusOf(run({ facts: offline }), "english-language")).toBe("cannot-check");
    const baseFailed = facts({ provisionedLanguages: { ok: true, value: [1031] }, baseLanguage: { ok: false, failure: failure("timeout") } });
    expect(statusOf(run({ facts: baseFailed }), "english-language")).toBe("cannot-check");
  });
});

describe("partner-center and the tiers", () => {
  const parts = ["integration-account", "admin-agent-role", "integration-mfa", "native-app"].map((p) => `partner-center/${p}`);
  it("is not applicable for 2-Tier partners", () => {
    expect(statusOf(run({ settings: { partnerTier: "indirect" } }), "partner-center")).toBe("not-applicable");
  });
  it("needs all four parts for 1-Tier (Direct Bill) partners, and blocks the install until then", () => {
    const three = run({ settings: { partnerTier: "direct" }, state: ticked([...BEFORE_INSTALL_TICKS, ...parts.slice(0, 3)]) });
    expect(statusOf(three, "partner-center")).toBe("needs-confirmation");
    expect(three.blockers).toEqual(["partner-center"]);
    const four = run({ settings: { partnerTier: "direct" }, state: ticked([...BEFORE_INSTALL_TICKS, ...parts]) });
    expect(statusOf(four, "partner-center")).toBe("confirmed");
    expect(four.headline.key).toBe("Headline_ReadyToInstall");
  });
});

describe("work365-installed", () => {
  it("is not met when absent, met with version when found", () => {
    expect(statusOf(run(), "work365-installed")).toBe("not-met");
    const evaluation = run({ facts: installed() });
    expect(statusOf(evaluation, "work365-installed")).toBe("met");
    expect(reasonOf(evaluation, "work365-installed")).toEqual({
      key: "Reason_Work365_Found",
      args: { name: "Work 365", uniqueName: "Work365", version: "4.5.0.12", installedOn: { time: "2026-11-01T10:00:00Z" } },
    });
  });
  it("warns when another user installed it, and lists other matches", () => {
    const other = { ...WORK365, createdById: "99999999-0000-0000-0000-000000000000", createdByName: "Someone Else" };
    const older = { ...WORK365, id: "x", uniqueName: "Work365Portal", friendlyName: "Work 365 Portal", version: "1.0" };
    const evaluation = run({ facts: installed({ work365Solutions: { ok: true, value: [other, older] } }) });
    const item = evaluation.items.find((i) => i.id === "work365-installed")!;
    expect(item.status).toBe("warning");
    expect(item.reason.args).toMatchObject({ installer: "Someone Else" });
    expect(item.evidence).toEqual([{ key: "Evidence_Work365_OtherMatches", args: { names: "Work 365 Portal (Work365Portal 1.0)" } }]);
  });
  it("cannot be checked when the solutions read fails", () => {
    const evaluation = run({ facts: facts({ work365Solutions: { ok: false, failure: failure("server-error") } }) });
    expect(statusOf(evaluation, "work365-installed")).toBe("cannot-check");
  });
});

describe("consent-completed", () => {
  it("is pending before install, needs confirmation once installed, confirmed with the version when ticked", () => {
    expect(statusOf(run(), "consent-completed")).toBe("pending");
    expect(statusOf(run({ facts: installed() }), "consent-completed")).toBe("needs-confirmation");
    const state = setConfirmation(ticked([]), { key: "consent-completed", confirmed: true, work365Version: "4.5.0.12" }, ADMIN, NOW);
    const evaluation = run({ facts: installed(), state });
    expect(statusOf(evaluation, "consent-completed")).toBe("confirmed");
    expect(reasonOf(evaluation, "consent-completed")).toEqual({ key: "Reason_Consent_ConfirmedVersion", args: { version: "4.5.0.12" } });
  });
  it("shows Work 365's application user as evidence", () => {
    const appUser = { id: "a", fullName: "Work 365 Application", applicationId: "e4b1a995-abe3-4350-a61c-65fccd32e8bd" };
    const evaluation = run({ facts: installed({ work365ApplicationUsers: { ok: true, value: [appUser] } }) });
    expect(evaluation.items.find((i) => i.id === "consent-completed")!.evidence).toEqual([
      { key: "Evidence_Consent_ApplicationUser", args: { name: "Work 365 Application", applicationId: appUser.applicationId } },
    ]);
  });
});

describe("admin-field-security-profile and sales-role", () => {
  it("are met when held (directly or through a team), whatever the stage", () => {
    const evaluation = run({ facts: afterConsentFacts(), state: afterConsentState() });
    expect(statusOf(evaluation, "admin-field-security-profile")).toBe("met");
    expect(statusOf(evaluation, "sales-role")).toBe("met");
  });
  it("match the configured names, case-insensitively", () => {
    const evaluation = run({
      facts: afterConsentFacts({ rolesHeld: { found: [{ ...SALES_ROLE, name: "work 365 service" }] } }),
      state: afterConsentState(),
      settings: { salesRoleName: "Work 365 Service" },
    });
    expect(statusOf(evaluation, "sales-role")).toBe("met");
  });
  it("are not met after consent when not held, naming what was looked for and the newer role name", () => {
    const evaluation = run({ facts: installed({ rolesHeld: { found: [] } }), state: afterConsentState() });
    expect(statusOf(evaluation, "sales-role")).toBe("not-met");
    expect(reasonOf(evaluation, "sales-role")).toEqual({
      key: "Reason_SalesRole_NotHeld",
      args: { name: "Work 365 Sales", newerName: "Work 365 Service" },
    });
    expect(statusOf(evaluation, "admin-field-security-profile")).toBe("not-met");
    expect(evaluation.blockers).toEqual(["admin-field-security-profile", "sales-role"]);
  });
  it("cannot be checked when the profile read failed and nothing proves it", () => {
    const evaluation = run({ facts: installed({ profilesHeld: { found: [], failure: failure("privilege-denied", "prvReadFieldSecurityProfile") } }) });
    expect(statusOf(evaluation, "admin-field-security-profile")).toBe("cannot-check");
  });
});

describe("service-account-settings", () => {
  const settingsOf = (localeId: number, timeZoneName: string | null = "(GMT-05:00) Eastern Time (US & Canada)") =>
    facts({ personalSettings: { ok: true, value: { localeId, timeZoneCode: 35, timeZoneName } } });
  const item = (evaluation: Evaluation) => evaluation.items.find((i) => i.id === "service-account-settings")!;

  it("is not met when the format is not English (United States), naming the format found", () => {
    const evaluation = run({ facts: settingsOf(2057), state: ticked(["service-account-settings/time-zone"]) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("not-met");
    expect(reasonOf(evaluation, "service-account-settings")).toEqual({ key: "Reason_Settings_Format", args: { format: "en-GB (2057)" } });
    expect(item(evaluation).action?.target).toEqual({ kind: "web", url: "https://learn.microsoft.com/power-apps/user/set-personal-options" });
  });

  it("shows the time zone for a person to confirm, then is confirmed, still showing it", () => {
    let evaluation = run({ facts: settingsOf(1033) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("needs-confirmation");
    expect(reasonOf(evaluation, "service-account-settings")).toEqual({
      key: "Reason_Settings_ConfirmTimeZone",
      args: { timeZone: "(GMT-05:00) Eastern Time (US & Canada)" },
    });
    evaluation = run({ facts: settingsOf(1033), state: ticked(["service-account-settings/time-zone"]) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("confirmed");
    expect(item(evaluation).evidence).toEqual([
      { key: "Evidence_Settings", args: { format: "en-US (1033)", timeZone: "(GMT-05:00) Eastern Time (US & Canada)" } },
    ]);
  });

  it("names the time zone by its code when the names could not be read, and a format it has no tag for by its number", () => {
    const evaluation = run({ facts: facts({ personalSettings: { ok: true, value: { localeId: 9999, timeZoneCode: 85, timeZoneName: null } } }) });
    expect(item(evaluation).evidence).toEqual([
      { key: "Evidence_Settings", args: { format: "9999", timeZone: { key: "TimeZone_Code", args: { code: 85 } } } },
    ]);
  });

  it("cannot be checked when the settings cannot be read or have no row; waits for the account", () => {
    let evaluation = run({ facts: facts({ personalSettings: { ok: false, failure: failure("privilege-denied", "prvReadUserSettings") } }) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("cannot-check");
    expect(reasonOf(evaluation, "service-account-settings")).toEqual({ key: "Failure_PrivilegeDenied", args: { privilege: "prvReadUserSettings" } });
    evaluation = run({ facts: facts({ personalSettings: { ok: true, value: null } }) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("cannot-check");
    expect(reasonOf(evaluation, "service-account-settings").key).toBe("Reason_Settings_NoRow");
    evaluation = run({ facts: facts({ serviceAccount: { ok: true, value: null }, personalSettings: { ok: true, value: null } }) });
    expect(statusOf(evaluation, "service-account-settings")).toBe("pending");
  });

  it("blocks the install until the time zone is confirmed", () => {
    const ticks = BEFORE_INSTALL_TICKS.filter((k) => k !== "service-account-settings/time-zone");
    expect(run({ state: ticked(ticks) }).blockers).toEqual(["service-account-settings"]);
  });
});

describe("global-admin-licence", () => {
  it("needs a person's confirmation without a reading; it is needed for the consent, not the install", () => {
    const ticks = BEFORE_INSTALL_TICKS.filter((k) => k !== "global-admin-licence");
    let evaluation = run({ state: ticked(ticks) });
    expect(statusOf(evaluation, "global-admin-licence")).toBe("needs-confirmation");
    expect(reasonOf(evaluation, "global-admin-licence").key).toBe("Reason_GlobalAdminLicence_Needs");
    expect(evaluation.headline.key).toBe("Headline_ReadyToInstall");
    evaluation = run({ facts: installed(), state: ticked(ticks) });
    expect(evaluation.blockers).toEqual(["global-admin-licence", "consent-completed"]);
  });
});

describe("system-jobs-completed", () => {
  const upgrade = () => changeSettings(ticked(BEFORE_INSTALL_TICKS), { mode: "upgrade" }, new Date("2026-11-27T07:00:00Z"));
  const withJobs = (systemJobs: EnvironmentFacts["systemJobs"]) => installed({ systemJobs });

  it("is not applicable in install mode", () => {
    expect(statusOf(run({ facts: withJobs(undefined) }), "system-jobs-completed")).toBe("not-applicable");
  });

  it("in an upgrade: met when none is left, a warning naming how many and the oldest otherwise", () => {
    let evaluation = run({ facts: withJobs({ ok: true, value: { count: 0, oldest: null } }), state: upgrade() });
    expect(statusOf(evaluation, "system-jobs-completed")).toBe("met");
    evaluation = run({
      facts: withJobs({ ok: true, value: { count: 3, oldest: { name: "Work 365 invoice sync", createdOn: "2026-11-20T10:00:00Z" } } }),
      state: upgrade(),
    });
    expect(statusOf(evaluation, "system-jobs-completed")).toBe("warning");
    expect(reasonOf(evaluation, "system-jobs-completed")).toEqual({
      key: "Reason_SystemJobs_InFlight",
      args: { count: 3, upn: SERVICE_ACCOUNT.domainName, name: "Work 365 invoice sync", createdOn: { time: "2026-11-20T10:00:00Z" } },
    });
    expect(evaluation.items.find((i) => i.id === "system-jobs-completed")!.action?.target).toEqual({
      kind: "environment",
      path: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=asyncoperation",
    });
    // A warning: the upgrade can go ahead.
    expect(evaluation.headline.key).toBe("Headline_ReadyToUpgrade");
  });

  it("cannot be checked on a 403 (this item alone), and answers even when the user read failed", () => {
    const denied = run({ facts: withJobs({ ok: false, failure: failure("privilege-denied", "prvReadAsyncOperation") }), state: upgrade() });
    expect(statusOf(denied, "system-jobs-completed")).toBe("cannot-check");
    expect(statusOf(denied, "service-account")).toBe("met");
    const userFailed = run({
      facts: installed({ serviceAccount: { ok: false, failure: failure("throttled") }, systemJobs: { ok: true, value: { count: 0, oldest: null } } }),
      state: upgrade(),
    });
    expect(statusOf(userFailed, "service-account")).toBe("cannot-check");
    expect(statusOf(userFailed, "system-jobs-completed")).toBe("met");
  });

  it("is pending while the facts of a check in install mode are shown", () => {
    expect(statusOf(run({ facts: withJobs(undefined), state: upgrade() }), "system-jobs-completed")).toBe("pending");
  });
});

describe("an upgrade cycle, start to end", () => {
  it("asks again for the cycle-bound confirmations, then returns to install mode", () => {
    // Installed and set up.
    let state = afterConsentState();
    let evaluation = run({ facts: afterConsentFacts(), state });
    expect(evaluation.stage).toBe("after-consent");

    // A newer Work 365 is about to be imported: the System Administrator role is granted again.
    state = changeSettings(state, { mode: "upgrade" }, new Date("2026-11-27T08:40:00Z"));
    const upgradeFacts = afterConsentFacts({ rolesHeld: { found: [SYSTEM_ADMINISTRATOR, SALES_ROLE] }, systemJobs: { ok: true, value: { count: 0, oldest: null } } });
    evaluation = run({ facts: upgradeFacts, state });
    expect(evaluation.stage).toBe("before-install");
    expect(evaluation.stageReason.key).toBe("StageReason_Upgrading");
    expect(statusOf(evaluation, "system-administrator-role")).toBe("met");
    expect(statusOf(evaluation, "global-admin")).toBe("needs-confirmation");
    expect(statusOf(evaluation, "consent-completed")).toBe("needs-confirmation");
    expect(evaluation.items.find((i) => i.id === "consent-completed")!.parts[0].outdated).toBe(true);
    expect(evaluation.blockers).toEqual(["global-admin"]);

    state = ticked(["global-admin/granted"], new Date("2026-11-27T08:45:00Z"), state);
    evaluation = run({ facts: upgradeFacts, state });
    expect(evaluation.headline.key).toBe("Headline_ReadyToUpgrade");

    // Consent after the upgrade ends the cycle.
    state = ticked(["consent-completed"], new Date("2026-11-27T08:50:00Z"), state);
    expect(state.settings.mode).toBe("install");
    evaluation = run({ facts: upgradeFacts, state });
    expect(evaluation.stage).toBe("after-consent");
    expect(statusOf(evaluation, "system-administrator-role")).toBe("warning");
    expect(statusOf(evaluation, "global-admin")).toBe("warning");

    state = ticked(["global-admin/removed"], new Date("2026-11-27T08:55:00Z"), state);
    evaluation = run({ facts: afterConsentFacts(), state });
    expect(evaluation.headline.key).toBe("Headline_SetupComplete");
  });
});
