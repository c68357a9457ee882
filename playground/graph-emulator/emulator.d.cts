/**
 * Types for emulator.cjs (plain CommonJS so Node, jest and the built preflight's tests load it
 * without a build). Keep in step with the JSDoc there.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { GraphReadName } from "../../PrerequisiteChecklist/checklist/entraIds";

export type FaultKind = "denied" | "premium" | "not-found" | "throttle" | "server-error" | "drop" | "hang" | "delay" | "expired-token";

export interface FaultSpec {
  kind?: FaultKind;
  /** 401 expired-token, 403 denied (Authorization_RequestDenied), 404 not-found, 429 throttle, 5xx server-error. */
  status?: number | string;
  /** Fault only the first N requests, counted per endpoint (under `*` too). */
  times?: number;
  /** throttle: seconds for `Retry-After` (default 1). */
  retryAfter?: number;
  /** delay: milliseconds before answering normally (default 1000). */
  ms?: number;
  /** expired-token: the token value(s) that get 401 InvalidAuthenticationToken (kept only as hashes). */
  expireTokens?: string | string[];
  token?: string;
}

/** The Graph reads of graph-requests.md, named as the checklist names them (its permissions table is keyed by them). */
export type EndpointName = GraphReadName;

/** Keys: an endpoint, `$batch` (the batch envelope) or `*` (every endpoint, never the envelope). */
export type Faults = Partial<Record<EndpointName | "$batch" | "*", FaultSpec | number | string>>;

/** A fault as the emulator keeps and shows it (tokens only as shortened hashes). */
export interface Fault {
  kind: FaultKind;
  status?: number;
  times?: number;
  retryAfter?: number;
  ms?: number;
  tokenHashes?: string[];
}

/** Where an item's deciding answer came from. */
export type Source = "dataverse" | "graph" | "person" | "derived" | "none";

export interface Expected {
  exitCode: 0 | 1 | 2;
  /** A stage word of the checklist (`before-install`, …). */
  stage: string;
  /** All 15 item ids of the catalogue. */
  items: Record<string, { status: string; source: Source }>;
}

/** A scenario file (playground/graph-scenarios/<name>.json); see the README for every key. */
export interface GraphScenario {
  name: string;
  title: string;
  description: string;
  order?: number;
  /** The Dataverse scenario (playground/scenarios/<name>.json) it pairs with. */
  dataverse: string;
  /** The preflight's arguments, without --environment, --graph-endpoint and --auth. */
  args: string[];
  /** Why the expected statuses are what they are (and which ambiguities were decided how). */
  why: string;
  pageSize?: number;
  /** When the registration report was last refreshed: methods created later are not in it yet. */
  registrationReportAsOf?: string;
  tenant: { id: string; displayName?: string };
  /** UPN or object id of the signed-in admin (`/me`); absent when `signIn` is "application". */
  signedInUser?: string;
  /** "application": an app-only sign-in: `/me` answers 400 and `licenseDetails` 403. Default "user". */
  signIn?: "user" | "application";
  /** "limited": other users' memberships are limited objects (`@odata.type` and `id` only). Default "full". */
  membershipObjects?: "full" | "limited";
  users?: Record<string, unknown>[];
  groups?: Record<string, unknown>[];
  directoryRoles?: Record<string, unknown>[];
  roleAssignments?: Record<string, unknown>[];
  roleEligibilityScheduleInstances?: Record<string, unknown>[];
  securityDefaults?: { isEnabled: boolean };
  conditionalAccessPolicies?: Record<string, unknown>[];
  domains?: Record<string, unknown>[];
  subscribedSkus?: Record<string, unknown>[];
  servicePrincipals?: Record<string, unknown>[];
  applications?: Record<string, unknown>[];
  faults?: Faults;
  expireTokens?: string[];
  expected: Expected;
}

export interface ScenarioSummary {
  name: string;
  title: string;
  description: string;
  dataverse: string;
  args: string[];
  why: string;
  expected: Expected | null;
  tenantId: string;
  signedInUser: string | null;
  signIn: "user" | "application";
  membershipObjects: "full" | "limited";
  premium: { p1: boolean; p2: boolean };
  pageSize: number;
  faults: Record<string, Fault>;
  latencyMs: number;
}

