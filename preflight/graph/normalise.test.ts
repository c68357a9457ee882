import { toPolicies } from "./normalise";

/** One policy row as Graph returns it, MFA for all users and all apps unless changed. */
const policy = (grantControls: Record<string, unknown>, conditions: Record<string, unknown> = {}) => ({
  id: "00000000-0000-4000-8000-0000000000c1",
  displayName: "MFA",
  state: "enabled",
  createdDateTime: "2026-11-01T00:00:00Z",
  modifiedDateTime: null,
  conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"], signInRiskLevels: [], userRiskLevels: [], ...conditions },
  grantControls,
});
const read = (grant: Record<string, unknown>, conditions?: Record<string, unknown>) => toPolicies([policy(grant, conditions)])[0];
const strength = (requirementsSatisfied: string) => ({ id: "00000000-0000-0000-0000-000000000002", displayName: "Multifactor authentication", requirementsSatisfied });

describe("Conditional Access grant controls (Learn: conditionalAccessGrantControls)", () => {
  it("require MFA with the mfa control, alone or with others under AND", () => {
    expect(read({ operator: "OR", builtInControls: ["mfa"] }).requiresMfa).toBe(true);
    expect(read({ operator: "AND", builtInControls: ["mfa", "compliantDevice"] }).requiresMfa).toBe(true);
  });

  it("do not require it when MFA is one of several ways through (OR)", () => {
    expect(read({ operator: "OR", builtInControls: ["mfa", "compliantDevice"] }).requiresMfa).toBe(false);
    expect(read({ operator: "OR", builtInControls: ["compliantDevice"], authenticationStrength: strength("mfa") }).requiresMfa).toBe(false);
    expect(read({ operator: "OR", builtInControls: ["mfa"], termsOfUse: ["00000000-0000-4000-8000-0000000000d1"] }).requiresMfa).toBe(false);
  });

  it("count an authentication strength as MFA only where requirementsSatisfied says mfa", () => {
    expect(read({ operator: "OR", builtInControls: [], authenticationStrength: strength("mfa") }).requiresMfa).toBe(true);
    expect(read({ operator: "OR", builtInControls: [], authenticationStrength: strength("none") }).requiresMfa).toBe(false);
    expect(read({ operator: "OR", builtInControls: [], authenticationStrength: strength("mfa,unknownFutureValue") }).requiresMfa).toBe(true);
    expect(read({ operator: "OR", builtInControls: [], authenticationStrength: { id: "x", displayName: "no requirements given" } }).requiresMfa).toBe(false);
  });
});

describe("conditions that narrow a policy to some sign-ins", () => {
  const mfa = { operator: "OR", builtInControls: ["mfa"] };

  it("none when only users, apps and all client apps are set, or locations include All", () => {
    expect(read(mfa).narrowedBy).toBeUndefined();
    expect(read(mfa, { locations: { includeLocations: ["All"], excludeLocations: [] }, platforms: null, devices: null, authenticationFlows: null }).narrowedBy).toBeUndefined();
  });

  it.each([
    ["locations", { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } }],
    ["locations", { locations: { includeLocations: ["00000000-0000-4000-8000-0000000000e1"], excludeLocations: [] } }],
    ["signInRiskLevels", { signInRiskLevels: ["high", "medium"] }],
    ["userRiskLevels", { userRiskLevels: ["high"] }],
    ["platforms", { platforms: { includePlatforms: ["android", "iOS"], excludePlatforms: [] } }],
    ["platforms", { platforms: { includePlatforms: ["all"], excludePlatforms: ["windows"] } }],
    ["clientAppTypes", { clientAppTypes: ["browser"] }],
    ["deviceFilter", { devices: { deviceFilter: { mode: "exclude", rule: 'device.trustType -eq "ServerAD"' } } }],
    ["authenticationFlows", { authenticationFlows: { transferMethods: "deviceCodeFlow" } }],
    ["insiderRiskLevels", { insiderRiskLevels: "elevated" }],
  ])("%s", (name, conditions) => {
    expect(read(mfa, conditions).narrowedBy).toEqual([name]);
  });
});
