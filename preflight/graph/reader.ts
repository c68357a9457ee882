/**
 * The preflight's Microsoft Graph reader. Round 1 is one `$batch` of every read that applies;
 * round 2 is one `$batch` of only what round 1's answers call for (MFA methods where the report
 * could not answer, members of role groups the service account's own groups cannot decide, Work
 * 365's consent grants, and the next page of every collection that has one), with the beta per-user
 * MFA read as a GET beside it. A later round holds only what round 2's answers call for (a page of a
 * page, members of role groups a page revealed), again in one batch. Every fact is read or failed
 * with a reason; only sign-in and "no Graph there" stop the read (GraphAuthError, GraphConnectionError).
 * Signed in as an application (signIn.ts), round 1 leaves out /me and licenseDetails, and licences
 * come from the accounts' own assignments.
 */
import { isStrongMfaMethod } from "../../PrerequisiteChecklist/checklist/entraIds";
import type {
  EntraAccount,
  EntraUser,
  GraphFacts,
  LicenceDetail,
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
  licencesFromAssignments,
} from "./normalise";
import { describe, type GraphRequest, type ReadName, requests as q } from "./requests";
import { isDelegatedOnlyAnswer, type SignIn, signInOfToken } from "./signIn";

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
  /** From /me; null when it could not be read, or when an application signed in. */
  signedIn: { id: string; upn: string; name: string } | null;
  /** "application": an app-only token (or `/me` answered that only a delegated sign-in may ask). */
  signIn: SignIn;
  /**
   * `rounds`: 1, 2 when round 1's answers called for more, 3 or more only for pages of pages read
   * in round 2 (and what they reveal). `roundReasons[i]`: why round `i + 2` was needed, in short
   * English. `innerRequests` counts every request sent in a batch, retries included.
   */
  stats: { httpRequests: number; rounds: number; innerRequests: number; roundReasons: string[][] };
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

/** With an app-only sign-in and no --global-admin, nobody stands for the Global Administrator. */
const NO_SIGNED_IN_USER = failed({
  kind: "app-sign-in",
  service: "graph",
  detail: "Signed in as an application: no admin is signed in to stand for the Global Administrator; give --global-admin.",
});
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

/**
 * A collection read page by page, in as many rounds as its pages take: its rows so far, and the
 * next page to ask for (relative to /v1.0, to go in the next round's batch).
 */
interface Collection {
  /** The first page's request; `null` for a collection that could not be read at all (no service account). */
  request: GraphRequest | null;
  /** What it is, for the round reasons: "Conditional Access", "MFA methods of w365serv@contoso.com". */
  label: string;
  rows: Raw[];
  pages: number;
  next: string | null;
  failure?: ReadFailure;
}

/** A request planned for the next round, the reason it is needed, and the collection its answer goes to. */
interface Planned {
  request: GraphRequest;
  reason: string;
  collection: Collection;
}

const unreadCollection = (failure: ReadFailure): Collection => ({ request: null, label: "", rows: [], pages: 0, next: null, failure });
const rowsOf = (c: Collection): Reading<Raw[]> => (c.failure ? failed(c.failure) : ok(c.rows));

