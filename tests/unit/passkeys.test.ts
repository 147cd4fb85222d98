// The passkey rules (lib/services/passkeys.ts) against the real @simplewebauthn/server verification,
// with answers made by a software authenticator (tests/support/webauthn.ts) on a fresh SQLite
// file: the signature counter and cloned authenticators, challenges used once and only in time,
// only in the browser they were given to, and answers made for another origin or rp id refused.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { getDb, type Db } from "../../lib/db/index.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createUser } from "../../lib/db/users.ts";
import type { Actor } from "../../lib/services/errors.ts";
import {
  addPasskey,
  CHALLENGE_MINUTES,
  defaultPasskeyName,
  newChallengeBinding,
  passkeyAmr,
  PasskeyRefused,
  passkeyRegistrationOptions,
  passkeySecondFactorOptions,
  passkeySignInOptions,
  verifyPasskeySecondFactor,
  verifyPasskeySignIn,
} from "../../lib/services/passkeys.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { SoftAuthenticator } from "../support/webauthn.ts";

const ORIGIN = "http://localhost:39999";
const T0 = new Date("2026-06-01T12:00:00.000Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const refusedWith = (reason: PasskeyRefused["reason"]) => (error: unknown) => {
  assert.ok(error instanceof PasskeyRefused, `expected PasskeyRefused, got ${String(error)}`);
  assert.equal(error.reason, reason);
  assert.equal(error.fieldErrors.passkey?.length, 1);
  return true;
};

