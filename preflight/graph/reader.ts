/**
 * The preflight's Microsoft Graph reader. Round 1 is one `$batch` of every read that applies;
 * round 2 sends, together, only what round 1's answers call for (MFA methods where the report
 * could not answer, members of role groups, Work 365's consent grants, the beta per-user MFA read,
 * further pages). Every fact is read or failed with a reason; only sign-in and "no Graph there"
 * stop the read (GraphAuthError, GraphConnectionError).
 */
import { isStrongMfaMethod } from "../../PrerequisiteChecklist/checklist/entraIds";
import type {
  EntraAccount,
  EntraUser,
  GraphFacts,
  MfaRegistration,
  PerUserMfaState,
  ServicePrincipalEvidence,
} from "../../PrerequisiteChecklist/checklist/graph";
import { mfaEnforcedByPolicy } from "../../PrerequisiteChecklist/checklist/graphRules";
import type { ReadFailure, Reading } from "../../PrerequisiteChecklist/checklist/types";
import { createTransport, type Outcome, type Transport } from "./batch";
import { answerFailure, GraphAuthError, GraphConnectionError, isResourceNotFound, isSuccess, readFailure } from "./errors";
import {
  collectionPage,
  entity,
  federatedDomains,
  globalAdminAssignment,
  hasAdminConsent,
  inAdminAgents,
  methodNames,
  perUserMfaState,
  premiumSubscriptions,
  type Raw,
  reportedMethods,
  roleGroups,
  type ServiceAccountKey,
  servicePrincipals,
  ShapeError,
  tenantId,
  toLicences,
  toMembership,
  toNativeApp,
  toPolicies,
  toUser,
  assignedDirectly,
} from "./normalise";
import { describe, type GraphRequest, type ReadName, requests as q } from "./requests";

export { GraphAuthError, GraphConnectionError } from "./errors";

export interface GraphReadRequest {
  /** May be "": then nothing is read about a service account. */
  serviceAccountUpn: string;
  /** Absent: the signed-in user (/me) is the Global Administrator. */
  globalAdminUpn?: string;
  /** 1-Tier only. */
  integrationAccountUpn?: string;
  /** 1-Tier only. */
  nativeAppId?: string;
}

export interface GraphReaderDeps {
  /** e.g. "https://graph.microsoft.com" or "http://127.0.0.1:1234"; a trailing slash is fine. */
  endpoint: string;
  /** Absent: `--auth none`, no Authorization header. */
  getToken?: (options: { forceRefresh: boolean }) => Promise<string>;
  /** Injectable for tests; default: Node's global fetch. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Waits between tries of a throttled request; its length bounds the retries. `Retry-After` (capped at 60 s) wins when present. */
  retryDelaysMs?: number[];
  /** Each HTTP request (each try, each page) is given up after this long. */
  requestTimeoutMs?: number;
  /** Bound on `@odata.nextLink` pages per collection. */
  maxPages?: number;
  /** A short English line for the CLI's live line. Never holds a token. */
  onProgress?: (what: string) => void;
}

export interface GraphReadResult {
  facts: GraphFacts;
  /** From /me; null when it could not be read. */
  signedIn: { id: string; upn: string; name: string } | null;
  /** `rounds`: 1, or 2 when round 1's answers called for more. `innerRequests` counts every request sent in a batch, retries included. */
  stats: { httpRequests: number; rounds: number; innerRequests: number };
}

export interface GraphReader {
  read(request: GraphReadRequest): Promise<GraphReadResult>;
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000];
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PAGES = 50;

interface Page {
  rows: Raw[];
  nextLink: string | null;
}

const ok = <T>(value: T): Reading<T> => ({ ok: true, value });
const failed = (failure: ReadFailure): { ok: false; failure: ReadFailure } => ({ ok: false, failure });
const sameUpn = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const key = (upn: string) => upn.toLowerCase();

/** A normaliser that finds an unexpected shape fails that fact only. */
function parse<T>(fn: () => T): Reading<T> {
  try {
    return ok(fn());
  } catch (error) {
    if (error instanceof ShapeError) return failed(readFailure("unexpected", error.message));
    throw error;
  }
}

