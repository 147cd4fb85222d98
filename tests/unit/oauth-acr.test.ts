// The step-up rules of lib/oauth/authorize/acr.ts on their own (the integration test
// authorize-acr.test.ts runs them through the authorization endpoint).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR, acrOf, parseAcrRequest, stepUpNeeded, withMethods } from "../../lib/oauth/authorize/acr.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";

const has = (answer: boolean) => async () => answer;
const voluntary = { values: [ACR_MULTI_FACTOR], essential: false };
const essential = { values: [ACR_MULTI_FACTOR], essential: true };

describe("acr and step-up", () => {
  test("acr follows mfa in amr", () => {
    assert.equal(acrOf(["pwd"]), ACR_SINGLE_FACTOR);
    assert.equal(acrOf(["pwd", "otp", "mfa"]), ACR_MULTI_FACTOR);
    assert.equal(acrOf(["swk", "user", "mfa"]), ACR_MULTI_FACTOR);
  });

  test("withMethods adds each method once and keeps mfa last", () => {
    assert.deepEqual(withMethods(["pwd"], ["otp", "mfa"]), ["pwd", "otp", "mfa"]);
    assert.deepEqual(withMethods(["pwd", "otp", "mfa"], ["hwk", "user", "mfa"]), ["pwd", "otp", "hwk", "user", "mfa"]);
  });

  const cases: ReadonlyArray<readonly [string, Parameters<typeof stepUpNeeded>, string]> = [
    ["nothing asked", [undefined, false, ["pwd"], has(true)], "none"],
    ["the client requires it", [undefined, true, ["pwd"], has(false)], "second_factor"],
    ["the client requires it, already met", [undefined, true, ["pwd", "otp", "mfa"], has(true)], "none"],
    ["voluntary, with a second factor", [voluntary, false, ["pwd"], has(true)], "second_factor"],
    ["voluntary, without one", [voluntary, false, ["pwd"], has(false)], "none"],
    ["essential, without one", [essential, false, ["pwd"], has(false)], "second_factor"],
    ["single factor acceptable", [{ values: [ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR], essential: true }, false, ["pwd"], has(true)], "none"],
    ["essential unknown", [{ values: ["urn:x"], essential: true }, false, ["pwd"], has(true)], "unmet"],
    ["essential unknown, mfa session", [{ values: ["urn:x"], essential: true }, false, ["pwd", "otp", "mfa"], has(true)], "unmet"],
    ["voluntary unknown", [{ values: ["urn:x"], essential: false }, false, ["pwd"], has(true)], "none"],
  ];
  for (const [name, args, expected] of cases) {
    test(`step-up: ${name} → ${expected}`, async () => assert.equal(await stepUpNeeded(...args), expected));
  }

  test("the claims parameter's essential acr wins over acr_values", () => {
    const params = rawParams([
      ["acr_values", ACR_SINGLE_FACTOR],
      ["claims", JSON.stringify({ id_token: { acr: { essential: true, value: ACR_MULTI_FACTOR } } })],
    ]);
    assert.deepEqual(parseAcrRequest(params), essential);
    assert.deepEqual(parseAcrRequest(rawParams([["acr_values", `${ACR_MULTI_FACTOR}  x`]])), {
      values: [ACR_MULTI_FACTOR, "x"],
      essential: false,
    });
    assert.equal(parseAcrRequest(rawParams([["claims", JSON.stringify({ userinfo: { email: null } })]])), undefined);
  });
});
