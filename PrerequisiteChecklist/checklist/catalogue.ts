import type { GroupId, ItemId, LinkTarget } from "./types";

/** Where an admin confirms something by hand: the stored key is `<item id>/<part id>` (or the item id alone). */
export interface ConfirmablePart {
  key: string;
  /** resx key of the checkbox label. */
  labelKey: string;
  /** Can only be answered once consent is done (Global Admin removed): pending before. */
  afterConsent?: boolean;
}

export interface CatalogueItem {
  id: ItemId;
  group: GroupId;
  /** resx key of the requirement, as the admin reads it. */
  titleKey: string;
  /** Parts a person ticks; empty for items read from Dataverse alone. */
  parts: ConfirmablePart[];
  /** Confirmations that count only in the upgrade cycle they were given in. */
  cycleBound: boolean;
  /** A recommendation: never blocks, counted apart. */
  recommendation: boolean;
  /** What the requirement means (resx key of the link text is `Help_Link`). */
  help: LinkTarget;
}

export const SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID = "627090ff-40a3-4053-8790-584edc5be201";
/** Work 365's multi-tenant application ids (US and EU), from Work 365's pages. */
export const WORK365_APPLICATION_IDS = ["e4b1a995-abe3-4350-a61c-65fccd32e8bd", "5e56ae97-9be1-40d3-938b-99ea52175a30"];
export const ENGLISH_LCID = 1033;
/** Work 365's service account page asks for the format English (United States). */
export const ENGLISH_US_FORMAT = 1033;
/** `asyncoperation.statecode`: 0 Ready, 1 Suspended, 2 Locked, 3 Completed. */
export const SYSTEM_JOB_COMPLETED = 3;
/** The page says to wait 5–10 minutes after enabling a policy; the checklist waits the longer. */
export const MFA_POLICY_WAIT_MINUTES = 10;
/** This product's own solutions, which contain "Work365" but are not Work 365. */
export const OWN_SOLUTION_NAMES = ["Work365PrerequisiteChecklist", "Work365Setup"];
export const DEFAULT_ADMIN_PROFILE_NAME = "Work 365 Admin";
export const DEFAULT_SALES_ROLE_NAME = "Work 365 Sales";
/** Newer Work 365 versions name the sales role this way. */
export const NEWER_SALES_ROLE_NAME = "Work 365 Service";

export const LINKS = {
  prerequisites: "https://help.work365apps.com/documentation/billing/prerequisites-to-installing-and-upgrading-work-365/",
  partnerCenterProvider:
    "https://help.work365apps.com/documentation/billing/work-365-providers/configuring-microsoft-partnercenter-provider/",
  mfaSetup: "https://aka.ms/mfasetup",
  microsoft365Users: "https://admin.microsoft.com/Adminportal/Home#/users",
  partnerSecurityRequirements: "https://docs.microsoft.com/en-us/partner-center/partner-security-requirements",
  partnerSecurityRequirementsFaq: "https://docs.microsoft.com/en-us/partner-center/partner-security-requirements-faq",
  securityRoles: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=role",
  fieldSecurityProfiles: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=fieldsecurityprofile",
  solutions: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=solution",
  systemJobs: "/main.aspx?settingsonly=true&pagetype=entitylist&etn=asyncoperation",
  personalOptions: "https://learn.microsoft.com/power-apps/user/set-personal-options",
  /** Online, languages are enabled per environment: Settings > Product > Languages. */
  languageSettings: "https://admin.powerplatform.microsoft.com/environments",
} as const;

const web = (url: string): LinkTarget => ({ kind: "web", url });
const prerequisitesHelp = web(LINKS.prerequisites);

const part = (key: string, labelKey: string, afterConsent = false): ConfirmablePart => (afterConsent ? { key, labelKey, afterConsent } : { key, labelKey });

