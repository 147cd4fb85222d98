import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { s256, verifyCodeVerifier } from "../../lib/oauth/pkce.ts";
import { isSubset, parseScope } from "../../lib/oauth/scope.ts";

describe("PKCE S256 (RFC 7636)", () => {
  const verifier = "dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const challenge = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";

  test("is BASE64URL(SHA-256(verifier)) without padding", async () => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
    assert.equal(s256(verifier), Buffer.from(digest).toString("base64url"));
    assert.equal(s256(verifier), challenge);
  });

  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["the right verifier", verifier, true],
    ["a wrong verifier", `${verifier.slice(0, -1)}l`, false],
    ["the challenge itself (plain)", challenge, false],
    ["a verifier of 42 characters", "a".repeat(42), false],
    ["a verifier of 129 characters", "a".repeat(129), false],
    ["a verifier with a space", `${verifier.slice(0, -1)} `, false],
    ["a verifier with a non-ASCII character", `${verifier.slice(0, -1)}é`, false],
    ["an empty verifier", "", false],
  ];
  for (const [name, candidate, expected] of cases) {
    test(`${expected ? "accepts" : "refuses"} ${name}`, () => assert.equal(verifyCodeVerifier(candidate, challenge), expected));
  }

  test("accepts verifiers of 43 and 128 characters from the full alphabet", () => {
    for (const candidate of ["A".repeat(43), `${"aZ09-._~".repeat(16)}`]) {
      assert.equal(verifyCodeVerifier(candidate, s256(candidate)), true);
    }
  });
});

describe("scope (RFC 6749 §3.3)", () => {
  test("splits on spaces and drops repeats", () => assert.deepEqual(parseScope("openid  email openid"), ["openid", "email"]));
  test("refuses a quote, a backslash or a control character", () => {
    for (const bad of ['open"id', "open\\id", "open\tid", "é"]) assert.equal(parseScope(bad), undefined);
  });
  test("checks subsets", () => {
    assert.equal(isSubset(["openid"], ["openid", "email"]), true);
    assert.equal(isSubset(["openid", "admin"], ["openid", "email"]), false);
  });
});
