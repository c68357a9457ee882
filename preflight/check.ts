/**
 * One `check`: sign in, read Dataverse (the control's reader over dataverse-ify) and Microsoft Graph
 * (the preflight's reader) at the same time, with the settings record beside them, and evaluate it
 * all with the control's own catalogue and evaluation.
 */
import { evaluate, type Evaluation } from "../PrerequisiteChecklist/checklist/evaluate";
import type { GraphEvidence } from "../PrerequisiteChecklist/checklist/graph";
import { parseState, resolveSettings, type ParsedState } from "../PrerequisiteChecklist/checklist/state";
import type { ChecklistSettings, EnvironmentFacts } from "../PrerequisiteChecklist/checklist/types";
import { createEnvironmentReader, type ReadRequest } from "../PrerequisiteChecklist/dataverse/reader";
import { PROVISIONED_LANGUAGES_FUNCTION } from "../PrerequisiteChecklist/dataverse/queries";
import type { Tokens } from "./auth";
import { createDataverse, type Dataverse } from "./dataverse";
import { PreflightStop } from "./errors";
import { httpFetch } from "./httpFetch";
import { createGraphReader, GraphAuthError, GraphConnectionError, type GraphReaderDeps, type GraphReadResult } from "./graph/reader";
import type { CheckOptions } from "./options";
import type { Progress } from "./progress";
import { readSettingsRecord, type SettingsRecord } from "./settingsRecord";
import type { Strings } from "./strings";

export interface CheckDeps {
  tokens: Tokens;
  strings: Strings;
  version: string;
  now: () => Date;
  progress: Progress;
  /** Graph's fetch (tests); default Node's. */
  fetch?: typeof fetch;
  /** Lines for stderr that are not errors (a record that could not be read, several records). */
  note(line: string): void;
  /** The app that signed in, for `by` when there is no user (a pipeline's client credentials). */
  appId?: string;
}

export interface CheckResult {
  checkedAt: string;
  settings: ChecklistSettings;
  evaluation: Evaluation;
  facts: EnvironmentFacts;
  graph: GraphEvidence;
  signedIn: GraphReadResult["signedIn"];
  record: SettingsRecord;
  /** HTTP requests; Graph's inner (batched) requests and rounds beside them. */
  requests: { dataverse: number; graph: number; graphInner: number; graphRounds: number };
  dataverse: Dataverse;
}

/** Whether consent is confirmed in the current cycle, as the form counts it (the reader then skips the group-team hint). */
function consentInCycle(stored: ParsedState): boolean {
  if (stored.kind !== "ok") return false;
  const entry = stored.state.confirmations["consent-completed"];
  const cycle = stored.state.settings.cycleStartedAt;
  return !!entry?.confirmed && (typeof cycle !== "string" || Date.parse(entry.at) >= Date.parse(cycle));
}

