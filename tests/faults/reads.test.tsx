/**
 * @jest-environment ./tests/faults/environment.cjs
 */
/**
 * Each fault on each read the control makes, in the real control. After each:
 *  - exactly the items the failed read is needed for are `cannot-check`, with the reason shown,
 *    and every other row has its healthy status (prerequisites.md: "A read that fails marks only
 *    the items it is needed for");
 *  - no unhandled promise rejection, no console.error (harness guards);
 *  - no confirmation lost: the stored ticks are still shown, a tick made during the fault reaches
 *    getOutputs with them;
 *  - throttling backs off a bounded number of times (and waits for Retry-After where it is seen);
 *  - "Check again" once the fault clears shows the healthy statuses.
 */
import {
  ITEM_IDS,
  MESSAGES,
  PRIVILEGE,
  RETRY_AFTER_SECONDS,
  STORED_TICKS,
  SALES_ROLE,
  ADMIN_PROFILE,
  SYSADMIN_ROLE,
  baseTenant,
  checkAgainButton,
  click,
  openForm,
  reasonOf,
  settle,
  stage,
  statuses,
  storedState,
  tickBox,
  useFaultHarness,
  type FaultKind,
  type ItemId,
  type ReadKind,
  type Row,
  type Statuses,
  type Tenant,
} from "./harness";

const harness = useFaultHarness();

// ---------------------------------------------------------------------------------------------
// The healthy environments, and what prerequisites.md says each shows.

/** Awaiting consent (see baseTenant), with the stored ticks of STORED_TICKS. */
const HEALTHY: Statuses = {
  "premium-licences": "confirmed",
  "mfa-policies": "confirmed",
  "mfa-policy-wait": "met", // policies confirmed a day ago
  "mfa-registration": "needs-confirmation", // 1 of 2 parts
  "service-account": "met",
  "service-account-licence": "confirmed", // licensed, read-write, Customer Engagement ticked
  "service-account-mfa": "confirmed",
  "service-account-settings": "needs-confirmation", // format English (United States); the time zone is for a person to confirm
  "global-admin": "confirmed", // granted, before consent
  "global-admin-licence": "needs-confirmation", // only the preflight can read it
  "system-administrator-role": "met", // held directly, expected before consent
  "english-language": "met", // 1033 provisioned
  "partner-center": "not-applicable", // 2-Tier (default)
  "system-jobs-completed": "not-applicable", // install mode
  "work365-installed": "met", // installed by the service account
  "consent-completed": "needs-confirmation",
  "admin-field-security-profile": "not-met", // Work 365 found, profile not held
  "sales-role": "not-met", // Work 365 found, role not held
};

interface Environment {
  /** Why this read is made at all. */
  why: string;
  tenant(): Tenant;
  healthy: Statuses;
  /** The items the read is needed for: `cannot-check` when it fails. */
  cannotCheck: ItemId[];
  /** The reason those rows show (default: the fault's own). */
  reason?: (fault: FaultKind) => RegExp;
  /** Stored settings (default: none, so install mode) and the stage they give (default: awaiting consent). */
  settings?: Row;
  stage?: string;
}

/** An upgrade that began before the stored ticks were given, so they still count. */
const UPGRADE = { mode: "upgrade", cycleStartedAt: "2026-11-26T07:00:00.000Z", changedAt: "2026-11-26T07:00:00.000Z" };

const stageUnknown = (why: RegExp) => new RegExp(`^The installed solutions could not be read, so the stage cannot be told: ${why.source.replace(/^\^/, "")}`);
const STAGE_DEPENDENT: ItemId[] = ["global-admin", "system-administrator-role", "work365-installed", "consent-completed", "admin-field-security-profile", "sales-role"];

