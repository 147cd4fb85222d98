// OpenID Connect Core on a real database (docs/protocol.md "Tokens", "UserInfo, revocation, introspection"): ID tokens from the
// real authorize and token handlers, and the real route handlers of userinfo, discovery and the
// JWKS, wired through lib/server/deps.ts to the same database, whose signing keys (RS256, ES256,
// EdDSA, as every start ensures) sign the tokens.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type JWK } from "jose";
import * as openidConfigurationRoute from "../../app/.well-known/openid-configuration/route.ts";
import * as authorizationServerRoute from "../../app/.well-known/oauth-authorization-server/route.ts";
import * as jwksRoute from "../../app/oauth/jwks/route.ts";
import * as userinfoRoute from "../../app/oauth/userinfo/route.ts";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { getDb } from "../../lib/db/index.ts";
import { ensureSigningKeys, loadPublishedKeys } from "../../lib/db/signing-keys.ts";
import { userClaimsStore } from "../../lib/db/user-claims-store.ts";
import { createUser } from "../../lib/db/users.ts";
import { generateSigningKey } from "../../lib/keys/generate.ts";
import { handleAuthorizeRequest } from "../../lib/oauth/authorize/handle-authorize.ts";
import { Keyring, type KeyAlgorithm } from "../../lib/oauth/keys/keyring.ts";
import { s256 } from "../../lib/oauth/pkce.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import type { TokenResponse } from "../../lib/oauth/token/wire.ts";
import { signAccessToken, verifyAccessToken } from "../../lib/oauth/tokens/access-token.ts";
import { atHash, createIdTokenIssuer } from "../../lib/oauth/tokens/id-token.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  createOAuthFixture,
  REDIRECT,
  rejectsWith,
  VERIFIER,
  type Entries,
  type OAuthFixture,
  type TestApp,
} from "../support/oauth-fixtures.ts";

const SECRET = "oidc-core-test-portal-secret-of-at-least-32-characters";
const SID = "session-oidc";
const USER_CLAIMS = ["name", "updated_at", "email", "email_verified"] as const;
const PROTOCOL_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "amr", "acr"];