/** Short English names of round 1's collections, for the round reasons. */
const LABELS: Partial<Record<ReadName, string>> = {
  organization: "the tenant",
  licenseDetails: "the service account's licences",
  transitiveMemberOf: "the service account's groups",
  roleAssignments: "Global Administrator assignments",
  roleEligibilityScheduleInstances: "Global Administrator eligibility",
  conditionalAccessPolicies: "Conditional Access",
  domains: "domains",
  subscribedSkus: "subscriptions",
  servicePrincipals: "Work 365 service principals",
  memberOf: "the integration account's groups",
};

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
    const roundReasons: string[][] = [];

    // ---- Collections and the round after this one: every page of every collection goes in the next round's one batch.
    const collections: Collection[] = [];
    let planned: Planned[] = [];

    const newCollection = (r: GraphRequest, label: string): Collection => {
      const c: Collection = { request: r, label, rows: [], pages: 0, next: null };
      collections.push(c);
      return c;
    };
    /** A first page for the next round. */
    const plan = (r: GraphRequest, label: string): Collection => {
      const c = newCollection(r, label);
      planned.push({ request: r, reason: label, collection: c });
      return c;
    };
    /** A page's answer into its collection; its next link, if any, checked to be on this endpoint and within maxPages. */
    function absorb(c: Collection, outcome: Outcome | undefined): void {
      const r = c.request as GraphRequest;
      const p = page(outcome, r.read, r.what);
      c.next = null;
      if (!p.ok) return void (c.failure = p.failure);
      c.rows.push(...p.value.rows);
      c.pages++;
      const link = p.value.nextLink;
      if (link === null) return;
      if (c.pages >= maxPages) return void (c.failure = readFailure("unexpected", `Stopped after ${maxPages} pages of ${r.what}.`));
      const relative = transport.relativeLink(link);
      // A link elsewhere would take the token with it.
      if (relative === null) return void (c.failure = readFailure("unexpected", `Graph gave a link for ${r.what} outside ${transport.base}/v1.0; it was not followed.`));
      c.next = relative;
    }
    /** The next page of every collection that has one. */
    function planPages(): void {
      for (const c of collections) {
        if (c.next === null || !c.request) continue;
        const n = c.pages + 1;
        planned.push({ request: { ...c.request, id: `${c.request.id}p${n}`, url: c.next }, reason: `next page of ${c.label} (page ${n})`, collection: c });
      }
    }

    const sa = request.serviceAccountUpn.trim();
    const gaGiven = request.globalAdminUpn?.trim() || undefined;
    const gaIsSa = gaGiven !== undefined && sa !== "" && sameUpn(gaGiven, sa);
    const ia = request.integrationAccountUpn?.trim() || undefined;
    const nativeAppId = request.nativeAppId?.trim() || undefined;

    // ---- Round 1: one batch of everything that applies. The report: one request per account (r6 the service account's).
    const reportRequests = new Map<string, { upn: string; request: GraphRequest }>();
    const addReport = (id: string, upn: string | undefined) => {
      if (upn && !reportRequests.has(key(upn))) reportRequests.set(key(upn), { upn, request: q.registrationDetails(id, upn) });
    };
    addReport("r6", sa);
    addReport("r6b", gaGiven);
    addReport("r6c", ia);
    // An app-only token has no /me, and no licenseDetails (Learn: application permissions not
    // supported): the accounts' own assignments (r3, r7) and the tenant's SKUs (r13) answer instead.
    const token = transport.currentToken();
    let signIn: SignIn = token ? signInOfToken(await token) : "user";
    const asUser = signIn === "user";
    const round1: GraphRequest[] = asUser ? [q.signedInUser(), q.organization()] : [q.organization()];
    if (sa) round1.push(q.serviceAccount(sa), ...(asUser ? [q.licenseDetails(sa)] : []), q.transitiveMemberOf(sa));
    round1.push(...[...reportRequests.values()].map((r) => r.request));
    if (gaGiven && !gaIsSa) round1.push(q.globalAdministrator(gaGiven));
    // The Global Administrator signs in to CRM for the consent, so needs a licence too.
    if (!gaIsSa && asUser) round1.push(q.globalAdministratorLicences(gaGiven));
    if (sa) round1.push(q.roleAssignments(), q.roleEligibility());
    round1.push(q.securityDefaults(), q.conditionalAccessPolicies(), q.domains(), q.subscribedSkus(), q.servicePrincipals());
    if (ia) round1.push(q.integrationAccount(ia), q.integrationAccountMemberOf(ia));
    if (nativeAppId) round1.push(q.nativeApp(nativeAppId));

    progress(`Reading Microsoft Entra ID: ${describe(round1)} (batch of ${round1.length})`);
    const a1 = await transport.batch(round1, true);
    const answer = (r: GraphRequest) => a1.get(r.id);

    const meAnswer = a1.get("r1");
    // /me refusing an app-only token that did not look like one: the run learns it now (the emulators' --auth none).
    if (meAnswer?.ok && isDelegatedOnlyAnswer(meAnswer.answer)) signIn = "application";
    const me: Reading<EntraUser> = signIn === "application" ? NO_SIGNED_IN_USER : then(single(meAnswer, "me", "the signed-in user"), (row) => toUser(row, { signedIn: true }));
    const user = (r: GraphRequest, upn: string): Reading<EntraUser | null> =>
      then(single(answer(r), r.read, upn, true), (row) => (row ? toUser(row) : null));
    const saUser: Reading<EntraUser | null> = sa ? user(q.serviceAccount(sa), sa) : ok(null);
    const gaUser: Reading<EntraUser | null> = !gaGiven ? me : gaIsSa ? saUser : user(q.globalAdministrator(gaGiven), gaGiven);
    const gaUpn = gaGiven ?? (me.ok ? me.value.userPrincipalName : "");
    const iaUser = ia ? user(q.integrationAccount(ia), ia) : undefined;
    const appRaw = nativeAppId ? single(answer(q.nativeApp(nativeAppId)), "applications", "the native app", true) : undefined;
    const securityDefaults = then(single(a1.get("r10"), "securityDefaults", "security defaults"), (row) => row.isEnabled === true);

    // Round 1's collections: the first page now; the next pages, if any, in round 2.
    const fromRound1 = (r: GraphRequest, label = LABELS[r.read] ?? r.what): Collection => {
      const c = newCollection(r, label);
      absorb(c, answer(r));
      return c;
    };
    const noServiceAccount = unreadCollection(NO_SERVICE_ACCOUNT.failure);
    const lists = {
      organization: fromRound1(q.organization()),
      licences: sa && asUser ? fromRound1(q.licenseDetails(sa)) : noServiceAccount,
      gaLicences: gaIsSa || !asUser ? undefined : fromRound1(q.globalAdministratorLicences(gaGiven), "the Global Administrator's licences"),
      membership: sa ? fromRound1(q.transitiveMemberOf(sa)) : noServiceAccount,
      roleAssignments: sa ? fromRound1(q.roleAssignments()) : noServiceAccount,
      roleEligibility: sa ? fromRound1(q.roleEligibility()) : noServiceAccount,
      policies: fromRound1(q.conditionalAccessPolicies()),
      domains: fromRound1(q.domains()),
      skus: fromRound1(q.subscribedSkus()),
      servicePrincipals: fromRound1(q.servicePrincipals()),
      adminAgents: ia ? fromRound1(q.integrationAccountMemberOf(ia)) : undefined,
    };
    const reports = new Map([...reportRequests].map(([k, r]) => [k, fromRound1(r.request, `the MFA registration report of ${r.upn}`)]));

    const asApplication = () => signIn === "application";
    /** An account's licences from its own assignments (r3, r7) and the tenant's SKUs: an app-only sign-in's way. */
    const licencesByAssignment = (r: GraphRequest, upn: string, skus: Reading<Raw[]>): Reading<LicenceDetail[]> => {
      const row = single(answer(r), r.read, upn, true);
      if (!row.ok) return row;
      if (row.value === null) return notInEntra(upn);
      if (!skus.ok) return skus;
      const assignments = row.value;
      return parse(() => licencesFromAssignments(assignments, skus.value));
    };

    // ---- Inputs of buildFacts: what was read so far (to plan the next round), and everything at the end.
    function inputs(): FactInputs {
      const rows = Object.fromEntries(Object.entries(lists).map(([k, c]) => [k, c && rowsOf(c)])) as FactInputs["rows"];
      const groupMembers = new Map<string, Reading<string[]>>();
      for (const [groupId, c] of groupReads) groupMembers.set(groupId, then(rowsOf(c), (members) => members.map((m) => String(m.id ?? "").toLowerCase())));
      const consent = new Map<string, Reading<boolean>>();
      for (const c of consentReads.values()) consent.set(c.sp.id, hasAdminConsent(rowsOf(c.grants), rowsOf(c.appRoles)));
      return { rows, groupMembers, consent, membership: then(rows.membership, (groups) => toMembership(groups).groupIds), perUserMfa };
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
        serviceAccountLicences: asApplication() ? (sa ? licencesByAssignment(q.serviceAccount(sa), sa, rows.skus) : NO_SERVICE_ACCOUNT) : then(rows.licences, toLicences),
        globalAdministratorLicences: asApplication()
          ? gaGiven
            ? licencesByAssignment(gaIsSa ? q.serviceAccount(sa) : q.globalAdministrator(gaGiven), gaGiven, rows.skus)
            : NO_SIGNED_IN_USER
          : then(rows.gaLicences ?? rows.licences, toLicences),
        serviceAccountMembership: then(rows.membership, toMembership),
        globalAdministrator: account(gaUpn, gaUser),
        globalAdminRole: !sa
          ? NO_SERVICE_ACCOUNT
          : globalAdminAssignment({
              assignments: rows.roleAssignments,
              account: saKey,
              groupMembers: inputs.groupMembers,
              membership: inputs.membership,
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
        facts.integrationAccount = { ...account(ia, iaUser), adminAgents: memberOf.ok ? inAdminAgents(memberOf.value) : memberOf };
      }
      if (nativeAppId && appRaw) {
        facts.nativeApp = { appId: nativeAppId.toLowerCase(), app: then(appRaw, (row) => (row ? toNativeApp(row) : null)) };
      }
      return facts;
    }

    async function readPerUserMfa(userId: string): Promise<void> {
      const r = q.authenticationRequirements(userId);
      progress(`Reading Microsoft Entra ID: ${r.what} of the service account (beta)`);
      const outcome = await transport.get(`${transport.base}/beta${r.url}`);
      perUserMfa = then(single(outcome, r.read, r.what), perUserMfaState);
    }

    // ---- What round 1's answers call for.

    // MFA registration per account: from the report, or from /authentication/methods where the
    // report cannot answer (no P1, no permission, no row yet, or the signed-in GA it could not name).
    // A report that says "not registered" may be hours behind, and it leaves out disabled accounts:
    // the methods, which answer in real time, are read too and decide.
    const mfa = new Map<string, Reading<MfaRegistration>>();
    const methodsReads = new Map<string, Collection>();
    const reportSaidNo = new Map<string, MfaRegistration>();
    const planMfa = (upn: string, account: Reading<EntraUser | null>) => {
      if (!upn || mfa.has(key(upn)) || methodsReads.has(key(upn))) return;
      if (account.ok && account.value === null) return void mfa.set(key(upn), notInEntra(upn));
      const disabled = account.ok && account.value?.accountEnabled === false;
      const report = disabled ? undefined : reports.get(key(upn));
      const reportRows = report && rowsOf(report);
      if (reportRows?.ok) {
        const row = reportedMethods(reportRows.value, upn);
        const registration: MfaRegistration | undefined = row && { ...row, readFrom: "report" };
        if (registration && (registration.isMfaRegistered ?? registration.methods.some(isStrongMfaMethod))) return void mfa.set(key(upn), ok(registration));
        if (registration) reportSaidNo.set(key(upn), registration);
      } else if (reportRows && reportRows.failure.kind !== "premium-required" && reportRows.failure.kind !== "privilege-denied") {
        return void mfa.set(key(upn), reportRows);
      }
      methodsReads.set(key(upn), plan(q.authenticationMethods(`m${methodsReads.size + 1}`, upn), `MFA methods of ${upn}`));
    };
    if (sa) planMfa(sa, saUser);
    if (gaUpn) planMfa(gaUpn, gaUser);
    if (ia && iaUser) planMfa(ia, iaUser);

    // The Global Administrator role through a group: the account's own transitive memberships (r5)
    // answer for every group they list, and, once complete, for every group they do not. Only the
    // groups they cannot decide have their members read, as soon as a page of assignments names them.
    const saKey: ServiceAccountKey = saUser.ok ? { upn: sa, id: saUser.value?.id ?? null } : { upn: sa, failure: saUser.failure };
    const saId = "id" in saKey ? saKey.id : null;
    const groupReads = new Map<string, Collection>();
    const groupsDecided = new Set<string>();
    function planGroups(): void {
      const assignments = lists.roleAssignments;
      if (!saId || assignments.failure || assignedDirectly(assignments.rows, { upn: sa, id: saId })) return;
      const membership = then(rowsOf(lists.membership), (rows) => toMembership(rows).groupIds);
      const membershipComplete = membership.ok && lists.membership.next === null;
      for (const group of roleGroups(assignments.rows)) {
        if (groupsDecided.has(group.id)) continue;
        groupsDecided.add(group.id);
        if (membership.ok && (membership.value.includes(group.id) || membershipComplete)) continue;
        const found = assignments.pages > 1 ? `, found on page ${assignments.pages} of ${lists.roleAssignments.label}` : "";
        groupReads.set(group.id, plan(q.groupMembers(`g${groupReads.size + 1}`, group.id), `members of role group ${group.displayName || group.id}${found}`));
      }
    }

    // Work 365's service principals: their grants and app role assignments show admin consent.
    const consentReads = new Map<string, { sp: { id: string }; grants: Collection; appRoles: Collection }>();
    function planConsent(): void {
      const principals = then(rowsOf(lists.servicePrincipals), servicePrincipals);
      for (const sp of principals.ok ? principals.value : []) {
        if (consentReads.has(sp.id)) continue;
        const n = consentReads.size + 1;
        const label = `admin consent of ${sp.displayName || sp.appId}`;
        consentReads.set(sp.id, { sp, grants: plan(q.oauth2PermissionGrants(`p${n}`, sp.id), label), appRoles: plan(q.appRoleAssignments(`a${n}`, sp.id), label) });
      }
    }

    planGroups();
    planConsent();
    planPages();

    // Per-user MFA (beta) only where registration is strong (or still to be read) and no policy proves enforcement.
    // It cannot go in a v1.0 batch: a GET sent beside round 2's batch.
    let perUserMfa: Reading<PerUserMfaState> | undefined;
    const provisional = buildFacts(inputs());
    const saRegistration = sa ? mfa.get(key(sa)) : undefined;
    const maybeStrong = saRegistration === undefined || (saRegistration.ok && saRegistration.value.methods.some(isStrongMfaMethod));
    const policyMayChange = lists.policies.next !== null || lists.membership.next !== null;
    const readPerUser = saId !== null && maybeStrong && (policyMayChange || mfaEnforcedByPolicy(provisional) !== true);

    // ---- Round 2 and, only for what round 2's pages call for, later rounds: each one batch of all of it.
    let beta = readPerUser && saId ? () => readPerUserMfa(saId) : undefined;
    while (planned.length > 0 || beta) {
      const round = planned;
      planned = [];
      const reasons = [...new Set(round.map((p) => p.reason))];
      if (beta) reasons.push(`per-user MFA of ${sa} (beta)`);
      roundReasons.push(reasons);
      const list = round.map((p) => p.request);
      if (list.length > 0) progress(`Reading Microsoft Entra ID: ${describe(list)} (batch of ${list.length})`);
      const [answers] = await Promise.all([list.length > 0 ? transport.batch(list) : new Map<string, Outcome>(), beta?.()]);
      beta = undefined;
      for (const p of round) absorb(p.collection, answers.get(p.request.id));
      // What this round's pages revealed: role groups and service principals on later pages, and the pages after them.
      planGroups();
      planConsent();
      planPages();
    }

    // ---- Everything read, normalised.
    for (const [upnKey, c] of methodsReads) {
      const methods = rowsOf(c);
      const reported = reportSaidNo.get(upnKey);
      if (reported && !methods.ok) mfa.set(upnKey, ok({ ...reported, reportMayLag: true }));
      else mfa.set(upnKey, then(methods, (rows) => ({ methods: methodNames(rows), readFrom: "methods" as const })));
    }
    const facts = buildFacts(inputs());
    if (facts.serviceAccountPerUserMfa && !perUserMfaNeeded(facts)) delete facts.serviceAccountPerUserMfa;

    const signedIn = me.ok ? { id: me.value.id, upn: me.value.userPrincipalName, name: me.value.displayName } : null;
    return { facts, signedIn, signIn, stats: { ...transport.stats, rounds: 1 + roundReasons.length, roundReasons } };
  }

  return {
    read: (request) =>
      readGraph(request).catch((error: unknown): GraphReadResult => {
        if (error instanceof GraphAuthError || error instanceof GraphConnectionError) throw error;
        // A bug must not leave the preflight without an answer: every fact fails with it instead.
        const failure = readFailure("unexpected", error instanceof Error ? error.message : String(error));
        return { facts: allFailed(request, failure), signedIn: null, signIn: "user", stats: { httpRequests: 0, rounds: 0, innerRequests: 0, roundReasons: [] } };
      }),
  };
}

interface FactInputs {
  rows: {
    organization: Reading<Raw[]>;
    licences: Reading<Raw[]>;
    /** Absent when the Global Administrator is the service account: its licences answer. */
    gaLicences?: Reading<Raw[]>;
    membership: Reading<Raw[]>;
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
  /** The service account's group ids, from its transitiveMemberOf. */
  membership: Reading<string[]>;
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
    globalAdministratorLicences: no,
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