const ENVIRONMENTS: Record<ReadKind, Environment> = {
  systemuser: {
    why: "round 1",
    tenant: baseTenant,
    healthy: HEALTHY,
    // The account's own rows; "not held" needs the account to exist (else: pending, waiting for it).
    // System Administrator stays met: the roles read proves it on its own.
    cannotCheck: ["service-account", "service-account-licence", "admin-field-security-profile", "sales-role"],
  },
  role: {
    why: "round 1",
    tenant: baseTenant,
    healthy: HEALTHY,
    cannotCheck: ["system-administrator-role", "sales-role"],
  },
  fieldsecurityprofile: {
    why: "round 1",
    tenant: baseTenant,
    healthy: HEALTHY,
    cannotCheck: ["admin-field-security-profile"],
  },
  solution: {
    why: "round 1",
    tenant: baseTenant,
    healthy: HEALTHY,
    // The stage is unknown: every item whose verdict depends on it (prerequisites.md, Stage).
    cannotCheck: STAGE_DEPENDENT,
  },
  languages: {
    why: "round 1 (same-origin fetch); the base language (German) cannot rescue it",
    tenant: baseTenant,
    healthy: HEALTHY,
    cannotCheck: ["english-language"],
  },
  organization: {
    why: "round 2: 1033 is not provisioned, so the base language is read",
    tenant: () => ({ ...baseTenant(), provisionedLanguages: [1031], baseLanguage: 1033 }),
    healthy: HEALTHY, // English is the base language
    cannotCheck: ["english-language"],
  },
  team: {
    why: "round 2: System Administrator is expected but not held, so Entra group teams are looked for",
    tenant: () => ({ ...baseTenant(), holdings: { "w365serv@contoso.com": { rolesDirect: [], rolesThroughTeams: [], profilesDirect: [], profilesThroughTeams: [] } } }),
    healthy: { ...HEALTHY, "system-administrator-role": "not-met" },
    // Only a hint about group teams: "not held" is proved by the roles read.
    cannotCheck: [],
  },
  "role-direct": {
    why: "round 2: the admin lacks prvReadTeam, so roles are read again, directly held only",
    tenant: () => ({
      ...baseTenant(),
      canReadTeams: false,
      holdings: { "w365serv@contoso.com": { rolesDirect: [SYSADMIN_ROLE, SALES_ROLE], rolesThroughTeams: [], profilesDirect: [ADMIN_PROFILE], profilesThroughTeams: [] } },
    }),
    healthy: { ...HEALTHY, "admin-field-security-profile": "met", "sales-role": "met" },
    cannotCheck: ["system-administrator-role", "sales-role"],
    // The first read's failure stays the reason: the missing team privilege is what would fix it.
    reason: () => /^You do not have the prvReadTeam privilege needed to read this\./,
  },
  "profile-direct": {
    why: "round 2: the admin lacks prvReadTeam, so profiles are read again, directly held only",
    tenant: () => ({
      ...baseTenant(),
      canReadTeams: false,
      holdings: { "w365serv@contoso.com": { rolesDirect: [SYSADMIN_ROLE, SALES_ROLE], rolesThroughTeams: [], profilesDirect: [ADMIN_PROFILE], profilesThroughTeams: [] } },
    }),
    healthy: { ...HEALTHY, "admin-field-security-profile": "met", "sales-role": "met" },
    cannotCheck: ["admin-field-security-profile"],
    reason: () => /^You do not have the prvReadTeam privilege needed to read this\./,
  },
  usersettings: {
    why: "round 1: the service account's format and time zone",
    tenant: baseTenant,
    healthy: HEALTHY,
    cannotCheck: ["service-account-settings"],
  },
  timezonedefinition: {
    why: "round 1: the time zones' names; without them the code is shown and nothing else changes",
    tenant: baseTenant,
    healthy: HEALTHY,
    cannotCheck: [],
  },
  asyncoperation: {
    why: "round 1 in upgrade mode: the service account's system jobs that have not completed",
    tenant: baseTenant,
    settings: UPGRADE,
    stage: "before-install",
    healthy: { ...HEALTHY, "system-jobs-completed": "met" }, // its one job has completed
    cannotCheck: ["system-jobs-completed"],
  },
};

const READS = Object.keys(ENVIRONMENTS) as ReadKind[];
const isFetch = (read: ReadKind) => read === "languages";
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The visible reason for a read that failed this way (the resx wording). */
function faultReason(fault: FaultKind, read: ReadKind): RegExp {
  switch (fault) {
    case "privilege":
      return new RegExp(`^You do not have the ${PRIVILEGE[read]} privilege needed to read this\\. Ask a System Administrator`);
    case "not-found":
      return new RegExp(`^Dynamics 365 did not find what was asked for: ${escape(MESSAGES.notFound)}`);
    case "throttle-always":
      return /^Dynamics 365 is throttling requests right now\. Wait a minute, then select Check again\./;
    case "server-error":
      // webAPI gives no HTTP status, only a code it does not know; fetch sees the 500.
      return isFetch(read)
        ? new RegExp(`^Dynamics 365 returned an error: ${escape(MESSAGES.serverError)} Select Check again`)
        : new RegExp(`^This could not be read: ${escape(MESSAGES.serverError)}`);
    case "network":
      return /^Dynamics 365 could not be reached\. Check your connection, then select Check again\./;
    case "hang":
      return /^Dynamics 365 did not answer in time\. Select Check again\./;
    default:
      throw new Error(`${fault} leaves nothing cannot-check`);
  }
}

function expectedReason(env: Environment, read: ReadKind, fault: FaultKind, item: ItemId): RegExp {
  const own = env.reason ? env.reason(fault) : faultReason(fault, read);
  return read === "solution" && item !== "work365-installed" ? stageUnknown(own) : own;
}

// ---------------------------------------------------------------------------------------------

