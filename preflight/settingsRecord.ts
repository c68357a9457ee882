/**
 * The settings record: Work365Setup's single `w365_setup` row (or the table and column `--table` /
 * `--column` name). Its bound column keeps the checklist state: the confirmations people ticked,
 * and settings that default `--upn`, `--tier` and `--mode`. A missing table or row is not an error:
 * before Work365Setup is imported there is none.
 */
import { parseState, type ParsedState } from "../PrerequisiteChecklist/checklist/state";
import type { ReadFailure } from "../PrerequisiteChecklist/checklist/types";
import { toReadFailure } from "../PrerequisiteChecklist/dataverse/errors";
import { literal } from "../PrerequisiteChecklist/dataverse/queries";
import type { Dataverse } from "./dataverse";
import { KNOWN_ENTITY_SETS } from "./entitySets";
import { DEFAULT_TABLE } from "./options";

export interface TableInfo {
  table: string;
  column: string;
  entitySet: string;
  primaryKey: string;
}

export interface SettingsRow {
  id: string;
  /** `@odata.etag`, for `If-Match`. */
  etag: string | null;
  /** The column's value as stored. */
  raw: string | null;
  /** Work365Setup's own UPN column, which the form passes to the control as `serviceAccountUpn`. */
  formUpn: string | null;
}

export interface SettingsRecord {
  info: TableInfo;
  /** null: no row (or no such table). */
  row: SettingsRow | null;
  /** More than one row: the oldest is used. */
  several: boolean;
  stored: ParsedState;
  /** The record could not be read for another reason: the check goes on without its ticks. */
  failure?: ReadFailure;
  /** The table does not exist in this environment (Work365Setup not imported). */
  tableMissing: boolean;
}

const UPN_COLUMN = "w365_serviceaccountupn";
const EMPTY: ParsedState = parseState(null);

/** Dataverse's "no such entity set" (the table is not there): 404 with 0x80060888, or metadata's 0x80040217. */
function isMissingTable(failure: ReadFailure): boolean {
  return failure.kind === "not-found" || /Resource not found for the segment/i.test(failure.detail);
}

/**
 * Where the record lives. Work365Setup's table is known; another table's entity set and primary
 * key are read from its metadata (one request, only with `--table`).
 */
export async function tableInfo(dv: Dataverse, table: string, column: string): Promise<TableInfo> {
  const known = KNOWN_ENTITY_SETS[table];
  if (known) return { table, column, entitySet: known, primaryKey: `${table}id` };
  const answer = await dv.request("GET", `EntityDefinitions(LogicalName=${literal(table)})?$select=EntitySetName,PrimaryIdAttribute`);
  const data = answer.data as { EntitySetName?: unknown; PrimaryIdAttribute?: unknown } | null;
  if (typeof data?.EntitySetName !== "string") throw new Error(`No entity set name for ${table}`);
  return {
    table,
    column,
    entitySet: data.EntitySetName,
    primaryKey: typeof data.PrimaryIdAttribute === "string" ? data.PrimaryIdAttribute : `${table}id`,
  };
}

/** The oldest row of the table (the form's single settings record), freshly read. */
export async function readRow(dv: Dataverse, info: TableInfo): Promise<{ row: SettingsRow | null; several: boolean }> {
  const columns = [info.primaryKey, info.column, ...(info.table === DEFAULT_TABLE ? [UPN_COLUMN] : [])];
  const answer = await dv.request("GET", `${info.entitySet}?$select=${columns.join(",")}&$orderby=createdon asc&$top=2`);
  const rows = ((answer.data as { value?: unknown } | null)?.value ?? []) as Record<string, unknown>[];
  if (!Array.isArray(rows) || rows.length === 0) return { row: null, several: false };
  const first = rows[0];
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    row: {
      id: String(first[info.primaryKey] ?? "").toLowerCase(),
      etag: text(first["@odata.etag"]),
      raw: text(first[info.column]),
      formUpn: text(first[UPN_COLUMN])?.trim() || null,
    },
    several: rows.length > 1,
  };
}

/** Never rejects: a record that cannot be read leaves the check without its ticks, and says why. */
export async function readSettingsRecord(dv: Dataverse, table: string, column: string): Promise<SettingsRecord> {
  const fallback: TableInfo = { table, column, entitySet: KNOWN_ENTITY_SETS[table] ?? table, primaryKey: `${table}id` };
  try {
    const info = await tableInfo(dv, table, column);
    const { row, several } = await readRow(dv, info);
    return { info, row, several, stored: parseState(row?.raw), tableMissing: false };
  } catch (error) {
    const failure = toReadFailure(error);
    const tableMissing = isMissingTable(failure);
    return { info: fallback, row: null, several: false, stored: EMPTY, tableMissing, failure: tableMissing ? undefined : failure };
  }
}
