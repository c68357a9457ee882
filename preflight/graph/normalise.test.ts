import { globalAdminAssignment, inAdminAgents, licencesFromAssignments, type Raw, ShapeError, toMembership, toPolicies } from "./normalise";

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

describe("licencesFromAssignments: an app-only sign-in's licences (assignedLicenses, assignedPlans, subscribedSkus)", () => {
  const SALES = "1e1a282c-9c54-43a2-9310-98ef728faace";
  const SALES_PLAN = "2da8e897-7791-486b-b08f-cc63c8129df7";
  const FLOW_PLAN = "7e6d7d78-73de-46ba-83b1-6d25117334ba";
  const skus: Raw[] = [
    {
      skuId: SALES.toUpperCase(),
      skuPartNumber: "DYN365_ENTERPRISE_SALES",
      servicePlans: [
        { servicePlanId: SALES_PLAN, servicePlanName: "DYN365_ENTERPRISE_SALES", appliesTo: "User" },
        { servicePlanId: FLOW_PLAN, servicePlanName: "FLOW_DYN_APPS", appliesTo: "User" },
      ],
    },
  ];
  const user = (plans: Raw[], disabledPlans: string[] = []): Raw => ({ assignedLicenses: [{ skuId: SALES, disabledPlans }], assignedPlans: plans });
  const states = (u: Raw) => Object.fromEntries(licencesFromAssignments(u, skus)[0].servicePlans.map((p) => [p.servicePlanName, p.provisioningStatus]));

  it("names the SKU and its plans from the tenant's subscriptions; a working plan reads as Success", () => {
    const [licence] = licencesFromAssignments(user([{ servicePlanId: SALES_PLAN, capabilityStatus: "Enabled" }, { servicePlanId: FLOW_PLAN, capabilityStatus: "Warning" }]), skus);
    expect(licence).toEqual({
      skuId: SALES,
      skuPartNumber: "DYN365_ENTERPRISE_SALES",
      servicePlans: [
        { servicePlanId: SALES_PLAN, servicePlanName: "DYN365_ENTERPRISE_SALES", provisioningStatus: "Success" },
        { servicePlanId: FLOW_PLAN, servicePlanName: "FLOW_DYN_APPS", provisioningStatus: "Success" },
      ],
    });
  });

  it("a disabled plan is Disabled, a suspended one keeps its state, one not in assignedPlans is NotAssigned", () => {
    expect(states(user([{ servicePlanId: FLOW_PLAN, capabilityStatus: "Enabled" }], [SALES_PLAN]))).toEqual({ DYN365_ENTERPRISE_SALES: "Disabled", FLOW_DYN_APPS: "Success" });
    expect(states(user([{ servicePlanId: SALES_PLAN, capabilityStatus: "Suspended" }]))).toEqual({ DYN365_ENTERPRISE_SALES: "Suspended", FLOW_DYN_APPS: "NotAssigned" });
  });

  it("a plan assigned twice: the working assignment wins", () => {
    const plans = [{ servicePlanId: SALES_PLAN, capabilityStatus: "Enabled" }, { servicePlanId: SALES_PLAN, capabilityStatus: "Deleted" }];
    expect(states(user(plans)).DYN365_ENTERPRISE_SALES).toBe("Success");
  });

  it("a user read without the assignments, or a licence the tenant does not list, is a shape error (the fact fails, nothing is guessed)", () => {
    expect(() => licencesFromAssignments({ id: "u1" }, skus)).toThrow(ShapeError);
    expect(() => licencesFromAssignments({ assignedLicenses: [{ skuId: "00000000-0000-0000-0000-000000000001" }], assignedPlans: [] }, skus)).toThrow(ShapeError);
  });
});

describe("inAdminAgents", () => {
  const group = (displayName?: string): Raw => ({ "@odata.type": "#microsoft.graph.group", id: "g1", ...(displayName === undefined ? {} : { displayName }) });

  it("finds AdminAgents by name", () => {
    expect(inAdminAgents([group("SalesAgents"), group("AdminAgents")])).toEqual({ ok: true, value: true });
    expect(inAdminAgents([group("SalesAgents")])).toEqual({ ok: true, value: false });
  });

  it("groups given as limited objects (no name) cannot prove 'not in it': the permission that shows names is named", () => {
    expect(inAdminAgents([group("SalesAgents"), group()])).toMatchObject({ ok: false, failure: { kind: "privilege-denied", privilege: "GroupMember.Read.All" } });
    // A named AdminAgents still answers, whatever else is limited.
    expect(inAdminAgents([group(), group("AdminAgents")])).toEqual({ ok: true, value: true });
  });
});