describe("the healthy environments show what prerequisites.md says", () => {
  it.each(READS)("%s", async (read) => {
    const env = ENVIRONMENTS[read];
    const dv = harness.dataverse(env.tenant());
    openForm(dv, { value: storedState(STORED_TICKS, env.settings) });
    await settle();
    expect(statuses()).toEqual(env.healthy);
    expect(stage()).toBe(env.stage ?? "awaiting-consent");
    // The read under test is made, once.
    expect(dv.callsOf(read)).toHaveLength(1);
  });

  it("the common case reads seven things at once and nothing else", async () => {
    const dv = harness.dataverse();
    openForm(dv, { value: storedState() });
    await settle();
    expect(dv.calls.map((c) => c.kind).sort()).toEqual(["fieldsecurityprofile", "languages", "role", "solution", "systemuser", "timezonedefinition", "usersettings"]);
    expect(new Set(dv.calls.map((c) => c.startedAt)).size).toBe(1);
  });
});

const FAILURES: FaultKind[] = ["privilege", "not-found", "throttle-always", "server-error", "network", "hang"];

const cases = READS.flatMap((read) => FAILURES.map((fault) => [read, fault] as const));

describe.each(cases)("%s read: %s", (read, fault) => {
  it("marks exactly its items cannot-check with the reason, keeps every tick, recovers on Check again", async () => {
    const env = ENVIRONMENTS[read];
    const dv = harness.dataverse(env.tenant());
    dv.setFault(read, fault);
    const form = openForm(dv, { value: storedState(STORED_TICKS, env.settings) });
    await settle();

    // Exactly the items the read is needed for are cannot-check; the rest are evaluated.
    const expected = { ...env.healthy };
    for (const id of env.cannotCheck) expected[id] = "cannot-check";
    expect(statuses()).toEqual(expected);
    for (const id of env.cannotCheck) expect(reasonOf(id)).toMatch(expectedReason(env, read, fault, id));
    if (read === "solution") expect(stage()).toBe("unknown");

    // Bounded: throttling is tried 4 times (1 + 3 retries), backing off; other faults once.
    const calls = dv.callsOf(read);
    if (fault === "throttle-always") {
      expect(calls).toHaveLength(4);
      const waits = dv.waitsOf(read);
      if (isFetch(read)) expect(waits).toEqual(Array(3).fill(RETRY_AFTER_SECONDS * 1000));
      else {
        expect(waits[0]).toBeGreaterThanOrEqual(1000);
        for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThan(waits[i - 1]);
      }
    } else {
      expect(calls).toHaveLength(1);
    }

    // No confirmation lost: the stored ticks are shown, and a tick made now is kept with them.
    for (const key of Object.keys(STORED_TICKS)) expect(tickBox(key).checked).toBe(true);
    await click(tickBox("mfa-registration/global-administrator"));
    await settle();
    expect(form.notify).toHaveBeenCalledTimes(1);
    const output = form.output()!;
    expect(Object.keys(output.confirmations).sort()).toEqual([...Object.keys(STORED_TICKS), "mfa-registration/global-administrator"].sort());
    expect(output.confirmations["mfa-registration/global-administrator"]).toMatchObject({ confirmed: true, by: { name: "Dana Admin" } });
    form.adoptOutput();

    // The fault clears; Check again shows the healthy statuses (with the new tick).
    dv.clearFaults();
    await click(checkAgainButton());
    await settle();
    expect(statuses()).toEqual({ ...env.healthy, "mfa-registration": "confirmed" });
    for (const key of [...Object.keys(STORED_TICKS), "mfa-registration/global-administrator"]) expect(tickBox(key).checked).toBe(true);

    form.control.destroy();
    form.unmount();
  });
});

describe.each(READS)("%s read: throttled once, then answers", (read) => {
  it("backs off once (Retry-After where the request sees it), then shows the healthy statuses", async () => {
    const env = ENVIRONMENTS[read];
    const dv = harness.dataverse(env.tenant());
    dv.setFault(read, "throttle-once");
    const form = openForm(dv, { value: storedState(STORED_TICKS, env.settings) });
    await settle();
    expect(statuses()).toEqual(env.healthy);
    expect(dv.callsOf(read)).toHaveLength(2);
    const [wait] = dv.waitsOf(read);
    if (isFetch(read)) expect(wait).toBe(RETRY_AFTER_SECONDS * 1000);
    else expect(wait).toBeGreaterThanOrEqual(1000);
    // No other read was tried twice.
    for (const other of READS.filter((r) => r !== read)) expect(dv.callsOf(other).length).toBeLessThanOrEqual(1);
    form.control.destroy();
    form.unmount();
  });
});

// Regression (fixed in d98968b, dataverse/errors.ts): webAPI rejects with `errorCode: 0` when the
// network is down; the "network" rows of the matrix above check that it reads "Dynamics 365 could
// not be reached…", not "This could not be read: Failed to fetch".

it("covers every item id in the expectations", () => {
  for (const env of Object.values(ENVIRONMENTS)) expect(Object.keys(env.healthy).sort()).toEqual([...ITEM_IDS].sort());
});
