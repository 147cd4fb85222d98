import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from "../../lib/oauth/authorize/acr.ts";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, test } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, decodeJwt, jwtVerify } from "jose";
import { generateSigningKey } from "../../lib/keys/generate.ts";
import { claimsForScopes, SCOPE_CLAIMS } from "../../lib/oauth/claims/claims-for-scopes.ts";
import type { UserClaimsRecord, UserClaimsStore } from "../../lib/oauth/claims/ports.ts";
import { OAuthError } from "../../lib/oauth/errors.ts";
import { Keyring, type KeyAlgorithm } from "../../lib/oauth/keys/keyring.ts";
import type { StoredGrant } from "../../lib/oauth/token/ports.ts";
import { verifyAccessToken } from "../../lib/oauth/tokens/access-token.ts";
import { atHash, createIdTokenIssuer, idTokenAlgOf, signIdToken } from "../../lib/oauth/tokens/id-token.ts";
import type { Client, OAuthConfig } from "../../lib/oauth/types.ts";

const ISSUER = "https://id.example.com";
const NOW = new Date("2030-01-01T12:00:00Z");
const AUTH_TIME = new Date("2030-01-01T11:58:20Z");
const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

const config: OAuthConfig = {
  issuer: ISSUER,
  codeTtlSeconds: 60,
  accessTokenTtlSeconds: 600,
  idTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 86_400,
  refreshTokenAbsoluteTtlSeconds: 90 * 86_400,
  refreshReuseGraceSeconds: 30,
  interactionTtlSeconds: 600,
};

const user: UserClaimsRecord = {
  id: "9b2f6c1e-0000-4000-8000-000000000001",
  email: "ada@example.com",
  name: "Ada Lovelace",
  emailVerified: true,
  updatedAt: new Date("2029-12-31T08:00:00.750Z"),
  disabled: false,
};

function client(overrides: Partial<Client> = {}): Client {
  return {
    ref: "ref-1",
    clientId: "client-a",
    name: "App",
    logoUri: null,
    clientUri: null,
    policyUri: null,
    tosUri: null,
    type: "confidential",
    applicationType: "web",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: ["https://app.example.com/cb"],
    postLogoutRedirectUris: [],
    scopes: ["openid", "profile", "email"],
    grantTypes: ["authorization_code"],
    skipConsent: true,
    requireMfa: false,
    idTokenSignedResponseAlg: "RS256",
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    idTokenTtlSeconds: null,
    disabled: false,
    secrets: [],
    ...overrides,
  };
}

const grant: StoredGrant = {
  id: "grant-1",
  userId: user.id,
  userDisabled: false,
  clientDisabled: false,
  clientRef: "ref-1",
  scopes: ["openid", "profile", "email"],
  sessionId: "session-1",
  authTime: AUTH_TIME,
  amr: ["pwd", "otp", "mfa"],
  createdAt: AUTH_TIME,
  revokedAt: null,
};

const users = (record: UserClaimsRecord | null = user): UserClaimsStore => ({ findUserClaims: async () => record });

let keyring: Keyring;
before(async () => {
  const keys = await Promise.all((["RS256", "ES256", "EdDSA"] as const).map((alg) => generateSigningKey(alg)));
  keyring = await Keyring.build(keys.map((key) => ({ ...key, state: "active" as const, activatedAt: NOW })));
});

const issuer = (record: UserClaimsRecord | null = user) =>
  createIdTokenIssuer({ config, signingKeys: async () => keyring, users: users(record) });

async function issue(
  options: { scopes?: string[]; nonce?: string; client?: Client; record?: UserClaimsRecord | null; amr?: string[] } = {},
) {
  const token = await issuer(options.record).issueIdToken({
    client: options.client ?? client(),
    grant: options.amr ? { ...grant, amr: options.amr } : grant,
    scopes: options.scopes ?? ["openid"],
    nonce: options.nonce,
    accessToken: "an-access-token",
    now: NOW,
  });
  assert.ok(token);
  return token;
}

const verify = (token: string, audience = "client-a") =>
  jwtVerify(token, createLocalJWKSet({ keys: [...keyring.jwks().keys] }), { issuer: ISSUER, audience, typ: "JWT", currentDate: NOW });

