import {
  LICENSING_PAGE,
  ADMIN_AGENTS_GROUP_NAME,
  CONDITIONAL_ACCESS_SOURCES,
  CUSTOMER_ENGAGEMENT_SERVICE_PLANS,
  DATAVERSE_APP_ID,
  DATAVERSE_APP_SOURCE,
  ENTRA_PREMIUM_SERVICE_PLANS,
  GLOBAL_ADMINISTRATOR_ROLE_SOURCE,
  GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID,
  GRAPH_PERMISSIONS,
  MFA_METHOD_SOURCES,
  NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS,
  NOT_STRONG_MFA_METHODS,
  PARTNER_CENTER_AGENT_GROUPS,
  PARTNER_CENTER_API_APP_IDS,
  STRONG_MFA_METHODS,
  TEAM_MEMBERS_SKUS,
  classifyServicePlan,
  isStrongMfaMethod,
  type GraphReadName,
} from "./entraIds";
import { WORK365_APPLICATION_IDS } from "./catalogue";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MICROSOFT_PAGE = /^https:\/\/(learn|docs)\.microsoft\.com\//;

const planLists = { CUSTOMER_ENGAGEMENT_SERVICE_PLANS, NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS, ENTRA_PREMIUM_SERVICE_PLANS };

describe("service plans and SKUs", () => {
  it.each(Object.entries(planLists))("%s is non-empty, with lower-case GUIDs and names, from Microsoft's licensing page", (_name, plans) => {
    expect(plans.length).toBeGreaterThan(0);
    for (const plan of plans) {
      expect(plan.servicePlanId).toMatch(GUID);
      expect(plan.servicePlanName).toMatch(/^[A-Za-z0-9_]+$/);
    }
    expect(LICENSING_PAGE).toMatch(MICROSOFT_PAGE);
  });

  it("lists every plan id and every plan name once, across all lists", () => {
    const all = Object.values(planLists).flat();
    expect(new Set(all.map((plan) => plan.servicePlanId)).size).toBe(all.length);
    expect(new Set(all.map((plan) => plan.servicePlanName)).size).toBe(all.length);
  });

  it("never counts a plan both as a Customer Engagement licence and as not one", () => {
    const notCe = new Set(NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS.map((plan) => plan.servicePlanId));
    expect(CUSTOMER_ENGAGEMENT_SERVICE_PLANS.filter((plan) => notCe.has(plan.servicePlanId))).toEqual([]);
  });

  it("names the Team Members SKUs by lower-case GUID, distinct from every plan id", () => {
    expect(TEAM_MEMBERS_SKUS.length).toBeGreaterThan(0);
    const planIds = new Set(Object.values(planLists).flat().map((plan) => plan.servicePlanId));
    for (const sku of TEAM_MEMBERS_SKUS) {
      expect(sku.skuId).toMatch(GUID);
      expect(planIds.has(sku.skuId)).toBe(false);
    }
  });

  it("classifies a plan by the SKU it came with: Field Service under Team Members is not a CE licence", () => {
    const fieldService = CUSTOMER_ENGAGEMENT_SERVICE_PLANS.find((plan) => plan.servicePlanName === "DYN365_ENTERPRISE_FIELD_SERVICE");
    const teamMembersPlan = NOT_CUSTOMER_ENGAGEMENT_SERVICE_PLANS.find((plan) => plan.servicePlanName === "DYN365_ENTERPRISE_TEAM_MEMBERS");
    if (!fieldService || !teamMembersPlan) throw new Error("expected plans are missing");
    const fieldServiceSku = "c7d15985-e746-4f01-b113-20b575898250"; // Dynamics 365 for Field Service Enterprise Edition
    expect(classifyServicePlan(fieldServiceSku, fieldService.servicePlanId)).toBe("customer-engagement");
    expect(classifyServicePlan(fieldServiceSku.toUpperCase(), fieldService.servicePlanId.toUpperCase())).toBe("customer-engagement");
    expect(classifyServicePlan(TEAM_MEMBERS_SKUS[0].skuId, fieldService.servicePlanId)).toBe("not-customer-engagement");
    expect(classifyServicePlan(TEAM_MEMBERS_SKUS[0].skuId, teamMembersPlan.servicePlanId)).toBe("not-customer-engagement");
    expect(classifyServicePlan(fieldServiceSku, "113feb6c-3fe4-4440-bddc-54d774bf0318")).toBe("other"); // Exchange Foundation
  });

  it("carries Entra ID P1 and P2", () => {
    expect(ENTRA_PREMIUM_SERVICE_PLANS.map((plan) => plan.servicePlanName).sort()).toEqual(["AAD_PREMIUM", "AAD_PREMIUM_P2"]);
  });
});

