/**
 * `--save`: merge what Microsoft Graph said into the settings record as `evidence.graph`, with the
 * control's own stored-state rules, safely against an admin saving at the same moment: re-read,
 * merge, PATCH with `If-Match` on the row's ETag; a 412 means someone saved in between, so again.
 */
import type { GraphEvidence } from "../PrerequisiteChecklist/checklist/graph";
import { emptyState, mergeStates, parseState, serializeState } from "../PrerequisiteChecklist/checklist/state";
import { HttpError, toReadFailure } from "../PrerequisiteChecklist/dataverse/errors";
import { literal } from "../PrerequisiteChecklist/dataverse/queries";
import type { Dataverse } from "./dataverse";
import { PreflightStop } from "./errors";
import { DEFAULT_TABLE } from "./options";
import { readRow, tableInfo, type TableInfo } from "./settingsRecord";
import type { Strings } from "./strings";

export interface SaveResult {
  info: TableInfo;
  id: string;
  created: boolean;
  /** Tries it took (1 unless another admin saved in between). */
  attempts: number;
  length: number;
  maxLength: number;
}

export const MAX_SAVE_ATTEMPTS = 5;

/** The bound column's `MaxLength`, from its attribute metadata (read once, only with --save). */
async function maxLengthOf(dv: Dataverse, info: TableInfo): Promise<number> {
  const path =
    `EntityDefinitions(LogicalName=${literal(info.table)})/Attributes(LogicalName=${literal(info.column)})` +
    `/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=MaxLength`;
  const answer = await dv.request("GET", path);
  const max = (answer.data as { MaxLength?: unknown } | null)?.MaxLength;
  if (typeof max !== "number" || max <= 0) throw new Error(`No MaxLength for ${info.table}.${info.column}`);
  return max;
}

const stop = (strings: Strings, key: string, args?: Record<string, string | number>) => new PreflightStop("stored-value", strings.text(key, args));

export async function saveGraphEvidence(
  dv: Dataverse,
  table: string,
  column: string,
  evidence: GraphEvidence,
  strings: Strings,
): Promise<SaveResult> {
  const where = `${table}.${column}`;
  const failed = (error: unknown) =>
    error instanceof PreflightStop ? error : stop(strings, "Preflight_Save_Failed", { where, detail: toReadFailure(error).detail });
  try {
    const info = await tableInfo(dv, table, column);
    const maxLength = await maxLengthOf(dv, info);
    const ours = { ...emptyState(), evidence: { graph: evidence } };

    for (let attempt = 1; attempt <= MAX_SAVE_ATTEMPTS; attempt++) {
      const { row } = await readRow(dv, info);
      const stored = parseState(row?.raw);
      if (stored.kind === "not-json") throw stop(strings, "Preflight_Save_NotJson", { where });
      if (stored.kind === "newer-version") throw stop(strings, "Preflight_Save_NewerVersion", { where, version: stored.version });
      if (stored.kind === "not-a-checklist") throw stop(strings, "Preflight_Save_NotChecklist", { where });
      const value = serializeState(mergeStates(stored.state, ours));
      if (value.length > maxLength) throw stop(strings, "Preflight_Save_TooLong", { where, length: value.length, max: maxLength });

      if (!row) {
        // Work365Setup's form works on its single record; another table's record is the product's own, never made up here.
        if (info.table !== DEFAULT_TABLE) throw stop(strings, "Preflight_Save_NoRecord", { where });
        const created = await dv.request("POST", info.entitySet, {
          body: { w365_name: strings.get("Preflight_Save_RecordName"), [info.column]: value },
        });
        const id = /\(([0-9a-f-]{36})\)/i.exec(created.headers["odata-entityid"] ?? "")?.[1]?.toLowerCase() ?? "";
        return { info, id, created: true, attempts: attempt, length: value.length, maxLength };
      }
      try {
        // No ETag (a proxy stripped it): `*` still refuses to create a row that was deleted meanwhile.
        await dv.request("PATCH", `${info.entitySet}(${row.id})`, { body: { [info.column]: value }, headers: { "If-Match": row.etag ?? "*" } });
        return { info, id: row.id, created: false, attempts: attempt, length: value.length, maxLength };
      } catch (error) {
        if (error instanceof HttpError && error.status === 412) continue; // Another admin saved in between: read, merge, try again.
        throw error;
      }
    }
    throw stop(strings, "Preflight_Save_KeptChanging", { where, attempts: MAX_SAVE_ATTEMPTS });
  } catch (error) {
    throw failed(error);
  }
}
