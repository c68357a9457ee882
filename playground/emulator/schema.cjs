"use strict";
/**
 * The tables the Dataverse emulator serves: a small, hand-kept slice of the real Web API
 * `$metadata`. tests/emulator/schema.test.ts checks every entity set, column, navigation
 * property and function here against a real metadata document (except tables marked `custom`,
 * which are ours, and names marked `onlineOnly`, which that on-premises document predates).
 *
 * Navigation kinds:
 *  - `ManyToOne`  single-valued; `column` is this table's lookup column (`_x_value`).
 *  - `OneToMany`  collection; `column` is the lookup column on the target table that points here.
 *  - `ManyToMany` collection; `relationship` names an entry of RELATIONSHIPS.
 */

/** @typedef {"Edm.Guid"|"Edm.String"|"Edm.Boolean"|"Edm.Int32"|"Edm.Int64"|"Edm.Decimal"|"Edm.DateTimeOffset"} EdmType */
/**
 * @typedef {object} NavigationSchema
 * @property {"ManyToOne"|"OneToMany"|"ManyToMany"} kind
 * @property {string} target logical name of the related table
 * @property {string} [column] lookup column (see the kinds above)
 * @property {string} [relationship] many-to-many relationship name
 */
/**
 * @typedef {object} TableSchema
 * @property {string} logicalName
 * @property {string} entitySet
 * @property {string} primaryKey
 * @property {string} primaryName column shown as a lookup's formatted value
 * @property {number} objectTypeCode
 * @property {string} displayName Dataverse's display name (used in privilege messages)
 * @property {string} readPrivilege
 * @property {string} readPrivilegeId stable made-up id (real ids differ per release; see README)
 * @property {Record<string, EdmType>} columns
 * @property {Record<string, NavigationSchema>} navigation
 * @property {Record<string, number>} [maxLength] string columns with a maximum length
 * @property {string[]} [onlineOnly] columns or navigation properties absent from the on-premises metadata
 * @property {boolean} [custom] ours, not part of Dataverse
 */

const G = "Edm.Guid";
const S = "Edm.String";
const B = "Edm.Boolean";
const I = "Edm.Int32";
const D = "Edm.DateTimeOffset";

