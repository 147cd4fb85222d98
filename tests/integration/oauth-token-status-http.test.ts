// JWKS, revocation and introspection of the running portal over HTTP (docs/protocol.md, "Tokens",
// "UserInfo, revocation, introspection"): the real server started as `npm start` does, a
// signed-in browser session made directly in its database. Setup and helpers:
// tests/support/oauth-http-suite.ts.
import assert from "node:assert/strict";
import { describe, test, before } from "node:test";
import { testDatabaseKind } from "../support/db.ts";
import { basicAuth, type PortalWorld, type RegisteredClient } from "../support/oauth-http.ts";
import { FORM, form, type Entries, oauthHttpSuite } from "../support/oauth-http-suite.ts";

describe(`JWKS, revocation and introspection over HTTP on ${testDatabaseKind()}`, () => {
  const suite = oauthHttpSuite();
  const { codeFor, redeem, refresh, assertTokens, assertTokenError } = suite.helpers;
  let world: PortalWorld;
  let issuer: string;
  let web: RegisteredClient;
  let post: RegisteredClient;
  let spa: RegisteredClient;
  before(() => {
    ({ world, issuer, web, post, spa } = suite.state);
  });

  describe("JWKS", () => {
    test("publishes only public members, each key with a kid, and a Cache-Control header", async () => {
      const response = await fetch(`${issuer}/oauth/jwks`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /json/);
      assert.ok(response.headers.get("cache-control"), "a Cache-Control header");
      assert.doesNotMatch(response.headers.get("cache-control") ?? "", /no-store/);
      const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
      assert.ok(keys.length >= 1);
      assert.ok(
        keys.some((key) => key.alg === "RS256"),
        "RS256 is always available",
      );
      const kids = keys.map((key) => key.kid);
      assert.equal(new Set(kids).size, kids.length, "kids are unique");
      for (const key of keys) {
        assert.equal(typeof key.kid, "string");
        assert.equal(typeof key.kty, "string");
        for (const member of ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]) {
          assert.ok(!(member in key), `no private member ${member} in ${String(key.kid)}`);
        }
      }
    });
  });

  // ── revocation and introspection (RFC 7009, RFC 7662) ──────────────────────────────────────

  describe("revocation endpoint (RFC 7009)", () => {
    function revoke(app: RegisteredClient | undefined, entries: Entries, headers: Record<string, string> = {}): Promise<Response> {
      const auth: Record<string, string> =
        app?.clientSecret !== undefined && app.client.tokenEndpointAuthMethod === "client_secret_basic"
          ? { authorization: basicAuth(app.clientId, app.clientSecret) }
          : {};
      const bodyAuth: Entries =
        app === undefined || app.client.tokenEndpointAuthMethod === "client_secret_basic"
          ? []
          : app.client.tokenEndpointAuthMethod === "client_secret_post"
            ? [
                ["client_id", app.clientId],
                ["client_secret", app.clientSecret!],
              ]
            : [["client_id", app.clientId]];
      return fetch(`${issuer}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": FORM, ...auth, ...headers },
        body: form([...entries, ...bodyAuth]),
      });
    }

    test("revoking a refresh token → 200, and the grant's refresh token stops working", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(web, [
        ["token", tokens.refresh_token!],
        ["token_type_hint", "refresh_token"],
      ]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      await assertTokenError(await refresh(web, tokens.refresh_token!), 400, "invalid_grant");
    });

    test("an unknown token, or one with a wrong hint → 200", async () => {
      for (const entries of [
        [["token", "unknown"]],
        [
          ["token", "unknown"],
          ["token_type_hint", "access_token"],
        ],
      ] as Entries[]) {
        const response = await revoke(web, entries);
        await response.body?.cancel();
        assert.equal(response.status, 200);
      }
    });

    test("a public client revokes its own refresh token with client_id only", async () => {
      const tokens = await assertTokens(await redeem(spa, await codeFor(spa)));
      const response = await revoke(spa, [["token", tokens.refresh_token!]]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      await assertTokenError(await refresh(spa, tokens.refresh_token!), 400, "invalid_grant");
    });

    test("another client cannot revoke a client's token", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(post, [["token", tokens.refresh_token!]]);
      await response.body?.cancel();
      assert.ok(response.status === 200 || response.status === 400, `status ${response.status}`);
      await assertTokens(await refresh(web, tokens.refresh_token!));
    });

    test("an unauthenticated or wrongly authenticated caller → 401 invalid_client", async () => {
      await assertTokenError(await revoke(undefined, [["token", "x"]]), 401, "invalid_client");
      const wrong = await revoke(undefined, [["token", "x"]], { authorization: basicAuth(web.clientId, "wrong") });
      const challenge = wrong.headers.get("www-authenticate");
      await assertTokenError(wrong, 401, "invalid_client");
      assert.match(challenge ?? "", /^Basic\b/);
    });

    test("a missing token or a repeated parameter → 400 invalid_request", async () => {
      await assertTokenError(await revoke(web, []), 400, "invalid_request");
      await assertTokenError(
        await revoke(web, [
          ["token", "a"],
          ["token", "b"],
        ]),
        400,
        "invalid_request",
      );
    });

    test("revoking an access token ends only that token: introspection says inactive, the refresh token still works", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(web, [
        ["token", tokens.access_token],
        ["token_type_hint", "access_token"],
      ]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const introspected = await fetch(`${issuer}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", tokens.access_token]]),
      });
      assert.deepEqual(await introspected.json(), { active: false });
      await assertTokens(await refresh(web, tokens.refresh_token!));
    });

    test("client credentials in the URL query → 400 invalid_request", async () => {
      const response = await fetch(`${issuer}/oauth/revoke?client_id=${web.clientId}`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", "x"]]),
      });
      await assertTokenError(response, 400, "invalid_request");
    });

    test("GET /oauth/revoke → 405", async () => {
      const response = await fetch(`${issuer}/oauth/revoke`);
      await response.body?.cancel();
      assert.equal(response.status, 405);
    });
  });

  describe("introspection endpoint (RFC 7662)", () => {
    function introspect(
      entries: Entries,
      headers: Record<string, string> = { authorization: basicAuth(web.clientId, web.clientSecret!) },
    ): Promise<Response> {
      return fetch(`${issuer}/oauth/introspect`, { method: "POST", headers: { "content-type": FORM, ...headers }, body: form(entries) });
    }
    async function introspection(response: Response): Promise<Record<string, unknown>> {
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(response.headers.get("cache-control"), "no-store");
      return JSON.parse(text) as Record<string, unknown>;
    }

    test("an access token and a refresh token are active, with their client, subject and scope", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const access = await introspection(await introspect([["token", tokens.access_token]]));
      assert.equal(access.active, true);
      assert.equal(access.client_id, web.clientId);
      assert.equal(access.sub, world.userId);
      assert.equal(access.scope, "openid offline_access");
      assert.equal(access.iss, issuer);
      const refreshed = await introspection(
        await introspect([
          ["token", tokens.refresh_token!],
          ["token_type_hint", "refresh_token"],
        ]),
      );
      assert.equal(refreshed.active, true);
    });

    test("an access token's answer has token_type Bearer and the RFC 9068 claims", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const access = await introspection(await introspect([["token", tokens.access_token]]));
      assert.equal(access.token_type, "Bearer");
      assert.equal(access.aud, web.clientId);
      for (const claim of ["exp", "iat", "auth_time"]) assert.equal(typeof access[claim], "number", claim);
      assert.equal(typeof access.jti, "string");
    });

    test("another client's tokens and a rotated refresh token are {active: false}", async () => {
      const tokens = await assertTokens(await redeem(post, await codeFor(post)));
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
      assert.deepEqual(await introspection(await introspect([["token", tokens.refresh_token!]])), { active: false });
      const mine = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokens(await refresh(web, mine.refresh_token!));
      assert.deepEqual(await introspection(await introspect([["token", mine.refresh_token!]])), { active: false });
    });

    test("a public client may not introspect → 401 invalid_client", async () => {
      await assertTokenError(
        await introspect(
          [
            ["token", "x"],
            ["client_id", spa.clientId],
          ],
          {},
        ),
        401,
        "invalid_client",
      );
    });

    test("GET /oauth/introspect → 405", async () => {
      const response = await fetch(`${issuer}/oauth/introspect`);
      await response.body?.cancel();
      assert.equal(response.status, 405);
    });

    test("anything not valid is exactly {active: false}", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;
      for (const token of ["garbage", tampered, "a.b.c", "x".repeat(20_000)]) {
        assert.deepEqual(await introspection(await introspect([["token", token]])), { active: false });
      }
    });

    test("after a replayed code the grant's access token is inactive", async () => {
      const issued = await codeFor(web);
      const tokens = await assertTokens(await redeem(web, issued));
      await assertTokenError(await redeem(web, issued), 400, "invalid_grant");
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
    });

    test("after revoking the refresh token the grant's access token is inactive", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const revoked = await fetch(`${issuer}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", tokens.refresh_token!]]),
      });
      await revoked.body?.cancel();
      assert.equal(revoked.status, 200);
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
      assert.deepEqual(await introspection(await introspect([["token", tokens.refresh_token!]])), { active: false });
    });

    test("an unauthenticated caller → 401 invalid_client", async () => {
      await assertTokenError(await introspect([["token", "x"]], {}), 401, "invalid_client");
      const wrong = await introspect([["token", "x"]], { authorization: basicAuth(web.clientId, "wrong") });
      const challenge = wrong.headers.get("www-authenticate");
      await assertTokenError(wrong, 401, "invalid_client");
      assert.match(challenge ?? "", /^Basic\b/);
    });

    test("a missing token or a repeated parameter → 400 invalid_request", async () => {
      await assertTokenError(await introspect([]), 400, "invalid_request");
      await assertTokenError(
        await introspect([
          ["token", "a"],
          ["token", "b"],
        ]),
        400,
        "invalid_request",
      );
    });
  });
});