/** The items of the prerequisite page, in the order the admin works through them. */
export const CATALOGUE: readonly CatalogueItem[] = [
  {
    id: "premium-licences",
    group: "prepare-tenant",
    titleKey: "Item_PremiumLicences_Title",
    parts: [part("premium-licences", "Part_PremiumLicences")],
    cycleBound: false,
    recommendation: true,
    help: prerequisitesHelp,
  },
  {
    id: "mfa-policies",
    group: "prepare-tenant",
    titleKey: "Item_MfaPolicies_Title",
    parts: [part("mfa-policies", "Part_MfaPolicies")],
    cycleBound: false,
    recommendation: false,
    help: web(LINKS.partnerSecurityRequirementsFaq),
  },
  {
    id: "mfa-policy-wait",
    group: "prepare-tenant",
    titleKey: "Item_MfaPolicyWait_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "mfa-registration",
    group: "prepare-tenant",
    titleKey: "Item_MfaRegistration_Title",
    parts: [
      part("mfa-registration/service-account", "Part_MfaRegistration_ServiceAccount"),
      part("mfa-registration/global-administrator", "Part_MfaRegistration_GlobalAdministrator"),
    ],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "service-account",
    group: "before-installing",
    titleKey: "Item_ServiceAccount_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "service-account-licence",
    group: "before-installing",
    titleKey: "Item_ServiceAccountLicence_Title",
    parts: [part("service-account-licence/customer-engagement", "Part_Licence_CustomerEngagement")],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "service-account-mfa",
    group: "before-installing",
    titleKey: "Item_ServiceAccountMfa_Title",
    parts: [part("service-account-mfa", "Part_ServiceAccountMfa")],
    cycleBound: false,
    recommendation: false,
    help: web(LINKS.mfaSetup),
  },
  {
    id: "service-account-settings",
    group: "before-installing",
    titleKey: "Item_ServiceAccountSettings_Title",
    parts: [part("service-account-settings/time-zone", "Part_ServiceAccountSettings_TimeZone")],
    cycleBound: false,
    recommendation: false,
    help: web(LINKS.personalOptions),
  },
  {
    id: "global-admin",
    group: "before-installing",
    titleKey: "Item_GlobalAdmin_Title",
    parts: [part("global-admin/granted", "Part_GlobalAdmin_Granted"), part("global-admin/removed", "Part_GlobalAdmin_Removed", true)],
    cycleBound: true,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "global-admin-licence",
    group: "before-installing",
    titleKey: "Item_GlobalAdminLicence_Title",
    parts: [part("global-admin-licence", "Part_GlobalAdminLicence")],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "system-administrator-role",
    group: "before-installing",
    titleKey: "Item_SystemAdministratorRole_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "english-language",
    group: "before-installing",
    titleKey: "Item_EnglishLanguage_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "partner-center",
    group: "before-installing",
    titleKey: "Item_PartnerCenter_Title",
    parts: [
      part("partner-center/integration-account", "Part_PartnerCenter_IntegrationAccount"),
      part("partner-center/admin-agent-role", "Part_PartnerCenter_AdminAgentRole"),
      part("partner-center/integration-mfa", "Part_PartnerCenter_IntegrationMfa"),
      part("partner-center/native-app", "Part_PartnerCenter_NativeApp"),
    ],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "system-jobs-completed",
    group: "before-installing",
    titleKey: "Item_SystemJobsCompleted_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "work365-installed",
    group: "install-and-consent",
    titleKey: "Item_Work365Installed_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "consent-completed",
    group: "install-and-consent",
    titleKey: "Item_ConsentCompleted_Title",
    parts: [part("consent-completed", "Part_ConsentCompleted")],
    cycleBound: true,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "admin-field-security-profile",
    group: "after-consent",
    titleKey: "Item_AdminFieldSecurityProfile_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
  {
    id: "sales-role",
    group: "after-consent",
    titleKey: "Item_SalesRole_Title",
    parts: [],
    cycleBound: false,
    recommendation: false,
    help: prerequisitesHelp,
  },
];

export const GROUPS: readonly { id: GroupId; titleKey: string }[] = [
  { id: "prepare-tenant", titleKey: "Group_PrepareTenant" },
  { id: "before-installing", titleKey: "Group_BeforeInstalling" },
  { id: "install-and-consent", titleKey: "Group_InstallAndConsent" },
  { id: "after-consent", titleKey: "Group_AfterConsent" },
];

export function catalogueItem(id: ItemId): CatalogueItem {
  const item = CATALOGUE.find((candidate) => candidate.id === id);
  if (!item) throw new Error(`Unknown checklist item ${id}`);
  return item;
}

/** Every key a confirmation may be stored under. */
export const CONFIRMATION_KEYS: readonly string[] = CATALOGUE.flatMap((item) => item.parts.map((p) => p.key));

/** The item a stored key belongs to (`global-admin/granted` → global-admin), if this version knows it. */
export function itemOfKey(key: string): CatalogueItem | undefined {
  return CONFIRMATION_KEYS.includes(key) ? CATALOGUE.find((item) => item.parts.some((p) => p.key === key)) : undefined;
}