/** @type {Record<string, TableSchema>} keyed by logical name */
const TABLES = {
  systemuser: {
    logicalName: "systemuser",
    entitySet: "systemusers",
    primaryKey: "systemuserid",
    primaryName: "fullname",
    objectTypeCode: 8,
    displayName: "User",
    readPrivilege: "prvReadUser",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a0008",
    columns: {
      systemuserid: G,
      fullname: S,
      firstname: S,
      lastname: S,
      domainname: S,
      internalemailaddress: S,
      azureactivedirectoryobjectid: G,
      isdisabled: B,
      islicensed: B,
      accessmode: I,
      applicationid: G,
      caltype: I,
      userlicensetype: I,
      isintegrationuser: B,
      createdon: D,
      modifiedon: D,
      _businessunitid_value: G,
      _createdby_value: G,
    },
    navigation: {
      businessunitid: { kind: "ManyToOne", target: "businessunit", column: "_businessunitid_value" },
      createdby: { kind: "ManyToOne", target: "systemuser", column: "_createdby_value" },
      systemuserroles_association: { kind: "ManyToMany", target: "role", relationship: "systemuserroles_association" },
      systemuserprofiles_association: { kind: "ManyToMany", target: "fieldsecurityprofile", relationship: "systemuserprofiles_association" },
      teammembership_association: { kind: "ManyToMany", target: "team", relationship: "teammembership_association" },
      lk_solution_createdby: { kind: "OneToMany", target: "solution", column: "_createdby_value" },
    },
  },
  team: {
    logicalName: "team",
    entitySet: "teams",
    primaryKey: "teamid",
    primaryName: "name",
    objectTypeCode: 9,
    displayName: "Team",
    readPrivilege: "prvReadTeam",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a0009",
    columns: {
      teamid: G,
      name: S,
      description: S,
      /** 0 Owner, 1 Access, 2 Security Group (Microsoft Entra), 3 Office Group (Microsoft Entra). */
      teamtype: I,
      isdefault: B,
      azureactivedirectoryobjectid: G,
      createdon: D,
      _businessunitid_value: G,
      _administratorid_value: G,
    },
    onlineOnly: ["azureactivedirectoryobjectid"],
    navigation: {
      businessunitid: { kind: "ManyToOne", target: "businessunit", column: "_businessunitid_value" },
      administratorid: { kind: "ManyToOne", target: "systemuser", column: "_administratorid_value" },
      teammembership_association: { kind: "ManyToMany", target: "systemuser", relationship: "teammembership_association" },
      teamroles_association: { kind: "ManyToMany", target: "role", relationship: "teamroles_association" },
      teamprofiles_association: { kind: "ManyToMany", target: "fieldsecurityprofile", relationship: "teamprofiles_association" },
    },
  },
  role: {
    logicalName: "role",
    entitySet: "roles",
    primaryKey: "roleid",
    primaryName: "name",
    objectTypeCode: 1036,
    displayName: "Security Role",
    readPrivilege: "prvReadRole",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1036",
    columns: {
      roleid: G,
      name: S,
      ismanaged: B,
      createdon: D,
      _roletemplateid_value: G,
      _businessunitid_value: G,
      _parentrootroleid_value: G,
    },
    navigation: {
      roletemplateid: { kind: "ManyToOne", target: "roletemplate", column: "_roletemplateid_value" },
      businessunitid: { kind: "ManyToOne", target: "businessunit", column: "_businessunitid_value" },
      parentrootroleid: { kind: "ManyToOne", target: "role", column: "_parentrootroleid_value" },
      systemuserroles_association: { kind: "ManyToMany", target: "systemuser", relationship: "systemuserroles_association" },
      teamroles_association: { kind: "ManyToMany", target: "team", relationship: "teamroles_association" },
    },
  },
  roletemplate: {
    logicalName: "roletemplate",
    entitySet: "roletemplates",
    primaryKey: "roletemplateid",
    primaryName: "name",
    objectTypeCode: 1037,
    displayName: "Role Template",
    readPrivilege: "prvReadRole",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1036",
    columns: { roletemplateid: G, name: S },
    navigation: {
      role_template_roles: { kind: "OneToMany", target: "role", column: "_roletemplateid_value" },
    },
  },
  fieldsecurityprofile: {
    logicalName: "fieldsecurityprofile",
    entitySet: "fieldsecurityprofiles",
    primaryKey: "fieldsecurityprofileid",
    primaryName: "name",
    objectTypeCode: 1200,
    displayName: "Field Security Profile",
    readPrivilege: "prvReadFieldSecurityProfile",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1200",
    columns: {
      fieldsecurityprofileid: G,
      name: S,
      description: S,
      ismanaged: B,
      createdon: D,
    },
    navigation: {
      systemuserprofiles_association: { kind: "ManyToMany", target: "systemuser", relationship: "systemuserprofiles_association" },
      teamprofiles_association: { kind: "ManyToMany", target: "team", relationship: "teamprofiles_association" },
    },
  },
  solution: {
    logicalName: "solution",
    entitySet: "solutions",
    primaryKey: "solutionid",
    primaryName: "friendlyname",
    objectTypeCode: 7100,
    displayName: "Solution",
    readPrivilege: "prvReadSolution",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a7100",
    columns: {
      solutionid: G,
      uniquename: S,
      friendlyname: S,
      version: S,
      description: S,
      ismanaged: B,
      isvisible: B,
      installedon: D,
      createdon: D,
      modifiedon: D,
      _createdby_value: G,
      _publisherid_value: G,
      _parentsolutionid_value: G,
    },
    navigation: {
      createdby: { kind: "ManyToOne", target: "systemuser", column: "_createdby_value" },
      publisherid: { kind: "ManyToOne", target: "publisher", column: "_publisherid_value" },
      parentsolutionid: { kind: "ManyToOne", target: "solution", column: "_parentsolutionid_value" },
      solution_parent_solution: { kind: "OneToMany", target: "solution", column: "_parentsolutionid_value" },
    },
  },
  publisher: {
    logicalName: "publisher",
    entitySet: "publishers",
    primaryKey: "publisherid",
    primaryName: "friendlyname",
    objectTypeCode: 7101,
    displayName: "Publisher",
    readPrivilege: "prvReadPublisher",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a7101",
    columns: {
      publisherid: G,
      uniquename: S,
      friendlyname: S,
      customizationprefix: S,
      createdon: D,
    },
    navigation: {
      publisher_solution: { kind: "OneToMany", target: "solution", column: "_publisherid_value" },
    },
  },
  businessunit: {
    logicalName: "businessunit",
    entitySet: "businessunits",
    primaryKey: "businessunitid",
    primaryName: "name",
    objectTypeCode: 10,
    displayName: "Business Unit",
    readPrivilege: "prvReadBusinessUnit",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a0010",
    columns: {
      businessunitid: G,
      name: S,
      isdisabled: B,
      createdon: D,
      _parentbusinessunitid_value: G,
    },
    navigation: {
      parentbusinessunitid: { kind: "ManyToOne", target: "businessunit", column: "_parentbusinessunitid_value" },
      business_unit_roles: { kind: "OneToMany", target: "role", column: "_businessunitid_value" },
      business_unit_teams: { kind: "OneToMany", target: "team", column: "_businessunitid_value" },
    },
  },
  organization: {
    logicalName: "organization",
    entitySet: "organizations",
    primaryKey: "organizationid",
    primaryName: "name",
    objectTypeCode: 1019,
    displayName: "Organization",
    readPrivilege: "prvReadOrganization",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a1019",
    columns: {
      organizationid: G,
      name: S,
      languagecode: I,
      createdon: D,
    },
    navigation: {},
  },
  usersettings: {
    logicalName: "usersettings",
    entitySet: "usersettingscollection",
    // The key is the user's own id: one row per user, found through its lookup to the user.
    primaryKey: "systemuserid",
    primaryName: "systemuserid",
    objectTypeCode: 150,
    displayName: "User Settings",
    readPrivilege: "prvReadUserSettings",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a0150",
    columns: {
      systemuserid: G,
      localeid: I,
      uilanguageid: I,
      timezonecode: I,
      createdon: D,
    },
    navigation: {
      systemuserid_systemuser: { kind: "ManyToOne", target: "systemuser", column: "systemuserid" },
    },
  },
  timezonedefinition: {
    logicalName: "timezonedefinition",
    entitySet: "timezonedefinitions",
    primaryKey: "timezonedefinitionid",
    primaryName: "userinterfacename",
    objectTypeCode: 4810,
    displayName: "Time Zone Definition",
    // Not checked against a real role: Learn lists no owner for this table (OwnershipType None).
    readPrivilege: "prvReadTimeZoneDefinition",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a4810",
    columns: {
      timezonedefinitionid: G,
      timezonecode: I,
      standardname: S,
      userinterfacename: S,
    },
    navigation: {},
  },
  asyncoperation: {
    logicalName: "asyncoperation",
    entitySet: "asyncoperations",
    primaryKey: "asyncoperationid",
    primaryName: "name",
    objectTypeCode: 4700,
    displayName: "System Job",
    readPrivilege: "prvReadAsyncOperation",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a4700",
    columns: {
      asyncoperationid: G,
      name: S,
      /** 0 Ready, 1 Suspended, 2 Locked, 3 Completed. */
      statecode: I,
      statuscode: I,
      operationtype: I,
      createdon: D,
      startedon: D,
      _owninguser_value: G,
    },
    navigation: {
      owninguser: { kind: "ManyToOne", target: "systemuser", column: "_owninguser_value" },
    },
  },
  w365_setup: {
    logicalName: "w365_setup",
    entitySet: "w365_setups",
    primaryKey: "w365_setupid",
    primaryName: "w365_name",
    objectTypeCode: 10500,
    displayName: "Work 365 Setup",
    readPrivilege: "prvReadw365_setup",
    readPrivilegeId: "e2a5e2f8-0c4d-4b8e-9a41-3f6f0f0a0500",
    custom: true,
    columns: {
      w365_setupid: G,
      w365_name: S,
      w365_serviceaccountupn: S,
      w365_checkliststate: S,
      createdon: D,
      modifiedon: D,
    },
    maxLength: { w365_name: 100, w365_serviceaccountupn: 320, w365_checkliststate: 1048576 },
    navigation: {},
  },
};

