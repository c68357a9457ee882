/**
 * Sign-in failures, with a credential that throws exactly what @azure/identity throws: one line,
 * exit 3, no stack trace (unless --verbose), and nothing read.
 */
import { AuthenticationError, AuthenticationRequiredError, CredentialUnavailableError, type AccessToken, type TokenCredential } from "@azure/identity";
import { runCli, type CliIo } from "../../preflight/cli";
import { createTokens } from "../../preflight/auth";
import { parseArgs, type CheckOptions } from "../../preflight/options";
import { createStrings } from "../../preflight/strings";
import { oneLine, readResx } from "./helpers";

const resx = readResx();
const strings = createStrings(resx, 1033, "UTC");
const ARGS = ["check", "--environment", "https://contoso.crm.dynamics.com", "--upn", "w365serv@contoso.com"];

function io(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, env: { LANG: "en_US.UTF-8" } };
}

const failing = (error: unknown): TokenCredential => ({
  getToken: async () => {
    throw error;
  },
});

/** MSAL's error, as @azure/identity's handleMsalError wraps it. */
function msalError(name: string, errorCode: string, message: string): Error {
  return Object.assign(new Error(message), { name, errorCode });
}

async function run(credential: TokenCredential, extra: string[] = []) {
  const streams = io();
  const fetched: string[] = [];
  const code = await runCli([...ARGS, ...extra], streams, {
    resx,
    version: "9.9.9",
    timeZone: "UTC",
    createCredential: async () => credential,
    fetch: (async (url: string) => {
      fetched.push(String(url));
      throw new Error("no network in this test");
    }) as unknown as typeof fetch,
  });
  return { code, stdout: streams.out.join(""), stderr: streams.err.join(""), fetched };
}

describe("signing in", () => {
  it("a device code that expires: exit 3, one line that says to run again", async () => {
    const expired = new AuthenticationRequiredError({
      scopes: ["https://contoso.crm.dynamics.com/.default"],
      message: "Device code is expired.",
      cause: msalError("ClientAuthError", "device_code_expired", "device_code_expired: Device code is expired."),
    });
    const result = await run(failing(expired));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toEqual(["w365-preflight: the sign-in code expired before it was used: run the command again and enter the code within 15 minutes"]);
    expect(result.stdout).toBe("");
    expect(result.fetched).toEqual([]);
  });

  it("Entra ID's expired_token answer is an expired code too", async () => {
    const expired = new AuthenticationError(400, { error: "expired_token", error_description: "AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired." });
    const result = await run(failing(expired));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toEqual([expect.stringContaining("the sign-in code expired")]);
  });

  it("a sign-in the user cancels (declined, or Ctrl+C while waiting): exit 3, one line", async () => {
    const declined = new AuthenticationRequiredError({
      scopes: ["https://contoso.crm.dynamics.com/.default"],
      message: "authorization_declined: User declined to authorize.",
      cause: Object.assign(new Error("User declined"), { name: "ServerError", errorCode: "authorization_declined" }),
    });
    const aborted = Object.assign(new Error("The authentication has been aborted by the caller."), { name: "AbortError" });
    for (const error of [declined, aborted]) {
      const result = await run(failing(error));
      expect(result.code).toBe(3);
      expect(oneLine(result.stderr)).toEqual(["w365-preflight: sign-in cancelled: nothing was read"]);
      expect(result.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
  });

  it("Azure CLI not signed in: says which method cannot be used and why", async () => {
    const result = await run(failing(new CredentialUnavailableError("Please run 'az login' from a command prompt to authenticate before using this credential.")));
    expect(result.code).toBe(3);
    expect(oneLine(result.stderr)).toEqual(["w365-preflight: cannot sign in with --auth device-code: Please run 'az login' from a command prompt to authenticate before using this credential."]);
  });

  it("--verbose adds the details underneath", async () => {
    const result = await run(failing(new AuthenticationError(400, { error: "invalid_client", error_description: "AADSTS700016: Application not found" })), ["--verbose"]);
    expect(result.code).toBe(3);
    const lines = oneLine(result.stderr);
    expect(lines[0]).toMatch(/^w365-preflight: sign-in failed: .*AADSTS700016/);
    expect(lines.length).toBeGreaterThan(1);
  });

  it("a token is never printed, even when sign-in works and reading fails", async () => {
    const secret = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token";
    const credential: TokenCredential = { getToken: async (): Promise<AccessToken> => ({ token: secret, expiresOnTimestamp: Date.now() + 3600_000 }) };
    const result = await run(credential, ["--verbose"]);
    expect(result.code).toBe(3);
    expect(result.stderr + result.stdout).not.toContain(secret);
  });
});

describe("tokens", () => {
  const options = parseArgs(ARGS, {}, strings) as CheckOptions;

  it("one credential, one sign-in at a time; cached per resource; a refresh asks again", async () => {
    const asked: string[] = [];
    let active = 0;
    let most = 0;
    const credential: TokenCredential = {
      getToken: async (scopes) => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        asked.push(String(scopes));
        return { token: `t${asked.length}`, expiresOnTimestamp: Date.now() + 3600_000 };
      },
    };
    const tokens = createTokens(credential, options, strings);
    const [a, b] = await Promise.all([tokens.token("https://contoso.crm.dynamics.com"), tokens.token("https://graph.microsoft.com")]);
    expect(most).toBe(1);
    expect(asked).toEqual(["https://contoso.crm.dynamics.com/.default", "https://graph.microsoft.com/.default"]);
    expect(await tokens.token("https://contoso.crm.dynamics.com")).toBe(a);
    expect(await tokens.token("https://graph.microsoft.com", true)).not.toBe(b);
    expect(asked).toHaveLength(3);
  });

  it("no credential (--auth none): no token", async () => {
    expect(await createTokens(null, options, strings).token("http://127.0.0.1:1")).toBeNull();
  });
});
