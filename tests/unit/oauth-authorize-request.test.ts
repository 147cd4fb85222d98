import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { identifyClient, parseAuthorizationRequest, RedirectableError, UntrustedRedirect } from "../../lib/oauth/authorize/request.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import type { Client } from "../../lib/oauth/types.ts";
import { testClient } from "../support/clients.ts";

const client = testClient();
const find = async (id: string): Promise<Client | null> => (id === client.clientId ? client : null);
const challenge = "ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc";
const valid: ReadonlyArray<readonly [string, string]> = [
  ["response_type", "code"],
  ["client_id", client.clientId],
  ["redirect_uri", client.redirectUris[0]!],
  ["scope", "openid email"],
  ["state", "xyz"],
  ["code_challenge", challenge],
  ["code_challenge_method", "S256"],
];
const withParams = (changes: Record<string, string | string[] | null>) => {
  const entries = valid.filter(([name]) => !(name in changes)).map(([n, v]) => [n, v] as const);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) entries.push([name, v]);
  }
  return rawParams(entries);
};

describe("authorization request: client and redirect URI come first and are never redirected", () => {
  const cases: ReadonlyArray<readonly [string, Record<string, string | string[] | null>, RegExp]> = [
    ["a missing client_id", { client_id: null }, /client_id is missing/],
    ["an unknown client_id", { client_id: "nope" }, /unknown client_id/],
    ["a repeated client_id", { client_id: [client.clientId, client.clientId] }, /client_id must not be repeated/],
    ["a missing redirect_uri", { redirect_uri: null }, /redirect_uri is missing/],
    ["an unregistered redirect_uri", { redirect_uri: "https://evil.example.com/cb" }, /not registered/],
    [
      "a repeated redirect_uri",
      { redirect_uri: [client.redirectUris[0]!, "https://evil.example.com/cb"] },
      /redirect_uri must not be repeated/,
    ],
  ];
  for (const [name, changes, message] of cases) {
    test(`shows an error page for ${name}`, async () => {
      await assert.rejects(identifyClient(withParams(changes), find), (error: unknown) => {
        assert.ok(error instanceof UntrustedRedirect);
        assert.equal(error.error.error, "invalid_request");
        assert.match(error.error.description, message);
        return true;
      });
    });
  }

  test("refuses a disabled client like an unknown one", async () => {
    const disabled = async () => testClient({ disabled: true });
    await assert.rejects(identifyClient(withParams({}), disabled), UntrustedRedirect);
  });
});

describe("authorization request: later errors are redirected with the state", () => {
  const cases: ReadonlyArray<readonly [string, Record<string, string | string[] | null>, string, RegExp]> = [
    ["a missing response_type", { response_type: null }, "invalid_request", /response_type is missing/],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type", /only response_type=code/],
    ["response_type=code id_token", { response_type: "code id_token" }, "unsupported_response_type", /only response_type=code/],
    ["no code_challenge", { code_challenge: null }, "invalid_request", /code_challenge is required/],
    ["no code_challenge_method", { code_challenge_method: null }, "invalid_request", /required and must be S256/],
    ["code_challenge_method=plain", { code_challenge_method: "plain" }, "invalid_request", /must be S256/],
    ["a short code_challenge", { code_challenge: challenge.slice(1) }, "invalid_request", /43 characters/],
    ["a code_challenge with bad characters", { code_challenge: `${challenge.slice(1)}=` }, "invalid_request", /43 characters/],
    ["no scope", { scope: null }, "invalid_scope", /scope is required/],
    ["a scope the client may not ask for", { scope: "openid admin" }, "invalid_scope", /not allowed/],
    ["a malformed scope", { scope: 'open"id' }, "invalid_scope", /malformed/],
    ["a repeated scope parameter", { scope: ["openid", "email"] }, "invalid_request", /scope must not be repeated/],
    ["prompt=none with login", { prompt: "none login" }, "invalid_request", /cannot be combined/],
    ["an unknown prompt", { prompt: "bogus" }, "invalid_request", /unsupported value/],
    ["a negative max_age", { max_age: "-1" }, "invalid_request", /max_age/],
    ["a request object", { request: "eyJ..." }, "request_not_supported", /request objects/],
    ["a request_uri", { request_uri: "https://x" }, "request_uri_not_supported", /request_uri/],
    ["response_mode=fragment", { response_mode: "fragment" }, "invalid_request", /response_mode/],
  ];
  for (const [name, changes, code, message] of cases) {
    test(`redirects ${code} for ${name}`, () => {
      assert.throws(
        () => parseAuthorizationRequest(withParams(changes), client, client.redirectUris[0]!),
        (error: unknown) => {
          assert.ok(error instanceof RedirectableError);
          assert.equal(error.error.error, code);
          assert.match(error.error.description, message);
          assert.equal(error.state, "xyz");
          assert.equal(error.redirectUri, client.redirectUris[0]);
          return true;
        },
      );
    });
  }

  test("a repeated state is an error reported without a state", () => {
    assert.throws(
      () => parseAuthorizationRequest(withParams({ state: ["a", "b"] }), client, client.redirectUris[0]!),
      (error: unknown) => {
        assert.ok(error instanceof RedirectableError);
        assert.equal(error.state, undefined);
        assert.match(error.error.description, /state must not be repeated/);
        return true;
      },
    );
  });

  test("a client without the authorization_code grant is unauthorized_client", () => {
    const other = testClient({ grantTypes: ["refresh_token"] });
    assert.throws(
      () => parseAuthorizationRequest(withParams({}), other, other.redirectUris[0]!),
      (error: unknown) => {
        assert.ok(error instanceof RedirectableError);
        assert.equal(error.error.error, "unauthorized_client");
        return true;
      },
    );
  });
});

describe("authorization request: a valid one", () => {
  test("keeps state byte for byte, including 2,048+ characters and unusual bytes", () => {
    const state = `${"é🙂 &=+%20".repeat(300)}`;
    const request = parseAuthorizationRequest(withParams({ state }), client, client.redirectUris[0]!);
    assert.equal(request.state, state);
    assert.ok(state.length >= 2048);
  });

  test("carries nonce, prompt, max_age, login_hint and ui_locales", () => {
    const request = parseAuthorizationRequest(
      withParams({ nonce: "n-1", prompt: "login consent", max_age: "0", login_hint: "a@b.c", ui_locales: "fr en" }),
      client,
      client.redirectUris[0]!,
    );
    assert.deepEqual(request, {
      clientId: client.clientId,
      redirectUri: client.redirectUris[0],
      state: "xyz",
      scopes: ["openid", "email"],
      nonce: "n-1",
      codeChallenge: challenge,
      codeChallengeMethod: "S256",
      prompt: ["login", "consent"],
      maxAge: 0,
      loginHint: "a@b.c",
      uiLocales: "fr en",
    });
  });
});
