/**
 * What stops the preflight before it can say anything about the tenant: bad input, a sign-in that
 * failed, an endpoint that does not answer, a stored value it must not touch. Each is one sentence
 * for the admin (already translated) and exit code 3; the stack is shown only with --verbose.
 */
export type StopKind = "usage" | "sign-in" | "connection" | "stored-value";

export class PreflightStop extends Error {
  readonly kind: StopKind;
  /** What went wrong underneath, shown with --verbose. */
  readonly cause?: unknown;

  constructor(kind: StopKind, message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = "PreflightStop";
    this.kind = kind;
    this.cause = options?.cause;
  }
}

export const EXIT = {
  /** Nothing blocks the next stage. */
  ready: 0,
  /** Something blocks the next stage. */
  blocked: 1,
  /** Something that blocks could not be checked (or the stage cannot be told). */
  unknown: 2,
  /** Usage, sign-in or connection error. */
  stopped: 3,
} as const;
