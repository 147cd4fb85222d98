import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { JWK } from "jose";
import { open, SecretBoxError } from "../../lib/crypto/secret-box.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import {
  ensureSigningKeys,
  loadPublishedKeys,
  retiredKeyPublishSeconds,
  rotateSigningKeys,
  signingKeyStore,
} from "../../lib/db/signing-keys.ts";
import { KeyringCache } from "../../lib/oauth/keys/keyring-cache.ts";
import { Keyring } from "../../lib/oauth/keys/keyring.ts";
import { signAccessToken, verifyAccessToken } from "../../lib/oauth/tokens/access-token.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";

const SECRET = "integration-test-portal-secret-0123456789";
const ISSUER = "https://id.example.com";
const PUBLISH_FOR_SECONDS = 900;
const seconds = (date: Date, delta: number) => new Date(date.getTime() + delta * 1000);

describe(`signing keys on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = createDb(database.url);
  });

  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  test("ensureSigningKeys creates one RS256, one ES256 and one EdDSA key, then nothing", async () => {
    const created = await ensureSigningKeys(db, SECRET);
    assert.equal(created.length, 3);
    assert.deepEqual(await ensureSigningKeys(db, SECRET), []);
    const rows = await db.signingKey.findMany({ orderBy: { alg: "asc" } });
    // Sorted here, not by the database: collations order "EdDSA" and "ES256" differently.
    assert.deepEqual(rows.map((row) => [row.alg, row.state]).sort(), [
      ["ES256", "active"],
      ["EdDSA", "active"],
      ["RS256", "active"],
    ]);
  });

  test("stores the private JWK sealed: no key material in clear, unreadable under another secret", async () => {
    for (const row of await db.signingKey.findMany()) {
      const privateJwk = JSON.parse(open(row.privateJwkEncrypted, SECRET)) as JWK;
      assert.ok(privateJwk.d);
      for (const member of ["d", "p", "q", "dp", "dq", "qi"] as const) {
        const value = privateJwk[member];
        if (value) assert.ok(!row.privateJwkEncrypted.includes(value.slice(0, 16)), `${member} in clear`);
      }
      assert.ok(!row.privateJwkEncrypted.includes('"d"'));
      assert.ok(!("d" in (JSON.parse(row.publicJwk) as JWK)));
      assert.throws(() => open(row.privateJwkEncrypted, "another-secret-of-at-least-32-characters"), SecretBoxError);
    }
  });

  test("rotation under another PORTAL_SECRET fails and changes nothing", async () => {
    const before = await db.signingKey.findMany({ orderBy: { kid: "asc" } });
    await assert.rejects(
      rotateSigningKeys(db, "another-secret-of-at-least-32-characters", { now: new Date(), publishForSeconds: 60 }),
      SecretBoxError,
    );
    assert.deepEqual(await db.signingKey.findMany({ orderBy: { kid: "asc" } }), before);
  });

  test("rotation: new active kids, old ones retired yet published until publishUntil", async () => {
    const now = new Date();
    const before = await Keyring.build(await loadPublishedKeys(db, SECRET, now));
    const oldKids = [before.signingKey("RS256").kid, before.signingKey("ES256").kid, before.signingKey("EdDSA").kid];
    const issuedBefore = await signAccessToken(before, {
      issuer: ISSUER,
      subject: "user-1",
      clientId: "client-a",
      scope: "openid",
      jti: "j-1",
      issuedAt: now,
      expiresAt: seconds(now, 600),
    });

    const result = await rotateSigningKeys(db, SECRET, { now, publishForSeconds: PUBLISH_FOR_SECONDS });
    assert.deepEqual(result.created.map((key) => key.alg).sort(), ["ES256", "EdDSA", "RS256"]);
    assert.deepEqual(result.retired.map((key) => key.kid).sort(), [...oldKids].sort());

    const old = await db.signingKey.findMany({ where: { kid: { in: oldKids } } });
    for (const row of old) {
      assert.equal(row.state, "retired");
      assert.equal(row.retiredAt?.getTime(), now.getTime());
      assert.equal(row.publishUntil?.getTime(), seconds(now, PUBLISH_FOR_SECONDS).getTime());
    }

    const published = await loadPublishedKeys(db, SECRET, seconds(now, PUBLISH_FOR_SECONDS - 1));
    assert.equal(published.length, 6);
    for (const key of published) {
      assert.equal(key.state, oldKids.includes(key.kid) ? "retired" : "active");
      assert.equal(key.privateJwk === undefined, key.state === "retired", "only active keys are decrypted");
    }
    const after = await Keyring.build(published);
    assert.deepEqual(
      [after.signingKey("RS256").kid, after.signingKey("ES256").kid, after.signingKey("EdDSA").kid].sort(),
      result.created.map((k) => k.kid).sort(),
    );
    assert.equal(after.jwks().keys.length, 6);

    // A token signed before the rotation still verifies through a keyring loaded after it.
    const claims = await verifyAccessToken(after, issuedBefore, { issuer: ISSUER, now: seconds(now, 60) });
    assert.equal(claims.jti, "j-1");

    const later = await loadPublishedKeys(db, SECRET, seconds(now, PUBLISH_FOR_SECONDS));
    assert.deepEqual(
      later.map((key) => key.state),
      ["active", "active", "active"],
    );
    assert.ok(later.every((key) => !oldKids.includes(key.kid)));
  });

  test("a KeyringCache over the database picks up a rotation after its reload interval", async () => {
    let clock = Date.now();
    const cache = new KeyringCache({ store: signingKeyStore(db, SECRET), now: () => new Date(clock) });
    const first = (await cache.current()).signingKey("ES256").kid;
    const result = await rotateSigningKeys(db, SECRET, { now: new Date(clock), publishForSeconds: PUBLISH_FOR_SECONDS });
    assert.equal((await cache.current()).signingKey("ES256").kid, first, "served from memory within the interval");
    clock += 60_000;
    const rotated = result.created.find((key) => key.alg === "ES256")?.kid;
    assert.equal((await cache.current()).signingKey("ES256").kid, rotated);
    assert.equal((await cache.verificationKey(first))?.state, "retired");
  });

  test("retired keys are published for the longest token lifetime, per-client overrides included", async () => {
    const config = { accessTokenTtlSeconds: 600, idTokenTtlSeconds: 900 };
    assert.equal(await retiredKeyPublishSeconds(db, config), 900 + 300);
    await db.client.create({
      data: {
        clientId: "long-lived",
        name: "Long lived",
        type: "public",
        tokenEndpointAuthMethod: "none",
        redirectUris: "https://app.example.com/cb",
        accessTokenTtlSeconds: 7200,
      },
    });
    assert.equal(await retiredKeyPublishSeconds(db, config), 7200 + 300);
  });
});
