import type { EnvironmentFacts } from "../checklist/types";

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
}

export interface EnvironmentReader {
  read(request: ReadRequest): Promise<EnvironmentFacts>;
}

// TODO(reader): createEnvironmentReader
