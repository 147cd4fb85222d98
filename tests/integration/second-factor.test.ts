// Second factors through the service layer (lib/services/second-factor.ts) on a freshly migrated
// real database: enrolment, confirmation, codes at sign-in without replay, recovery codes once
// each, regeneration, the throttle's lock and its unlock, removal. The clock is fixed and the
// codes are computed by the test from the secret (tests/support/totp.ts). At the end, no table
// and no log line holds the TOTP secret or a recovery code.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { open } from "../../lib/crypto/secret-box.ts";
import { getDb, type Db } from "../../lib/db/index.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createUser } from "../../lib/db/users.ts";
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  removeSecondFactor,
  SecondFactorRefused,
  secondFactorStatus,
  startTotpEnrolment,
  spendRecoveryCode,
  verifyTotpCode,
  TOTP_ENROLMENT_MINUTES,
} from "../../lib/services/second-factor.ts";
import { ServiceError, type Actor } from "../../lib/services/errors.ts";
import { unlockUser } from "../../lib/services/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { totpCode } from "../support/totp.ts";

const PORTAL_SECRET = "second-factor-test-portal-secret-of-enough-length";
/** A fixed instant, 10 seconds into its 30-second step. */
const T0 = new Date("2026-06-01T12:00:10.000Z");
const later = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** A code that is none of the codes accepted at `at` (the current step's and its neighbours'). */
function wrongCode(secret: string, at: Date, nth = 1): string {
  const accepted = new Set([-1, 0, 1].map((offset) => totpCode(secret, at, offset)));
  let candidate = Number(totpCode(secret, at));
  for (let found = 0; found < nth;) {
    candidate = (candidate + 100_003) % 1_000_000;
    if (!accepted.has(String(candidate).padStart(6, "0"))) found++;
  }
  return String(candidate).padStart(6, "0");
}

const refusedWith = (reason: SecondFactorRefused["reason"]) => (error: unknown) =>
  error instanceof SecondFactorRefused && error.reason === reason && error.fieldErrors.code?.length === 1;

