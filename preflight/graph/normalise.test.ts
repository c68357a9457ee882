import { globalAdminAssignment, type Raw, toMembership, toPolicies } from "./normalise";

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

describe("globalAdminAssignment: through a role group, by its members or by the account's own groups", () => {
  const SA = "5a5a5a5a-0000-4000-8000-000000000002";
  const GROUP = "70707070-0000-4000-8000-000000000006";
  const ok = <T>(value: T) => ({ ok: true as const, value });
  const no = { ok: false as const, failure: { kind: "privilege-denied" as const, detail: "403 (test)", service: "graph" as const } };
  const assignments = ok<Raw[]>([{ id: "ra", principalId: GROUP, principal: { "@odata.type": "#microsoft.graph.group", id: GROUP, displayName: "Tenant admins" } }]);
  const role = (groupMembers: [string, typeof no | { ok: true; value: string[] }][], membership?: typeof no | { ok: true; value: string[] }) =>
    globalAdminAssignment({ assignments, account: { upn: "w365serv@contoso.com", id: SA }, groupMembers: new Map(groupMembers), membership, eligibility: ok([]) });
  const active = { ok: true, value: { active: true, throughGroup: "Tenant admins", eligible: false } };
  const inactive = { ok: true, value: { active: false, throughGroup: null, eligible: false } };

  it("the account's groups list the role group: active through it, no member read needed", () => {
    expect(role([], ok([GROUP]))).toEqual(active);
    expect(role([[GROUP, no]], ok([GROUP]))).toEqual(active);
  });

  it("a complete list of the account's groups without it: not active", () => {
    expect(role([], ok(["60606060-0000-4000-8000-000000000005"]))).toEqual(inactive);
  });

  it("the members read decide when they were read; an unread membership does not fail them", () => {
    expect(role([[GROUP, ok([SA])]], no)).toEqual(active);
    expect(role([[GROUP, ok([])]], no)).toEqual(inactive);
  });

  it("neither read: the failure is the answer; members failed: theirs", () => {
    expect(role([], no)).toEqual(no);
    expect(role([[GROUP, no]], no)).toEqual(no);
    expect(role([[GROUP, no]])).toEqual(no);
  });

  it("without a membership input, as before: only the members read decide, and an unread group is not a member", () => {
    expect(role([[GROUP, ok([SA])]])).toEqual(active);
    expect(role([])).toEqual(inactive);
  });
});

describe("transitiveMemberOf", () => {
  it("marks the roles unread when Graph gives directory roles as limited objects (no roleTemplateId)", () => {
    const full = toMembership([
      { "@odata.type": "#microsoft.graph.group", id: "G1" },
      { "@odata.type": "#microsoft.graph.directoryRole", id: "r-object", roleTemplateId: "FE930BE7-5E62-47DB-91AF-98C3A49A38B1" },
    ]);
    expect(full).toEqual({ groupIds: ["g1"], roleTemplateIds: ["fe930be7-5e62-47db-91af-98c3a49a38b1"] });
    const limited = toMembership([{ "@odata.type": "#microsoft.graph.group", id: "G1" }, { "@odata.type": "#microsoft.graph.directoryRole", id: "r-object" }]);
    expect(limited).toEqual({ groupIds: ["g1"], roleTemplateIds: [], rolesUnread: true });
  });
});
