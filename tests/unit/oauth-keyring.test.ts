import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { base64url, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { generateSigningKey, type GeneratedKey } from "../../lib/keys/generate.ts";
import { InvalidToken, OAuthError } from "../../lib/oauth/errors.ts";
import { KeyringCache } from "../../lib/oauth/keys/keyring-cache.ts";
import { Keyring, type KeyStore, type StoredKey } from "../../lib/oauth/keys/keyring.ts";
import { signAccessToken, verifyAccessToken, type AccessTokenInput } from "../../lib/oauth/tokens/access-token.ts";

const ISSUER = "https://id.example.com";
const NOW = new Date("2030-01-01T12:00:00Z");
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

function stored(key: GeneratedKey, state: "active" | "retired" = "active", activatedAt = NOW): StoredKey {
  return {
    kid: key.kid,
    alg: key.alg,
    state,
    activatedAt,
    publicJwk: key.publicJwk,
    ...(state === "active" ? { privateJwk: key.privateJwk } : {}),
  };
}

const input = (overrides: Partial<AccessTokenInput> = {}): AccessTokenInput => ({
  issuer: ISSUER,
  subject: "user-1",
  clientId: "client-a",
  scope: ["openid", "profile"],
  jti: "jti-1",
  authTime: new Date(NOW.getTime() - 60_000),
  issuedAt: NOW,
  expiresAt: new Date(NOW.getTime() + 600_000),
  ...overrides,
});

let rsa: GeneratedKey, ec: GeneratedKey, okp: GeneratedKey, keyring: Keyring;

before(async () => {
  [rsa, ec, okp] = await Promise.all([generateSigningKey("RS256"), generateSigningKey("ES256"), generateSigningKey("EdDSA")]);
  keyring = await Keyring.build([stored(rsa), stored(ec), stored(okp)]);
});

describe("keyring JWKS", () => {
  test("publishes kid, alg and use=sig and no private member for RSA, EC and OKP keys", () => {
    const { keys } = keyring.jwks();
    assert.equal(keys.length, 3);
    for (const jwk of keys) {
      assert.deepEqual(
        PRIVATE_MEMBERS.filter((name) => name in jwk),
        [],
      );
      assert.equal(jwk.use, "sig");
      assert.ok(jwk.kid && jwk.alg);
    }
    assert.deepEqual(keys.map((jwk) => jwk.kty).sort(), ["EC", "OKP", "RSA"]);
    assert.equal(keyring.jwksJson, JSON.stringify(keyring.jwks()));
  });

  test("strips private members even when the stored public JWK carries them", async () => {
    const leaky = await Keyring.build([
      { ...stored(rsa), publicJwk: rsa.privateJwk },
      { ...stored(ec), publicJwk: ec.privateJwk },
    ]);
    for (const jwk of leaky.jwks().keys)
      assert.deepEqual(
        PRIVATE_MEMBERS.filter((name) => name in jwk),
        [],
      );
    assert.ok(!leaky.jwksJson.includes(String(rsa.privateJwk.d)));
  });

  test("signs with the newest active key of an algorithm; retired keys only verify", async () => {
    const newer = await generateSigningKey("ES256");
    const ring = await Keyring.build([stored(ec, "retired"), stored(newer, "active", new Date(NOW.getTime() + 1000))]);
    assert.equal(ring.signingKey("ES256").kid, newer.kid);
    assert.equal(ring.verificationKey(ec.kid)?.state, "retired");
    assert.throws(
      () => ring.signingKey("RS256"),
      (error) => error instanceof OAuthError && error.error === "server_error",
    );
    assert.equal(ring.jwks().keys[0]?.kid, newer.kid);
  });
});

describe("RFC 9068 access tokens", () => {
  test("round trip: header typ at+jwt with kid, claims as issued, ES256 by default", async () => {
    const token = await signAccessToken(keyring, input());
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[0]!))) as Record<string, unknown>;
    assert.deepEqual(header, { alg: "ES256", kid: ec.kid, typ: "at+jwt" });
    const claims = await verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW });
    assert.deepEqual(claims, {
      iss: ISSUER,
      sub: "user-1",
      aud: "client-a",
      client_id: "client-a",
      scope: "openid profile",
      exp: NOW.getTime() / 1000 + 600,
      iat: NOW.getTime() / 1000,
      jti: "jti-1",
      auth_time: NOW.getTime() / 1000 - 60,
    });
  });

  for (const alg of ["RS256", "EdDSA"] as const) {
    test(`round trip with ${alg}`, async () => {
      const token = await signAccessToken(keyring, input({ alg }));
      assert.equal((await verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW })).sub, "user-1");
    });
  }

  test("checks the audience when the resource server names itself", async () => {
    const token = await signAccessToken(keyring, input());
    assert.equal((await verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW, audience: "client-a" })).aud, "client-a");
    await assert.rejects(verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW, audience: "client-b" }), InvalidToken);
  });

  const claims = { sub: "user-1", aud: "client-a", client_id: "client-a", scope: "openid", jti: "x" };
  const signed = (header: Record<string, unknown>, key = ec.kid, overrides: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims, ...overrides })
      .setProtectedHeader({ alg: "ES256", kid: key, ...header })
      .setIssuer(ISSUER)
      .setIssuedAt(NOW)
      .setExpirationTime(new Date(NOW.getTime() + 600_000))
      .sign(keyring.signingKey("ES256").privateKey);

  const rejected: [string, () => Promise<string>][] = [
    ["an ID-token-like JWT with typ JWT", () => signed({ typ: "JWT" })],
    ["a JWT without typ", () => signed({})],
    ["an unknown kid", () => signed({ typ: "at+jwt" }, "no-such-kid")],
    ["a kid whose key has another algorithm", () => signed({ typ: "at+jwt" }, rsa.kid)],
    ["a missing client_id", () => signed({ typ: "at+jwt" }, ec.kid, { client_id: undefined })],
    ["another issuer", () => signAccessToken(keyring, input({ issuer: "https://evil.example.com" }))],
    ["an issuer with a trailing slash", () => signAccessToken(keyring, input({ issuer: `${ISSUER}/` }))],
    ["an expired token (beyond the 5 s tolerance)", () => signAccessToken(keyring, input({ expiresAt: new Date(NOW.getTime() - 6000) }))],
    [
      "a bad signature",
      async () => {
        const [h, , s] = (await signAccessToken(keyring, input())).split(".");
        return `${h}.${base64url.encode(JSON.stringify({ ...claims, iss: ISSUER, sub: "admin", exp: 2e9, iat: 1 }))}.${s}`;
      },
    ],
    [
      "a token signed by a foreign key under our kid",
      async () => {
        const { privateKey } = await generateKeyPair("ES256");
        return new SignJWT(claims)
          .setProtectedHeader({ alg: "ES256", kid: ec.kid, typ: "at+jwt" })
          .setIssuer(ISSUER)
          .setIssuedAt(NOW)
          .setExpirationTime(new Date(NOW.getTime() + 600_000))
          .sign(privateKey);
      },
    ],
    [
      "alg none",
      async () => {
        const unsecured = new UnsecuredJWT({ ...claims, iss: ISSUER, exp: 2e9, iat: 1 }).encode();
        const header = base64url.encode(JSON.stringify({ alg: "none", kid: ec.kid, typ: "at+jwt" }));
        return `${header}.${unsecured.split(".")[1]}.`;
      },
    ],
    [
      "HS256 keyed with the public JWK",
      () =>
        new SignJWT({ ...claims })
          .setProtectedHeader({ alg: "HS256", kid: ec.kid, typ: "at+jwt" })
          .setIssuer(ISSUER)
          .setIssuedAt(NOW)
          .setExpirationTime(new Date(NOW.getTime() + 600_000))
          .sign(new TextEncoder().encode(JSON.stringify(ec.publicJwk))),
    ],
    ["an empty string", async () => ""],
    ["garbage", async () => "not-a-jwt"],
    ["three garbage segments", async () => "a.b.c"],
    ["an oversized token", async () => `${"a".repeat(20_000)}.b.c`],
  ];
  for (const [name, make] of rejected) {
    test(`rejects ${name} with invalid_token and a generic description`, async () => {
      const token = await make();
      await assert.rejects(verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW }), (error) => {
        assert.ok(error instanceof InvalidToken);
        assert.equal(error.status, 401);
        assert.equal(error.description, "the access token is invalid or has expired");
        return true;
      });
    });
  }

  test("accepts a token expired by less than the clock tolerance", async () => {
    const token = await signAccessToken(keyring, input({ expiresAt: new Date(NOW.getTime() - 3000) }));
    assert.equal((await verifyAccessToken(keyring, token, { issuer: ISSUER, now: NOW })).jti, "jti-1");
  });
});