/**
 * Many-to-many relationships. Both sides use the relationship's name as navigation property.
 * Scenario files list their rows as objects keyed by the two tables' primary keys.
 * @type {Record<string, { tables: [string, string] }>}
 */
const RELATIONSHIPS = {
  systemuserroles_association: { tables: ["systemuser", "role"] },
  systemuserprofiles_association: { tables: ["systemuser", "fieldsecurityprofile"] },
  teammembership_association: { tables: ["systemuser", "team"] },
  teamroles_association: { tables: ["team", "role"] },
  teamprofiles_association: { tables: ["team", "fieldsecurityprofile"] },
};

/** Unbound functions the emulator answers (`GET /api/data/v9.2/<name>()`). */
const FUNCTIONS = ["RetrieveProvisionedLanguages", "RetrieveAvailableLanguages", "WhoAmI"];

/** @type {Record<string, TableSchema>} */
const BY_ENTITY_SET = Object.fromEntries(Object.values(TABLES).map((t) => [t.entitySet, t]));

/** @param {string} logicalName */
function table(logicalName) {
  const t = TABLES[logicalName];
  if (!t) throw new Error(`No table '${logicalName}' in the emulator schema`);
  return t;
}

/** @param {string} entitySet @returns {TableSchema | undefined} */
function tableBySet(entitySet) {
  return BY_ENTITY_SET[entitySet];
}

module.exports = { TABLES, RELATIONSHIPS, FUNCTIONS, table, tableBySet };