export async function runCheck(options: CheckOptions, deps: CheckDeps): Promise<CheckResult> {
  const { tokens, strings, progress } = deps;

  // Sign in before reading: a device-code prompt must appear once, and both tokens are then at hand.
  progress.show(strings.text("Preflight_Progress_SignIn"));
  await tokens.token(options.environment);
  await tokens.token(options.graphEndpoint);

  let graphStatus = strings.get("Preflight_Progress_Waiting");
  let dataverseCount = 0;
  const show = () => progress.show(strings.text("Preflight_Progress_Reading", { dataverse: dataverseCount, graph: graphStatus }));

  const graphDeps: GraphReaderDeps = {
    endpoint: options.graphEndpoint,
    getToken: async ({ forceRefresh }) => (await tokens.token(options.graphEndpoint, forceRefresh)) ?? "",
    fetch: deps.fetch ?? (httpFetch as unknown as typeof fetch),
    onProgress: (what) => {
      // The reader's line names Entra ID itself; ours already says "Microsoft Graph (…)".
      graphStatus = what.replace(/^Reading Microsoft Entra ID:\s*/, "");
      show();
    },
  };
  if (options.auth === "none") delete graphDeps.getToken;
  const graphReader = createGraphReader(graphDeps);
  const readGraph = (upn: string) =>
    graphReader
      .read({ serviceAccountUpn: upn, globalAdminUpn: options.globalAdmin, integrationAccountUpn: options.integrationAccount, nativeAppId: options.nativeAppId })
      .catch((error: unknown): never => {
        if (error instanceof GraphAuthError) throw new PreflightStop("sign-in", strings.text("Preflight_Graph_Refused", { endpoint: options.graphEndpoint, detail: error.message }), { cause: error });
        if (error instanceof GraphConnectionError) throw new PreflightStop("connection", strings.text("Preflight_Graph_NoAnswer", { endpoint: options.graphEndpoint, detail: error.message }), { cause: error });
        throw error;
      });
  // With --upn, Graph's first round is on its way while the Dataverse transport loads.
  const early = options.upn !== undefined ? readGraph(options.upn) : null;
  early?.catch(() => undefined); // Awaited below; a failure must not go unhandled meanwhile.

  const dataverse = await createDataverse({
    environment: options.environment,
    tokens,
    strings,
    onRequest: () => {
      dataverseCount++;
      show();
    },
  });

  const recordRead = readSettingsRecord(dataverse, options.table, options.column);
  let record: SettingsRecord | undefined;
  void recordRead.then((r) => (record = r));
  // Without --upn the record names the service account: it has to come first.
  if (!options.upn) record = await recordRead;
  const stored = (): ParsedState => record?.stored ?? parseState(null);
  const storedUpn = (parsed: ParsedState) =>
    parsed.kind === "ok" && typeof parsed.state.settings.serviceAccountUpn === "string" ? parsed.state.settings.serviceAccountUpn.trim() : "";
  // As the form does: its UPN property (Work365Setup's UPN column) first, then the stored setting.
  const upn = options.upn ?? (record?.row?.formUpn || storedUpn(stored()));

  const readRequest: ReadRequest = {
    serviceAccountUpn: upn,
    work365SolutionName: "",
    adminProfileName: "",
    salesRoleName: "",
    // Read when round 1 has answered; round 1 waits for the record too (below), so the record is known by then.
    get consentConfirmedInCycle() {
      return record ? consentInCycle(record.stored) : false;
    },
  };
  const settingsFor = (parsed: ParsedState): ChecklistSettings => {
    const resolved = resolveSettings(parsed.kind === "ok" ? parsed.state.settings : {}, { serviceAccountUpn: upn });
    return { ...resolved, partnerTier: options.tier ?? resolved.partnerTier, mode: options.mode ?? resolved.mode };
  };
  const defaults = settingsFor(stored());
  readRequest.adminProfileName = defaults.adminProfileName;
  readRequest.salesRoleName = defaults.salesRoleName;
  // The system jobs matter only in an upgrade. The mode is known here from --mode, or from the record
  // when it was read first; otherwise they are read anyway, in the same round, and the mode decides.
  readRequest.upgradeMode = options.mode !== undefined || record !== undefined ? defaults.mode === "upgrade" : true;

  const reader = createEnvironmentReader({
    webApi: dataverse.webApi,
    // Round 1 ends when the settings record has answered as well: it adds no round, and round 2 then knows the ticks.
    getJson: async (path) => {
      const [answer] = await Promise.all([dataverse.getJson(path), path === PROVISIONED_LANGUAGES_FUNCTION ? recordRead : null]);
      return answer;
    },
  });

  show();
  const reading = Promise.all([reader.read(readRequest), early ?? readGraph(upn)]);
  // The locale data for dates loads while the answers are on their way, not after.
  strings.formatTime(deps.now().toISOString());
  const [facts, graphRead] = await reading;
  record = await recordRead;
  const problem = dataverse.problem();
  if (problem) throw problem;

  if (record.failure) deps.note(strings.text("Preflight_Record_Unreadable", { table: options.table, detail: record.failure.detail }));
  if (record.several) deps.note(strings.text("Preflight_Record_Several", { table: options.table, id: record.row?.id ?? "" }));
  // With --save the refusal to write says it, in one line.
  if (record.stored.kind !== "ok" && !options.save) deps.note(strings.text("Preflight_Record_NotUsable", { table: options.table, column: options.column }));

  const now = deps.now();
  const checkedAt = now.toISOString();
  const signedIn = graphRead.signedIn;
  const graph: GraphEvidence = {
    readAt: checkedAt,
    // App-only sign-in (a pipeline) has no user: the app id stands in for who read it.
    by: signedIn ? { upn: signedIn.upn, name: signedIn.name } : { upn: "", name: deps.appId ?? options.clientId ?? options.auth },
    tool: `w365-preflight ${deps.version}`,
    tenantId: graphRead.facts.tenantId,
    facts: graphRead.facts,
  };
  const settings = settingsFor(record.stored);
  const confirmations = record.stored.kind === "ok" ? record.stored.state.confirmations : {};
  const evaluation = evaluate({ facts, confirmations, settings, now, graph });
  progress.clear();
  return {
    checkedAt,
    settings,
    evaluation,
    facts,
    graph,
    signedIn,
    record,
    requests: {
      dataverse: dataverse.requests,
      graph: graphRead.stats.httpRequests,
      graphInner: graphRead.stats.innerRequests,
      graphRounds: graphRead.stats.rounds,
    },
    dataverse,
  };
}