describe(`OpenID Connect core on ${testDatabaseKind()}`, () => {
  let f: OAuthFixture;
  let dataDir: string;
  let keyring: Keyring;
  let deps: TokenDeps;
  let grace: { id: string; email: string; updatedAt: Date };
  let web: TestApp;
  let es256: TestApp;
  let eddsa: TestApp;
  let issuer: string;

  before(async () => {
    f = await createOAuthFixture();
    issuer = f.config.issuer;
    dataDir = mkdtempSync(path.join(tmpdir(), "portal-oidc-"));
    // The route handlers build their dependencies from the environment on first use.
    Object.assign(process.env, { DATABASE_URL: f.database.url, ISSUER_URL: issuer, PORTAL_SECRET: SECRET, DATA_DIR: dataDir });
    assert.equal((await ensureSigningKeys(f.db, SECRET)).length, 3, "one active key per algorithm");
    keyring = await Keyring.build(await loadPublishedKeys(f.db, SECRET, new Date()));
    const signingKeys = async () => keyring;
    deps = {
      ...f.tokenDeps,
      signingKeys,
      idTokens: createIdTokenIssuer({ config: f.config, signingKeys, users: userClaimsStore(f.db) }),
    };
    grace = await createUser(f.db, { email: "Grace@Example.com", passwordHash: "unused", name: "Grace Hopper", emailVerified: true });
    web = await f.app("Web", "client_secret_basic");
    es256 = await f.app("ES256 app", "client_secret_basic");
    eddsa = await f.app("EdDSA app", "none");
    await f.db.client.update({ where: { id: es256.client.ref }, data: { idTokenSignedResponseAlg: "ES256" } });
    await f.db.client.update({ where: { id: eddsa.client.ref }, data: { idTokenSignedResponseAlg: "EdDSA" } });
  });

  after(async () => {
    await getDb().$disconnect();
    await f?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function authorize(app: TestApp, scope: string, nonce?: string): Promise<string> {
    const outcome = await handleAuthorizeRequest(
      rawParams([
        ["response_type", "code"],
        ["client_id", app.client.clientId],
        ["redirect_uri", REDIRECT],
        ["scope", scope],
        ["state", "s"],
        ["code_challenge", s256(VERIFIER)],
        ["code_challenge_method", "S256"],
        ...(nonce !== undefined ? [["nonce", nonce] as const] : []),
      ]),
      { id: SID, userId: grace.id, authTime: f.now() },
      { config: f.config, runtime: f.runtime, store: authorizeStore(f.db) },
    );
    assert.equal(outcome.kind, "redirect");
    const code = outcome.kind === "redirect" ? new URL(outcome.location).searchParams.get("code") : null;
    assert.ok(code);
    return code;
  }

  const token = (app: TestApp, entries: Entries): Promise<TokenResponse> =>
    handleTokenRequest({ body: rawParams(entries), credentials: app.credentials }, deps);
  const redeem = (app: TestApp, code: string) =>
    token(app, [
      ["grant_type", "authorization_code"],
      ["code", code],
      ["redirect_uri", REDIRECT],
      ["code_verifier", VERIFIER],
    ]);
  const signIn = async (app: TestApp, scope: string, nonce?: string) => redeem(app, await authorize(app, scope, nonce));

  async function serverJwks() {
    const response = await jwksRoute.GET(new Request("http://localhost/oauth/jwks"));
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    return createLocalJWKSet((await response.json()) as { keys: JWK[] });
  }
  const verifyIdToken = async (idToken: string, app: TestApp) =>
    jwtVerify(idToken, await serverJwks(), { issuer, audience: app.client.clientId, typ: "JWT" });

  type Via = "header" | "form";
  function userinfo(
    accessToken?: string,
    { method = "GET", via = "header" }: { method?: "GET" | "POST"; via?: Via } = {},
  ): Promise<Response> {
    const headers = new Headers();
    let body: string | undefined;
    if (accessToken !== undefined && via === "header") headers.set("authorization", `Bearer ${accessToken}`);
    if (accessToken !== undefined && via === "form") {
      headers.set("content-type", "application/x-www-form-urlencoded");
      body = new URLSearchParams({ access_token: accessToken }).toString();
    }
    const request = new Request(`${issuer}/oauth/userinfo`, { method, headers, ...(body !== undefined ? { body } : {}) });
    return method === "GET" ? userinfoRoute.GET(request) : userinfoRoute.POST(request);
  }
  async function userinfoClaims(accessToken: string): Promise<Record<string, unknown>> {
    const response = await userinfo(accessToken);
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Record<string, unknown>;
  }
  async function assertInvalidToken(response: Response): Promise<void> {
    assert.equal(response.status, 401);
    assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer .*error="invalid_token"/);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(((await response.json()) as { error: string }).error, "invalid_token");
  }

  describe("ID tokens from the token endpoint", () => {
    test("an openid request gets an id_token that verifies against the JWKS: RS256, typ JWT, aud = client_id", async () => {
      const response = await signIn(web, "openid", "n-0S6_WzA2Mj");
      assert.ok(response.id_token);
      const { payload, protectedHeader } = await verifyIdToken(response.id_token, web);
      assert.equal(protectedHeader.alg, "RS256", "RS256 unless the client registered another");
      assert.equal(protectedHeader.typ, "JWT");
      assert.equal(protectedHeader.kid, keyring.signingKey("RS256").kid);
      assert.equal(payload.sub, grace.id, "sub is the user id, never the email");
      assert.equal(payload.nonce, "n-0S6_WzA2Mj");
      assert.equal(payload.sid, SID);
      assert.equal(payload.auth_time, Math.floor(f.now().getTime() / 1000));
      assert.equal(payload.at_hash, atHash(response.access_token, "RS256"));
      assert.equal(payload.exp, payload.iat! + f.config.idTokenTtlSeconds);
    });

    test("no nonce in the ID token when the authorization request sent none", async () => {
      const { id_token } = await signIn(web, "openid");
      assert.ok(id_token);
      assert.ok(!("nonce" in decodeJwt(id_token)));
    });

    test("a request without openid gets no id_token", async () => {
      const response = await signIn(web, "profile email");
      assert.equal(response.id_token, undefined);
      assert.ok(response.access_token);
    });

    const scopeTable: ReadonlyArray<readonly [string, readonly string[]]> = [
      ["openid", []],
      ["openid profile", ["name", "updated_at"]],
      ["openid email", ["email", "email_verified"]],
      ["openid profile email", ["name", "updated_at", "email", "email_verified"]],
    ];
    for (const [scope, expected] of scopeTable) {
      test(`scope "${scope}": ID token and userinfo both carry exactly ${expected.join(", ") || "no user claim"}`, async () => {
        const response = await signIn(web, scope);
        const idClaims = decodeJwt(response.id_token!);
        const info = await userinfoClaims(response.access_token);
        for (const claim of USER_CLAIMS) {
          assert.equal(claim in idClaims, expected.includes(claim), `ID token ${claim}`);
          assert.equal(claim in info, expected.includes(claim), `userinfo ${claim}`);
          assert.deepEqual(idClaims[claim], info[claim], claim);
        }
        assert.deepEqual(Object.keys(info).sort(), ["sub", ...expected].sort(), "userinfo has sub and the scope's claims only");
        assert.equal(info.sub, idClaims.sub, "userinfo sub equals the ID token's");
        assert.ok(Object.keys(idClaims).every((claim) => PROTOCOL_CLAIMS.includes(claim) || expected.includes(claim)));
        if (expected.includes("email")) assert.equal(info.email, "grace@example.com");
        if (expected.includes("email_verified")) assert.equal(info.email_verified, true);
        if (expected.includes("name")) {
          assert.equal(info.name, "Grace Hopper");
          assert.equal(info.updated_at, Math.floor(grace.updatedAt.getTime() / 1000));
        }
      });
    }

    test("a refresh returns a new ID token: same sub and auth_time, no nonce, claims of the narrowed scope", async () => {
      const first = await signIn(web, "openid profile email offline_access", "n-1");
      const refreshed = await token(web, [
        ["grant_type", "refresh_token"],
        ["refresh_token", first.refresh_token!],
        ["scope", "openid email"],
      ]);
      assert.ok(refreshed.id_token);
      const before = decodeJwt(first.id_token!);
      const { payload } = await verifyIdToken(refreshed.id_token, web);
      assert.equal(payload.sub, before.sub);
      assert.equal(payload.auth_time, before.auth_time);
      assert.ok(!("nonce" in payload), "OpenID Connect Core §12.2");
      assert.ok(!("name" in payload) && payload.email === "grace@example.com");
      assert.equal(payload.at_hash, atHash(refreshed.access_token, "RS256"));
      assert.deepEqual(Object.keys(await userinfoClaims(refreshed.access_token)).sort(), ["email", "email_verified", "sub"]);
    });

    for (const [alg, app] of [
      ["ES256", () => es256],
      ["EdDSA", () => eddsa],
    ] as const satisfies ReadonlyArray<readonly [KeyAlgorithm, () => TestApp]>) {
      test(`a client registered with ${alg} gets ${alg} ID tokens, verifiable through the JWKS`, async () => {
        const response = await signIn(app(), "openid profile", "n-alg");
        const { payload, protectedHeader } = await verifyIdToken(response.id_token!, app());
        assert.equal(protectedHeader.alg, alg);
        assert.equal(protectedHeader.kid, keyring.signingKey(alg).kid);
        assert.equal(payload.at_hash, atHash(response.access_token, alg));
        assert.equal(payload.nonce, "n-alg");
        // The access token keeps its own algorithm: the client's choice is for ID tokens.
        assert.equal(decodeProtectedHeader(response.access_token).alg, "ES256");
      });
    }
  });

  describe("userinfo", () => {
    test("answers GET with a header, POST with a header and no body, and POST with a form body", async () => {
      const { access_token } = await signIn(web, "openid email");
      for (const [method, via] of [
        ["GET", "header"],
        ["POST", "header"],
        ["POST", "form"],
      ] as const) {
        const response = await userinfo(access_token, { method, via });
        assert.equal(response.status, 200, `${method} ${via}`);
        assert.equal(response.headers.get("cache-control"), "no-store");
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal(((await response.json()) as { sub: string }).sub, grace.id);
      }
    });

    test("without a token: 401 and a bare Bearer challenge (RFC 6750 §3.1)", async () => {
      for (const method of ["GET", "POST"] as const) {
        const response = await userinfo(undefined, { method });
        assert.equal(response.status, 401);
        assert.equal(response.headers.get("www-authenticate"), "Bearer");
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
      }
      const basic = await userinfoRoute.GET(new Request(`${issuer}/oauth/userinfo`, { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
      assert.equal(basic.status, 401);
      assert.equal(basic.headers.get("www-authenticate"), "Bearer");
    });

    test("refuses a token in the URL query with invalid_request, even a valid one", async () => {
      const { access_token } = await signIn(web, "openid");
      const response = await userinfoRoute.GET(new Request(`${issuer}/oauth/userinfo?access_token=${access_token}`));
      assert.equal(response.status, 400);
      assert.match(response.headers.get("www-authenticate") ?? "", /error="invalid_request"/);
    });

    test("refuses a token sent both in the header and the body with invalid_request", async () => {
      const { access_token } = await signIn(web, "openid");
      const response = await userinfoRoute.POST(
        new Request(`${issuer}/oauth/userinfo`, {
          method: "POST",
          headers: { authorization: `Bearer ${access_token}`, "content-type": "application/x-www-form-urlencoded" },
          body: `access_token=${access_token}`,
        }),
      );
      assert.equal(response.status, 400);
    });

    const alien = async (kind: "id_token" | "other_issuer" | "unknown_kid" | "never_issued") => {
      const { access_token, id_token } = await signIn(web, "openid profile");
      const claims = await verifyAccessToken(keyring, access_token, { issuer, now: f.now() });
      const input = {
        issuer,
        subject: claims.sub,
        clientId: claims.client_id,
        scope: claims.scope,
        jti: claims.jti,
        issuedAt: f.now(),
        expiresAt: new Date(f.now().getTime() + 600_000),
      };
      switch (kind) {
        case "id_token":
          return id_token!;
        case "other_issuer":
          return signAccessToken(keyring, { ...input, issuer: "https://evil.example.com" });
        case "unknown_kid": {
          const stranger = await Keyring.build([{ ...(await generateSigningKey("ES256")), state: "active", activatedAt: new Date() }]);
          return signAccessToken(stranger, input);
        }
        case "never_issued":
          return signAccessToken(keyring, { ...input, jti: "never-issued" });
      }
    };
    const failures: ReadonlyArray<readonly [string, () => Promise<string>]> = [
      ["garbage", async () => "garbage"],
      ["a garbage JWT", async () => "a.b.c"],
      ["an ID token (typ JWT, same key)", () => alien("id_token")],
      ["an access token of another issuer signed by our key", () => alien("other_issuer")],
      ["an access token signed by a key not ours (unknown kid)", () => alien("unknown_kid")],
      ["a well-signed access token that was never issued", () => alien("never_issued")],
      [
        "an ID-token-shaped JWT whose typ says JWT but carries access token claims",
        async () => {
          const { access_token } = await signIn(web, "openid");
          const claims = decodeJwt(access_token);
          const key = keyring.signingKey("ES256");
          return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" }).sign(key.privateKey);
        },
      ],
    ];
    for (const [name, make] of failures) {
      test(`refuses ${name}: 401 invalid_token`, async () => {
        await assertInvalidToken(await userinfo(await make()));
      });
    }

    test("refuses an expired access token: 401 invalid_token", async () => {
      const now = f.now();
      f.setNow(new Date(Date.now() - 2 * 3600_000));
      let expired: string;
      try {
        expired = (await signIn(web, "openid")).access_token;
      } finally {
        f.setNow(now);
      }
      await assertInvalidToken(await userinfo(expired));
    });

    test("refuses the access token of a revoked grant (a replayed code revokes it, RFC 6749 §4.1.2)", async () => {
      const code = await authorize(web, "openid profile");
      const { access_token } = await redeem(web, code);
      assert.equal((await userinfo(access_token)).status, 200);
      await rejectsWith(redeem(web, code), "invalid_grant");
      await assertInvalidToken(await userinfo(access_token));
    });

    test("refuses the token of a disabled user: 401 invalid_token", async () => {
      const { access_token } = await signIn(web, "openid");
      await f.db.user.update({ where: { id: grace.id }, data: { disabled: true } });
      try {
        await assertInvalidToken(await userinfo(access_token));
      } finally {
        await f.db.user.update({ where: { id: grace.id }, data: { disabled: false } });
      }
    });

    test("a valid token without openid in its scope: 403 insufficient_scope", async () => {
      const { access_token } = await signIn(web, "profile email");
      const response = await userinfo(access_token);
      assert.equal(response.status, 403);
      assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer .*error="insufficient_scope"/);
      assert.equal(((await response.json()) as { error: string }).error, "insufficient_scope");
    });

    test("OPTIONS answers the CORS preflight of a request with an Authorization header", () => {
      const response = userinfoRoute.OPTIONS();
      assert.equal(response.status, 204);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.match(response.headers.get("access-control-allow-headers") ?? "", /Authorization/);
      assert.match(response.headers.get("access-control-allow-methods") ?? "", /POST/);
      assert.equal(response.headers.get("access-control-allow-credentials"), null, "bearer tokens, never cookies");
    });
  });

  describe("discovery", () => {
    test("both well-known documents are the same bytes, cacheable, built from the configured issuer", async () => {
      const a = openidConfigurationRoute.GET();
      const b = authorizationServerRoute.GET();
      const [textA, textB] = [await a.text(), await b.text()];
      assert.equal(textA, textB);
      for (const response of [a, b]) {
        assert.equal(response.headers.get("cache-control"), "public, max-age=3600");
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
      }
      const metadata = JSON.parse(textA) as Record<string, unknown>;
      assert.equal(metadata.issuer, issuer);
      assert.equal(metadata.userinfo_endpoint, `${issuer}/oauth/userinfo`);
      assert.equal(metadata.jwks_uri, `${issuer}/oauth/jwks`);
      assert.deepEqual(metadata.id_token_signing_alg_values_supported, ["RS256", "ES256", "EdDSA"]);
    });

    test("every advertised ID token algorithm has a key in the JWKS", async () => {
      const { keys } = (await (await jwksRoute.GET(new Request("http://localhost/oauth/jwks"))).json()) as { keys: JWK[] };
      for (const alg of ["RS256", "ES256", "EdDSA"])
        assert.ok(
          keys.some((key) => key.alg === alg),
          alg,
        );
    });
  });
});