describe("MFA methods", () => {
  it("has both lists non-empty, without overlap in any case or form, and Microsoft sources", () => {
    expect(STRONG_MFA_METHODS.length).toBeGreaterThan(0);
    expect(NOT_STRONG_MFA_METHODS.length).toBeGreaterThan(0);
    const strong = new Set(STRONG_MFA_METHODS.map((name) => name.toLowerCase()));
    expect(NOT_STRONG_MFA_METHODS.filter((name) => strong.has(name.toLowerCase()))).toEqual([]);
    expect(new Set(STRONG_MFA_METHODS).size).toBe(STRONG_MFA_METHODS.length);
    expect(new Set(NOT_STRONG_MFA_METHODS).size).toBe(NOT_STRONG_MFA_METHODS.length);
    for (const source of MFA_METHOD_SOURCES) expect(source).toMatch(MICROSOFT_PAGE);
  });

  it.each(STRONG_MFA_METHODS.map((name) => [name]))("counts %s as strong", (name) => {
    expect(isStrongMfaMethod(name)).toBe(true);
    expect(isStrongMfaMethod(name.toUpperCase())).toBe(true);
  });

  it.each(NOT_STRONG_MFA_METHODS.map((name) => [name]))("does not count %s", (name) => {
    expect(isStrongMfaMethod(name)).toBe(false);
  });

  it("accepts an @odata.type with or without '#' or namespace, and both forms of the brief's methods", () => {
    expect(isStrongMfaMethod("#microsoft.graph.phoneAuthenticationMethod")).toBe(true);
    expect(isStrongMfaMethod("microsoft.graph.fido2AuthenticationMethod")).toBe(true);
    expect(isStrongMfaMethod(" softwareOathAuthenticationMethod ")).toBe(true);
    expect(isStrongMfaMethod("#microsoft.graph.platformCredentialAuthenticationMethod")).toBe(true);
    expect(isStrongMfaMethod("#microsoft.graph.passwordAuthenticationMethod")).toBe(false);
    expect(isStrongMfaMethod("#Microsoft.Graph.EmailAuthenticationMethod")).toBe(false);
    expect(isStrongMfaMethod("temporaryaccesspass")).toBe(false);
    expect(isStrongMfaMethod("MICROSOFTAUTHENTICATORPUSH")).toBe(true);
  });

  it.each(["", "   ", "unknownFutureValue", "carrierPigeon", "#microsoft.graph.user", "microsoft.graph.", "#"])("does not count the unknown value %p", (name) => {
    expect(isStrongMfaMethod(name)).toBe(false);
  });
});

describe("roles, applications and Partner Center", () => {
  it("keeps the published GUIDs lower-case, each with a Microsoft source", () => {
    expect(GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID).toBe("62e90394-69f5-4237-9190-012177145e10");
    expect(DATAVERSE_APP_ID).toBe("00000007-0000-0000-c000-000000000000");
    for (const source of [GLOBAL_ADMINISTRATOR_ROLE_SOURCE, DATAVERSE_APP_SOURCE, ...CONDITIONAL_ACCESS_SOURCES]) expect(source).toMatch(MICROSOFT_PAGE);
  });

  it("lists the Partner Center API applications as lower-case GUIDs; confirmed ones cite a Microsoft page, others say why", () => {
    expect(PARTNER_CENTER_API_APP_IDS.length).toBeGreaterThan(0);
    expect(PARTNER_CENTER_API_APP_IDS.map((app) => app.id)).toContain("fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd");
    for (const app of PARTNER_CENTER_API_APP_IDS) {
      expect(app.id).toMatch(GUID);
      if (app.confirmed) expect(app.source).toMatch(MICROSOFT_PAGE);
      else expect(app.note).toMatch(/not found/i);
    }
  });

  it("has no GUID in more than one list, and does not repeat Work 365's own ids", () => {
    const ids = [
      ...Object.values(planLists).flat().map((plan) => plan.servicePlanId),
      ...TEAM_MEMBERS_SKUS.map((sku) => sku.skuId),
      ...PARTNER_CENTER_API_APP_IDS.map((app) => app.id),
      GLOBAL_ADMINISTRATOR_ROLE_TEMPLATE_ID,
      DATAVERSE_APP_ID,
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => WORK365_APPLICATION_IDS.includes(id))).toEqual([]);
  });

  it("names AdminAgents as a confirmed agent group; unconfirmed group names say so", () => {
    expect(PARTNER_CENTER_AGENT_GROUPS.find((group) => group.id === ADMIN_AGENTS_GROUP_NAME)).toMatchObject({ confirmed: true, source: expect.stringMatching(MICROSOFT_PAGE) });
    for (const group of PARTNER_CENTER_AGENT_GROUPS.filter((entry) => !entry.confirmed)) expect(group.note).toMatch(/not found/i);
  });
});

describe("GRAPH_PERMISSIONS", () => {
  const reads: GraphReadName[] = [
    "me", "organization", "users", "licenseDetails", "transitiveMemberOf", "memberOf", "userRegistrationDetails",
    "authenticationMethods", "roleAssignments", "roleEligibilityScheduleInstances", "securityDefaults",
    "conditionalAccessPolicies", "domains", "subscribedSkus", "servicePrincipals", "oauth2PermissionGrants",
    "appRoleAssignments", "transitiveMembers", "applications", "authenticationRequirements",
  ];

  it("covers every Graph read of graph-requests.md and nothing else", () => {
    expect(Object.keys(GRAPH_PERMISSIONS).sort()).toEqual([...reads].sort());
  });

  it.each(reads.map((read) => [read]))("%s names a read-only delegated permission and a Graph reference page", (read) => {
    const entry = GRAPH_PERMISSIONS[read];
    expect(entry.permission).toMatch(/^[A-Za-z]+(\.[A-Za-z]+)+$/);
    expect(entry.permission).not.toMatch(/Write/);
    expect(entry.source).toMatch(/^https:\/\/learn\.microsoft\.com\/en-us\/graph\/api\//);
    // No role list means the page names none, or it was not checked; either way the entry says which.
    if (entry.roles.length === 0 && read !== "me") expect(entry.note?.length ?? 0).toBeGreaterThan(0);
  });

  it("keeps the permissions the brief names for the MFA reads", () => {
    expect(GRAPH_PERMISSIONS.userRegistrationDetails).toMatchObject({ permission: "AuditLog.Read.All", roles: expect.arrayContaining(["Reports Reader", "Security Reader"]) });
    expect(GRAPH_PERMISSIONS.conditionalAccessPolicies).toMatchObject({ permission: "Policy.Read.All", roles: expect.arrayContaining(["Global Reader", "Conditional Access Administrator"]) });
  });
});
