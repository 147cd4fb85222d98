// Passkeys through the service layer (lib/services/passkeys.ts) on a freshly migrated real database
// (SQLite, or PostgreSQL with TEST_DB_KIND=postgres), with answers from the software authenticator
// (tests/support/webauthn.ts) verified by the real @simplewebauthn/server: adding, listing,
// renaming, removing behind the current password; a passkey counts as a second factor; failures
// lock the account's second factor like wrong codes; a disabled person's passkey signs no one in;
// nothing secret reaches the audit log.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { getDb, type Db } from "../../lib/db/index.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createUser } from "../../lib/db/users.ts";
import { ServiceError, type Actor } from "../../lib/services/errors.ts";
import {
  addPasskey,
  listPasskeys,
  newChallengeBinding,
  PasskeyRefused,
  passkeyRegistrationOptions,
  passkeySecondFactorOptions,
  passkeySignInOptions,
  removePasskey,
  renamePasskey,
  verifyPasskeySecondFactor,
  verifyPasskeySignIn,
} from "../../lib/services/passkeys.ts";
import { secondFactorStatus } from "../../lib/services/second-factor.ts";
import { setUserDisabled, unlockUser } from "../../lib/services/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { SoftAuthenticator } from "../support/webauthn.ts";

const ORIGIN = "http://localhost:39998";
const PASSWORD = "correct horse battery staple";

