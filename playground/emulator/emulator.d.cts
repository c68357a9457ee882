/**
 * Types for emulator.cjs (plain CommonJS so Node, jest and Playwright load it without a build).
 * Keep in step with the JSDoc there.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export type EdmType =
  | "Edm.Guid"
  | "Edm.String"
  | "Edm.Boolean"
  | "Edm.Int32"
  | "Edm.Int64"
  | "Edm.Decimal"
  | "Edm.DateTimeOffset";

export interface NavigationSchema {
  kind: "ManyToOne" | "OneToMany" | "ManyToMany";
  target: string;
  column?: string;
  relationship?: string;
}

export interface TableSchema {
  logicalName: string;
  entitySet: string;
  primaryKey: string;
  primaryName: string;
  objectTypeCode: number;
  displayName: string;
  readPrivilege: string;
  readPrivilegeId: string;
  columns: Record<string, EdmType>;
  navigation: Record<string, NavigationSchema>;
  maxLength?: Record<string, number>;
  onlineOnly?: string[];
  custom?: boolean;
}

export type FaultKind = "privilege" | "not-found" | "throttle" | "server-error" | "error" | "drop" | "hang" | "delay";

export interface FaultSpec {
  kind?: FaultKind;
  /** 403 privilege, 404 not-found, 429 throttle, 500 server-error; other statuses: a generic error. */
  status?: number | string;
  /** Fault only the first N requests, counted per entity set / function (also for "*"). */
  times?: number;
  retryAfter?: number;
  code?: string;
  message?: string;
  privilege?: string;
  ms?: number;
}

/** Keys: an entity set (`roles`), a function (`RetrieveProvisionedLanguages`) or `*`. */
export type Faults = Record<string, FaultSpec | number | string>;

/** The control's status and stage words: a scenario's expectations use exactly these. */
export type { Source, Stage, Status } from "../../PrerequisiteChecklist/checklist/types";
import type { Source, Stage, Status } from "../../PrerequisiteChecklist/checklist/types";

export interface Scenario {
  name: string;
  title: string;
  description: string;
  order?: number;
  admin: { id: string; name: string };
  record: { id: string; name?: string; serviceAccountUpn?: string | null; checklistState?: unknown };
  data: Record<string, Record<string, unknown>[]>;
  provisionedLanguages: number[];
  availableLanguages?: number[];
  associations: Record<string, Record<string, string>[]>;
  faults?: Faults;
  expected?: { stage: Stage; items: Record<string, Status> };
  /** Where each item's answer comes from, for scenarios that carry the preflight's Graph reading. */
  expectedSources?: Record<string, Source>;
}

export interface ScenarioSummary {
  name: string;
  title: string;
  description: string;
  admin: { id: string; name: string };
  record: Scenario["record"] & { entitySet: "w365_setups"; logicalName: "w365_setup" };
  expected: Scenario["expected"] | null;
  faults: Record<string, FaultSpec>;
  latencyMs: number;
}

export interface Store {
  tables: Map<string, Map<string, Record<string, unknown>>>;
  links: Map<string, Record<string, string>[]>;
  provisionedLanguages: number[];
  availableLanguages: number[];
  rows(entity: string): Record<string, unknown>[];
  get(entity: string, id: string | null | undefined): Record<string, unknown> | undefined;
  put(entity: string, row: Record<string, unknown>): Record<string, unknown>;
  patch(entity: string, id: string, changes: Record<string, unknown>): Record<string, unknown>;
  remove(entity: string, id: string): boolean;
  link(relationship: string, pair: Record<string, string>): void;
  lookup(entity: string, row: Record<string, unknown>, navName: string): Record<string, unknown> | null;
  related(entity: string, row: Record<string, unknown>, navName: string): Record<string, unknown>[];
  version(entity: string, id: string): number;
}

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  url: string;
  /** Decoded path and query. */
  path: string;
  /** Entity set or function name. */
  target?: string;
  status: number | "dropped" | "held" | null;
  fault?: FaultKind;
  error?: string;
  ms?: number;
}

export interface EmulatorOptions {
  /** Scenario name (file name without .json under playground/scenarios) or scenario data. Default: ready-to-install. */
  scenario?: string | Partial<Scenario>;
  latencyMs?: number;
  scenariosDir?: string;
  /** Replaces the scenario's faults. */
  faults?: Faults;
  now?: () => Date;
  /** false: writes of the settings row skip the Dataverse plug-in (ChecklistStatePlugin). Default: they go through it. */
  plugin?: boolean;
}

/** One run of the plug-in on a write of the settings row. */
export interface PluginRun {
  at: string;
  message: "Create" | "Update";
  id: string;
  /** done: the write went on with the plug-in's value; refused: 400 with its message; failed: 500. */
  outcome: "done" | "refused" | "failed";
  /** What the plug-in traced (ITracingService). */
  trace: string[];
}

export interface Emulator {
  /** Answers `/api/data/v9.x/...` and `/_emulator/...`; resolves false (untouched) for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  setScenario(nameOrData: string | Partial<Scenario>): ScenarioSummary;
  setFaults(faults: Faults): Record<string, FaultSpec>;
  setLatency(ms: number): void;
  /** Reload the scenario, its faults and the initial latency; clear the request log. */
  reset(): void;
  /** Destroy the sockets of requests held by a "hang" fault. */
  releaseHeld(): void;
  readonly store: Store;
  readonly scenario: ScenarioSummary;
  readonly requests: RequestLogEntry[];
  readonly pluginRuns: PluginRun[];
  /** Stops the plug-in's host process (a standalone server's close does). */
  close(): void;
}

export declare function createEmulator(options?: EmulatorOptions): Emulator;

export declare function startEmulatorServer(
  options?: EmulatorOptions & { port?: number; host?: string },
): Promise<{ emulator: Emulator; server: Server; url: string; close: () => Promise<void> }>;

export declare function listScenarios(dir?: string): { name: string; title: string; description: string; order: number; file: string }[];
export declare function loadScenario(nameOrData: string | Partial<Scenario>, options?: { dir?: string; now?: Date }): Scenario;
export declare function buildStore(scenario: Scenario): Store;
/** Sentences describing what is inconsistent; empty when the scenario is consistent. */
export declare function validateScenario(scenario: Scenario): string[];

export declare const SCENARIOS_DIR: string;
export declare const ITEM_IDS: string[];
export declare const TABLES: Record<string, TableSchema>;
export declare const RELATIONSHIPS: Record<string, { tables: [string, string] }>;
export declare const FUNCTIONS: string[];
