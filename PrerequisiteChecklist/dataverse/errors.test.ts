import { HttpError, normalizeErrorCode, TimeoutError, toReadFailure } from "./errors";

const denied = "Principal user (Id=1b2c…, type=8) is missing prvReadRole privilege (Id=…) on OTC=1036 for entity 'role'.";

describe("normalizeErrorCode", () => {
  it.each([
    [2147746336, 0x80040220],
    [-2147220960, 0x80040220],
    ["0x80040220", 0x80040220],
    ["0X80040220", 0x80040220],
    ["-2147220960", 0x80040220],
    ["", undefined],
    ["nope", undefined],
    [undefined, undefined],
  ])("%p -> %p", (input, expected) => {
    expect(normalizeErrorCode(input)).toBe(expected);
  });
});

describe("toReadFailure", () => {
  it.each([2147746336, -2147220960, "0x80040220"])("privilege denied (%p) names the privilege", (errorCode) => {
    expect(toReadFailure({ errorCode, message: denied })).toEqual({
      kind: "privilege-denied",
      privilege: "prvReadRole",
      detail: denied,
    });
  });

  it("PrincipalPrivilegeDenied and HTTP 403 are privilege-denied too", () => {
    expect(toReadFailure({ errorCode: 0x80040231, message: "missing prvReadTeam" })).toMatchObject({
      kind: "privilege-denied",
      privilege: "prvReadTeam",
    });
    expect(toReadFailure(new HttpError(403, "Forbidden"))).toEqual({ kind: "privilege-denied", detail: "Forbidden" });
  });

  it.each([
    [{ errorCode: 0x80040217, message: "Does Not Exist" }, "not-found"],
    [{ errorCode: -2147220969, message: "Does Not Exist" }, "not-found"],
    [new HttpError(404, "Not here"), "not-found"],
    [{ errorCode: 2147951394, message: "Number of requests exceeded" }, "throttled"],
    [{ errorCode: "0x80072321", message: "Combined execution time exceeded" }, "throttled"],
    [{ errorCode: 0x80072326 - 2 ** 32, message: "Too many concurrent requests" }, "throttled"],
    [new HttpError(429, "Too Many Requests", { retryAfterSeconds: 5 }), "throttled"],
    [new HttpError(500, "Internal"), "server-error"],
    [new HttpError(503, "Unavailable"), "server-error"],
    [new TypeError("Failed to fetch"), "offline"],
    [new TypeError("NetworkError when attempting to fetch resource."), "offline"],
    [{ message: "You are offline" }, "offline"],
    [new TimeoutError(30000), "timeout"],
    [new TypeError("Cannot read properties of undefined"), "unexpected"],
    [{ errorCode: 0x80040216, message: "An unexpected error occurred." }, "unexpected"],
    ["just a string", "unexpected"],
  ])("%p -> %s", (error, kind) => {
    expect(toReadFailure(error).kind).toBe(kind);
  });

  it("keeps Dataverse's message as the detail", () => {
    expect(toReadFailure({ errorCode: 0x80040217, message: "role With Id = x Does Not Exist" }).detail).toBe(
      "role With Id = x Does Not Exist",
    );
    expect(toReadFailure(42).detail).toBe("42");
  });
});

describe("HttpError.fromResponse", () => {
  it("reads the code and message of a Web API error body and Retry-After", () => {
    const e = HttpError.fromResponse(
      429,
      JSON.stringify({ error: { code: "0x80072322", message: "Number of requests exceeded the limit of 6000 over time window of 300 seconds." } }),
      "12",
    );
    expect(e).toBeInstanceOf(HttpError);
    expect(e).toMatchObject({ status: 429, code: "0x80072322", retryAfterSeconds: 12 });
    expect(e.message).toMatch(/6000/);
    expect(toReadFailure(e).kind).toBe("throttled");
  });

  it("uses the code even when the status says otherwise, and survives a non-JSON body", () => {
    expect(toReadFailure(HttpError.fromResponse(400, '{"error":{"code":"0x80040220","message":"missing prvReadUser"}}'))).toEqual({
      kind: "privilege-denied",
      privilege: "prvReadUser",
      detail: "missing prvReadUser",
    });
    const html = HttpError.fromResponse(502, "<html>Bad gateway</html>", "Wed, 21 Oct 2015 07:28:00 GMT");
    expect(html).toMatchObject({ status: 502, code: undefined, retryAfterSeconds: undefined, message: "<html>Bad gateway</html>" });
  });
});