describe(`passkeys through the service layer on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let userId: string;
  let actor: Actor;
  const admin: Actor = { userId: null, via: "cli" };
  const binding = newChallengeBinding();
  const authenticator = new SoftAuthenticator({ synced: true });
  /** Every challenge handed out: none may be in the audit log. */
  const challenges: string[] = [];

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      ISSUER_URL: ORIGIN,
      PORTAL_SECRET: "passkey-integration-test-portal-secret-long",
      PORTAL_NAME: "Test Portal",
      AUDIT_LOG: "off",
    });
    db = getDb();
    userId = (await createUser(db, { email: "grace@example.com", passwordHash: await hashPassword(PASSWORD, 4) })).id;
    actor = { userId, ipAddress: "192.0.2.9", via: "account" };
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  async function signInOptions() {
    const options = await passkeySignInOptions({ binding });
    challenges.push(options.challenge);
    return options;
  }

  test("a person adds a passkey; it is listed, counts as a second factor, and is excluded from the next registration", async () => {
    assert.equal(await authorizeStore(db).hasSecondFactor(userId), false);
    const options = await passkeyRegistrationOptions({ userId, binding });
    challenges.push(options.challenge);
    assert.equal(options.rp.name, "Test Portal");
    assert.equal(options.user.name, "grace@example.com");
    const response = authenticator.register(options, { origin: ORIGIN });
    const added = await addPasskey(actor, { userId, binding, name: "  ", response });
    assert.equal(added.name, "Synced passkey");
    assert.equal(added.deviceType, "multiDevice");
    const [listed] = await listPasskeys(userId);
    assert.equal(listed?.id, added.id);
    assert.equal(await authorizeStore(db).hasSecondFactor(userId), true);
    const status = await secondFactorStatus(userId);
    assert.deepEqual(
      status.factors.map((factor) => [factor.kind, factor.id]),
      [["passkey", added.id]],
    );
    const row = await db.passkey.findUniqueOrThrow({ where: { id: added.id } });
    assert.equal(row.credentialId, response.id);
    assert.equal(row.transports, "internal");
    assert.equal(row.backedUp, true);
    const [audit] = await db.auditEvent.findMany({ where: { type: "passkey.added" } });
    assert.equal(audit?.actorUserId, userId);

    // The next registration tells the browser not to make a second one on the same authenticator.
    const again = await passkeyRegistrationOptions({ userId, binding });
    assert.deepEqual(
      again.excludeCredentials?.map((item) => item.id),
      [response.id],
    );
  });

  test("renaming: a clear error for an empty or long name, audited when it changes", async () => {
    const [passkey] = await listPasskeys(userId);
    await assert.rejects(renamePasskey(actor, { userId, passkeyId: passkey!.id, name: " " }), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.deepEqual(error.fieldErrors.name, ["Enter a name"]);
      return true;
    });
    await assert.rejects(renamePasskey(actor, { userId, passkeyId: passkey!.id, name: "x".repeat(65) }), ServiceError);
    await assert.rejects(renamePasskey(actor, { userId, passkeyId: "someone-else's", name: "Mine" }), ServiceError);
    await renamePasskey(actor, { userId, passkeyId: passkey!.id, name: "Phone" });
    assert.equal((await listPasskeys(userId))[0]?.name, "Phone");
    assert.equal(await db.auditEvent.count({ where: { type: "passkey.renamed" } }), 1);
  });

  test("signing in with the passkey alone, and as the second factor", async () => {
    const signedIn = await verifyPasskeySignIn({
      binding,
      response: authenticator.authenticate(await signInOptions(), { origin: ORIGIN }),
      ipAddress: "192.0.2.9",
    });
    assert.deepEqual(signedIn, { userId, passkeyId: signedIn.passkeyId, amr: ["swk", "user", "mfa"] });
    assert.ok((await db.user.findUniqueOrThrow({ where: { id: userId } })).lastLoginAt);
    const options = await passkeySecondFactorOptions({ userId, binding });
    challenges.push(options.challenge);
    const second = await verifyPasskeySecondFactor({
      userId,
      binding,
      response: authenticator.authenticate(options, { origin: ORIGIN }),
      ipAddress: null,
    });
    assert.deepEqual(second.amr, ["swk", "user", "mfa"]);
    assert.equal(await db.auditEvent.count({ where: { type: "passkey.signin", actorUserId: userId } }), 2);
  });

  test("five failures lock the second factor; a locked account's right passkey is refused until unlocked", async () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const options = await signInOptions();
      await assert.rejects(
        verifyPasskeySignIn({
          binding,
          response: authenticator.authenticate(options, { origin: "http://localhost:1" }),
          ipAddress: null,
        }),
        (error: unknown) => error instanceof PasskeyRefused && error.reason === "invalid",
      );
    }
    assert.equal(await db.auditEvent.count({ where: { type: "passkey.failed", subjectUserId: userId } }), 5);
    assert.ok((await db.auditEvent.count({ where: { type: "second_factor.locked", subjectUserId: userId } })) >= 1);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: authenticator.authenticate(await signInOptions(), { origin: ORIGIN }), ipAddress: null }),
      (error: unknown) => error instanceof PasskeyRefused && error.reason === "locked" && /try again in \d+ minutes?/.test(error.message),
    );
    await unlockUser(admin, userId);
    await verifyPasskeySignIn({
      binding,
      response: authenticator.authenticate(await signInOptions(), { origin: ORIGIN }),
      ipAddress: null,
    });
  });

  test("a disabled person's passkey signs no one in", async () => {
    await setUserDisabled(admin, userId, true);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: authenticator.authenticate(await signInOptions(), { origin: ORIGIN }), ipAddress: null }),
      (error: unknown) => error instanceof PasskeyRefused && error.reason === "unknown",
    );
    await setUserDisabled(admin, userId, false);
  });

  test("removing asks for the current password; then the passkey is gone and no second factor is left", async () => {
    const [passkey] = await listPasskeys(userId);
    await assert.rejects(removePasskey(actor, { userId, passkeyId: passkey!.id, currentPassword: "wrong" }), (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.deepEqual(error.fieldErrors.currentPassword, ["That is not your current password"]);
      return true;
    });
    assert.equal((await listPasskeys(userId)).length, 1);
    await removePasskey(actor, { userId, passkeyId: passkey!.id, currentPassword: PASSWORD });
    assert.equal((await listPasskeys(userId)).length, 0);
    assert.equal(await authorizeStore(db).hasSecondFactor(userId), false);
    assert.equal(await db.auditEvent.count({ where: { type: "passkey.removed", actorUserId: userId } }), 1);
    await assert.rejects(
      verifyPasskeySignIn({ binding, response: authenticator.authenticate(await signInOptions(), { origin: ORIGIN }), ipAddress: null }),
      (error: unknown) => error instanceof PasskeyRefused && error.reason === "unknown",
    );
    await assert.rejects(
      passkeySecondFactorOptions({ userId, binding }),
      (error: unknown) => error instanceof PasskeyRefused && error.reason === "none",
    );
  });

  test("no challenge and no public key is in the audit log", async () => {
    const details = (await db.auditEvent.findMany({ select: { detail: true } })).map((row) => row.detail).join("\n");
    assert.ok(challenges.length > 5);
    for (const challenge of challenges) assert.ok(!details.includes(challenge));
    assert.ok(!details.includes("publicKey"));
  });
});
