import type {
  EnvironmentFacts,
  HeldReading,
  PersonalSettings,
  ReadFailure,
  Reading,
  SolutionRow,
  SystemJobsInFlight,
  UserRow,
} from "../checklist/types";
import { ENGLISH_LCID, SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID, WORK365_APPLICATION_IDS } from "../checklist/catalogue";
import { HttpError, TimeoutError, toReadFailure } from "./errors";
import {
  baseLanguageQuery,
  entraGroupTeamsQuery,
  nextLinkOptions,
  personalSettingsQuery,
  profilesQuery,
  PROVISIONED_LANGUAGES_FUNCTION,
  type Query,
  rolesQuery,
  solutionsQuery,
  systemJobsQuery,
  timeZonesQuery,
  usersQuery,
} from "./queries";
import {
  newestInstallFirst,
  type RawRow,
  toApplicationUserRow,
  toProfileRow,
  toRoleRow,
  toSolutionRow,
  toUserRow,
} from "./rows";

/**
 * The one method of `Xrm.WebApi` / `ComponentFramework.WebApi` the reader needs, so the same
 * reader runs over the control's `context.webAPI` and, later, over dataverse-ify in Node.
 */
export interface RetrieveMultiple {
  retrieveMultipleRecords(
    entityLogicalName: string,
    options?: string,
    maxPageSize?: number,
  ): Promise<{ entities: Record<string, unknown>[]; nextLink?: string }>;
}

/** A same-origin GET of a Web API function (e.g. `RetrieveProvisionedLanguages()`), which `webAPI` cannot call. */
export type GetJson = (pathUnderApi: string) => Promise<unknown>;

export interface ReadRequest {
  serviceAccountUpn: string;
  /** Unique name of the Work 365 solution; empty: find it by name. */
  work365SolutionName: string;
  adminProfileName: string;
  salesRoleName: string;
  /** After consent the System Administrator role is not expected, so the Entra group team hint is not read. */
  consentConfirmedInCycle: boolean;
  /** Upgrade mode: the service account's system jobs that have not completed are read too. */
  upgradeMode?: boolean;
}

export interface EnvironmentReader {
  read(request: ReadRequest): Promise<EnvironmentFacts>;
}

export interface ReaderDeps {
  webApi: RetrieveMultiple;
  getJson: GetJson;
  /** Injectable so tests do not wait; default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Aborted when the control is destroyed: no request, and no retry, starts after that. */
  signal?: AbortSignal;
  /** Waits between tries of a throttled request; its length bounds the retries. Default [1000, 2000, 4000]. */
  retryDelaysMs?: number[];
  /** Each call (each try, each page) is given up after this long. Default 30000. */
  requestTimeoutMs?: number;
  /** Bound on `@odata.nextLink` pages per query. Default 50. */
  maxPages?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 2000, 4000];
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PAGES = 50;
/** A `Retry-After` longer than this is not worth holding the form for. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Rows of every page read, and why reading stopped early, if it did. */
interface Rows {
  rows: RawRow[];
  failure?: ReadFailure;
}

const failed = (failure: ReadFailure): { ok: false; failure: ReadFailure } => ({ ok: false, failure });

/** Roles and profiles can be held several times over (direct and through teams, several pages). */
function uniqueById<T extends { id: string }>(rows: T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.id) && (seen.add(r.id), true));
}

/**
 * The reader: round 1 starts every request at once; round 2 starts, together, only the reads
 * round 1's answers call for (narrower retries after a 403, base language, Entra group teams).
 */
