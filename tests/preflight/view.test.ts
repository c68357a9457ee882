/** What every format is built from: the exit code, part ids, and links as addresses. */
import { evaluate } from "../../PrerequisiteChecklist/checklist/evaluate";
import { BEFORE_INSTALL_TICKS, facts, failure, settings, ticked } from "../../PrerequisiteChecklist/checklist/testing";
import type { EnvironmentFacts } from "../../PrerequisiteChecklist/checklist/types";
import type { CheckResult } from "../../preflight/check";
import { exitCodeOf, linkUrl } from "../../preflight/output/view";

const NOW = new Date("2026-11-27T09:00:00Z");

function exitCode(environment: Partial<EnvironmentFacts>, ticks: string[]): number {
  const evaluation = evaluate({ facts: facts(environment), confirmations: ticked(ticks).confirmations, settings: settings(), now: NOW });
  return exitCodeOf({ evaluation } as Pick<CheckResult, "evaluation">);
}

describe("exit codes", () => {
  it("0 when nothing blocks the next stage", () => {
    expect(exitCode({}, BEFORE_INSTALL_TICKS)).toBe(0);
  });

  it("1 when something blocks it", () => {
    expect(exitCode({ provisionedLanguages: { ok: true, value: [1031] }, baseLanguage: { ok: true, value: 1031 } }, BEFORE_INSTALL_TICKS)).toBe(1);
    expect(exitCode({}, [])).toBe(1);
  });

  it("2 when something that blocks could not be checked, even beside a plain blocker", () => {
    expect(exitCode({ rolesHeld: { found: [], failure: failure("privilege-denied", "prvReadRole") } }, BEFORE_INSTALL_TICKS)).toBe(2);
    expect(exitCode({ rolesHeld: { found: [], failure: failure("privilege-denied", "prvReadRole") } }, [])).toBe(2);
  });

  it("2 when the stage cannot be told", () => {
    expect(exitCode({ work365Solutions: { ok: false, failure: failure("throttled") } }, BEFORE_INSTALL_TICKS)).toBe(2);
  });
});

describe("links", () => {
  const environment = "https://contoso.crm.dynamics.com";
  it("a record becomes its form in the environment; a path is under the environment; the web stays as it is", () => {
    expect(linkUrl({ kind: "record", entityName: "systemuser", id: "11111111-0000-4000-8000-000000000002" }, environment)).toBe(
      "https://contoso.crm.dynamics.com/main.aspx?pagetype=entityrecord&etn=systemuser&id=11111111-0000-4000-8000-000000000002",
    );
    expect(linkUrl({ kind: "environment", path: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=role" }, environment)).toBe(
      "https://contoso.crm.dynamics.com/main.aspx?settingsonly=true&pagetype=entitylist&etn=role",
    );
    expect(linkUrl({ kind: "web", url: "https://aka.ms/mfasetup" }, environment)).toBe("https://aka.ms/mfasetup");
  });
});
