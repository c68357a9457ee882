"use strict";
/**
 * Licences (SKUs) and their service plans, as Microsoft publishes them in "Product names and service
 * plan identifiers for licensing":
 *   https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference
 *   (source: github.com/MicrosoftDocs/entra-docs, docs/identity/users/licensing-service-plan-reference.md,
 *   commit 067a0c7b0bb2091db6379c757c7aca0bc4f89d4a, "last updated on October 29, 2025").
 * Scenarios name a SKU by its string id (`skuPartNumber`); the emulator fills in the GUIDs and the plans.
 * Only the SKUs the scenarios use are here; each lists every plan the page lists for it, in the page's order.
 */

/** @typedef {{ servicePlanId: string, servicePlanName: string }} Plan */
/** @typedef {{ skuId: string, skuPartNumber: string, productName: string, servicePlans: Plan[] }} Sku */

const plan = (servicePlanName, servicePlanId) => ({ servicePlanId, servicePlanName });

/** Service plans that appear in more than one SKU below. */
const P = {
  AAD_PREMIUM: plan("AAD_PREMIUM", "41781fb2-bc02-4b7c-bd55-b576c07bb09d"),
  AAD_PREMIUM_P2: plan("AAD_PREMIUM_P2", "eec0eb4f-6444-4f95-aba0-50c24d67f998"),
  ADALLOM_S_DISCOVERY: plan("ADALLOM_S_DISCOVERY", "932ad362-64a8-4783-9106-97849a1a30b9"),
  EXCHANGE_S_FOUNDATION: plan("EXCHANGE_S_FOUNDATION", "113feb6c-3fe4-4440-bddc-54d774bf0318"),
  MFA_PREMIUM: plan("MFA_PREMIUM", "8a256a2b-b617-496d-b51b-e76466e88db0"),
  FLOW_DYN_APPS: plan("FLOW_DYN_APPS", "7e6d7d78-73de-46ba-83b1-6d25117334ba"),
  POWERAPPS_DYN_APPS: plan("POWERAPPS_DYN_APPS", "874fc546-6efe-4d22-90b8-5c4e7aa59f4b"),
  PROJECT_ESSENTIALS: plan("PROJECT_ESSENTIALS", "1259157c-8581-4875-bca7-2ffb18c51bda"),
  SHAREPOINTENTERPRISE: plan("SHAREPOINTENTERPRISE", "5dbe027f-2339-4123-9542-606e4d348a72"),
  SHAREPOINTWAC: plan("SHAREPOINTWAC", "e95bec33-7c88-4a70-8e19-b10bd9d0c014"),
  Power_Pages_Internal_User: plan("Power_Pages_Internal_User", "60bf28f9-2b70-4522-96f7-335f5e06c941"),
};

