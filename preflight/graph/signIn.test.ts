import { isDelegatedOnlyAnswer, signInOfToken } from "./signIn";

const jwt = (claims: Record<string, unknown>) => ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "sig"].join(".");

describe("signInOfToken", () => {
  it("a delegated token carries scp: a user", () => {
    expect(signInOfToken(jwt({ scp: "User.Read Policy.Read.All", oid: "u1", idtyp: "user" }))).toBe("user");
  });

  it("an app-only token carries roles and no scp (idtyp app when present): an application", () => {
    expect(signInOfToken(jwt({ roles: ["User.Read.All"], oid: "sp1", idtyp: "app" }))).toBe("application");
    expect(signInOfToken(jwt({ roles: ["User.Read.All"], oid: "sp1" }))).toBe("application");
    // An app with no application permission granted yet still has no scp.
    expect(signInOfToken(jwt({ oid: "sp1" }))).toBe("application");
  });

  it("a token it cannot read is taken as a user's, so /me's answer decides", () => {
    expect(signInOfToken("opaque")).toBe("user");
    expect(signInOfToken("a.%%%.c")).toBe("user");
    expect(signInOfToken(jwt({}))).toBe("user");
  });
});

describe("isDelegatedOnlyAnswer", () => {
  const answer = (status: number, code: string, message: string) => ({ status, headers: {}, body: { error: { code, message } } });

  it("recognises Graph's 400 for /me with an app-only token", () => {
    expect(isDelegatedOnlyAnswer(answer(400, "BadRequest", "/me request is only valid with delegated authentication flow."))).toBe(true);
  });

  it("leaves other 400s and other statuses alone", () => {
    expect(isDelegatedOnlyAnswer(answer(400, "BadRequest", "Invalid filter clause"))).toBe(false);
    expect(isDelegatedOnlyAnswer(answer(403, "Authorization_RequestDenied", "delegated authentication"))).toBe(false);
  });
});