export function createEnvironmentReader(deps: ReaderDeps): EnvironmentReader {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retryDelays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxPages = deps.maxPages ?? DEFAULT_MAX_PAGES;

  /** Races one call against the timeout; the timer is always cleared so nothing keeps running. */
  function withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    const pending = fn(); // Started synchronously: round 1's requests all go out before any answer.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(timeoutMs)), timeoutMs);
    });
    return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  }

  /** One call; throttling is retried after a wait (webAPI gives no Retry-After, so we back off ourselves). */
  async function call<T>(fn: () => Promise<T>): Promise<Reading<T>> {
    for (let attempt = 0; ; attempt++) {
      if (deps.signal?.aborted) return failed({ kind: "unexpected", detail: "Stopped: the form was closed." });
      try {
        return { ok: true, value: await withTimeout(fn) };
      } catch (error) {
        const failure = toReadFailure(error);
        if (failure.kind !== "throttled" || attempt >= retryDelays.length) return failed(failure);
        const retryAfter = error instanceof HttpError ? error.retryAfterSeconds : undefined;
        await sleep(retryAfter !== undefined ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : retryDelays[attempt]);
      }
    }
  }

  async function page(entity: string, options: string): Promise<Reading<{ rows: RawRow[]; next: string | null }>> {
    const answer = await call(() => deps.webApi.retrieveMultipleRecords(entity, options));
    if (!answer.ok) return answer;
    const { entities, nextLink } = answer.value ?? {};
    if (!Array.isArray(entities)) {
      return failed({ kind: "unexpected", detail: `The answer for ${entity} has no entities.` });
    }
    return { ok: true, value: { rows: entities, next: nextLink ? nextLinkOptions(nextLink) : null } };
  }

  /** Every page of a query, following `@odata.nextLink`, bounded. */
  async function readAll(query: Query): Promise<Rows> {
    const rows: RawRow[] = [];
    let options: string | null = query.options;
    for (let n = 0; options !== null; n++) {
      if (n >= maxPages) {
        return { rows, failure: { kind: "unexpected", detail: `Stopped after ${maxPages} pages of ${query.entity}.` } };
      }
      const answer = await page(query.entity, options);
      if (!answer.ok) return { rows, failure: answer.failure };
      rows.push(...answer.value.rows);
      options = answer.value.next;
    }
    return { rows };
  }

  /** One page is the whole answer (`$top=1`, the single organization row). */
  async function readFirstPage(query: Query): Promise<Reading<RawRow[]>> {
    const answer = await page(query.entity, query.options);
    return answer.ok ? { ok: true, value: answer.value.rows } : answer;
  }

  async function readLanguages(): Promise<Reading<number[]>> {
    const answer = await call(() => deps.getJson(PROVISIONED_LANGUAGES_FUNCTION));
    if (!answer.ok) return answer;
    const codes = (answer.value as { RetrieveProvisionedLanguages?: unknown } | null)?.RetrieveProvisionedLanguages;
    return Array.isArray(codes) && codes.every((c) => typeof c === "number")
      ? { ok: true, value: codes as number[] }
      : failed({ kind: "unexpected", detail: "RetrieveProvisionedLanguages gave no list of language codes." });
  }

  /**
   * After a 403 on the direct-or-team read, the direct read alone needs no team privilege. It is
   * pointless when the missing privilege is one the direct read needs as well.
   */
  function narrowerRead(first: Rows, neededByDirect: string[], query: () => Query): Promise<Rows> | null {
    const f = first.failure;
    if (f?.kind !== "privilege-denied" || (f.privilege !== undefined && neededByDirect.includes(f.privilege))) return null;
    return readAll(query());
  }

  /** `found` from every read that answered; the first read's failure stays, so "not held" is never claimed. */
  function held<T extends { id: string }>(first: Rows, narrower: Rows | null, parse: (r: RawRow) => T): HeldReading<T> {
    const found = uniqueById([...first.rows, ...(narrower?.rows ?? [])].map(parse));
    return first.failure ? { found, failure: first.failure } : { found };
  }

  async function readFacts(request: ReadRequest): Promise<EnvironmentFacts> {
    // Dataverse compares case-insensitively but not trimmed; pasted UPNs often carry spaces.
    const upn = request.serviceAccountUpn.trim();
    const salesRole = request.salesRoleName.trim();
    const adminProfile = request.adminProfileName.trim();
    const noRows: Promise<Rows> = Promise.resolve({ rows: [] });

    // Round 1: all at once. Each read whose privilege may be missing on its own is its own request,
    // so a 403 there leaves the others standing.
    const [users, roles, profiles, solutionRows, languages, settingsRows, timeZoneRows, jobRows] = await Promise.all([
      readAll(usersQuery(upn)),
      upn ? readAll(rolesQuery(upn, salesRole, "direct-or-team")) : noRows,
      upn ? readAll(profilesQuery(upn, adminProfile, "direct-or-team")) : noRows,
      readAll(solutionsQuery(request.work365SolutionName.trim())),
      readLanguages(),
      upn ? readAll(personalSettingsQuery(upn)) : null,
      upn ? readAll(timeZonesQuery) : null,
      upn && request.upgradeMode ? readAll(systemJobsQuery(upn)) : null,
    ]);

    const lowerUpn = upn.toLowerCase();
    // No UPN: nobody to look for, which is not a failure even if the application users' read failed.
    const serviceAccount: Reading<UserRow | null> = !upn
      ? { ok: true, value: null }
      : users.failure
        ? failed(users.failure)
        : { ok: true, value: users.rows.map(toUserRow).find((u) => u.domainName.toLowerCase() === lowerUpn) ?? null };
    const work365ApplicationUsers: EnvironmentFacts["work365ApplicationUsers"] = users.failure
      ? failed(users.failure)
      : {
          ok: true,
          value: users.rows.map(toApplicationUserRow).filter((a) => WORK365_APPLICATION_IDS.includes(a.applicationId)),
        };
    const work365Solutions: Reading<SolutionRow[]> = solutionRows.failure
      ? failed(solutionRows.failure)
      : { ok: true, value: solutionRows.rows.map(toSolutionRow).sort(newestInstallFirst) };

    // Round 2: only what round 1's answers call for, started together.
    const narrowerRoles = narrowerRead(roles, ["prvReadRole", "prvReadUser"], () => rolesQuery(upn, salesRole, "direct"));
    const narrowerProfiles = narrowerRead(profiles, ["prvReadFieldSecurityProfile", "prvReadUser"], () =>
      profilesQuery(upn, adminProfile, "direct"),
    );
    const englishProvisioned = languages.ok && languages.value.includes(ENGLISH_LCID);
    const baseLanguageRead = englishProvisioned ? null : readFirstPage(baseLanguageQuery);

    // The group-team hint explains a System Administrator role that is not held; it is not needed
    // when the roles could not be read, when there is no service account (the role is pending then),
    // or after consent (the role is no longer expected).
    const sysAdminHeld = roles.rows.map(toRoleRow).some((r) => r.roleTemplateId === SYSTEM_ADMINISTRATOR_ROLE_TEMPLATE_ID);
    const work365Found = work365Solutions.ok && work365Solutions.value.length > 0;
    const accountMissing = serviceAccount.ok && serviceAccount.value === null;
    const wantGroupTeams =
      upn !== "" && !roles.failure && !accountMissing && !sysAdminHeld && !(work365Found && request.consentConfirmedInCycle);
    const groupTeamsRead = wantGroupTeams ? readFirstPage(entraGroupTeamsQuery) : null;

    const [rolesDirect, profilesDirect, baseLanguageRows, groupTeamRows] = await Promise.all([
      narrowerRoles,
      narrowerProfiles,
      baseLanguageRead,
      groupTeamsRead,
    ]);

    const facts: EnvironmentFacts = {
      serviceAccount,
      work365ApplicationUsers,
      rolesHeld: held(roles, rolesDirect, toRoleRow),
      profilesHeld: held(profiles, profilesDirect, toProfileRow),
      work365Solutions,
      provisionedLanguages: languages,
    };
    if (baseLanguageRows) {
      const code = baseLanguageRows.ok ? baseLanguageRows.value[0]?.languagecode : undefined;
      facts.baseLanguage = !baseLanguageRows.ok
        ? baseLanguageRows
        : typeof code === "number"
          ? { ok: true, value: code }
          : failed({ kind: "unexpected", detail: "The organization row has no languagecode." });
    }
    if (groupTeamRows) {
      facts.entraGroupTeamsExist = groupTeamRows.ok ? { ok: true, value: groupTeamRows.value.length > 0 } : groupTeamRows;
    }
    if (settingsRows && timeZoneRows) facts.personalSettings = personalSettings(settingsRows, timeZoneRows);
    if (jobRows) facts.systemJobs = jobRows.failure ? failed(jobRows.failure) : { ok: true, value: jobsInFlight(jobRows.rows) };
    return facts;
  }

  return {
    // Never rejects: a bug here must not leave the checklist spinning, so it fails every fact instead.
    read: (request) =>
      readFacts(request).catch((error: unknown): EnvironmentFacts => {
        const failure: ReadFailure = { kind: "unexpected", detail: error instanceof Error ? error.message : String(error) };
        return {
          serviceAccount: failed(failure),
          work365ApplicationUsers: failed(failure),
          rolesHeld: { found: [], failure },
          profilesHeld: { found: [], failure },
          work365Solutions: failed(failure),
          provisionedLanguages: failed(failure),
        };
      }),
  };
}

/** The settings row with its time zone's name; a failed read of the names only loses the name. */
function personalSettings(settings: Rows, timeZones: Rows): Reading<PersonalSettings | null> {
  if (settings.failure) return failed(settings.failure);
  const row = settings.rows[0];
  if (!row) return { ok: true, value: null };
  const { localeid, timezonecode } = row;
  if (typeof localeid !== "number" || typeof timezonecode !== "number") {
    return failed({ kind: "unexpected", detail: "The personal settings row has no localeid or timezonecode." });
  }
  const definition = timeZones.failure ? undefined : timeZones.rows.find((t) => t.timezonecode === timezonecode);
  const name = typeof definition?.userinterfacename === "string" && definition.userinterfacename ? definition.userinterfacename : null;
  return { ok: true, value: { localeId: localeid, timeZoneCode: timezonecode, timeZoneName: name } };
}

/** Rows come oldest first ($orderby). */
function jobsInFlight(rows: RawRow[]): SystemJobsInFlight {
  const first = rows[0];
  const oldest = first
    ? { name: typeof first.name === "string" ? first.name : "", createdOn: typeof first.createdon === "string" ? first.createdon : null }
    : null;
  return { count: rows.length, oldest };
}
