// The token endpoint of the running portal over HTTP (docs/protocol.md, "Token endpoint", "Tokens"): the real server started as `npm start` does, a
// signed-in browser session made directly in its database. Setup and helpers:
// tests/support/oauth-http-suite.ts.
import assert from "node:assert/strict";
import { describe, test, before } from "node:test";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { testDatabaseKind } from "../support/db.ts";
import { basicAuth, newPkce, REDIRECT_URI, type Pkce, type PortalWorld, type RegisteredClient } from "../support/oauth-http.ts";
import { form, type Entries, oauthHttpSuite, type SuiteState } from "../support/oauth-http-suite.ts";

describe(`The token endpoint over HTTP on ${testDatabaseKind()}`, () => {
  const suite = oauthHttpSuite();
  const { codeFor, tokenRequest, asClient, redeem, refresh, assertTokens, assertTokenError } = suite.helpers;
  let world: PortalWorld;
  let issuer: string;
  let web: RegisteredClient;
  let post: RegisteredClient;
  let spa: RegisteredClient;
  let codeOnly: RegisteredClient;
  let jwks: SuiteState["jwks"];
  before(() => {
    ({ world, issuer, web, post, spa, codeOnly, jwks } = suite.state);
  });

  describe("token endpoint: authorization_code", () => {
    for (const app of ["client_secret_basic", "client_secret_post", "none"] as const) {
      test(`a full exchange with ${app} issues uncacheable tokens`, async () => {
        const client = { client_secret_basic: web, client_secret_post: post, none: spa }[app];
        const tokens = await assertTokens(await redeem(client, await codeFor(client)));
        assert.equal(tokens.scope, "openid offline_access");
        assert.equal(typeof tokens.refresh_token, "string");
        const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: client.clientId, typ: "at+jwt" });
        assert.equal(payload.client_id, client.clientId);
      });
    }

    test("Basic with a matching client_id in the body is accepted", async () => {
      const issued = await codeFor(web);
      await assertTokens(await redeem(web, issued, [["client_id", web.clientId]]));
    });

    test("the access token is an RFC 9068 JWT: typ at+jwt, a kid from the JWKS, every claim, iss byte for byte", async () => {
      const before = Math.floor(Date.now() / 1000);
      const tokens = await assertTokens(await redeem(web, await codeFor(web, { scope: "openid profile" })));
      const header = decodeProtectedHeader(tokens.access_token);
      assert.equal(header.typ, "at+jwt");
      assert.equal(typeof header.kid, "string");
      const keys = (await (await fetch(`${issuer}/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
      assert.ok(
        keys.keys.some((key) => key.kid === header.kid),
        "the kid is published in the JWKS",
      );

      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(protectedHeader.kid, header.kid);
      assert.equal(payload.iss, issuer, "iss is the configured issuer, byte for byte");
      assert.equal(payload.sub, world.userId);
      assert.equal(payload.aud, web.clientId);
      assert.equal(payload.client_id, web.clientId);
      assert.equal(payload.scope, "openid profile");
      assert.equal(typeof payload.jti, "string");
      assert.ok((payload.jti ?? "").length >= 16);
      assert.ok(typeof payload.iat === "number" && payload.iat >= before - 5 && payload.iat <= Date.now() / 1000 + 5);
      assert.equal(payload.exp, payload.iat + tokens.expires_in);
      assert.ok(tokens.expires_in <= 3600, "short-lived");
      assert.equal(typeof payload.auth_time, "number");
      assert.ok((payload.auth_time as number) <= payload.iat);
      assert.equal(tokens.refresh_token, undefined, "no refresh token for OpenID without offline_access");
    });

    test("every access token has its own jti", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const second = await assertTokens(await redeem(web, await codeFor(web)));
      const jti = async (token: string) => (await jwtVerify(token, jwks, { issuer })).payload.jti;
      assert.notEqual(await jti(first.access_token), await jti(second.access_token));
    });

    test("rejects a replayed code with invalid_grant and revokes the grant: the first refresh token is dead", async () => {
      const issued = await codeFor(web);
      const first = await assertTokens(await redeem(web, issued));
      assert.ok(first.refresh_token);
      await assertTokenError(await redeem(web, issued), 400, "invalid_grant");
      await assertTokenError(await refresh(web, first.refresh_token), 400, "invalid_grant");
    });

    test("two concurrent redemptions of one code: exactly one wins", async () => {
      const issued = await codeFor(web);
      const responses = await Promise.all(Array.from({ length: 5 }, () => redeem(web, issued)));
      const statuses = responses.map((response) => response.status);
      await Promise.all(responses.map((response) => response.body?.cancel()));
      assert.equal(statuses.filter((status) => status === 200).length, 1, `statuses ${statuses.join(",")}`);
      assert.ok(
        statuses.every((status) => status === 200 || status === 400),
        `statuses ${statuses.join(",")}`,
      );
    });

    test("a code of another client is invalid_grant", async () => {
      const issued = await codeFor(web);
      await assertTokenError(await redeem(post, issued), 400, "invalid_grant");
    });
  });

  describe("token endpoint: refresh_token", () => {
    test("rotates the refresh token on every use, and a narrower scope is allowed", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web, { scope: "openid profile offline_access" })));
      const second = await assertTokens(await refresh(web, first.refresh_token!));
      assert.ok(second.refresh_token);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal(second.scope, "openid profile offline_access");
      const narrow = await assertTokens(await refresh(web, second.refresh_token, [["scope", "openid"]]));
      assert.equal(narrow.scope, "openid");
      const { payload } = await jwtVerify(narrow.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(payload.scope, "openid");
      // The rotated token keeps the original scope.
      const wide = await assertTokens(await refresh(web, narrow.refresh_token!));
      assert.equal(wide.scope, "openid profile offline_access");
    });

    test("presenting a rotated refresh token whose successor was used is invalid_grant and revokes the grant", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const second = await assertTokens(await refresh(web, first.refresh_token!));
      const third = await assertTokens(await refresh(web, second.refresh_token!));
      await assertTokenError(await refresh(web, first.refresh_token!), 400, "invalid_grant");
      await assertTokenError(await refresh(web, third.refresh_token!), 400, "invalid_grant");
    });

    test("a client that lost a refresh response and presents the old token again keeps working", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const lost = await refresh(web, first.refresh_token!);
      assert.equal(lost.status, 200);
      await lost.body?.cancel(); // the client never reads it: a timeout, a dropped connection
      const retried = await assertTokens(await refresh(web, first.refresh_token!));
      const again = await assertTokens(await refresh(web, retried.refresh_token!));
      const { payload } = await jwtVerify(again.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(payload.client_id, web.clientId);
      assert.ok(again.refresh_token);
    });

    test("a wider scope than granted is invalid_scope", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokenError(await refresh(web, first.refresh_token!, [["scope", "openid offline_access email"]]), 400, "invalid_scope");
      // A refused request does not use the token up.
      await assertTokens(await refresh(web, first.refresh_token!));
    });

    test("another client's refresh token is invalid_grant", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokenError(await refresh(post, first.refresh_token!), 400, "invalid_grant");
    });

    test("a public client refreshes with its client_id only", async () => {
      const first = await assertTokens(await redeem(spa, await codeFor(spa)));
      const second = await assertTokens(await refresh(spa, first.refresh_token!));
      assert.ok(second.refresh_token);
    });

    test("a client without the refresh_token grant gets no refresh token and unauthorized_client", async () => {
      const tokens = await assertTokens(await redeem(codeOnly, await codeFor(codeOnly)));
      assert.equal(tokens.refresh_token, undefined);
      await assertTokenError(await refresh(codeOnly, "whatever"), 400, "unauthorized_client");
    });
  });

  describe("token endpoint: errors are JSON with the RFC 6749 §5.2 codes and statuses", () => {
    interface ErrorCase {
      readonly name: string;
      readonly status: number;
      readonly error: string;
      /** Whether a Basic challenge must be present (true), absent (false), or either (undefined). */
      readonly basicChallenge?: boolean;
      readonly send: () => Promise<Response>;
    }
    const code = (extra: Entries = []): Entries => [
      ["grant_type", "authorization_code"],
      ["code", "not-a-real-code-but-long-enough-to-look-real-000"],
      ["redirect_uri", REDIRECT_URI],
      ["code_verifier", "v".repeat(43)],
      ...extra,
    ];
    const basic = (id: string, secret: string) => ({ headers: { authorization: basicAuth(id, secret) } });
    const raw = (value: string) => ({ headers: { authorization: value } });

    const cases: ErrorCase[] = [
      {
        name: "a wrong secret with Basic",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(web.clientId, "wrong")),
      },
      {
        name: "an unknown client with Basic",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic("nobody", "secret")),
      },
      {
        name: "Basic with invalid base64",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw("Basic !!!not-base64!!!")),
      },
      {
        name: "Basic without a colon",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`Basic ${Buffer.from(web.clientId).toString("base64")}`)),
      },
      {
        name: "Basic with an empty secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`Basic ${Buffer.from(`${web.clientId}:`).toString("base64")}`)),
      },
      {
        name: "Basic with no credentials at all",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw("Basic")),
      },
      {
        name: "lower-case basic scheme with a wrong secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`basic ${Buffer.from(`${web.clientId}:nope`).toString("base64")}`)),
      },
      {
        name: "a Basic client that authenticates in the body instead",
        status: 401,
        error: "invalid_client",
        send: () =>
          tokenRequest(
            code([
              ["client_id", web.clientId],
              ["client_secret", web.clientSecret!],
            ]),
          ),
      },
      {
        name: "a client_secret_post client that uses Basic instead",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(post.clientId, post.clientSecret!)),
      },
      {
        name: "a wrong secret in the body",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () =>
          tokenRequest(
            code([
              ["client_id", post.clientId],
              ["client_secret", "wrong"],
            ]),
          ),
      },
      {
        name: "a confidential client that sends no secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code([["client_id", web.clientId]])),
      },
      {
        name: "a public client that sends a secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () =>
          tokenRequest(
            code([
              ["client_id", spa.clientId],
              ["client_secret", "x"],
            ]),
          ),
      },
      {
        name: "no client authentication at all",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code()),
      },
      {
        name: "an unknown public client_id",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code([["client_id", "nobody"]])),
      },
      {
        name: "a NUL byte in the body's client_id",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", `${spa.clientId}\u0000`]])),
      },
      {
        name: "a NUL byte in the Basic client_id",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(`${web.clientId}\u0000`, web.clientSecret!)),
      },
      {
        name: "a 300-character client_id",
        status: 401,
        error: "invalid_client",
        send: () => tokenRequest(code([["client_id", "c".repeat(300)]])),
      },
      {
        name: "Basic and client_secret in the body (two methods)",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_secret", web.clientSecret!]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "Basic and another client_id in the body",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", post.clientId]]), basic(web.clientId, web.clientSecret!)),
      },
      { name: "a Bearer Authorization header", status: 400, error: "invalid_request", send: () => tokenRequest(code(), raw("Bearer abc")) },
      {
        name: "client_id in the URL query",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code(), { ...basic(web.clientId, web.clientSecret!), query: `?client_id=${web.clientId}` }),
      },
      {
        name: "client_secret in the URL query",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", post.clientId]]), { query: `?client_secret=${post.clientSecret!}` }),
      },
      {
        name: "a repeated grant_type",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["grant_type", "authorization_code"]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated code",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["code", "another"]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated code_verifier",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["code_verifier", "w".repeat(43)]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated client_id",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["client_id", spa.clientId],
              ["client_id", spa.clientId],
            ]),
          ),
      },
      {
        name: "a repeated client_secret",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["client_id", post.clientId],
              ["client_secret", post.clientSecret!],
              ["client_secret", post.clientSecret!],
            ]),
          ),
      },
      {
        name: "a repeated unknown parameter",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["foo", "1"],
              ["foo", "2"],
            ]),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a JSON body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(JSON.stringify(Object.fromEntries(code())), {
            headers: { "content-type": "application/json", authorization: basicAuth(web.clientId, web.clientSecret!) },
          }),
      },
      {
        name: "a text/plain body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(code(), { headers: { "content-type": "text/plain", authorization: basicAuth(web.clientId, web.clientSecret!) } }),
      },
      {
        name: "a multipart/form-data body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(code(), {
            headers: { "content-type": "multipart/form-data; boundary=x", authorization: basicAuth(web.clientId, web.clientSecret!) },
          }),
      },
      {
        name: "a missing grant_type",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest([["code", "x"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "grant_type=password",
        status: 400,
        error: "unsupported_grant_type",
        send: () =>
          tokenRequest(
            [
              ["grant_type", "password"],
              ["username", "a"],
              ["password", "b"],
            ],
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "grant_type=client_credentials",
        status: 400,
        error: "unsupported_grant_type",
        send: () => tokenRequest([["grant_type", "client_credentials"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "an implicit-style grant_type=token",
        status: 400,
        error: "unsupported_grant_type",
        send: () => tokenRequest([["grant_type", "token"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a missing code",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "code"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a missing redirect_uri",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "redirect_uri"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a missing code_verifier (no PKCE)",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "code_verifier"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "an unknown code",
        status: 400,
        error: "invalid_grant",
        send: () => tokenRequest(code(), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a missing refresh_token",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest([["grant_type", "refresh_token"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "an unknown refresh_token",
        status: 400,
        error: "invalid_grant",
        send: () =>
          tokenRequest(
            [
              ["grant_type", "refresh_token"],
              ["refresh_token", "nope"],
            ],
            basic(web.clientId, web.clientSecret!),
          ),
      },
    ];
    for (const row of cases) {
      test(`${row.name} → ${row.status} ${row.error}`, async () => {
        const response = await row.send();
        const challenge = response.headers.get("www-authenticate");
        await assertTokenError(response, row.status, row.error);
        if (row.basicChallenge === true) assert.match(challenge ?? "", /^Basic\b/);
        if (row.basicChallenge === false) assert.doesNotMatch(challenge ?? "", /^Basic\b/);
      });
    }

    const pkceCases: ReadonlyArray<{ name: string; mutate: (issued: { code: string; pkce: Pkce; redirectUri: string }) => Entries }> = [
      {
        name: "a wrong code_verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", newPkce().verifier],
        ],
      },
      {
        name: "the code_challenge sent as verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", issued.pkce.challenge],
        ],
      },
      {
        name: "a too-short code_verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", issued.pkce.verifier.slice(0, 42)],
        ],
      },
      {
        name: "a code_verifier with invalid characters",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", `${issued.pkce.verifier}!`],
        ],
      },
      {
        name: "another redirect_uri",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", `${REDIRECT_URI}/x`],
          ["code_verifier", issued.pkce.verifier],
        ],
      },
    ];
    for (const row of pkceCases) {
      test(`${row.name} → 400 invalid_grant`, async () => {
        const issued = await codeFor(web);
        await assertTokenError(await asClient(web, [["grant_type", "authorization_code"], ...row.mutate(issued)]), 400, "invalid_grant");
      });
    }

    for (const method of ["GET", "PUT", "DELETE", "PATCH"] as const) {
      test(`${method} /oauth/token → 405, not 5xx`, async () => {
        const response = await fetch(`${issuer}/oauth/token`, { method });
        await response.body?.cancel();
        assert.equal(response.status, 405);
      });
    }

    test("a body over 64 KiB → 400 invalid_request", async () => {
      await assertTokenError(
        await tokenRequest(code([["padding", "p".repeat(70 * 1024)]]), basic(web.clientId, web.clientSecret!)),
        400,
        "invalid_request",
      );
    });

    test("invalid UTF-8 in the body → 400 invalid_request", async () => {
      await assertTokenError(await tokenRequest(`${form(code())}&x=%ff`, basic(web.clientId, web.clientSecret!)), 400, "invalid_request");
    });
  });

  // ── JWKS ───────────────────────────────────────────────────────────────────────────────────
});