/** @type {Record<string, Sku>} */
const SKUS = {
  AAD_PREMIUM: {
    skuId: "078d2b04-f1bd-4111-bbd4-b4b1b354cef4",
    skuPartNumber: "AAD_PREMIUM",
    productName: "Microsoft Entra ID P1",
    servicePlans: [P.AAD_PREMIUM, P.ADALLOM_S_DISCOVERY, P.EXCHANGE_S_FOUNDATION, P.MFA_PREMIUM],
  },
  AAD_PREMIUM_P2: {
    skuId: "84a661c4-e949-4bd2-a560-ed7766fcaf2b",
    skuPartNumber: "AAD_PREMIUM_P2",
    productName: "Microsoft Entra ID P2",
    servicePlans: [P.AAD_PREMIUM, P.AAD_PREMIUM_P2, P.ADALLOM_S_DISCOVERY, P.EXCHANGE_S_FOUNDATION, P.MFA_PREMIUM],
  },
  EMS: {
    skuId: "efccb6f7-5641-4e0e-bd10-b4976e1bf68e",
    skuPartNumber: "EMS",
    productName: "Enterprise Mobility + Security E3",
    servicePlans: [
      P.AAD_PREMIUM,
      plan("RMS_S_PREMIUM", "6c57d4b6-3b23-47a5-9bc9-69f17b4947b3"),
      P.ADALLOM_S_DISCOVERY,
      P.EXCHANGE_S_FOUNDATION,
      plan("RMS_S_ENTERPRISE", "bea4c11e-220a-4e6d-8eb8-8ea15d019f90"),
      P.MFA_PREMIUM,
      plan("INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5"),
    ],
  },
  DYN365_ENTERPRISE_SALES: {
    skuId: "1e1a282c-9c54-43a2-9310-98ef728faace",
    skuPartNumber: "DYN365_ENTERPRISE_SALES",
    productName: "Dynamics 365 for Sales Enterprise Edition",
    servicePlans: [
      plan("DYN365_ENTERPRISE_SALES", "2da8e897-7791-486b-b08f-cc63c8129df7"),
      P.FLOW_DYN_APPS,
      plan("NBENTERPRISE", "03acaee3-9492-4f40-aed4-bcb6b32981b6"),
      P.POWERAPPS_DYN_APPS,
      P.PROJECT_ESSENTIALS,
      P.SHAREPOINTENTERPRISE,
      P.SHAREPOINTWAC,
    ],
  },
  DYN365_ENTERPRISE_TEAM_MEMBERS: {
    skuId: "8e7a3d30-d97d-43ab-837c-d7701cef83dc",
    skuPartNumber: "DYN365_ENTERPRISE_TEAM_MEMBERS",
    productName: "Dynamics 365 for Team Members Enterprise Edition",
    // Note: Microsoft lists a DYN365_ENTERPRISE_FIELD_SERVICE plan inside the Team Members licence.
    servicePlans: [
      plan("DYN365_ENTERPRISE_FIELD_SERVICE", "8c66ef8a-177f-4c0d-853c-d4f219331d09"),
      plan("Dynamics_365_for_Retail_Team_members", "c0454a3d-32b5-4740-b090-78c32f48f0ad"),
      plan("DYN365_Enterprise_Talent_Attract_TeamMember", "643d201a-9884-45be-962a-06ba97062e5e"),
      plan("DYN365_Enterprise_Talent_Onboard_TeamMember", "f2f49eef-4b3f-4853-809a-a055c6103fe0"),
      plan("Dynamics_365_for_Talent_Team_members", "d5156635-0704-4f66-8803-93258f8b2678"),
      plan("DYN365_ENTERPRISE_TEAM_MEMBERS", "6a54b05e-4fab-40e7-9828-428db3b336fa"),
      P.Power_Pages_Internal_User,
      plan("Dynamics_365_for_Operations_Team_members", "f5aa7b45-8a36-4cd1-bc37-5d06dea98645"),
      plan("GUIDES", "0b2c029c-dca0-454a-a336-887285d6ef07"),
      plan("MICROSOFT_REMOTE_ASSIST", "4f4c7800-298a-4e22-8867-96b17850d4dd"),
      plan("POWERAPPS_GUIDES", "816971f4-37c5-424a-b12b-b56881f402e7"),
      P.EXCHANGE_S_FOUNDATION,
      plan("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929"),
      P.SHAREPOINTWAC,
      P.PROJECT_ESSENTIALS,
      P.SHAREPOINTENTERPRISE,
      P.POWERAPPS_DYN_APPS,
      plan("POWERAPPS_DYN_TEAM", "52e619e2-2730-439a-b0d3-d09ab7e8b705"),
      P.FLOW_DYN_APPS,
      plan("FLOW_DYN_TEAM", "1ec58c70-f69c-486a-8109-4b87ce86e449"),
    ],
  },
  POWERAPPS_PER_USER: {
    skuId: "b30411f5-fea1-4a59-9ad9-3db7c7ead579",
    skuPartNumber: "POWERAPPS_PER_USER",
    productName: "Power Apps Premium",
    servicePlans: [
      P.Power_Pages_Internal_User,
      P.EXCHANGE_S_FOUNDATION,
      plan("CDSAICAPACITY_PERUSER_NEW", "74d93933-6f22-436e-9441-66d205435abb"),
      plan("DYN365_CDS_P2", "6ea4c1ef-c259-46df-bce2-943342cd3cb2"),
      plan("CDSAICAPACITY_PERUSER", "91f50f7b-2204-4803-acac-5cf5668b8b39"),
      plan("POWERAPPS_PER_USER", "ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86"),
      plan("Flow_PowerApps_PerUser", "dc789ed8-0170-4b65-a415-eb77d5bb350a"),
    ],
  },
};

/** The plans that carry Entra ID P1 and P2 features: they decide what the tenant may read (CA, reports, PIM). */
const PREMIUM_PLAN_IDS = { p1: P.AAD_PREMIUM.servicePlanId, p2: P.AAD_PREMIUM_P2.servicePlanId };

const SOURCE_URL = "https://learn.microsoft.com/en-us/entra/identity/users/licensing-service-plan-reference";

module.exports = { SKUS, PREMIUM_PLAN_IDS, SOURCE_URL };
