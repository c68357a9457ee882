import { request, type Answer } from "../emulator/helpers";

// The same plain http client as the Dataverse emulator's tests (dropped and held connections are easy to observe).
export { request, type Answer };

export interface InnerRequest {
  id: string;
  method: string;
  url: string;
}
export interface InnerResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export const batchOf = (urls: Record<string, string>): InnerRequest[] => Object.entries(urls).map(([id, url]) => ({ id, method: "GET", url }));

export async function postBatch(base: string, requests: InnerRequest[], headers: Record<string, string> = {}): Promise<Answer> {
  return request(`${base}/v1.0/$batch`, { method: "POST", body: { requests }, headers });
}

/** A `$filter` string literal as graph-requests.md builds it: quotes doubled, then percent-encoded. */
export const literal = (value: string) => encodeURIComponent(value.replace(/'/g, "''"));
export const seg = (upn: string) => encodeURIComponent(upn);
export const filter = (text: string) => encodeURIComponent(text);

export const GA_TEMPLATE = "62e90394-69f5-4237-9190-012177145e10";
export const WORK365_APPS = ["e4b1a995-abe3-4350-a61c-65fccd32e8bd", "5e56ae97-9be1-40d3-938b-99ea52175a30"];

export interface PreflightArgs {
  upn: string;
  tier: string;
  globalAdmin?: string;
  integrationAccount?: string;
  nativeAppId?: string;
}

export function parseArgs(args: string[]): PreflightArgs {
  const value = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return {
    upn: value("--upn") ?? "w365serv@contoso.com",
    tier: value("--tier") ?? "indirect",
    globalAdmin: value("--global-admin"),
    integrationAccount: value("--integration-account"),
    nativeAppId: value("--native-app-id"),
  };
}

/** The report's ids, one request per account: r6 the service account, r6b the Global Administrator, r6c the integration account. */
export const REPORT_IDS = ["r6", "r6b", "r6c"];

/** One account's row of the registration report: `eq` alone, as Learn documents it (no `or`, no `$select`). */
export const reportUrl = (upn: string) => `/reports/authenticationMethods/userRegistrationDetails?$filter=userPrincipalName%20eq%20'${literal(upn)}'`;

/** Round 1 of graph-requests.md, exactly as the preflight builds it (r7 only with --global-admin, r15–r17 only 1-Tier). */
export function roundOne(a: PreflightArgs): Record<string, string> {
  const user = "$select=id,userPrincipalName,displayName,accountEnabled";
  const licensedUser = `${user},assignedLicenses,assignedPlans`;
  const r: Record<string, string> = {
    r1: "/me?$select=id,userPrincipalName,displayName",
    r2: "/organization?$select=id",
    r3: `/users/${seg(a.upn)}?${licensedUser}`,
    r4: `/users/${seg(a.upn)}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`,
    r5: `/users/${seg(a.upn)}/transitiveMemberOf`,
    r6: reportUrl(a.upn),
    r8: `/roleManagement/directory/roleAssignments?$filter=${filter(`roleDefinitionId eq '${GA_TEMPLATE}'`)}&$expand=principal`,
    r9: `/roleManagement/directory/roleEligibilityScheduleInstances?$filter=${filter(`roleDefinitionId eq '${GA_TEMPLATE}'`)}`,
    r10: "/policies/identitySecurityDefaultsEnforcementPolicy?$select=isEnabled",
    r11: "/identity/conditionalAccess/policies?$select=id,displayName,state,conditions,grantControls,createdDateTime,modifiedDateTime",
    r12: "/domains?$select=id,authenticationType",
    r13: "/subscribedSkus?$select=skuId,skuPartNumber,capabilityStatus,consumedUnits,prepaidUnits,servicePlans",
    r14: `/servicePrincipals?$filter=${filter(`appId in (${WORK365_APPS.map((id) => `'${id}'`).join(",")})`)}&$select=id,appId,displayName`,
  };
  // The named Global Administrator's and the integration account's rows (the signed-in admin's UPN is not known in round 1), each account once.
  const asked = [a.upn.toLowerCase()];
  for (const [id, upn] of [["r6b", a.globalAdmin], ["r6c", a.integrationAccount]] as const) {
    if (upn && !asked.includes(upn.toLowerCase())) r[id] = reportUrl(upn);
    if (upn) asked.push(upn.toLowerCase());
  }
  if (a.globalAdmin) r.r7 = `/users/${seg(a.globalAdmin)}?${licensedUser}`;
  // The Global Administrator's licences: by UPN when named, else the signed-in admin's own; not again for the service account.
  if (a.globalAdmin?.toLowerCase() !== a.upn.toLowerCase()) {
    r.r18 = `${a.globalAdmin ? `/users/${seg(a.globalAdmin)}` : "/me"}/licenseDetails?$select=skuId,skuPartNumber,servicePlans`;
  }
  if (a.integrationAccount) {
    r.r15 = `/users/${seg(a.integrationAccount)}?${user}`;
    r.r16 = `/users/${seg(a.integrationAccount)}/memberOf?$select=id,displayName`;
  }
  if (a.nativeAppId) {
    r.r17 = `/applications(appId='${literal(a.nativeAppId)}')?$select=appId,displayName,isFallbackPublicClient,publicClient,requiredResourceAccess`;
  }
  return r;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Send a batch like a careful client: wait `Retry-After` and resend when the envelope or an inner
 * request is throttled (at most `tries` times), then return the final inner answers by id.
 */
export async function batchWithRetry(base: string, urls: Record<string, string>, tries = 4): Promise<Map<string, InnerResponse>> {
  const done = new Map<string, InnerResponse>();
  let pending = batchOf(urls);
  for (let attempt = 0; attempt < tries && pending.length; attempt++) {
    const answer = await postBatch(base, pending);
    if (answer.status === 429) {
      await sleep(Number(answer.headers["retry-after"] ?? 1) * 1000);
      continue;
    }
    if (answer.status !== 200) throw new Error(`batch answered ${answer.status}: ${answer.text}`);
    let wait = 0;
    for (const r of answer.json.responses as InnerResponse[]) {
      done.set(r.id, r);
      if (r.status === 429) wait = Math.max(wait, Number(r.headers["Retry-After"] ?? 1));
    }
    pending = pending.filter((p) => done.get(p.id)?.status === 429);
    if (pending.length) await sleep(wait * 1000);
  }
  return done;
}

/** GET with the same patience, for nextLinks and the beta request. */
export async function getWithRetry(url: string, tries = 4): Promise<Answer> {
  for (let attempt = 0; ; attempt++) {
    const answer = await request(url);
    if (answer.status !== 429 || attempt >= tries - 1) return answer;
    await sleep(Number(answer.headers["retry-after"] ?? 1) * 1000);
  }
}

/** Follow `@odata.nextLink`s to the end; returns every item and how many pages it took. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function allPages(first: any): Promise<{ items: any[]; pages: number; links: string[] }> {
  const items = [...(first.value ?? [])];
  const links: string[] = [];
  let next: string | undefined = first["@odata.nextLink"];
  let pages = 1;
  while (next) {
    links.push(next);
    const answer = await getWithRetry(next);
    if (answer.status !== 200) throw new Error(`${next} answered ${answer.status}: ${answer.text}`);
    items.push(...answer.json.value);
    next = answer.json["@odata.nextLink"];
    pages++;
  }
  return { items, pages, links };
}

export interface Reads {
  round1: Map<string, InnerResponse>;
  /** Every item of a round-1 collection, all pages followed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  items(id: string): any[];
  /** Every answer body of rounds 1 and 2 with the route it came from, for shape checks. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  bodies: { endpoint: string; id: string; status: number; body: any }[];
  endpointsAnswered: Set<string>;
}

/** Endpoint of each round-1 id (graph-requests.md numbering). */
export const ROUND_ONE_ENDPOINTS: Record<string, string> = {
  r1: "me",
  r2: "organization",
  r3: "users",
  r4: "licenseDetails",
  r5: "transitiveMemberOf",
  r6: "userRegistrationDetails",
  r6b: "userRegistrationDetails",
  r6c: "userRegistrationDetails",
  r7: "users",
  r18: "licenseDetails",
  r8: "roleAssignments",
  r9: "roleEligibilityScheduleInstances",
  r10: "securityDefaults",
  r11: "conditionalAccessPolicies",
  r12: "domains",
  r13: "subscribedSkus",
  r14: "servicePrincipals",
  r15: "users",
  r16: "memberOf",
  r17: "applications",
};

/**
 * What the preflight reads from a scenario: round 1 in one batch, then round 2 (nextLinks as plain
 * GETs; authentication/methods, group transitive members and service principal grants in one batch;
 * the beta per-user MFA state beside it, always, so the endpoint is exercised).
 */
export async function readLikeThePreflight(base: string, args: string[]): Promise<Reads> {
  const a = parseArgs(args);
  const me = await getWithRetry(`${base}/v1.0/me?$select=id,userPrincipalName,displayName`);
  const gaUpn = a.globalAdmin ?? me.json.userPrincipalName;
  const urls = roundOne(a);
  const round1 = await batchWithRetry(base, urls);
  const bodies: Reads["bodies"] = [];
  const endpointsAnswered = new Set<string>();
  const note = (endpoint: string, id: string, status: number, body: unknown) => {
    bodies.push({ endpoint, id, status, body });
    if (status === 200) endpointsAnswered.add(endpoint);
  };
  for (const [id, r] of round1) {
    note(ROUND_ONE_ENDPOINTS[id], id, r.status, r.body);
    for (let next = r.body?.["@odata.nextLink"]; next; ) {
      const page = await getWithRetry(next);
      note(ROUND_ONE_ENDPOINTS[id], `${id}+page`, page.status, page.json);
      next = page.json?.["@odata.nextLink"];
    }
  }
  const items = (id: string) => bodies.filter((b) => (b.id === id || b.id === `${id}+page`) && b.status === 200).flatMap((b) => b.body.value ?? []);
  const second: Record<string, string> = {};
  if (REPORT_IDS.some((id) => round1.has(id) && round1.get(id)?.status !== 200)) {
    [a.upn, gaUpn, ...(a.integrationAccount ? [a.integrationAccount] : [])].forEach((u, i) => {
      second[`m${i}`] = `/users/${seg(u)}/authentication/methods`;
    });
  }
  for (const assignment of items("r8")) {
    if (assignment.principal?.["@odata.type"] === "#microsoft.graph.group") second[`g-${assignment.principal.id}`] = `/groups/${assignment.principal.id}/transitiveMembers?$select=id`;
  }
  for (const sp of items("r14")) {
    second[`grants-${sp.id}`] = `/servicePrincipals/${sp.id}/oauth2PermissionGrants?$select=consentType,scope`;
    second[`roles-${sp.id}`] = `/servicePrincipals/${sp.id}/appRoleAssignments?$select=id,resourceDisplayName`;
  }
  const endpointOf = (id: string) =>
    id.startsWith("m") ? "authenticationMethods" : id.startsWith("g-") ? "transitiveMembers" : id.startsWith("grants-") ? "oauth2PermissionGrants" : "appRoleAssignments";
  if (Object.keys(second).length) {
    for (const [id, r] of await batchWithRetry(base, second)) {
      note(endpointOf(id), id, r.status, r.body);
      for (let next = r.body?.["@odata.nextLink"]; next; ) {
        const page = await getWithRetry(next);
        note(endpointOf(id), `${id}+page`, page.status, page.json);
        next = page.json?.["@odata.nextLink"];
      }
    }
  }
  const sa = round1.get("r3");
  if (sa?.status === 200) {
    const beta = await getWithRetry(`${base}/beta/users/${sa.body.id}/authentication/requirements`);
    note("authenticationRequirements", "beta", beta.status, beta.json);
  }
  return { round1, items, bodies, endpointsAnswered };
}
