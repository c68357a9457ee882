/**
 * Whether Graph sees a signed-in user or an application. An app-only token (client credentials:
 * `--auth environment` with a secret or certificate, or a service principal's Azure CLI login)
 * has no user: `/me` answers 400, and `licenseDetails` has no application permission, so the reader
 * plans round 1 differently. The token's claims say which, before anything is sent; the token itself
 * is only decoded here, never kept, printed or logged.
 */
import type { GraphAnswer } from "./errors";
import { graphError } from "./errors";

export type SignIn = "user" | "application";

/** A delegated token carries `scp` (its scopes); an app-only one carries none (`idtyp` "app", `roles`). Unreadable: "user", and `/me`'s answer decides. */
export function signInOfToken(token: string): SignIn {
  const payload = token.split(".")[1];
  if (!payload) return "user";
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return "user";
  }
  if (typeof claims !== "object" || claims === null) return "user";
  const { scp, idtyp } = claims as { scp?: unknown; idtyp?: unknown };
  if (typeof scp === "string" && scp.trim() !== "") return "user";
  return idtyp === "app" || "roles" in claims || "oid" in claims ? "application" : "user";
}

/** Graph's answer to `/me` for an app-only token: 400 "/me request is only valid with delegated authentication flow." */
export function isDelegatedOnlyAnswer(answer: GraphAnswer): boolean {
  const { code, message } = graphError(answer.body);
  return answer.status === 400 && code === "BadRequest" && /delegated authentication/i.test(message ?? "");
}
