import type { ApplicationUserRow, ProfileRow, RoleRow, SolutionRow, UserRow } from "../checklist/types";

/** A raw Web API row. Parsing is lenient: a missing column becomes an empty/neutral value, never a throw. */
export type RawRow = Record<string, unknown>;

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

function str(row: RawRow, key: string): string {
  const v = row[key];
  return typeof v === "string" ? v : v == null ? "" : String(v);
}

function strOrNull(row: RawRow, key: string): string | null {
  const v = row[key];
  return typeof v === "string" && v !== "" ? v : null;
}

/** GUIDs are compared and stored lower-case without braces. */
function guidOrNull(row: RawRow, key: string): string | null {
  const v = strOrNull(row, key);
  return v === null ? null : v.replace(/[{}]/g, "").toLowerCase();
}

export function toUserRow(row: RawRow): UserRow {
  const accessMode = row.accessmode;
  return {
    id: guidOrNull(row, "systemuserid") ?? "",
    fullName: str(row, "fullname"),
    domainName: str(row, "domainname"),
    isDisabled: row.isdisabled === true,
    isLicensed: row.islicensed === true,
    // -1 when absent: not 0, so a missing value never passes as "Read-Write".
    accessMode: typeof accessMode === "number" ? accessMode : -1,
  };
}

export function toApplicationUserRow(row: RawRow): ApplicationUserRow {
  return {
    id: guidOrNull(row, "systemuserid") ?? "",
    fullName: str(row, "fullname"),
    applicationId: guidOrNull(row, "applicationid") ?? "",
  };
}

export function toRoleRow(row: RawRow): RoleRow {
  return {
    id: guidOrNull(row, "roleid") ?? "",
    name: str(row, "name"),
    roleTemplateId: guidOrNull(row, "_roletemplateid_value"),
    businessUnitId: guidOrNull(row, "_businessunitid_value"),
  };
}

export function toProfileRow(row: RawRow): ProfileRow {
  return { id: guidOrNull(row, "fieldsecurityprofileid") ?? "", name: str(row, "name") };
}

export function toSolutionRow(row: RawRow): SolutionRow {
  return {
    id: guidOrNull(row, "solutionid") ?? "",
    uniqueName: str(row, "uniquename"),
    friendlyName: str(row, "friendlyname"),
    version: str(row, "version"),
    installedOn: strOrNull(row, "installedon"),
    createdById: guidOrNull(row, "_createdby_value"),
    // Present when webAPI asks for annotations (model-driven apps do); null rather than a guess.
    createdByName: strOrNull(row, `_createdby_value${FORMATTED}`),
  };
}

/** Newest install first; solutions without an install date last. */
export function newestInstallFirst(a: SolutionRow, b: SolutionRow): number {
  const ta = a.installedOn ? Date.parse(a.installedOn) : NaN;
  const tb = b.installedOn ? Date.parse(b.installedOn) : NaN;
  if (Number.isNaN(ta) && Number.isNaN(tb)) return 0;
  if (Number.isNaN(ta)) return 1;
  if (Number.isNaN(tb)) return -1;
  return tb - ta;
}