describe("claims for scopes (OpenID Connect Core §5.4)", () => {
  const table: ReadonlyArray<readonly [string[], Record<string, unknown>]> = [
    [["openid"], {}],
    [["openid", "offline_access"], {}],
    [["openid", "profile"], { name: "Ada Lovelace", updated_at: epoch(user.updatedAt) }],
    [["openid", "email"], { email: "ada@example.com", email_verified: true }],
    [
      ["openid", "profile", "email"],
      { name: "Ada Lovelace", updated_at: epoch(user.updatedAt), email: "ada@example.com", email_verified: true },
    ],
  ];
  for (const [scopes, expected] of table) {
    test(`${scopes.join(" ")} releases exactly ${Object.keys(expected).join(", ") || "no user claim"}`, () => {
      assert.deepEqual(claimsForScopes(user, scopes), expected);
    });
  }

  test("omits an empty name rather than sending an empty string (Core §5.3.2)", () => {
    assert.deepEqual(claimsForScopes({ ...user, name: "" }, ["openid", "profile"]), { updated_at: epoch(user.updatedAt) });
  });

  test("reports email_verified false as false, not absent", () => {
    assert.equal(claimsForScopes({ ...user, emailVerified: false }, ["email"]).email_verified, false);
  });

  test("SCOPE_CLAIMS lists every claim claimsForScopes can release", () => {
    const released = Object.keys(claimsForScopes(user, ["profile", "email"])).sort();
    assert.deepEqual(released, Object.values(SCOPE_CLAIMS).flat().sort());
  });
});

describe("at_hash (OpenID Connect Core §3.1.3.6)", () => {
  // Core Appendix A.4: this access token's at_hash, under RS256.
  const SPEC_TOKEN = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
  test("SHA-256 left half for RS256 and ES256 (the specification's example)", () => {
    assert.equal(atHash(SPEC_TOKEN, "RS256"), "77QmUPtjPfzWtF2AnpK9RQ");
    assert.equal(atHash(SPEC_TOKEN, "ES256"), "77QmUPtjPfzWtF2AnpK9RQ");
  });
  test("SHA-512 left half for EdDSA with Ed25519 (computed with openssl dgst -sha512)", () => {
    assert.equal(atHash(SPEC_TOKEN, "EdDSA"), "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM");
  });
  test("is 128 bits for the SHA-256 algorithms and 256 bits for EdDSA", () => {
    assert.equal(Buffer.from(atHash("x", "ES256"), "base64url").length, 16);
    assert.equal(Buffer.from(atHash("x", "EdDSA"), "base64url").length, 32);
  });
});