describe("KeyringCache", () => {
  function setup(initial: StoredKey[]) {
    const state = { keys: initial, loads: 0, fail: false, clock: NOW.getTime(), errors: [] as unknown[] };
    const store: KeyStore = {
      async loadPublishedKeys() {
        state.loads += 1;
        if (state.fail) throw new Error("database down");
        return state.keys;
      },
    };
    const cache = new KeyringCache({ store, now: () => new Date(state.clock), onReloadError: (e) => state.errors.push(e) });
    return { state, cache };
  }

  test("loads once, serves from memory for 60 s, then reloads and picks up a rotation", async () => {
    const { state, cache } = setup([stored(ec)]);
    const first = await cache.current();
    state.clock += 59_000;
    assert.equal(await cache.current(), first);
    assert.equal(state.loads, 1);
    const rotated = await generateSigningKey("ES256");
    state.keys = [stored(ec, "retired"), stored(rotated, "active", new Date(NOW.getTime() + 1))];
    state.clock += 1_000;
    assert.equal((await cache.current()).signingKey("ES256").kid, rotated.kid);
    assert.equal(state.loads, 2);
  });

  test("concurrent callers share one load", async () => {
    const { state, cache } = setup([stored(ec)]);
    await Promise.all([cache.current(), cache.current(), cache.verificationKey(ec.kid)]);
    assert.equal(state.loads, 1);
  });

  test("an unknown kid reloads at most once per 5 s", async () => {
    const { state, cache } = setup([stored(ec)]);
    await cache.current();
    assert.equal(await cache.verificationKey("new-kid"), undefined);
    assert.equal(state.loads, 1, "no reload within the cooldown");
    state.clock += 5_000;
    const added = await generateSigningKey("ES256");
    state.keys = [stored(ec), stored(added)];
    assert.equal((await cache.verificationKey(added.kid))?.kid, added.kid);
    assert.equal(state.loads, 2);
    state.clock += 1_000;
    assert.equal(await cache.verificationKey("random-kid"), undefined);
    assert.equal(await cache.verificationKey(ec.kid).then((key) => key?.kid), ec.kid);
    assert.equal(state.loads, 2);
  });

  test("keeps serving the last keyring when a reload fails, and retries after the interval", async () => {
    const { state, cache } = setup([stored(ec)]);
    const first = await cache.current();
    state.fail = true;
    state.clock += 60_000;
    assert.equal(await cache.current(), first);
    assert.equal(state.errors.length, 1);
    assert.equal(await cache.current(), first);
    assert.equal(state.loads, 2, "a failed load backs off like a successful one");
    state.fail = false;
    state.clock += 60_000;
    assert.notEqual(await cache.current(), first);
  });

  test("fails when the very first load fails", async () => {
    const { state, cache } = setup([stored(ec)]);
    state.fail = true;
    await assert.rejects(cache.current(), /database down/);
  });

  test("a token verifies through the cache", async () => {
    const { cache } = setup([stored(ec)]);
    const token = await signAccessToken(await cache.current(), input());
    assert.equal((await verifyAccessToken(cache, token, { issuer: ISSUER, now: NOW })).sub, "user-1");
  });
});