describe(`second factors through the service layer on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let userId: string;
  let actor: Actor;
  /** Every secret the test saw: none may be stored or logged. */
  const secrets: string[] = [];
  const logged: string[] = [];
  const writeStderr = process.stderr.write.bind(process.stderr);

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    // The services read these on first use: this database, and the secret that seals TOTP secrets.
    Object.assign(process.env, { DATABASE_URL: database.url, PORTAL_SECRET, AUDIT_LOG: "stderr", PORTAL_NAME: "Test Portal" });
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      // The audit lines are kept for the last test, not printed; anything else goes through.
      if (String(chunk).startsWith('{"time"')) {
        logged.push(String(chunk));
        return true;
      }
      return writeStderr(chunk, ...rest);
    }) as typeof process.stderr.write;
    db = getDb();
    userId = (await createUser(db, { email: "ada@example.com", passwordHash: "unused" })).id;
    actor = { userId, ipAddress: "192.0.2.1", via: "account" };
  });
  after(async () => {
    process.stderr.write = writeStderr;
    await db?.$disconnect();
    await database?.drop();
  });

  const auditOf = async (type: string) =>
    (await db.auditEvent.findMany({ where: { type }, orderBy: { createdAt: "asc" } })).map((row) => ({
      ...row,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  const failures = async () => (await db.rateLimit.findUnique({ where: { key: `second-factor:${userId}` } }))?.count ?? 0;

  let secret: string;
  let factorId: string;
  let recoveryCodes: readonly string[];

  test("enrolment starts with a sealed secret and its otpauth URI, and counts for nothing before a first code", async () => {
    const started = await startTotpEnrolment(actor, { userId }, T0);
    ({ secret, factorId } = started);
    secrets.push(secret);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(started.uri);
    assert.equal(uri.protocol, "otpauth:");
    assert.equal(uri.searchParams.get("secret"), secret);
    assert.equal(uri.searchParams.get("issuer"), "Test Portal");
    assert.equal(decodeURIComponent(uri.pathname), "/Test Portal:ada@example.com");
    assert.equal(started.expiresAt.getTime(), T0.getTime() + TOTP_ENROLMENT_MINUTES * 60_000);

    const row = await db.secondFactor.findUniqueOrThrow({ where: { id: factorId } });
    assert.equal(row.kind, "totp");
    assert.equal(row.confirmedAt, null);
    assert.ok(row.secretEncrypted && !row.secretEncrypted.includes(secret));
    assert.equal(open(row.secretEncrypted, PORTAL_SECRET), secret);

    assert.deepEqual(await secondFactorStatus(userId, db), { factors: [], recoveryCodesLeft: 0, lastRecoveryCodeUsedAt: null });
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, T0), ipAddress: null }, T0), refusedWith("none"));
    await assert.rejects(regenerateRecoveryCodes(actor, { userId }, T0), ServiceError);

    // Starting again replaces the unconfirmed start: the first secret no longer confirms anything.
    const again = await startTotpEnrolment(actor, { userId }, T0);
    secrets.push(again.secret);
    assert.equal(await db.secondFactor.count({ where: { userId } }), 1);
    await assert.rejects(
      confirmTotpEnrolment(actor, { userId, factorId, code: totpCode(secret, T0) }, T0),
      (error: unknown) => error instanceof ServiceError && /start again/.test(error.message),
    );
    ({ secret, factorId } = again);
  });

  test("a wrong or malformed code does not confirm; an enrolment left too long ends", async () => {
    await assert.rejects(confirmTotpEnrolment(actor, { userId, factorId, code: wrongCode(secret, T0) }, T0), refusedWith("wrong"));
    assert.equal(await failures(), 1);
    // Not a code at all: refused before anything is looked at, and not counted.
    for (const code of ["12345", "abcdef", "", 123456]) {
      await assert.rejects(
        confirmTotpEnrolment(actor, { userId, factorId, code }, T0),
        (error: unknown) => error instanceof ServiceError && !(error instanceof SecondFactorRefused) && Boolean(error.fieldErrors.code),
      );
    }
    assert.equal(await failures(), 1);
    const [failed] = await auditOf("second_factor.failed");
    assert.deepEqual(failed?.detail, { kind: "totp", reason: "wrong" });
    assert.equal(failed?.subjectUserId, userId);
    // The right code, but after the enrolment's time ran out.
    const tooLate = later(TOTP_ENROLMENT_MINUTES * 60);
    await assert.rejects(
      confirmTotpEnrolment(actor, { userId, factorId, code: totpCode(secret, tooLate) }, tooLate),
      (error: unknown) => error instanceof ServiceError && /start again/.test(error.message),
    );
    assert.equal((await db.secondFactor.findUniqueOrThrow({ where: { id: factorId } })).confirmedAt, null);
  });

  test("the first valid code confirms it and brings ten recovery codes, shown once", async () => {
    // The code of the next step (a phone clock a little ahead) is inside the window.
    const confirmed = await confirmTotpEnrolment(actor, { userId, factorId, code: totpCode(secret, T0, 1) }, T0);
    recoveryCodes = confirmed.recoveryCodes;
    secrets.push(...recoveryCodes);
    assert.equal(recoveryCodes.length, 10);
    for (const code of recoveryCodes) assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.equal(await failures(), 0);

    const status = await secondFactorStatus(userId, db);
    assert.equal(status.factors.length, 1);
    assert.equal(status.factors[0]?.kind, "totp");
    assert.equal(status.factors[0]?.id, factorId);
    assert.equal(status.recoveryCodesLeft, 10);
    const [enrolled] = await auditOf("second_factor.enrolled");
    assert.deepEqual(enrolled?.detail, { kind: "totp", factorId, via: "account", recoveryCodesIssued: 10 });
    assert.equal(enrolled?.actorUserId, userId);
    assert.equal(enrolled?.ipAddress, "192.0.2.1");

    await assert.rejects(startTotpEnrolment(actor, { userId }, T0), (error: unknown) => error instanceof ServiceError);
    await assert.rejects(
      confirmTotpEnrolment(actor, { userId, factorId, code: totpCode(secret, T0, 1) }, T0),
      (error: unknown) => error instanceof ServiceError && /start again/.test(error.message),
    );
  });

  test("at sign-in a code is accepted once: the confirming step, and every earlier one, are used", async () => {
    // The confirmation used the next step: this step's code and the next one's are refused.
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, T0), ipAddress: null }, T0), refusedWith("replayed"));
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, T0, 1), ipAddress: null }, T0), refusedWith("replayed"));
    // Thirty seconds on, the step after is new.
    const t1 = later(30);
    assert.deepEqual(await verifyTotpCode({ userId, code: totpCode(secret, t1, 1), ipAddress: null }, t1), { factorId });
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, t1, 1), ipAddress: null }, t1), refusedWith("replayed"));
    // An expired code: two steps old.
    const t2 = later(120);
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, t2, -2), ipAddress: null }, t2), refusedWith("wrong"));
    // Typed with a space, as the app shows it.
    const typed = totpCode(secret, t2);
    assert.deepEqual(await verifyTotpCode({ userId, code: `${typed.slice(0, 3)} ${typed.slice(3)}`, ipAddress: null }, t2), { factorId });
    const stored = await db.secondFactor.findUniqueOrThrow({ where: { id: factorId } });
    assert.equal(stored.lastUsedStep, Math.floor(t2.getTime() / 30_000));
    assert.equal(stored.lastUsedAt?.toISOString(), t2.toISOString());
    // A success clears the failures counted so far.
    assert.equal(await failures(), 0);
  });

  test("two sign-ins racing with the same code: exactly one is accepted", async () => {
    const t = later(300);
    const code = totpCode(secret, t);
    const outcomes = await Promise.allSettled([
      verifyTotpCode({ userId, code, ipAddress: null }, t),
      verifyTotpCode({ userId, code, ipAddress: null }, t),
    ]);
    assert.equal(outcomes.filter((outcome) => outcome.status === "fulfilled").length, 1);
    const refused = outcomes.find((outcome) => outcome.status === "rejected");
    assert.ok(refused && refusedWith("replayed")(refused.reason));
  });

  test("a recovery code works once, typed any way, and its use is audited with how many are left", async () => {
    const t = later(400);
    assert.deepEqual(await spendRecoveryCode({ userId, code: recoveryCodes[0], ipAddress: "192.0.2.7" }, t), { remaining: 9 });
    await assert.rejects(spendRecoveryCode({ userId, code: recoveryCodes[0], ipAddress: null }, t), refusedWith("used"));
    const sloppy = ` ${recoveryCodes[1]!.toLowerCase().replaceAll("-", " ")} `;
    assert.deepEqual(await spendRecoveryCode({ userId, code: sloppy, ipAddress: null }, t), { remaining: 8 });
    // Two uses of one code at once: one wins.
    const outcomes = await Promise.allSettled([
      spendRecoveryCode({ userId, code: recoveryCodes[2], ipAddress: null }, t),
      spendRecoveryCode({ userId, code: recoveryCodes[2], ipAddress: null }, t),
    ]);
    assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ["fulfilled", "rejected"]);
    const used = await auditOf("recovery_code.used");
    assert.deepEqual(
      used.map((row) => row.detail),
      [{ remaining: 9 }, { remaining: 8 }, { remaining: 7 }],
    );
    assert.equal(used[0]?.actorUserId, userId);
    assert.equal(used[0]?.ipAddress, "192.0.2.7");
    assert.equal((await secondFactorStatus(userId, db)).recoveryCodesLeft, 7);
    // Not a code of this account, and not a code at all.
    await assert.rejects(spendRecoveryCode({ userId, code: "0000-0000-0000-0000", ipAddress: null }, t), refusedWith("wrong"));
    await assert.rejects(
      spendRecoveryCode({ userId, code: "not-a-code", ipAddress: null }, t),
      (error: unknown) => error instanceof ServiceError && !(error instanceof SecondFactorRefused),
    );
  });

  test("regenerated recovery codes replace the old ones, which stop working", async () => {
    const t = later(500);
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes(actor, { userId }, t);
    secrets.push(...fresh);
    assert.equal(fresh.length, 10);
    assert.equal(new Set([...fresh, ...recoveryCodes]).size, 20);
    assert.equal(await db.recoveryCode.count({ where: { userId } }), 10);
    await assert.rejects(spendRecoveryCode({ userId, code: recoveryCodes[5], ipAddress: null }, t), refusedWith("wrong"));
    assert.deepEqual(await spendRecoveryCode({ userId, code: fresh[5], ipAddress: null }, t), { remaining: 9 });
    const [regenerated] = await auditOf("recovery_codes.regenerated");
    assert.deepEqual(regenerated?.detail, { via: "account", count: 10, unusedReplaced: 7 });
    recoveryCodes = fresh;
  });

  test("five wrong codes lock the second factor for 15 minutes, even for the right code; an admin's unlock clears it", async () => {
    const t = later(600);
    for (let i = 1; i <= 4; i++) {
      await assert.rejects(verifyTotpCode({ userId, code: wrongCode(secret, t, i), ipAddress: null }, t), refusedWith("wrong"));
    }
    assert.equal((await auditOf("second_factor.locked")).length, 0);
    // The fifth locks it (a wrong recovery code counts the same).
    await assert.rejects(spendRecoveryCode({ userId, code: "0000-0000-0000-0000", ipAddress: null }, t), (error: unknown) => {
      return refusedWith("wrong")(error) && (error as SecondFactorRefused).retryAfterSeconds === 15 * 60;
    });
    const [locked] = await auditOf("second_factor.locked");
    assert.deepEqual(locked?.detail, { retryAfterSeconds: 900, failures: 5 });
    assert.equal(locked?.subjectUserId, userId);
    // Now even the right code and a good recovery code are refused, and say when to try again.
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, t), ipAddress: null }, later(660)), (error: unknown) => {
      return refusedWith("locked")(error) && (error as SecondFactorRefused).retryAfterSeconds === 840;
    });
    await assert.rejects(spendRecoveryCode({ userId, code: recoveryCodes[0], ipAddress: null }, later(660)), refusedWith("locked"));
    assert.equal((await secondFactorStatus(userId, db)).recoveryCodesLeft, 9);
    assert.equal((await auditOf("second_factor.locked")).length, 3);
    // The admin unlocks the account: the right code works at once.
    const { cleared } = await unlockUser({ userId: null, via: "cli" }, userId);
    assert.equal(cleared, 1);
    const t2 = later(690);
    assert.deepEqual(await verifyTotpCode({ userId, code: totpCode(secret, t2), ipAddress: null }, t2), { factorId });
    // And the lock ends by itself after its window.
    for (let i = 1; i <= 5; i++) {
      await assert.rejects(verifyTotpCode({ userId, code: wrongCode(secret, t2, i), ipAddress: null }, t2), refusedWith("wrong"));
    }
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, t2, 1), ipAddress: null }, t2), refusedWith("locked"));
    const t3 = later(690 + 15 * 60);
    assert.deepEqual(await verifyTotpCode({ userId, code: totpCode(secret, t3), ipAddress: null }, t3), { factorId });
  });

  test("removing the last second factor removes the recovery codes; removal is audited", async () => {
    const t = later(3000);
    await assert.rejects(removeSecondFactor(actor, { userId, factorId: "no-such-factor" }), ServiceError);
    assert.deepEqual(await removeSecondFactor(actor, { userId, factorId }), { recoveryCodesDeleted: 10 });
    assert.deepEqual(await secondFactorStatus(userId, db), { factors: [], recoveryCodesLeft: 0, lastRecoveryCodeUsedAt: null });
    await assert.rejects(verifyTotpCode({ userId, code: totpCode(secret, t), ipAddress: null }, t), refusedWith("none"));
    await assert.rejects(spendRecoveryCode({ userId, code: recoveryCodes[1], ipAddress: null }, t), refusedWith("wrong"));
    const [removed] = await auditOf("second_factor.removed");
    assert.deepEqual(removed?.detail, { kind: "totp", factorId, confirmed: true, via: "account", recoveryCodesDeleted: 10 });
    // Set up again: a new secret, new codes.
    const again = await startTotpEnrolment(actor, { userId }, t);
    secrets.push(again.secret);
    assert.notEqual(again.secret, secret);
    const { recoveryCodes: fresh } = await confirmTotpEnrolment(
      actor,
      { userId, factorId: again.factorId, code: totpCode(again.secret, t) },
      t,
    );
    secrets.push(...fresh);
    assert.equal(fresh.length, 10);
  });

  test("no table and no log line holds a TOTP secret or a recovery code", async () => {
    // Three TOTP secrets and three sets of ten recovery codes.
    assert.equal(secrets.length, 33);
    const forms = secrets.flatMap((value) => [
      value,
      value.replaceAll("-", ""),
      value.toLowerCase(),
      value.replaceAll("-", "").toLowerCase(),
    ]);
    const tables = {
      SecondFactor: await db.secondFactor.findMany(),
      RecoveryCode: await db.recoveryCode.findMany(),
      AuditEvent: await db.auditEvent.findMany(),
      RateLimit: await db.rateLimit.findMany(),
      User: await db.user.findMany(),
    };
    const stored = JSON.stringify(tables);
    assert.ok(tables.RecoveryCode.length === 10 && tables.AuditEvent.length > 10);
    assert.deepEqual(
      forms.filter((form) => stored.includes(form)),
      [],
    );
    const log = logged.join("");
    assert.match(log, /"event":"recovery_code.used"/);
    assert.match(log, /"event":"second_factor.enrolled"/);
    assert.deepEqual(
      forms.filter((form) => log.includes(form)),
      [],
    );
  });
});