function then<T, U>(reading: Reading<T>, fn: (value: T) => U): Reading<U> {
  return reading.ok ? parse(() => fn(reading.value)) : reading;
}

const NO_SERVICE_ACCOUNT = failed(readFailure("not-found", "No service account UPN was given, so nothing was read about it."));
const notInEntra = (upn: string) => failed(readFailure("not-found", `${upn} is not a user in Microsoft Entra ID.`));

/** An answer to a request for one entity; `nullOn404`: Graph's "no such user/app" is the answer "none". */
function single(outcome: Outcome | undefined, read: ReadName, what: string, nullOn404: true): Reading<Raw | null>;
function single(outcome: Outcome | undefined, read: ReadName, what: string): Reading<Raw>;
function single(outcome: Outcome | undefined, read: ReadName, what: string, nullOn404 = false): Reading<Raw | null> {
  if (!outcome) return failed(readFailure("unexpected", `${what} was not read.`));
  if (!outcome.ok) return outcome;
  if (nullOn404 && isResourceNotFound(outcome.answer)) return ok(null);
  if (!isSuccess(outcome.answer)) return failed(answerFailure(outcome.answer, read));
  return parse(() => entity(outcome.answer.body, what));
}

function page(outcome: Outcome | undefined, read: ReadName, what: string): Reading<Page> {
  if (!outcome) return failed(readFailure("unexpected", `${what} was not read.`));
  if (!outcome.ok) return outcome;
  if (!isSuccess(outcome.answer)) return failed(answerFailure(outcome.answer, read));
  return parse(() => collectionPage(outcome.answer.body, what));
}