describe("verified access tokens are remembered, but expiry and the key are checked every time", () => {
  test("a remembered token still expires, against the caller's tolerance", async () => {
    const ring = await Keyring.build([stored(ec)]);
    const token = await signAccessToken(ring, input({ expiresAt: new Date(NOW.getTime() + 2000) }));
    assert.equal((await verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW })).jti, "jti-1");
    assert.equal((await verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW })).jti, "jti-1");
    const later = new Date(NOW.getTime() + 4000);
    assert.equal((await verifyAccessToken(ring, token, { issuer: ISSUER, now: later })).jti, "jti-1", "within the 5 s tolerance");
    await assert.rejects(verifyAccessToken(ring, token, { issuer: ISSUER, now: later, clockToleranceSeconds: 0 }), InvalidToken);
    await assert.rejects(verifyAccessToken(ring, token, { issuer: ISSUER, now: new Date(NOW.getTime() + 8000) }), InvalidToken);
  });

  test("a remembered token is refused once its key is no longer published", async () => {
    const { state, cache } = keySource([stored(ec)]);
    const token = await signAccessToken(await cache.current(), input());
    assert.equal((await verifyAccessToken(cache, token, { issuer: ISSUER, now: NOW })).sub, "user-1");
    state.keys = [stored(rsa)];
    await cache.reload();
    await assert.rejects(verifyAccessToken(cache, token, { issuer: ISSUER, now: NOW }), InvalidToken);
  });

  test("the issuer and audience checked are part of what is remembered", async () => {
    const ring = await Keyring.build([stored(ec)]);
    const token = await signAccessToken(ring, input());
    assert.equal((await verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW })).aud, "client-a");
    assert.equal((await verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW, audience: "client-a" })).aud, "client-a");
    await assert.rejects(verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW, audience: "client-b" }), InvalidToken);
    await assert.rejects(verifyAccessToken(ring, token, { issuer: "https://other.example.com", now: NOW }), InvalidToken);
  });

  test("a token altered after a successful verification is verified afresh and refused", async () => {
    const ring = await Keyring.build([stored(ec)]);
    const token = await signAccessToken(ring, input());
    await verifyAccessToken(ring, token, { issuer: ISSUER, now: NOW });
    const [h, p, s] = token.split(".");
    const altered = `${h}.${p}.${s!.slice(0, -2)}${s!.endsWith("AA") ? "BB" : "AA"}`;
    await assert.rejects(verifyAccessToken(ring, altered, { issuer: ISSUER, now: NOW }), InvalidToken);
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, "base64url").toString()), sub: "user-2" })).toString("base64url")}.${s}`;
    await assert.rejects(verifyAccessToken(ring, forged, { issuer: ISSUER, now: NOW }), InvalidToken);
  });
});

function keySource(initial: StoredKey[]) {
  const state = { keys: initial };
  const store: KeyStore = { loadPublishedKeys: async () => state.keys };
  return { state, cache: new KeyringCache({ store, now: () => NOW }) };
}