describe("ID tokens", () => {
  test("verify through the JWKS with typ JWT, kid, iss, aud = client_id, exp by the configured TTL", async () => {
    const token = await issue();
    const { payload, protectedHeader } = await verify(token);
    assert.equal(protectedHeader.typ, "JWT");
    assert.equal(protectedHeader.alg, "RS256");
    assert.equal(protectedHeader.kid, keyring.signingKey("RS256").kid);
    assert.equal(payload.iss, ISSUER);
    assert.equal(payload.sub, user.id);
    assert.equal(payload.aud, "client-a");
    assert.equal(payload.iat, epoch(NOW));
    assert.equal(payload.exp, epoch(NOW) + config.idTokenTtlSeconds);
    assert.equal(payload.auth_time, epoch(AUTH_TIME));
    assert.equal(payload.sid, "session-1");
    assert.equal(payload.at_hash, atHash("an-access-token", "RS256"));
    assert.equal(payload.azp, undefined, "a single audience needs no azp");
  });

  test("amr is the grant's methods (RFC 8176) and acr the class they reach", async () => {
    const mfa = decodeJwt(await issue());
    assert.deepEqual(mfa.amr, ["pwd", "otp", "mfa"]);
    assert.equal(mfa.acr, ACR_MULTI_FACTOR);
    const password = decodeJwt(await issue({ amr: ["pwd"] }));
    assert.deepEqual(password.amr, ["pwd"]);
    assert.equal(password.acr, ACR_SINGLE_FACTOR);
    const passkey = decodeJwt(await issue({ amr: ["hwk", "user", "mfa"] }));
    assert.equal(passkey.acr, ACR_MULTI_FACTOR);
  });

  test("a per-client TTL overrides the configured one", async () => {
    const payload = decodeJwt(await issue({ client: client({ idTokenTtlSeconds: 120 }) }));
    assert.equal(payload.exp, epoch(NOW) + 120);
  });

  test("carries nonce exactly when one was sent", async () => {
    assert.equal(decodeJwt(await issue({ nonce: "n-0S6_WzA2Mj" })).nonce, "n-0S6_WzA2Mj");
    assert.ok(!("nonce" in decodeJwt(await issue())));
    assert.equal(decodeJwt(await issue({ nonce: "" })).nonce, "", "an empty nonce is still a nonce that was sent");
  });

  const scopeTable: ReadonlyArray<readonly [string[], string[], string[]]> = [
    [["openid"], [], ["name", "updated_at", "email", "email_verified"]],
    [
      ["openid", "profile"],
      ["name", "updated_at"],
      ["email", "email_verified"],
    ],
    [
      ["openid", "email"],
      ["email", "email_verified"],
      ["name", "updated_at"],
    ],
    [["openid", "profile", "email"], ["name", "updated_at", "email", "email_verified"], []],
  ];
  for (const [scopes, present, absent] of scopeTable) {
    test(`scope "${scopes.join(" ")}" puts ${present.join(", ") || "no user claim"} in the ID token and nothing else`, async () => {
      const payload = decodeJwt(await issue({ scopes }));
      for (const claim of present) assert.ok(claim in payload, `${claim} missing`);
      for (const claim of absent) assert.ok(!(claim in payload), `${claim} leaked`);
      assert.equal(payload.sub, user.id, "sub is the user id, never the email");
    });
  }

  for (const alg of ["RS256", "ES256", "EdDSA"] as const satisfies readonly KeyAlgorithm[]) {
    test(`a client registered with ${alg} gets ${alg} ID tokens with the matching at_hash`, async () => {
      const token = await issue({ client: client({ idTokenSignedResponseAlg: alg }) });
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, alg);
      assert.equal(header.kid, keyring.signingKey(alg).kid);
      const { payload } = await verify(token);
      assert.equal(payload.at_hash, atHash("an-access-token", alg));
    });
  }

  test("an unusable registered algorithm is a server_error, and an empty one means RS256", () => {
    assert.throws(
      () => idTokenAlgOf(client({ idTokenSignedResponseAlg: "HS256" })),
      (e) => e instanceof OAuthError && e.error === "server_error",
    );
    assert.throws(
      () => idTokenAlgOf(client({ idTokenSignedResponseAlg: "none" })),
      (e) => e instanceof OAuthError && e.error === "server_error",
    );
    assert.equal(idTokenAlgOf(client({ idTokenSignedResponseAlg: "" })), "RS256");
  });

  test("a user deleted or disabled since the grant was checked gets invalid_grant", async () => {
    for (const record of [null, { ...user, disabled: true }]) {
      await assert.rejects(issue({ record }), (e: unknown) => e instanceof OAuthError && e.error === "invalid_grant");
    }
  });

  test("is refused as an access token: typ JWT is not at+jwt (RFC 9068 §4)", async () => {
    const token = await signIdToken(keyring, {
      issuer: ISSUER,
      subject: user.id,
      audience: "client-a",
      alg: "ES256",
      issuedAt: NOW,
      expiresAt: new Date(NOW.getTime() + 600_000),
      authTime: AUTH_TIME,
    });
    await assert.rejects(
      verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW }),
      (e: unknown) => e instanceof OAuthError && e.error === "invalid_token",
    );
  });

  test("without an access token or session there is no at_hash and no sid", async () => {
    const token = await signIdToken(keyring, {
      issuer: ISSUER,
      subject: user.id,
      audience: "client-a",
      alg: "RS256",
      issuedAt: NOW,
      expiresAt: new Date(NOW.getTime() + 600_000),
      authTime: AUTH_TIME,
      sessionId: null,
    });
    const payload = decodeJwt(token);
    assert.ok(!("at_hash" in payload) && !("sid" in payload));
  });

  test("at_hash matches an independent computation over the token actually issued", async () => {
    const accessToken = "eyJhbGciOiJFUzI1NiJ9.e30.sig";
    const token = await issuer().issueIdToken({ client: client(), grant, scopes: ["openid"], accessToken, now: NOW });
    const expected = createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
    assert.equal(decodeJwt(token!).at_hash, expected);
  });
});