export function createGraphReader(deps: GraphReaderDeps): GraphReader {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxPages = deps.maxPages ?? DEFAULT_MAX_PAGES;
  const progress = (line: string) => deps.onProgress?.(line);

  async function readGraph(request: GraphReadRequest): Promise<GraphReadResult> {
    const transport: Transport = createTransport({
      endpoint: deps.endpoint,
      getToken: deps.getToken,
      fetch: deps.fetch ?? globalThis.fetch,
      sleep,
      retryDelaysMs: deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
      requestTimeoutMs: deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      onProgress: progress,
    });
    let rounds = 1;

    /** Every row of a collection: the first page, then its `@odata.nextLink`s one after another, bounded. */
    async function allRows(first: Reading<Page>, read: ReadName, what: string): Promise<Reading<Raw[]>> {
      if (!first.ok) return first;
      const rows = [...first.value.rows];
      let next = first.value.nextLink;
      for (let pages = 1; next !== null; pages++) {
        if (pages >= maxPages) return failed(readFailure("unexpected", `Stopped after ${maxPages} pages of ${what}.`));
        progress(`Reading Microsoft Entra ID: ${what}, page ${pages + 1}`);
        const more = page(await transport.get(next), read, what);
        if (!more.ok) return more;
        rows.push(...more.value.rows);
        next = more.value.nextLink;
      }
      return ok(rows);
    }

    /** A batch whose requests are collections: every row of each, by request id. */
    async function batchOfCollections(list: GraphRequest[]): Promise<Map<string, Reading<Raw[]>>> {
      const out = new Map<string, Reading<Raw[]>>();
      if (list.length === 0) return out;
      progress(`Reading Microsoft Entra ID: ${describe(list)} (batch of ${list.length})`);
      const answers = await transport.batch(list);
      await Promise.all(
        list.map(async (r) => out.set(r.id, await allRows(page(answers.get(r.id), r.read, r.what), r.read, r.what))),
      );
      return out;
    }

    const sa = request.serviceAccountUpn.trim();
    const gaGiven = request.globalAdminUpn?.trim() || undefined;
    const gaIsSa = gaGiven !== undefined && sa !== "" && sameUpn(gaGiven, sa);
    const ia = request.integrationAccountUpn?.trim() || undefined;
    const nativeAppId = request.nativeAppId?.trim() || undefined;

    // ---- Round 1: one batch of everything that applies.
    const reportUpns = [sa, gaGiven, ia].filter((u): u is string => !!u).filter((u, i, all) => all.findIndex((o) => sameUpn(o, u)) === i);
    const round1: GraphRequest[] = [q.signedInUser(), q.organization()];
    if (sa) round1.push(q.serviceAccount(sa), q.licenseDetails(sa), q.transitiveMemberOf(sa));
    if (reportUpns.length > 0) round1.push(q.registrationDetails(reportUpns));
    if (gaGiven && !gaIsSa) round1.push(q.globalAdministrator(gaGiven));
    if (sa) round1.push(q.roleAssignments(), q.roleEligibility());
    round1.push(q.securityDefaults(), q.conditionalAccessPolicies(), q.domains(), q.subscribedSkus(), q.servicePrincipals());
    if (ia) round1.push(q.integrationAccount(ia), q.integrationAccountMemberOf(ia));
    if (nativeAppId) round1.push(q.nativeApp(nativeAppId));

    progress(`Reading Microsoft Entra ID: ${describe(round1)} (batch of ${round1.length})`);
    const a1 = await transport.batch(round1, true);
    const answer = (r: GraphRequest) => a1.get(r.id);
    const firstPage = (r: GraphRequest) => page(answer(r), r.read, r.what);

    const meRaw = single(a1.get("r1"), "me", "the signed-in user");
    const me = then(meRaw, (row) => toUser(row, { signedIn: true }));
    const user = (r: GraphRequest, upn: string): Reading<EntraUser | null> =>
      then(single(answer(r), r.read, upn, true), (row) => (row ? toUser(row) : null));
    const saUser: Reading<EntraUser | null> = sa ? user(q.serviceAccount(sa), sa) : ok(null);
    const gaUser: Reading<EntraUser | null> = !gaGiven ? me : gaIsSa ? saUser : user(q.globalAdministrator(gaGiven), gaGiven);
    const gaUpn = gaGiven ?? (me.ok ? me.value.userPrincipalName : "");
    const iaUser = ia ? user(q.integrationAccount(ia), ia) : undefined;
    const appRaw = nativeAppId ? single(answer(q.nativeApp(nativeAppId)), "applications", "the native app", true) : undefined;
    const securityDefaults = then(single(a1.get("r10"), "securityDefaults", "security defaults"), (row) => row.isEnabled === true);

    // Collections: the first page now; the rest, if any, in round 2.
    interface Collection {
      request?: GraphRequest;
      first: Reading<Page>;
    }
    const collection = (r: GraphRequest): Collection => ({ request: r, first: firstPage(r) });
    const noServiceAccount: Collection = { first: NO_SERVICE_ACCOUNT };
    const pages = {
      organization: collection(q.organization()),
      licences: sa ? collection(q.licenseDetails(sa)) : noServiceAccount,
      membership: sa ? collection(q.transitiveMemberOf(sa)) : noServiceAccount,
      report: reportUpns.length > 0 ? collection(q.registrationDetails(reportUpns)) : undefined,
      roleAssignments: sa ? collection(q.roleAssignments()) : noServiceAccount,
      roleEligibility: sa ? collection(q.roleEligibility()) : noServiceAccount,
      policies: collection(q.conditionalAccessPolicies()),
      domains: collection(q.domains()),
      skus: collection(q.subscribedSkus()),
      servicePrincipals: collection(q.servicePrincipals()),
      adminAgents: ia ? collection(q.integrationAccountMemberOf(ia)) : undefined,
    };
    type CollectionName = keyof typeof pages;
    const rowsOf = (p: Reading<Page>): Reading<Raw[]> => (p.ok ? ok(p.value.rows) : p);
    const morePages = (c: Collection | undefined) => c?.first.ok === true && c.first.value.nextLink !== null;

    // ---- Inputs of buildFacts: what round 1 gave (to decide on round 2), and everything at the end.
    function round1Inputs(): FactInputs {
      return {
        rows: Object.fromEntries(Object.entries(pages).map(([k, c]) => [k, c && rowsOf(c.first)])) as FactInputs["rows"],
        groupMembers: new Map(),
        consent: new Map(),
      };
    }

    function finalInputs(): FactInputs {
      const inputs = round1Inputs();
      for (const [k, reading] of Object.entries(complete)) (inputs.rows as Record<string, Reading<Raw[]>>)[k] = reading;
      for (const [groupId, r] of groupRequests) {
        const members = round2Answers.get(r.id) ?? failed(readFailure("unexpected", "Role group members were not read."));
        inputs.groupMembers.set(groupId, then(members, (rows) => rows.map((m) => String(m.id ?? "").toLowerCase())));
      }
      for (const c of consentRequests) {
        const grants = round2Answers.get(c.grants.id) ?? failed(readFailure("unexpected", "Consent grants were not read."));
        const appRoles = round2Answers.get(c.appRoles.id) ?? failed(readFailure("unexpected", "App role assignments were not read."));
        inputs.consent.set(c.sp.id, hasAdminConsent(grants, appRoles));
      }
      inputs.perUserMfa = perUserMfa;
      return inputs;
    }

    function buildFacts(inputs: FactInputs): GraphFacts {
      const { rows } = inputs;
      const registration = (upn: string): Reading<MfaRegistration> =>
        mfa.get(key(upn)) ?? failed(readFailure("unexpected", `The MFA registration of ${upn} is still being read.`));
      const account = (upn: string, u: Reading<EntraUser | null>): EntraAccount => ({
        upn,
        user: u,
        // No UPN: /me could not be read, and its failure is the answer.
        mfa: upn ? registration(upn) : u.ok ? failed(readFailure("unexpected", "No UPN to read MFA for.")) : u,
      });

      const sps = then(rows.servicePrincipals, servicePrincipals);
      let work365ServicePrincipals: Reading<ServicePrincipalEvidence[]>;
      if (!sps.ok) work365ServicePrincipals = sps;
      else {
        const evidence: ServicePrincipalEvidence[] = [];
        let failure: ReadFailure | undefined;
        for (const sp of sps.value) {
          const consent = inputs.consent.get(sp.id) ?? failed(readFailure("unexpected", "Consent was not read yet."));
          if (!consent.ok) failure ??= consent.failure;
          else evidence.push({ appId: sp.appId, displayName: sp.displayName, adminConsent: consent.value });
        }
        work365ServicePrincipals = failure ? failed(failure) : ok(evidence);
      }

      const facts: GraphFacts = {
        tenantId: rows.organization.ok ? tenantId(rows.organization.value) : null,
        serviceAccount: sa ? account(sa, saUser) : { upn: "", user: ok(null), mfa: NO_SERVICE_ACCOUNT },
        serviceAccountLicences: then(rows.licences, toLicences),
        serviceAccountMembership: then(rows.membership, toMembership),
        globalAdministrator: account(gaUpn, gaUser),
        globalAdminRole: !sa
          ? NO_SERVICE_ACCOUNT
          : globalAdminAssignment({
              assignments: rows.roleAssignments,
              account: saKey,
              groupMembers: inputs.groupMembers,
              eligibility: rows.roleEligibility,
            }),
        securityDefaultsEnabled: securityDefaults,
        conditionalAccessPolicies: then(rows.policies, toPolicies),
        federatedDomains: then(rows.domains, federatedDomains),
        premiumSubscriptions: then(rows.skus, premiumSubscriptions),
        work365ServicePrincipals,
      };
      if (inputs.perUserMfa) facts.serviceAccountPerUserMfa = inputs.perUserMfa;
      if (ia && iaUser) {
        const memberOf = rows.adminAgents ?? failed(readFailure("unexpected", "Group memberships were not read."));
        facts.integrationAccount = { ...account(ia, iaUser), adminAgents: then(memberOf, inAdminAgents) };
      }
      if (nativeAppId && appRaw) {
        facts.nativeApp = { appId: nativeAppId.toLowerCase(), app: then(appRaw, (row) => (row ? toNativeApp(row) : null)) };
      }
      return facts;
    }

    async function readPerUserMfa(userId: string): Promise<Reading<PerUserMfaState>> {
      const r = q.authenticationRequirements(userId);
      progress(`Reading Microsoft Entra ID: ${r.what} of the service account (beta)`);
      const outcome = await transport.get(`${transport.base}/beta${r.url}`);
      return then(single(outcome, r.read, r.what), perUserMfaState);
    }

    // ---- What round 1's answers call for.
    const round2: GraphRequest[] = [];

    // MFA registration per account: from the report, or from /authentication/methods where the
    // report cannot answer (no P1, no permission, no row yet, or the signed-in GA it could not name).
    // A report that says "not registered" may be hours behind, and it leaves out disabled accounts:
    // the methods, which answer in real time, are read too and decide.
    const mfa = new Map<string, Reading<MfaRegistration>>();
    const methodsRequests = new Map<string, GraphRequest>();
    const reportSaidNo = new Map<string, MfaRegistration>();
    const planMfa = (upn: string, account: Reading<EntraUser | null>) => {
      if (!upn || mfa.has(key(upn)) || methodsRequests.has(key(upn))) return;
      if (account.ok && account.value === null) return void mfa.set(key(upn), notInEntra(upn));
      const disabled = account.ok && account.value?.accountEnabled === false;
      const report = reportUpns.some((u) => sameUpn(u, upn)) && !disabled ? pages.report?.first : undefined;
      if (report?.ok) {
        const row = reportedMethods(report.value.rows, upn);
        const registration: MfaRegistration | undefined = row && { ...row, readFrom: "report" };
        if (registration && (registration.isMfaRegistered ?? registration.methods.some(isStrongMfaMethod))) return void mfa.set(key(upn), ok(registration));
        if (registration) reportSaidNo.set(key(upn), registration);
      } else if (report && report.failure.kind !== "premium-required" && report.failure.kind !== "privilege-denied") {
        return void mfa.set(key(upn), report);
      }
      methodsRequests.set(key(upn), q.authenticationMethods(`m${methodsRequests.size + 1}`, upn));
    };
    if (sa) planMfa(sa, saUser);
    if (gaUpn) planMfa(gaUpn, gaUser);
    if (ia && iaUser) planMfa(ia, iaUser);
    round2.push(...methodsRequests.values());

    // The service account, as role assignments and group members name it.
    const saKey: ServiceAccountKey = saUser.ok ? { upn: sa, id: saUser.value?.id ?? null } : { upn: sa, failure: saUser.failure };
    const saId = "id" in saKey ? saKey.id : null;
    const groupRequests = new Map<string, GraphRequest>();
    const planGroups = (assignments: Raw[]) => {
      if (!saId || assignedDirectly(assignments, { upn: sa, id: saId })) return;
      for (const group of roleGroups(assignments)) {
        if (!groupRequests.has(group.id)) groupRequests.set(group.id, q.groupMembers(`g${groupRequests.size + 1}`, group.id));
      }
    };
    if (pages.roleAssignments.first.ok) planGroups(pages.roleAssignments.first.value.rows);
    round2.push(...groupRequests.values());

    // Work 365's service principals: their grants and app role assignments show admin consent.
    const principals = then(rowsOf(pages.servicePrincipals.first), servicePrincipals);
    const consentRequests = (principals.ok ? principals.value : []).map((sp, i) => ({
      sp,
      grants: q.oauth2PermissionGrants(`p${i + 1}`, sp.id),
      appRoles: q.appRoleAssignments(`a${i + 1}`, sp.id),
    }));
    for (const c of consentRequests) round2.push(c.grants, c.appRoles);

    // Per-user MFA (beta) only where registration is strong (or still to be read) and no policy proves enforcement.
    const provisional = buildFacts(round1Inputs());
    const saRegistration = sa ? mfa.get(key(sa)) : undefined;
    const maybeStrong = saRegistration === undefined || (saRegistration.ok && saRegistration.value.methods.some(isStrongMfaMethod));
    const policyMayChange = morePages(pages.policies) || morePages(pages.membership);
    const readPerUser =
      saId !== null && maybeStrong && (policyMayChange || mfaEnforcedByPolicy(provisional) !== true);

    // ---- Round 2: all of it at once, only when something calls for it.
    let round2Answers = new Map<string, Reading<Raw[]>>();
    let perUserMfa: Reading<PerUserMfaState> | undefined;
    const complete: Partial<Record<CollectionName, Reading<Raw[]>>> = {};
    const pending = (Object.keys(pages) as CollectionName[]).filter((k) => morePages(pages[k]));
    if (round2.length > 0 || readPerUser || pending.length > 0) {
      rounds = 2;
      await Promise.all([
        batchOfCollections(round2).then((answers) => (round2Answers = answers)),
        readPerUser && saId ? readPerUserMfa(saId).then((state) => (perUserMfa = state)) : undefined,
        ...pending.map(async (k) => {
          const { request: r, first } = pages[k] as Collection;
          if (r) complete[k] = await allRows(first, r.read, r.what);
        }),
      ]);
      // Role groups on later pages of the assignments: their members, too.
      const assignments = complete.roleAssignments;
      if (assignments?.ok) {
        const before = groupRequests.size;
        planGroups(assignments.value);
        const late = [...groupRequests.values()].slice(before);
        for (const [id, reading] of await batchOfCollections(late)) round2Answers.set(id, reading);
      }
    }

    // ---- Everything read, normalised.
    for (const [upnKey, r] of methodsRequests) {
      const methods = round2Answers.get(r.id) ?? failed(readFailure("unexpected", `${r.what} were not read.`));
      const reported = reportSaidNo.get(upnKey);
      if (reported && !methods.ok) mfa.set(upnKey, ok({ ...reported, reportMayLag: true }));
      else mfa.set(upnKey, then(methods, (rows) => ({ methods: methodNames(rows), readFrom: "methods" as const })));
    }
    const facts = buildFacts(finalInputs());
    if (facts.serviceAccountPerUserMfa && !perUserMfaNeeded(facts)) delete facts.serviceAccountPerUserMfa;

    const signedIn = me.ok ? { id: me.value.id, upn: me.value.userPrincipalName, name: me.value.displayName } : null;
    return { facts, signedIn, stats: { ...transport.stats, rounds } };
  }

  return {
    read: (request) =>
      readGraph(request).catch((error: unknown): GraphReadResult => {
        if (error instanceof GraphAuthError || error instanceof GraphConnectionError) throw error;
        // A bug must not leave the preflight without an answer: every fact fails with it instead.
        const failure = readFailure("unexpected", error instanceof Error ? error.message : String(error));
        return { facts: allFailed(request, failure), signedIn: null, stats: { httpRequests: 0, rounds: 0, innerRequests: 0 } };
      }),
  };
}

