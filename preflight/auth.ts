/**
 * Signing in: one @azure/identity credential per run gives tokens for both Dataverse
 * (`<environment>/.default`) and Microsoft Graph (`<graph>/.default`). Tokens stay in memory and
 * are never printed, logged or written.
 */
import type { GetTokenOptions, TokenCredential } from "@azure/identity";
import { PreflightStop } from "./errors";
import type { CheckOptions } from "./options";
import type { Strings } from "./strings";

/**
 * The app that signs in when `--client-id` is not given: @azure/identity's own default for
 * developer sign-in (the Azure CLI's public client), which is pre-authorised for Dataverse and
 * Microsoft Graph in every tenant, so the preflight works without registering anything. Its Graph
 * token carries only the permissions Microsoft pre-authorised for it; register an app (README) to
 * read everything.
 */
export const DEFAULT_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
/** Work or school accounts of any tenant; the token's tenant is the signed-in user's. */
export const DEFAULT_TENANT = "organizations";

export interface Tokens {
  /** An access token for a resource origin; `refresh`: forget the cached one and ask again (after a 401). Null: no sign-in (`--auth none`). */
  token(resource: string, refresh?: boolean): Promise<string | null>;
}

export interface CredentialContext {
  options: CheckOptions;
  env: Record<string, string | undefined>;
  strings: Strings;
  /** Where sign-in instructions go (stderr). */
  say(line: string): void;
}

export type CredentialFactory = (context: CredentialContext) => Promise<TokenCredential>;

/** The credential `--auth` names. @azure/identity is loaded only here, so `--help` stays fast. */
export const createCredential: CredentialFactory = async ({ options, env, strings, say }) => {
  const identity = await import("./lazy/identity");
  const tenantId = options.tenant ?? DEFAULT_TENANT;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  switch (options.auth) {
    case "browser":
      say(strings.text("Preflight_SignIn_Browser"));
      return new identity.InteractiveBrowserCredential({ tenantId, clientId, redirectUri: "http://localhost" });
    case "azure-cli":
      return new identity.AzureCliCredential(options.tenant ? { tenantId: options.tenant } : {});
    case "environment": {
      // --client-id / --tenant override AZURE_CLIENT_ID / AZURE_TENANT_ID; the secret or certificate stays in the environment.
      if (!options.clientId && !options.tenant) return new identity.EnvironmentCredential();
      const tenant = options.tenant ?? env.AZURE_TENANT_ID;
      const client = options.clientId ?? env.AZURE_CLIENT_ID;
      if (!tenant || !client) throw new PreflightStop("sign-in", strings.text("Preflight_SignIn_EnvironmentMissing"));
      if (env.AZURE_CLIENT_SECRET) return new identity.ClientSecretCredential(tenant, client, env.AZURE_CLIENT_SECRET);
      if (env.AZURE_CLIENT_CERTIFICATE_PATH) {
        return new identity.ClientCertificateCredential(tenant, client, {
          certificatePath: env.AZURE_CLIENT_CERTIFICATE_PATH,
          certificatePassword: env.AZURE_CLIENT_CERTIFICATE_PASSWORD,
        });
      }
      throw new PreflightStop("sign-in", strings.text("Preflight_SignIn_EnvironmentMissing"));
    }
    default:
      return new identity.DeviceCodeCredential({
        tenantId,
        clientId,
        userPromptCallback: (info) => say(strings.text("Preflight_SignIn_DeviceCode", { url: info.verificationUri, code: info.userCode })),
      });
  }
};

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/** MSAL's and Entra ID's error code, wherever @azure/identity put it. */
function errorCodeOf(error: unknown): string {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = field(e, "cause"), depth++) {
    const code = field(e, "errorCode") ?? field(field(e, "errorResponse"), "error");
    if (typeof code === "string" && code) return code;
  }
  return "";
}

const CANCELLED = ["authorization_declined", "access_denied", "user_cancelled", "device_code_polling_cancelled"];
const EXPIRED = ["expired_token", "device_code_expired", "code_expired"];

/** What @azure/identity throws → one sentence for the admin. */
export function signInStop(error: unknown, options: CheckOptions, strings: Strings): PreflightStop {
  if (error instanceof PreflightStop) return error;
  const name = String(field(error, "name") ?? "");
  const code = errorCodeOf(error);
  const message = String(field(error, "message") ?? error);
  // Entra ID's own sentence (AADSTS…) says most; @azure/identity's message starts with the bare code.
  const description = field(field(error, "errorResponse"), "errorDescription");
  const detail = (typeof description === "string" && description.trim() ? description : message).split(/\r?\n/)[0].trim();
  if (name === "AbortError" || CANCELLED.includes(code)) return new PreflightStop("sign-in", strings.text("Preflight_SignIn_Cancelled"), { cause: error });
  if (EXPIRED.includes(code) || /AADSTS70020\b|device code (has )?expired|code (has )?expired/i.test(message)) {
    return new PreflightStop("sign-in", strings.text("Preflight_SignIn_CodeExpired"), { cause: error });
  }
  if (name === "CredentialUnavailableError") {
    return new PreflightStop("sign-in", strings.text("Preflight_SignIn_Unavailable", { method: options.auth, detail }), { cause: error });
  }
  return new PreflightStop("sign-in", strings.text("Preflight_SignIn_Failed", { detail }), { cause: error });
}

/** A refresh this close to expiry is taken early, so a long run does not send a dead token. */
const EARLY_MS = 2 * 60_000;

/**
 * Tokens from one credential, cached per resource. Calls are serialised: a device-code sign-in
 * must happen once, and the second resource then comes silently from the same account.
 */
export function createTokens(credential: TokenCredential | null, options: CheckOptions, strings: Strings, signal?: AbortSignal): Tokens {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    token(resource, refresh = false) {
      if (!credential) return Promise.resolve(null);
      const next = queue.then(async () => {
        const cached = cache.get(resource);
        if (!refresh && cached && cached.expiresAt - EARLY_MS > Date.now()) return cached.token;
        cache.delete(resource);
        const tokenOptions: GetTokenOptions = signal ? { abortSignal: signal } : {};
        let answer;
        try {
          answer = await credential.getToken(`${resource}/.default`, tokenOptions);
        } catch (error) {
          throw signInStop(error, options, strings);
        }
        if (!answer?.token) throw new PreflightStop("sign-in", strings.text("Preflight_SignIn_Failed", { detail: resource }));
        cache.set(resource, { token: answer.token, expiresAt: answer.expiresOnTimestamp });
        return answer.token;
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
