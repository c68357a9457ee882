/**
 * Every OData string the reader sends, in one place. `queries.metadata.test.ts` parses the strings
 * the reader actually sends and checks each name against a real `$metadata` document.
 *
 * `context.webAPI.retrieveMultipleRecords` takes the entity LOGICAL name and options starting with `?`.
 */

import { OWN_SOLUTION_NAMES, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID, SYSTEM_JOB_COMPLETED, WORK365_APPLICATION_IDS } from "../checklist/catalogue";

/** `team.teamtype`: 0 Owner, 1 Access, 2 Microsoft Entra security group, 3 Microsoft Entra Office group. */
export const TEAM_TYPE_ENTRA_SECURITY_GROUP = 2;
export const TEAM_TYPE_ENTRA_OFFICE_GROUP = 3;

/** Unbound function, called through `getJson` because `webAPI` cannot call functions. */
export const PROVISIONED_LANGUAGES_FUNCTION = "RetrieveProvisionedLanguages()";

export interface Query {
  /** Entity logical name, e.g. `systemuser`. */
  entity: string;
  /** Query options starting with `?`. */
  options: string;
}

/**
 * An OData string literal: quotes doubled (OData's escape), then the contents percent-encoded so
 * that `#`, `&`, `+` and non-ASCII survive the URL (webAPI appends the options as they are).
 */
export function literal(value: string): string {
  return `'${encodeURIComponent(value.replace(/'/g, "''"))}'`;
}

/** Whether a principal's roles/profiles are looked for directly and through teams, or directly only. */
export type HeldScope = "direct-or-team" | "direct";

/** The service account (when a UPN is set) and Work 365's application users, in one request. */
export function usersQuery(upn: string): Query {
  const apps = WORK365_APPLICATION_IDS.map((id) => `applicationid eq ${id}`);
  const filter = upn ? [`domainname eq ${literal(upn)}`, ...apps].join(" or ") : apps.join(" or ");
  return {
    entity: "systemuser",
    options: `?$select=systemuserid,fullname,domainname,isdisabled,islicensed,accessmode,applicationid&$filter=${filter}`,
  };
}

/**
 * A lambda over the principal's direct association, or through its teams' memberships.
 * The team variant needs prvReadTeam; the direct one does not, hence the narrower retry.
 */
function heldBy(directNav: string, teamNav: string, upn: string, scope: HeldScope): string {
  const direct = `${directNav}/any(u:u/domainname eq ${literal(upn)})`;
  if (scope === "direct") return direct;
  return `(${direct} or ${teamNav}/any(t:t/teammembership_association/any(m:m/domainname eq ${literal(upn)})))`;
}

/** Only the roles the checklist looks for: System Administrator (by template) and the sales role (by name). */
export function rolesQuery(upn: string, salesRoleName: string, scope: HeldScope): Query {
  return {
    entity: "role",
    options:
      `?$select=roleid,name,_roletemplateid_value,_businessunitid_value` +
      `&$filter=(_roletemplateid_value eq ${SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID} or name eq ${literal(salesRoleName)})` +
      ` and ${heldBy("systemuserroles_association", "teamroles_association", upn, scope)}`,
  };
}

export function profilesQuery(upn: string, profileName: string, scope: HeldScope): Query {
  return {
    entity: "fieldsecurityprofile",
    options:
      `?$select=fieldsecurityprofileid,name` +
      `&$filter=name eq ${literal(profileName)}` +
      ` and ${heldBy("systemuserprofiles_association", "teamprofiles_association", upn, scope)}`,
  };
}

/**
 * Work 365 by unique name, or by name search. Patches (a parent solution) are not Work 365 itself;
 * hidden solutions (`isvisible` false) are system internals. Newest install is chosen in code.
 */
export function solutionsQuery(uniqueName: string): Query {
  const byName = uniqueName
    ? `uniquename eq ${literal(uniqueName)}`
    : `(contains(uniquename,${literal("work365")}) or contains(friendlyname,${literal("work365")}) or contains(friendlyname,${literal("work 365")}))` +
      OWN_SOLUTION_NAMES.map((n) => ` and uniquename ne ${literal(n)}`).join("");
  return {
    entity: "solution",
    options:
      `?$select=solutionid,uniquename,friendlyname,version,installedon,_createdby_value` +
      `&$filter=${byName} and _parentsolutionid_value eq null and isvisible eq true`,
  };
}

/**
 * The service account's format and time zone, found through the settings row's lookup to its user,
 * so it starts with round 1. Not an `$expand` of the user read (the metadata allows
 * `user_settings`): a missing prvReadUserSettings would then fail the user read and hide whether
 * the account exists.
 */
export function personalSettingsQuery(upn: string): Query {
  return {
    entity: "usersettings",
    options: `?$select=systemuserid,localeid,timezonecode&$filter=systemuserid_systemuser/domainname eq ${literal(upn)}`,
  };
}

/** Every time zone's name (about 140 rows): the settings row has only the code, and no lookup to its definition. */
export const timeZonesQuery: Query = { entity: "timezonedefinition", options: "?$select=timezonecode,userinterfacename" };

/** System jobs the service account owns that have not completed (waiting, in progress, suspended), oldest first. */
export function systemJobsQuery(upn: string): Query {
  return {
    entity: "asyncoperation",
    options:
      `?$select=asyncoperationid,name,createdon` +
      `&$filter=statecode ne ${SYSTEM_JOB_COMPLETED} and owninguser/domainname eq ${literal(upn)}` +
      `&$orderby=createdon asc`,
  };
}

/** The base language, read only when the provisioned languages do not prove English. */
export const baseLanguageQuery: Query = { entity: "organization", options: "?$select=languagecode" };

/** Whether any Microsoft Entra group team exists; one row is enough. */
export const entraGroupTeamsQuery: Query = {
  entity: "team",
  options: `?$select=teamid&$filter=teamtype eq ${TEAM_TYPE_ENTRA_SECURITY_GROUP} or teamtype eq ${TEAM_TYPE_ENTRA_OFFICE_GROUP}&$top=1`,
};

/** The query part (`?…`) of an `@odata.nextLink`, which `retrieveMultipleRecords` takes as options. */
export function nextLinkOptions(nextLink: string): string | null {
  const at = nextLink.indexOf("?");
  return at < 0 ? null : nextLink.slice(at);
}

/** Entity set names of the tables the reader queries: a Node transport seeds them, so it never looks them up. */
export const ENTITY_SET_NAMES: Readonly<Record<string, string>> = {
  systemuser: "systemusers",
  role: "roles",
  fieldsecurityprofile: "fieldsecurityprofiles",
  solution: "solutions",
  organization: "organizations",
  team: "teams",
  usersettings: "usersettingscollection",
  timezonedefinition: "timezonedefinitions",
  asyncoperation: "asyncoperations",
};
