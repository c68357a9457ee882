import { parseArgs, type CheckOptions } from "../../preflight/options";
import { PreflightStop } from "../../preflight/errors";
import { createStrings } from "../../preflight/strings";
import { readResx } from "./helpers";

const strings = createStrings(readResx(), 1033, "UTC");
const parse = (...argv: string[]) => parseArgs(argv, {}, strings);
const check = (...argv: string[]) => parse("check", "--environment", "https://contoso.crm.dynamics.com", ...argv) as CheckOptions;

function refusal(argv: string[]): string {
  try {
    parseArgs(argv, {}, strings);
  } catch (error) {
    expect(error).toBeInstanceOf(PreflightStop);
    expect((error as PreflightStop).kind).toBe("usage");
    return (error as PreflightStop).message;
  }
  throw new Error(`accepted: ${argv.join(" ")}`);
}

describe("preflight options", () => {
  it("reads check with defaults, and the environment's origin from a pasted app address", () => {
    const options = parse("check", "--environment", "https://contoso.crm.dynamics.com/main.aspx?appid=1") as CheckOptions;
    expect(options).toMatchObject({
      command: "check",
      environment: "https://contoso.crm.dynamics.com",
      graphEndpoint: "https://graph.microsoft.com",
      auth: "device-code",
      format: "table",
      table: "w365_setup",
      column: "w365_checkliststate",
      save: false,
      verbose: false,
    });
    expect(options.upn).toBeUndefined();
    expect(options.tier).toBeUndefined();
  });

  it("takes every option, with = or a separate value", () => {
    const options = check(
      "--upn=w365serv@contoso.com",
      "--tier", "direct",
      "--mode", "upgrade",
      "--global-admin", "ga@contoso.com",
      "--integration-account", "pc@contoso.com",
      "--native-app-id", "{0C2B1F0E-4E3F-4D5A-9B8C-7D6E5F4A3B21}",
      "--graph-endpoint", "https://graph.microsoft.us",
      "--auth", "azure-cli",
      "--client-id", "11111111-2222-3333-4444-555555555555",
      "--tenant", "contoso.onmicrosoft.com",
      "--format", "markdown",
      "--output", "report.md",
      "--save",
      "--table", "w365_settings",
      "--column", "w365_state",
      "--verbose",
    );
    expect(options).toMatchObject({
      upn: "w365serv@contoso.com",
      tier: "direct",
      mode: "upgrade",
      globalAdmin: "ga@contoso.com",
      integrationAccount: "pc@contoso.com",
      nativeAppId: "0c2b1f0e-4e3f-4d5a-9b8c-7d6e5f4a3b21",
      graphEndpoint: "https://graph.microsoft.us",
      auth: "azure-cli",
      clientId: "11111111-2222-3333-4444-555555555555",
      tenant: "contoso.onmicrosoft.com",
      format: "markdown",
      output: "report.md",
      save: true,
      table: "w365_settings",
      column: "w365_state",
      verbose: true,
    });
  });

  it("accepts UPNs with quotes and non-ASCII letters: every query quotes them", () => {
    expect(check("--upn", "o'brien@contoso.com").upn).toBe("o'brien@contoso.com");
    expect(check("--upn", "jürgen.weiß@müller.de").upn).toBe("jürgen.weiß@müller.de");
  });

  it("--help and --version win over everything else", () => {
    expect(parse("--help")).toMatchObject({ command: "help" });
    expect(parse("check", "--bogus-free", "-h").command).toBe("help");
    expect(parse("--version")).toMatchObject({ command: "version" });
  });

  it.each([
    [["check"], /--environment is required/],
    [[], /no command/],
    [["chek", "--environment", "https://x.crm.dynamics.com"], /unknown command 'chek'/],
    [["check", "--environment", "contoso"], /'contoso' is not a web address/],
    [["check", "--environment", "ftp://contoso.crm.dynamics.com"], /is not a web address/],
    [["check", "--environment", "http://contoso.crm.dynamics.com"], /must use https/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--native-app-id", "not-a-guid"], /--native-app-id: 'not-a-guid' is not a GUID/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--client-id", "1234"], /--client-id: '1234' is not a GUID/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--upn", "w365serv"], /'w365serv' is not a user principal name/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--upn", "w365 serv@contoso.com"], /is not a user principal name/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--tier", "gold"], /--tier: 'gold' is not one of direct, indirect/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--format", "xml"], /--format: 'xml' is not one of table, json, markdown/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--auth", "password"], /--auth: 'password' is not one of/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--upn"], /--upn needs a value/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--upn", "--save"], /--upn needs a value/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--colour"], /unknown option --colour/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--save=yes"], /--save takes no value/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--upn", "a@b.c", "--upn", "d@e.f"], /--upn is given twice/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--table", "account"], /--table needs --column/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--table", "Bad Name", "--column", "x"], /'Bad Name' is not a logical name/],
    [["check", "--environment", "https://x.crm.dynamics.com", "--language", "klingon"], /--language: 'klingon' is not a language code/],
    [["check", "--environment", "https://x.crm.dynamics.com", "extra"], /unexpected argument 'extra'/],
  ])("refuses %j with one clear sentence", (argv, expected) => {
    const message = refusal(argv as string[]);
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
  });

  it("--auth none only for emulators on localhost or 127.0.0.1, for both endpoints", () => {
    const local = parse("check", "--environment", "http://127.0.0.1:5555", "--graph-endpoint", "http://localhost:5556", "--auth", "none") as CheckOptions;
    expect(local.auth).toBe("none");
    expect(refusal(["check", "--environment", "https://contoso.crm.dynamics.com", "--graph-endpoint", "http://127.0.0.1:5556", "--auth", "none"])).toMatch(
      /--auth none is only for emulators.*--environment https:\/\/contoso\.crm\.dynamics\.com/,
    );
    // The default Graph endpoint is the real one: refused too.
    expect(refusal(["check", "--environment", "http://127.0.0.1:5555", "--auth", "none"])).toMatch(/--graph-endpoint https:\/\/graph\.microsoft\.com/);
  });
});
