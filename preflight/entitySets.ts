/**
 * Entity set names by logical name, so dataverse-ify's WebApiBase starts with them cached and no
 * `EntityDefinitions(LogicalName='…')` round trip is added per table. The reader's tables belong
 * beside its queries (PrerequisiteChecklist/dataverse/queries.ts); until they are exported from
 * there, they live here. `queries.metadata.test.ts`-style checking: tests/preflight/entitySets.test.ts.
 */
export const READER_ENTITY_SETS: Readonly<Record<string, string>> = {
  systemuser: "systemusers",
  role: "roles",
  fieldsecurityprofile: "fieldsecurityprofiles",
  solution: "solutions",
  organization: "organizations",
  team: "teams",
};

/** Work365Setup's settings table (ours). */
export const SETUP_ENTITY_SETS: Readonly<Record<string, string>> = { w365_setup: "w365_setups" };

export const KNOWN_ENTITY_SETS: Readonly<Record<string, string>> = { ...READER_ENTITY_SETS, ...SETUP_ENTITY_SETS };
