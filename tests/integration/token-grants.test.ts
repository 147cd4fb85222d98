import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../lib/db/client.ts";
import { OAuthError } from "../../lib/oauth/errors.ts";
import type { Keyring } from "../../lib/oauth/keys/keyring.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import { verifyAccessToken } from "../../lib/oauth/tokens/access-token.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  createOAuthFixture,
  REDIRECT,
  rejectsWith,
  testConfig as config,
  VERIFIER,
  type Entries,
  type OAuthFixture,
  type TestApp as App,
} from "../support/oauth-fixtures.ts";

describe(`token endpoint grants on ${testDatabaseKind()}`, () => {
  let fixture: OAuthFixture;
  let db: Db;
  let keyring: Keyring;
  let userId: string;
  let web: App;
  let spa: App;
  let other: App;
  let codeOnly: App;
  let deps: TokenDeps;

  before(async () => {
    fixture = await createOAuthFixture(config);
    ({ db, keyring, userId, tokenDeps: deps } = fixture);
    web = await fixture.app("Web", "client_secret_basic");
    spa = await fixture.app("SPA", "none");
    other = await fixture.app("Other", "client_secret_basic");
    codeOnly = await fixture.app("Code only", "client_secret_basic", ["authorization_code"]);
  });

  after(async () => {
    await fixture?.close();
  });

  const authorize = (app: App, scope?: string, verifier?: string) => fixture.authorize(app, scope, verifier);
  const token = (app: App, entries: Entries) => fixture.token(app, entries);
  const redeem = (app: App, code: string, extra: Entries = [], verifier = VERIFIER) => fixture.redeem(app, code, extra, verifier);
  const refresh = (app: App, refreshToken: string, extra: Entries = []) => fixture.refresh(app, refreshToken, extra);
  const jtiOf = async (accessToken: string) =>
    (await verifyAccessToken(keyring, accessToken, { issuer: config.issuer, now: fixture.now() })).jti;

  test("authorization_code: issues an RFC 9068 access token and a refresh token for offline_access", async () => {
    const response = await redeem(web, await authorize(web));
    assert.equal(response.token_type, "Bearer");
    assert.equal(response.expires_in, 600);
    assert.equal(response.scope, "openid offline_access");
    assert.ok(response.refresh_token);
    assert.equal(response.id_token, undefined);
    const claims = await verifyAccessToken(keyring, response.access_token, { issuer: config.issuer, now: fixture.now() });
    assert.equal(claims.sub, userId);
    assert.equal(claims.client_id, web.client.clientId);
    assert.equal(claims.scope, "openid offline_access");
    const row = await db.accessToken.findUnique({ where: { jti: claims.jti } });
    assert.equal(row?.clientRef, web.client.ref);
    assert.equal(row?.revokedAt, null);
  });

  test("a public client redeems its code with PKCE alone", async () => {
    const response = await redeem(spa, await authorize(spa, "email"));
    assert.equal(response.scope, "email");
    assert.ok(response.refresh_token, "not an OpenID request, and the client may refresh");
  });

  const refreshPolicy: ReadonlyArray<readonly [string, () => App, string, boolean]> = [
    ["an OpenID request without offline_access", () => web, "openid email", false],
    ["an OpenID request with offline_access", () => web, "openid offline_access", true],
    ["a plain OAuth request", () => web, "profile", true],
    ["a client without the refresh_token grant", () => codeOnly, "profile offline_access", false],
  ];
  for (const [name, app, scope, issued] of refreshPolicy) {
    test(`refresh token ${issued ? "issued" : "not issued"} for ${name}`, async () => {
      const response = await redeem(app(), await authorize(app(), scope));
      assert.equal(response.refresh_token !== undefined, issued);
    });
  }

  describe("authorization_code error matrix", () => {
    const cases: ReadonlyArray<readonly [string, (code: string) => Promise<unknown>, string]> = [
      ["a wrong code_verifier", (code) => redeem(web, code, [], `${VERIFIER.slice(0, -1)}A`), "invalid_grant"],
      ["a malformed code_verifier", (code) => redeem(web, code, [], "short"), "invalid_grant"],
      [
        "a redirect_uri differing by a trailing slash",
        (code) =>
          token(web, [
            ["grant_type", "authorization_code"],
            ["code", code],
            ["redirect_uri", `${REDIRECT}/`],
            ["code_verifier", VERIFIER],
          ]),
        "invalid_grant",
      ],
      ["another client's code", (code) => redeem(other, code), "invalid_grant"],
      ["an unknown code", () => redeem(web, "not-a-code"), "invalid_grant"],
      [
        "a missing code",
        () =>
          token(web, [
            ["grant_type", "authorization_code"],
            ["redirect_uri", REDIRECT],
            ["code_verifier", VERIFIER],
          ]),
        "invalid_request",
      ],
      [
        "a missing redirect_uri",
        (code) =>
          token(web, [
            ["grant_type", "authorization_code"],
            ["code", code],
            ["code_verifier", VERIFIER],
          ]),
        "invalid_request",
      ],
      [
        "a missing code_verifier",
        (code) =>
          token(web, [
            ["grant_type", "authorization_code"],
            ["code", code],
            ["redirect_uri", REDIRECT],
          ]),
        "invalid_request",
      ],
      ["a repeated code", (code) => redeem(web, code, [["code", code]]), "invalid_request"],
    ];
    for (const [name, attempt, error] of cases) {
      test(`refuses ${name} with ${error}, and the code stays redeemable by its client`, async () => {
        const code = await authorize(web);
        await rejectsWith(attempt(code), error);
        assert.ok((await redeem(web, code)).access_token);
      });
    }

    test("refuses an expired code with invalid_grant", async () => {
      const code = await authorize(web);
      const issuedAt = fixture.now();
      fixture.setNow(new Date(issuedAt.getTime() + 61_000));
      try {
        await rejectsWith(redeem(web, code), "invalid_grant");
      } finally {
        fixture.setNow(issuedAt);
      }
    });
  });

  test("rejects a replayed code with invalid_grant and revokes every token issued from it (RFC 6749 §4.1.2)", async () => {
    const code = await authorize(web);
    const first = await redeem(web, code);
    await rejectsWith(redeem(web, code), "invalid_grant");
    const jti = await jtiOf(first.access_token);
    assert.ok((await db.accessToken.findUnique({ where: { jti } }))?.revokedAt);
    assert.ok((await db.refreshToken.findUnique({ where: { tokenHash: hashToken(first.refresh_token!) } }))?.revokedAt);
    await rejectsWith(refresh(web, first.refresh_token!), "invalid_grant");
  });

  // A used code seen by someone else (in a log, a Referer) must not let them end the user's grant.
  const foreignReplays: ReadonlyArray<readonly [string, (code: string) => Promise<unknown>]> = [
    ["another client", (code) => redeem(other, code)],
    ["a public client claiming the code", (code) => redeem(spa, code)],
    [
      "the right client with a wrong redirect URI",
      (code) =>
        token(web, [
          ["grant_type", "authorization_code"],
          ["code", code],
          ["redirect_uri", `${REDIRECT}/x`],
          ["code_verifier", VERIFIER],
        ]),
    ],
    ["the right client with a wrong PKCE verifier", (code) => redeem(web, code, [], "x".repeat(43))],
  ];
  for (const [who, replay] of foreignReplays) {
    test(`a used code replayed by ${who} is invalid_grant and leaves the grant alone`, async () => {
      const code = await authorize(web);
      const first = await redeem(web, code);
      await rejectsWith(replay(code), "invalid_grant");
      assert.equal((await db.refreshToken.findUnique({ where: { tokenHash: hashToken(first.refresh_token!) } }))?.revokedAt, null);
      assert.ok((await refresh(web, first.refresh_token!)).access_token);
    });
  }

  test("refresh_token: rotates the refresh token and issues a new access token", async () => {
    const first = await redeem(web, await authorize(web, "openid profile offline_access"));
    const second = await refresh(web, first.refresh_token!);
    assert.ok(second.refresh_token && second.refresh_token !== first.refresh_token);
    assert.equal(second.scope, "openid profile offline_access");
    assert.notEqual(await jtiOf(second.access_token), await jtiOf(first.access_token));
    const old = await db.refreshToken.findUnique({ where: { tokenHash: hashToken(first.refresh_token!) } });
    const next = await db.refreshToken.findUnique({ where: { tokenHash: hashToken(second.refresh_token) } });
    assert.ok(old?.rotatedAt);
    assert.equal(next?.parentId, old?.id);
    assert.equal(next?.grantId, old?.grantId);
    assert.ok((await refresh(web, second.refresh_token)).access_token);
  });

  // Its successor used, a rotated token presented again is reuse even within the grace period.
  test("rejects a replayed rotated refresh token and revokes the whole grant (RFC 9700 §4.14.2)", async () => {
    const first = await redeem(web, await authorize(web));
    const second = await refresh(web, first.refresh_token!);
    const third = await refresh(web, second.refresh_token!);
    await rejectsWith(refresh(web, first.refresh_token!), "invalid_grant");
    await rejectsWith(refresh(web, third.refresh_token!), "invalid_grant");
    assert.ok((await db.accessToken.findUnique({ where: { jti: await jtiOf(third.access_token) } }))?.revokedAt);
  });

  test("a narrower scope is granted; the rotated refresh token keeps the original scope (RFC 6749 §6)", async () => {
    const first = await redeem(web, await authorize(web, "openid profile email offline_access"));
    const narrow = await refresh(web, first.refresh_token!, [["scope", "openid profile"]]);
    assert.equal(narrow.scope, "openid profile");
    assert.equal(
      (await verifyAccessToken(keyring, narrow.access_token, { issuer: config.issuer, now: fixture.now() })).scope,
      "openid profile",
    );
    assert.equal((await refresh(web, narrow.refresh_token!)).scope, "openid profile email offline_access");
  });

  describe("refresh_token error matrix", () => {
    const cases: ReadonlyArray<readonly [string, (refreshToken: string) => Promise<unknown>, string]> = [
      ["a wider scope", (rt) => refresh(web, rt, [["scope", "openid email"]]), "invalid_scope"],
      ["a malformed scope", (rt) => refresh(web, rt, [["scope", 'openid "x"']]), "invalid_scope"],
      ["another client's refresh token", (rt) => refresh(other, rt), "invalid_grant"],
      ["an unknown refresh token", () => refresh(web, "nope"), "invalid_grant"],
      ["a missing refresh_token", () => token(web, [["grant_type", "refresh_token"]]), "invalid_request"],
    ];
    for (const [name, attempt, error] of cases) {
      test(`refuses ${name} with ${error}, and the refresh token stays usable`, async () => {
        const { refresh_token } = await redeem(web, await authorize(web));
        await rejectsWith(attempt(refresh_token!), error);
        assert.ok((await refresh(web, refresh_token!)).refresh_token);
      });
    }

    test("refuses an expired refresh token", async () => {
      const { refresh_token } = await redeem(web, await authorize(web));
      const issuedAt = fixture.now();
      fixture.setNow(new Date(issuedAt.getTime() + (config.refreshTokenTtlSeconds + 1) * 1000));
      try {
        await rejectsWith(refresh(web, refresh_token!), "invalid_grant");
      } finally {
        fixture.setNow(issuedAt);
      }
    });
  });

  describe("token request checks before the grant", () => {
    const cases: ReadonlyArray<readonly [string, () => Promise<unknown>, string]> = [
      ["a missing grant_type", () => token(web, [["code", "x"]]), "invalid_request"],
      [
        "a repeated grant_type",
        () =>
          token(web, [
            ["grant_type", "refresh_token"],
            ["grant_type", "refresh_token"],
          ]),
        "invalid_request",
      ],
      ["an unknown grant_type", () => token(web, [["grant_type", "password"]]), "unsupported_grant_type"],
      [
        "a grant the client is not registered for",
        () =>
          token(codeOnly, [
            ["grant_type", "refresh_token"],
            ["refresh_token", "x"],
          ]),
        "unauthorized_client",
      ],
      [
        "a wrong client secret",
        () =>
          handleTokenRequest(
            {
              body: rawParams([
                ["grant_type", "refresh_token"],
                ["refresh_token", "x"],
              ]),
              credentials: { method: "client_secret_basic", clientId: web.client.clientId, clientSecret: "wrong" },
            },
            deps,
          ),
        "invalid_client",
      ],
    ];
    for (const [name, attempt, error] of cases) {
      test(`refuses ${name} with ${error}`, () => rejectsWith(attempt(), error));
    }
  });

  /**
   * Deps whose lookups of `method` wait until both requests have made theirs, so both pass every
   * check and the database's conditional update alone must pick the winner.
   */
  function racingDeps(method: "findCode" | "findRefreshToken", config = deps.config): TokenDeps {
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const store = { ...deps.store };
    const lookup = deps.store[method] as (hash: string) => Promise<unknown>;
    (store as Record<string, unknown>)[method] = async (hash: string) => {
      const found = await lookup(hash);
      if (++arrived === 2) release();
      await barrier;
      return found;
    };
    return { ...deps, config, store };
  }
  const body = (entries: Entries) => rawParams(entries);

  test("two concurrent redemptions of one code: exactly one succeeds", async () => {
    for (let round = 0; round < 5; round++) {
      const code = await authorize(web);
      const racing = racingDeps("findCode");
      const entries: Entries = [
        ["grant_type", "authorization_code"],
        ["code", code],
        ["redirect_uri", REDIRECT],
        ["code_verifier", VERIFIER],
      ];
      const attempt = () => handleTokenRequest({ body: body(entries), credentials: web.credentials }, racing);
      const results = await Promise.allSettled([attempt(), attempt()]);
      const won = results.filter((result) => result.status === "fulfilled");
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))));
      const lost = results.find((result) => result.status === "rejected");
      assert.ok(lost?.reason instanceof OAuthError && lost.reason.error === "invalid_grant");
    }
  });

  test("two unsynchronised concurrent redemptions (Promise.all): exactly one succeeds", async () => {
    const code = await authorize(web);
    const results = await Promise.allSettled([redeem(web, code), redeem(web, code)]);
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
  });

  // Without a grace period the loser's token counts as reused; with one, see refresh-grace.test.ts.
  test("two concurrent refreshes of one token without a grace period: exactly one succeeds", async () => {
    for (let round = 0; round < 5; round++) {
      const { refresh_token } = await redeem(web, await authorize(web));
      const racing = racingDeps("findRefreshToken", { ...deps.config, refreshReuseGraceSeconds: 0 });
      const entries: Entries = [
        ["grant_type", "refresh_token"],
        ["refresh_token", refresh_token!],
      ];
      const attempt = () => handleTokenRequest({ body: body(entries), credentials: web.credentials }, racing);
      const results = await Promise.allSettled([attempt(), attempt()]);
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
      const lost = results.find((result) => result.status === "rejected");
      assert.ok(lost?.reason instanceof OAuthError && lost.reason.error === "invalid_grant");
    }
  });
});
