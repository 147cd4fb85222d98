import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { SignJWT } from "jose";
import { tokenStatusStore } from "../../lib/db/token-status-store.ts";
import { generateSigningKey } from "../../lib/keys/generate.ts";
import { handleIntrospectionRequest, type IntrospectionResponse } from "../../lib/oauth/introspection/handle-introspection.ts";
import { Keyring } from "../../lib/oauth/keys/keyring.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleRevocationRequest } from "../../lib/oauth/revocation/handle-revocation.ts";
import type { ClientCredentials } from "../../lib/oauth/token/client-auth.ts";
import type { TokenStatusDeps } from "../../lib/oauth/token-status/ports.ts";
import { signAccessToken, verifyAccessToken } from "../../lib/oauth/tokens/access-token.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, rejectsWith, type Entries, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

const INACTIVE = { active: false };

describe(`revocation (RFC 7009) and introspection (RFC 7662) on ${testDatabaseKind()}`, () => {
  let f: OAuthFixture;
  let deps: TokenStatusDeps;
  let web: TestApp;
  let other: TestApp;
  let spa: TestApp;

  before(async () => {
    f = await createOAuthFixture();
    deps = { config: f.config, runtime: f.runtime, store: tokenStatusStore(f.db), verificationKeys: f.keyring };
    web = await f.app("Web", "client_secret_basic");
    other = await f.app("Other", "client_secret_basic");
    spa = await f.app("SPA", "none");
  });

  after(async () => {
    await f?.close();
  });

  const introspectAs = (credentials: ClientCredentials, entries: Entries): Promise<IntrospectionResponse> =>
    handleIntrospectionRequest({ body: rawParams(entries), credentials }, deps);
  const introspect = (app: TestApp, token: string, extra: Entries = []) => introspectAs(app.credentials, [["token", token], ...extra]);
  const revokeAs = (credentials: ClientCredentials, entries: Entries): Promise<void> =>
    handleRevocationRequest({ body: rawParams(entries), credentials }, deps);
  const revoke = (app: TestApp, token: string, extra: Entries = []) => revokeAs(app.credentials, [["token", token], ...extra]);
  const issue = async (app: TestApp = web, scope = "openid profile offline_access") => {
    const response = await f.redeem(app, await f.authorize(app, scope));
    assert.ok(response.refresh_token);
    return { accessToken: response.access_token, refreshToken: response.refresh_token };
  };
  const claimsOf = (accessToken: string) => verifyAccessToken(f.keyring, accessToken, { issuer: f.config.issuer, now: f.now() });
  async function atTime<T>(date: Date, work: () => Promise<T>): Promise<T> {
    const saved = f.now();
    f.setNow(date);
    try {
      return await work();
    } finally {
      f.setNow(saved);
    }
  }

  describe("introspection of live tokens", () => {
    test("an active access token reports its RFC 9068 claims with token_type Bearer", async () => {
      const { accessToken } = await issue();
      const claims = await claimsOf(accessToken);
      assert.deepEqual(await introspect(web, accessToken), {
        active: true,
        token_type: "Bearer",
        iss: f.config.issuer,
        sub: f.userId,
        aud: web.client.clientId,
        client_id: web.client.clientId,
        scope: "openid profile offline_access",
        exp: claims.exp,
        iat: claims.iat,
        jti: claims.jti,
        auth_time: claims.auth_time,
      });
      assert.equal(claims.exp - claims.iat, f.config.accessTokenTtlSeconds);
    });

    test("an active refresh token reports scope, client_id, sub, iss, iat, exp and no token_type", async () => {
      const { refreshToken } = await issue();
      const row = await f.db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(refreshToken) } });
      assert.deepEqual(await introspect(web, refreshToken), {
        active: true,
        scope: "openid profile offline_access",
        client_id: web.client.clientId,
        sub: f.userId,
        iss: f.config.issuer,
        iat: Math.floor(row.createdAt.getTime() / 1000),
        exp: Math.floor(row.expiresAt!.getTime() / 1000),
      });
    });

    test("token_type_hint is ignored, whatever its value", async () => {
      const { accessToken, refreshToken } = await issue();
      for (const hint of ["access_token", "refresh_token", "id_token", "nonsense"]) {
        assert.equal((await introspect(web, accessToken, [["token_type_hint", hint]])).active, true, hint);
        assert.equal((await introspect(web, refreshToken, [["token_type_hint", hint]])).active, true, hint);
      }
    });
  });

  describe("introspection answers exactly {active: false} for anything not valid", () => {
    const alien = async (kind: "id_token" | "other_issuer" | "unknown_key" | "no_row") => {
      const { accessToken } = await issue();
      const claims = await claimsOf(accessToken);
      const key = f.keyring.signingKey("ES256");
      const now = f.now();
      const input = {
        issuer: f.config.issuer,
        subject: f.userId,
        clientId: web.client.clientId,
        scope: claims.scope,
        jti: "unstored-jti",
        issuedAt: now,
        expiresAt: new Date(now.getTime() + 600_000),
      };
      switch (kind) {
        case "id_token":
          // Same key, same claims, but typ JWT as an ID token has (RFC 9068 §4 refuses it).
          return new SignJWT({ client_id: claims.client_id, scope: claims.scope, jti: claims.jti })
            .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
            .setIssuer(claims.iss)
            .setSubject(claims.sub)
            .setAudience(web.client.clientId)
            .setIssuedAt(claims.iat)
            .setExpirationTime(claims.exp)
            .sign(key.privateKey);
        case "other_issuer":
          return signAccessToken(f.keyring, { ...input, issuer: "https://evil.example.com" });
        case "unknown_key": {
          const stranger = await Keyring.build([{ ...(await generateSigningKey("ES256")), state: "active", activatedAt: now }]);
          return signAccessToken(stranger, { ...input, jti: claims.jti });
        }
        case "no_row":
          // Our key and issuer, but never issued by the token endpoint: no AccessToken row.
          return signAccessToken(f.keyring, input);
      }
    };
    const cases: ReadonlyArray<readonly [string, () => Promise<string>]> = [
      ["an ID-token-like JWT (same key and claims, typ JWT)", () => alien("id_token")],
      ["a JWT of another issuer signed by our key", () => alien("other_issuer")],
      ["a JWT signed by a key not ours", () => alien("unknown_key")],
      ["a well-signed access token that was never issued", () => alien("no_row")],
      ["garbage", async () => "garbage"],
      ["a garbage JWT", async () => "a.b.c"],
      ["an unknown refresh token", async () => "Hk7zq2F0a1bQx9pVb8yL3sN6tR4uW5vX7yZ0aB1cD2e"],
      ["a very long token", async () => "x".repeat(60_000)],
    ];
    for (const [name, make] of cases) {
      test(name, async () => {
        assert.deepEqual(await introspect(web, await make()), INACTIVE);
      });
    }

    test("an expired access token (clock moved past exp)", async () => {
      const { accessToken } = await issue();
      const { exp } = await claimsOf(accessToken);
      assert.deepEqual(await atTime(new Date(exp * 1000), () => introspect(web, accessToken)), INACTIVE);
      assert.equal((await atTime(new Date(exp * 1000 - 1000), () => introspect(web, accessToken))).active, true);
    });

    test("an expired refresh token", async () => {
      const { refreshToken } = await issue();
      const later = new Date(f.now().getTime() + (f.config.refreshTokenTtlSeconds + 1) * 1000);
      assert.deepEqual(await atTime(later, () => introspect(web, refreshToken)), INACTIVE);
    });

    test("a rotated refresh token, without side effects on its grant", async () => {
      const { refreshToken } = await issue();
      const next = await f.refresh(web, refreshToken);
      assert.deepEqual(await introspect(web, refreshToken), INACTIVE);
      // Introspection is read-only: asking about the rotated token does not end the grant.
      assert.equal((await introspect(web, next.refresh_token!)).active, true);
      assert.equal((await introspect(web, next.access_token)).active, true);
    });

    test("another client's tokens (a client introspects only its own)", async () => {
      const { accessToken, refreshToken } = await issue();
      assert.deepEqual(await introspect(other, accessToken), INACTIVE);
      assert.deepEqual(await introspect(other, refreshToken), INACTIVE);
      assert.equal((await introspect(web, accessToken)).active, true);
    });

    test("the tokens of a disabled user", async () => {
      const { accessToken, refreshToken } = await issue();
      await f.db.user.update({ where: { id: f.userId }, data: { disabled: true } });
      try {
        assert.deepEqual(await introspect(web, accessToken), INACTIVE);
        assert.deepEqual(await introspect(web, refreshToken), INACTIVE);
      } finally {
        await f.db.user.update({ where: { id: f.userId }, data: { disabled: false } });
      }
      assert.equal((await introspect(web, accessToken)).active, true);
    });
  });

  describe("revocation", () => {
    test("revoking a refresh token ends its grant: every refresh and access token of it is inactive", async () => {
      const { accessToken: firstAccess, refreshToken: first } = await issue();
      const second = await f.refresh(web, first);
      await revoke(web, second.refresh_token!);
      for (const token of [second.refresh_token!, second.access_token, firstAccess, first]) {
        assert.deepEqual(await introspect(web, token), INACTIVE);
      }
      const grant = await f.db.grant.findFirstOrThrow({ where: { refreshTokens: { some: { tokenHash: hashToken(first) } } } });
      assert.ok(grant.revokedAt);
      await rejectsWith(f.refresh(web, second.refresh_token!), "invalid_grant");
    });

    test("revoking an access token ends only that token; the refresh token stays usable", async () => {
      const { accessToken, refreshToken } = await issue();
      await revoke(web, accessToken, [["token_type_hint", "access_token"]]);
      assert.deepEqual(await introspect(web, accessToken), INACTIVE);
      const row = await f.db.accessToken.findUniqueOrThrow({ where: { jti: (await claimsOf(accessToken)).jti } });
      assert.ok(row.revokedAt);
      assert.equal((await introspect(web, refreshToken)).active, true);
      const next = await f.refresh(web, refreshToken);
      assert.equal((await introspect(web, next.access_token)).active, true);
    });

    test("a wrong or unknown token_type_hint is ignored and the token is still revoked", async () => {
      const { accessToken, refreshToken } = await issue();
      await revoke(web, accessToken, [["token_type_hint", "refresh_token"]]);
      await revoke(web, refreshToken, [["token_type_hint", "something_else"]]);
      assert.deepEqual(await introspect(web, accessToken), INACTIVE);
      assert.deepEqual(await introspect(web, refreshToken), INACTIVE);
    });

    test("another client's tokens are not revoked, and the answer is still success", async () => {
      const { accessToken, refreshToken } = await issue();
      await revoke(other, accessToken);
      await revoke(other, refreshToken);
      assert.equal((await introspect(web, accessToken)).active, true);
      assert.equal((await introspect(web, refreshToken)).active, true);
    });

    test("a public client revokes its own refresh token with its client_id alone (RFC 7009 §2.1)", async () => {
      const { accessToken, refreshToken } = await issue(spa, "profile");
      await revoke(spa, refreshToken);
      await rejectsWith(f.refresh(spa, refreshToken), "invalid_grant");
      assert.deepEqual(await introspect(web, accessToken), INACTIVE);
      const row = await f.db.accessToken.findUniqueOrThrow({ where: { jti: (await claimsOf(accessToken)).jti } });
      assert.ok(row.revokedAt);
    });

    test("an expired access token is accepted and ignored", async () => {
      const { accessToken } = await issue();
      const { exp, jti } = await claimsOf(accessToken);
      await atTime(new Date((exp + 60) * 1000), () => revoke(web, accessToken));
      assert.equal((await f.db.accessToken.findUniqueOrThrow({ where: { jti } })).revokedAt, null);
    });

    for (const [name, token] of [
      ["an unknown opaque token", "unknown"],
      ["a garbage JWT", "a.b.c"],
      ["a long token", "y".repeat(60_000)],
    ] as const) {
      test(`${name} gets 200 (RFC 7009 §2.2)`, () => revoke(web, token));
    }

    test("revoking twice is harmless", async () => {
      const { refreshToken } = await issue();
      await revoke(web, refreshToken);
      await revoke(web, refreshToken);
      assert.deepEqual(await introspect(web, refreshToken), INACTIVE);
    });
  });

  describe("request errors", () => {
    const endpoints = [
      ["revocation", (credentials: ClientCredentials, entries: Entries) => revokeAs(credentials, entries)],
      ["introspection", (credentials: ClientCredentials, entries: Entries) => introspectAs(credentials, entries)],
    ] as const;
    for (const [endpoint, call] of endpoints) {
      const cases: ReadonlyArray<readonly [string, () => ClientCredentials, Entries, string]> = [
        ["an unauthenticated caller", () => ({ method: "unauthenticated" }), [["token", "x"]], "invalid_client"],
        [
          "a wrong client secret",
          () => ({ method: "client_secret_basic", clientId: web.client.clientId, clientSecret: "wrong" }),
          [["token", "x"]],
          "invalid_client",
        ],
        [
          "an unknown client",
          () => ({ method: "client_secret_post", clientId: "nobody", clientSecret: "x" }),
          [["token", "x"]],
          "invalid_client",
        ],
        [
          "a confidential client sending no secret",
          () => ({ method: "none", clientId: web.client.clientId }),
          [["token", "x"]],
          "invalid_client",
        ],
        ["a missing token", () => web.credentials, [], "invalid_request"],
        ["an empty token", () => web.credentials, [["token", ""]], "invalid_request"],
        [
          "a repeated token",
          () => web.credentials,
          [
            ["token", "x"],
            ["token", "y"],
          ],
          "invalid_request",
        ],
        [
          "a repeated token_type_hint",
          () => web.credentials,
          [
            ["token", "x"],
            ["token_type_hint", "access_token"],
            ["token_type_hint", "access_token"],
          ],
          "invalid_request",
        ],
      ];
      for (const [name, credentials, entries, error] of cases) {
        test(`${endpoint} refuses ${name} with ${error}`, () => rejectsWith(call(credentials(), entries), error));
      }
    }

    test("introspection refuses a public client with invalid_client (RFC 7662 §2.1)", async () => {
      const { accessToken } = await issue(spa, "profile");
      await rejectsWith(introspect(spa, accessToken), "invalid_client");
    });

    test("an unauthenticated revocation request revokes nothing", async () => {
      const { refreshToken } = await issue();
      await rejectsWith(revokeAs({ method: "unauthenticated" }, [["token", refreshToken]]), "invalid_client");
      assert.equal((await introspect(web, refreshToken)).active, true);
    });
  });
});