interface FactInputs {
  rows: {
    organization: Reading<Raw[]>;
    licences: Reading<Raw[]>;
    membership: Reading<Raw[]>;
    report?: Reading<Raw[]>;
    roleAssignments: Reading<Raw[]>;
    roleEligibility: Reading<Raw[]>;
    policies: Reading<Raw[]>;
    domains: Reading<Raw[]>;
    skus: Reading<Raw[]>;
    servicePrincipals: Reading<Raw[]>;
    adminAgents?: Reading<Raw[]>;
  };
  groupMembers: Map<string, Reading<string[]>>;
  /** Admin consent of each Work 365 service principal, by its id. */
  consent: Map<string, Reading<boolean>>;
  perUserMfa?: Reading<PerUserMfaState>;
}

/** Per-user MFA decides `service-account-mfa` only for a strong registration that no policy proves enforced. */
function perUserMfaNeeded(facts: GraphFacts): boolean {
  const registration = facts.serviceAccount.mfa;
  return registration.ok && registration.value.methods.some(isStrongMfaMethod) && mfaEnforcedByPolicy(facts) !== true;
}

function allFailed(request: GraphReadRequest, failure: ReadFailure): GraphFacts {
  const no = { ok: false as const, failure };
  const account = (upn: string): EntraAccount => ({ upn, user: no, mfa: no });
  const facts: GraphFacts = {
    tenantId: null,
    serviceAccount: account(request.serviceAccountUpn.trim()),
    serviceAccountLicences: no,
    serviceAccountMembership: no,
    globalAdministrator: account(request.globalAdminUpn?.trim() ?? ""),
    globalAdminRole: no,
    securityDefaultsEnabled: no,
    conditionalAccessPolicies: no,
    federatedDomains: no,
    premiumSubscriptions: no,
    work365ServicePrincipals: no,
  };
  if (request.integrationAccountUpn?.trim()) facts.integrationAccount = { ...account(request.integrationAccountUpn.trim()), adminAgents: no };
  if (request.nativeAppId?.trim()) facts.nativeApp = { appId: request.nativeAppId.trim().toLowerCase(), app: no };
  return facts;
}
