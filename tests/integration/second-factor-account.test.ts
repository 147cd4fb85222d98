// What the account page's two-step section adds to the second-factor services, on a freshly
// migrated real database: when a recovery code was last used (the page's warning), and asking the
// person again (current password or a code) before removing a factor or making new codes. Codes
// are computed by the test from the secret (tests/support/totp.ts).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { getDb, type Db } from "../../lib/db/index.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createUser } from "../../lib/db/users.ts";
import { confirmIdentity } from "../../lib/services/account.ts";
import { ServiceError, type Actor } from "../../lib/services/errors.ts";
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  SecondFactorRefused,
  secondFactorStatus,
  startTotpEnrolment,
  spendRecoveryCode,
} from "../../lib/services/second-factor.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { totpCode } from "../support/totp.ts";

const PASSWORD = "account section passphrase";
/** A fixed instant, 10 seconds into its 30-second step. */
const T0 = new Date("2026-06-01T12:00:10.000Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const fieldError = (field: string, message: RegExp) => (error: unknown) =>
  error instanceof ServiceError && message.test(error.fieldErrors[field]?.join(" ") ?? "");

describe(`the account page's second-factor operations on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let userId: string;
  let actor: Actor;
  let secret: string;
  let recoveryCodes: readonly string[];

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    Object.assign(process.env, {
      DATABASE_URL: database.url,
      PORTAL_SECRET: "second-factor-account-test-secret-of-enough-length",
      AUDIT_LOG: "off",
    });
    db = getDb();
    userId = (await createUser(db, { email: "grace@example.com", passwordHash: await hashPassword(PASSWORD, 4) })).id;
    actor = { userId, ipAddress: "192.0.2.1", via: "account" };
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  test("the status says when a current recovery code was last used, and forgets it when new codes replace them", async () => {
    const enrolment = await startTotpEnrolment(actor, { userId }, T0);
    secret = enrolment.secret;
    ({ recoveryCodes } = await confirmTotpEnrolment(actor, { userId, factorId: enrolment.factorId, code: totpCode(secret, T0) }, T0));
    assert.equal((await secondFactorStatus(userId, db)).lastRecoveryCodeUsedAt, null);

    await spendRecoveryCode({ userId, code: recoveryCodes[0], ipAddress: null }, later(60));
    await spendRecoveryCode({ userId, code: recoveryCodes[1], ipAddress: null }, later(120));
    const status = await secondFactorStatus(userId, db);
    assert.equal(status.recoveryCodesLeft, 8);
    assert.deepEqual(status.lastRecoveryCodeUsedAt, later(120));

    ({ recoveryCodes } = await regenerateRecoveryCodes(actor, { userId }, later(180)));
    const fresh = await secondFactorStatus(userId, db);
    assert.equal(fresh.recoveryCodesLeft, 10);
    assert.equal(fresh.lastRecoveryCodeUsedAt, null);
  });

  test("confirmIdentity takes the current password, and refuses a wrong or missing one on that field", async () => {
    assert.deepEqual(await confirmIdentity(actor, { userId, currentPassword: PASSWORD, code: "" }), { with: "password" });
    await assert.rejects(
      confirmIdentity(actor, { userId, currentPassword: "not the password" }),
      fieldError("currentPassword", /not your current/),
    );
    await assert.rejects(
      confirmIdentity(actor, { userId, currentPassword: "", code: "  " }),
      fieldError("currentPassword", /Enter your current password, or a code/),
    );
    // A wrong password counts against the same throttle as the password form's.
    assert.equal((await db.rateLimit.findMany({ where: { key: { contains: userId } } })).length, 1);
  });

  test("confirmIdentity takes a code from the authenticator app once, and refuses a wrong or replayed one on the code field", async () => {
    const t = later(300);
    const code = totpCode(secret, t);
    assert.deepEqual(await confirmIdentity(actor, { userId, currentPassword: "", code: ` ${code} ` }, t), { with: "totp" });
    await assert.rejects(confirmIdentity(actor, { userId, code }, t), (error: unknown) => {
      return error instanceof SecondFactorRefused && error.reason === "replayed" && error.fieldErrors.code?.length === 1;
    });
    // A code wins over a password typed beside it: a wrong code is refused even with the right password.
    const wrong = code === "000000" ? "111111" : "000000";
    await assert.rejects(confirmIdentity(actor, { userId, currentPassword: PASSWORD, code: wrong }, later(330)), (error: unknown) => {
      return error instanceof SecondFactorRefused && error.fieldErrors.code?.length === 1;
    });
    await assert.rejects(confirmIdentity(actor, { userId, code: "12345" }, t), fieldError("code", /6-digit/));
  });
});