describe("passkey rules", () => {
  let database: TestDatabase;
  let db: Db;
  let count = 0;

  before(async () => {
    database = await createTestDatabase("sqlite");
    await applyMigrations(database.url);
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      ISSUER_URL: ORIGIN,
      PORTAL_SECRET: "passkey-unit-test-portal-secret-long-enough",
      AUDIT_LOG: "off",
    });
    db = getDb();
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  /** A new person with a passkey of the given authenticator, added in the browser `binding`. */
  async function personWithPasskey(authenticator = new SoftAuthenticator()) {
    const userId = (await createUser(db, { email: `p${++count}@example.com`, passwordHash: "unused" })).id;
    const actor: Actor = { userId, ipAddress: "192.0.2.7", via: "account" };
    const binding = newChallengeBinding();
    const options = await passkeyRegistrationOptions({ userId, binding }, T0, db);
    const passkey = await addPasskey(
      actor,
      { userId, binding, name: "", response: authenticator.register(options, { origin: ORIGIN }) },
      T0,
      db,
    );
    return { userId, actor, binding, authenticator, passkey };
  }

  const failures = async (userId: string) => (await db.rateLimit.findUnique({ where: { key: `second-factor:${userId}` } }))?.count ?? 0;

  beforeEach(async () => {
    await db.rateLimit.deleteMany();
  });

  test("registration asks for a discoverable credential and user verification, for this rp", async () => {
    const userId = (await createUser(db, { email: "options@example.com", passwordHash: "unused" })).id;
    const options = await passkeyRegistrationOptions({ userId, binding: newChallengeBinding() }, T0, db);
    assert.equal(options.rp.id, "localhost");
    assert.equal(options.authenticatorSelection?.residentKey, "required");
    assert.equal(options.authenticatorSelection?.userVerification, "required");
    assert.equal(options.attestation, "none");
    assert.equal(Buffer.from(options.user.id, "base64url").toString(), userId);
  });

  test("a device-bound passkey signs in alone with hwk, a synced one with swk; both user and mfa", async () => {
    const bound = await personWithPasskey();
    assert.equal(bound.passkey.deviceType, "singleDevice");
    assert.equal(bound.passkey.name, defaultPasskeyName("singleDevice"));
    const options = await passkeySignInOptions({ binding: bound.binding }, later(1), db);
    assert.equal(options.userVerification, "required");
    assert.equal(options.allowCredentials, undefined);
    const signedIn = await verifyPasskeySignIn(
      { binding: bound.binding, response: bound.authenticator.authenticate(options, { origin: ORIGIN }), ipAddress: null },
      later(2),
      db,
    );
    assert.equal(signedIn.userId, bound.userId);
    assert.deepEqual(signedIn.amr, ["hwk", "user", "mfa"]);

    const synced = await personWithPasskey(new SoftAuthenticator({ synced: true }));
    assert.equal(synced.passkey.deviceType, "multiDevice");
    assert.equal(synced.passkey.backedUp, true);
    const syncedOptions = await passkeySignInOptions({ binding: synced.binding }, later(1), db);
    const result = await verifyPasskeySignIn(
      { binding: synced.binding, response: synced.authenticator.authenticate(syncedOptions, { origin: ORIGIN }), ipAddress: null },
      later(2),
      db,
    );
    assert.deepEqual(result.amr, ["swk", "user", "mfa"]);
    assert.deepEqual(passkeyAmr({ deviceType: "singleDevice", backedUp: true }), ["swk", "user", "mfa"]);
  });

  test("the counter must grow: the same or a lower one is a cloned authenticator, refused and audited", async () => {
    const { userId, binding, authenticator, passkey } = await personWithPasskey();
    const sign = async (counter: number | undefined, at: Date) => {
      const options = await passkeySignInOptions({ binding }, at, db);
      return verifyPasskeySignIn(
        { binding, response: authenticator.authenticate(options, { origin: ORIGIN, counter }), ipAddress: null },
        at,
        db,
      );
    };
    await sign(5, later(1));
    assert.equal((await db.passkey.findUniqueOrThrow({ where: { id: passkey.id } })).counter, 5n);
    await assert.rejects(sign(5, later(2)), refusedWith("cloned"));
    await assert.rejects(sign(3, later(3)), refusedWith("cloned"));
    // The stored counter did not move, each refusal counted in the throttle and was audited.
    assert.equal((await db.passkey.findUniqueOrThrow({ where: { id: passkey.id } })).counter, 5n);
    assert.equal(await failures(userId), 2);
    assert.equal(await db.auditEvent.count({ where: { type: "passkey.cloned", subjectUserId: userId } }), 2);
    // A greater one is fine again, and clears the failures.
    await sign(6, later(4));
    assert.equal(await failures(userId), 0);
  });

  test("a counter that stays 0 on both sides is an authenticator without one: accepted every time", async () => {
    const { binding, authenticator, passkey } = await personWithPasskey(new SoftAuthenticator({ noCounter: true }));
    for (const at of [later(1), later(2)]) {
      const options = await passkeySignInOptions({ binding }, at, db);
      await verifyPasskeySignIn({ binding, response: authenticator.authenticate(options, { origin: ORIGIN }), ipAddress: null }, at, db);
    }
    assert.equal((await db.passkey.findUniqueOrThrow({ where: { id: passkey.id } })).counter, 0n);
    // Once it reported a counter, 0 is going back.
    const options = await passkeySignInOptions({ binding }, later(3), db);
    await verifyPasskeySignIn(
      { binding, response: authenticator.authenticate(options, { origin: ORIGIN, counter: 7 }), ipAddress: null },
      later(3),
      db,
    );
    const again = await passkeySignInOptions({ binding }, later(4), db);
    await assert.rejects(
      verifyPasskeySignIn(
        { binding, response: authenticator.authenticate(again, { origin: ORIGIN, counter: 0 }), ipAddress: null },
        later(4),
        db,
      ),
      refusedWith("cloned"),
    );
  });

  test("a challenge is used once: the same answer twice is refused the second time", async () => {
    const { userId, binding, authenticator } = await personWithPasskey();
    const options = await passkeySignInOptions({ binding }, later(1), db);
    const response = authenticator.authenticate(options, { origin: ORIGIN });
    await verifyPasskeySignIn({ binding, response, ipAddress: null }, later(2), db);
    await assert.rejects(verifyPasskeySignIn({ binding, response, ipAddress: null }, later(3), db), refusedWith("challenge"));
    assert.equal(await failures(userId), 1);
    // A fresh answer to the used challenge (another counter) is refused as well.
    const replay = authenticator.authenticate(options, { origin: ORIGIN });
    await assert.rejects(verifyPasskeySignIn({ binding, response: replay, ipAddress: null }, later(4), db), refusedWith("challenge"));
  });

  test("of two answers to one challenge, one wins", async () => {
    const { binding, authenticator } = await personWithPasskey(new SoftAuthenticator({ noCounter: true }));
    const options = await passkeySignInOptions({ binding }, later(1), db);
    const response = authenticator.authenticate(options, { origin: ORIGIN });
    const outcomes = await Promise.allSettled([
      verifyPasskeySignIn({ binding, response, ipAddress: null }, later(2), db),
      verifyPasskeySignIn({ binding, response, ipAddress: null }, later(2), db),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
  });

  test("a challenge expires after five minutes, and a newer one replaces it", async () => {
    const { binding, authenticator } = await personWithPasskey();
    const options = await passkeySignInOptions({ binding }, T0, db);
    const late = new Date(T0.getTime() + CHALLENGE_MINUTES * 60_000);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: authenticator.authenticate(options, { origin: ORIGIN }), ipAddress: null }, late, db),
      refusedWith("challenge"),
    );
    const first = await passkeySignInOptions({ binding }, later(1), db);
    await passkeySignInOptions({ binding }, later(2), db);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: authenticator.authenticate(first, { origin: ORIGIN }), ipAddress: null }, later(3), db),
      refusedWith("challenge"),
    );
  });

  test("a challenge works only in the browser it was given to, and only for its purpose", async () => {
    const { userId, binding, authenticator } = await personWithPasskey();
    const options = await passkeySignInOptions({ binding }, later(1), db);
    const response = authenticator.authenticate(options, { origin: ORIGIN });
    await assert.rejects(
      verifyPasskeySignIn({ binding: newChallengeBinding(), response, ipAddress: null }, later(2), db),
      refusedWith("challenge"),
    );
    await assert.rejects(verifyPasskeySecondFactor({ userId, binding, response, ipAddress: null }, later(2), db), refusedWith("challenge"));
  });

  test("an answer made for another origin or another rp id is refused and changes nothing", async () => {
    const { userId, binding, authenticator, passkey } = await personWithPasskey();
    for (const ceremony of [
      { origin: "http://evil.localhost:39999" },
      { origin: "https://localhost:39999" },
      { origin: ORIGIN, rpId: "example.com" },
    ]) {
      const options = await passkeySignInOptions({ binding }, later(1), db);
      await assert.rejects(
        verifyPasskeySignIn({ binding, response: authenticator.authenticate(options, ceremony), ipAddress: null }, later(2), db),
        refusedWith("invalid"),
      );
    }
    const stored = await db.passkey.findUniqueOrThrow({ where: { id: passkey.id } });
    assert.equal(stored.counter, 0n);
    assert.equal(stored.lastUsedAt, null);
    assert.equal(await failures(userId), 3);
    // Registration checks the same.
    const registration = await passkeyRegistrationOptions({ userId, binding }, later(3), db);
    await assert.rejects(
      addPasskey(
        { userId, via: "account" },
        { userId, binding, name: "x", response: new SoftAuthenticator().register(registration, { origin: "http://localhost:1" }) },
        later(3),
        db,
      ),
      refusedWith("invalid"),
    );
    assert.equal(await db.passkey.count({ where: { userId } }), 1);
  });

  test("without user verification, a signature by another key, an unknown credential: refused", async () => {
    const { userId, binding, authenticator } = await personWithPasskey();
    let options = await passkeySignInOptions({ binding }, later(1), db);
    await assert.rejects(
      verifyPasskeySignIn(
        { binding, response: authenticator.authenticate(options, { origin: ORIGIN, userVerified: false }), ipAddress: null },
        later(1),
        db,
      ),
      refusedWith("invalid"),
    );
    // A response whose signature is another credential's under this credential's id.
    const stranger = new SoftAuthenticator();
    const strangerRegistration = await passkeyRegistrationOptions({ userId, binding }, later(2), db);
    stranger.register(strangerRegistration, { origin: ORIGIN });
    options = await passkeySignInOptions({ binding }, later(2), db);
    const forged = stranger.authenticate(options, { origin: ORIGIN });
    const mine = authenticator.credentials[0]!.id.toString("base64url");
    await assert.rejects(
      verifyPasskeySignIn(
        {
          binding,
          response: { ...forged, id: mine, rawId: mine, response: { ...forged.response, userHandle: undefined } },
          ipAddress: null,
        },
        later(2),
        db,
      ),
      refusedWith("invalid"),
    );
    // The stranger's credential was never stored (its registration was not finished).
    options = await passkeySignInOptions({ binding }, later(3), db);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: stranger.authenticate(options, { origin: ORIGIN }), ipAddress: null }, later(3), db),
      refusedWith("unknown"),
    );
    // Not parseable at all: one clear refusal, nothing thrown from inside.
    await assert.rejects(verifyPasskeySignIn({ binding, response: { id: 5 }, ipAddress: null }, later(3), db), (error: unknown) => {
      assert.ok(error instanceof Error && error.message === "The passkey's answer could not be verified: try again");
      return true;
    });
  });

  test("as a second factor, only the person's own passkey counts", async () => {
    const ada = await personWithPasskey();
    const bob = await personWithPasskey();
    const options = await passkeySecondFactorOptions({ userId: ada.userId, binding: ada.binding }, later(1), db);
    assert.deepEqual(
      options.allowCredentials?.map((item) => item.id),
      [ada.authenticator.credentials[0]!.id.toString("base64url")],
    );
    await assert.rejects(
      verifyPasskeySecondFactor(
        {
          userId: ada.userId,
          binding: ada.binding,
          response: bob.authenticator.authenticate(options, { origin: ORIGIN, credential: bob.authenticator.credentials[0] }),
          ipAddress: null,
        },
        later(2),
        db,
      ),
      refusedWith("unknown"),
    );
    assert.equal(await failures(ada.userId), 1);
    const again = await passkeySecondFactorOptions({ userId: ada.userId, binding: ada.binding }, later(3), db);
    const result = await verifyPasskeySecondFactor(
      { userId: ada.userId, binding: ada.binding, response: ada.authenticator.authenticate(again, { origin: ORIGIN }), ipAddress: null },
      later(4),
      db,
    );
    assert.deepEqual(result.amr, ["hwk", "user", "mfa"]);
  });
});