export interface InnerLogEntry {
  id: string;
  /** Decoded, relative to /v1.0. */
  url: string;
  endpoint: EndpointName | null;
  status: number | "dropped" | "held";
  fault?: FaultKind;
  /** Graph's error code, on an error answer. */
  code?: string;
}

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** Decoded path and query. */
  path: string;
  endpoint: EndpointName | "$batch" | null;
  /** One HTTP request carrying `inner` requests. */
  batch: boolean;
  inner?: InnerLogEntry[];
  /** A batch refused as a whole (a fault on `$batch`): the requests it held, so a resend reads as a retry. */
  refusedInner?: { id: string; url: string }[];
  status: number | "dropped" | "held" | null;
  /** Whether an Authorization header came (never its value). */
  auth: "bearer" | "none";
  fault?: FaultKind;
  /** Graph error code of the answer, if any. */
  error?: string;
  ms?: number;
}

export interface GraphEmulatorOptions {
  /** Scenario name (file name without .json under playground/graph-scenarios) or data. Default: ready-to-install. */
  scenario?: string | Partial<GraphScenario>;
  latencyMs?: number;
  scenariosDir?: string;
  /** Replaces the scenario's faults. */
  faults?: Faults;
  now?: () => Date;
  /** Order of the answers inside a batch answer. Default `reverse` (never the order asked, so clients match by id). */
  batchOrder?: "reverse" | "request" | "shuffle";
}

export interface GraphEmulator {
  /** Answers `/v1.0/...`, `/beta/...` and `/_emulator/...`; resolves false (untouched) for other paths. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  setScenario(nameOrData: string | Partial<GraphScenario>): ScenarioSummary;
  setFaults(faults: Faults): Record<string, Fault>;
  setLatency(ms: number): void;
  /** Reload the scenario, its faults and the initial latency; clear the request log. */
  reset(): void;
  /** Destroy the sockets of requests held by a "hang" fault. */
  releaseHeld(): void;
  readonly scenario: ScenarioSummary;
  readonly requests: RequestLogEntry[];
}

export declare function createGraphEmulator(options?: GraphEmulatorOptions): GraphEmulator;

export declare function startGraphEmulatorServer(
  options?: GraphEmulatorOptions & { port?: number; host?: string },
): Promise<{ emulator: GraphEmulator; server: Server; url: string; close: () => Promise<void> }>;

export declare function listScenarios(dir?: string): { name: string; title: string; description: string; dataverse: string; order: number; file: string }[];
export declare function loadScenario(nameOrData: string | Partial<GraphScenario>, options?: { dir?: string; now?: Date }): GraphScenario;
/**
 * Sentences describing what is inconsistent; empty when the scenario is consistent. The checklist's
 * words come from the caller (read from the checklist's TypeScript); without them only the shape of
 * `expected` is checked.
 */
export declare function validateScenario(
  scenario: GraphScenario | Record<string, unknown>,
  vocabulary?: { itemIds?: readonly string[]; statuses?: readonly string[]; stages?: readonly string[]; dataverseDir?: string },
): string[];
export declare function normalizeFaults(faults: Faults): Record<string, Fault>;

export interface Route {
  key: EndpointName;
  version: "v1.0" | "beta";
  path: (string | { key: string } | { alternateKey: string; entitySet: string })[];
  type: string;
  derived?: string[];
  collection: boolean;
  options: string[];
  filter?: { properties: string[]; ops: ("eq" | "in")[]; join: "and" | "or" };
  expand?: string[];
  premium?: "p1" | "p2";
}
export interface TypeSchema {
  properties: Record<string, string>;
  navigation?: Record<string, string>;
  /** What Graph returns without `$select`; absent: every property the emulator has. */
  defaultProperties?: string[];
}

export declare const SCENARIOS_DIR: string;
export declare const SOURCES: Source[];
export declare const ROUTES: Route[];
export declare const TYPES: Record<string, TypeSchema>;
export declare const COMPLEX: Record<string, TypeSchema>;
export declare const DERIVED: Record<string, string[]>;
export declare const ENDPOINTS: EndpointName[];
export declare const SKUS: Record<string, { skuId: string; skuPartNumber: string; productName: string; servicePlans: { servicePlanId: string; servicePlanName: string }[] }>;
export declare const MAX_BATCH: number;
