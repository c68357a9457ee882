/**
 * Entity set names by logical name, so dataverse-ify's WebApiBase starts with them cached and no
 * `EntityDefinitions(LogicalName='…')` round trip is added per table: the reader's own tables (kept
 * beside its queries) and Work365Setup's settings table. Checked in tests/preflight/entitySets.test.ts.
 */
import { ENTITY_SET_NAMES } from "../PrerequisiteChecklist/dataverse/queries";

export const READER_ENTITY_SETS = ENTITY_SET_NAMES;

/** Work365Setup's settings table (ours). */
export const SETUP_ENTITY_SETS: Readonly<Record<string, string>> = { w365_setup: "w365_setups" };

export const KNOWN_ENTITY_SETS: Readonly<Record<string, string>> = { ...READER_ENTITY_SETS, ...SETUP_ENTITY_SETS };
