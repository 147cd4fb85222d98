// Second factors: an authenticator app (TOTP, RFC 6238) and the recovery codes that stand in for
// it when it is lost. Passkeys have a table of their own (lib/services/passkeys.ts) and count as
// second factors here (docs/architecture.md, "Second factors").
//
// Setting up, removing and regenerating are changes to the person's account: each goes through
// change() (audit rows, change counter) like the account page's other operations. Checking a code
// at sign-in is a sign-in step, like checking a password (sign-in.ts): its writes (the last step
// used, a recovery code spent) and its audit row share one transaction, without the change
// counter, so a sign-in does not make every instance forget its caches.
//
// Nothing secret leaves this file except to the person: the TOTP secret is sealed with
// PORTAL_SECRET (lib/crypto/secret-box.ts, as the signing keys are) and returned only by
// startTotpEnrolment; recovery codes are stored as SHA-256 hashes and returned only when made.
// Neither ever goes into an audit row or a log line.
import { z } from "zod";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeHash, RECOVERY_CODE_COUNT } from "../auth/recovery-codes.ts";
import { recordFailure, SECOND_FACTOR_MAX_FAILURES, secondFactorRules, secondFactorThrottleKey, throttledUntil } from "../auth/throttle.ts";
import { checkTotpCode, newTotpSecret, normalizeTotpCode, totpUri } from "../auth/totp.ts";
import { open, seal } from "../crypto/secret-box.ts";
import { getDb, type Db, type Tx } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { resolvePortalSecret } from "../portal-secret.ts";
import { logAudit, writeAudit, type AuditEntry } from "./audit.ts";
import { change } from "./change.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";

export type SecondFactorKind = "totp" | "passkey";

/** How long a started TOTP enrolment waits for its first code. */
export const TOTP_ENROLMENT_MINUTES = 15;

const id = z.string().trim().min(1).max(64);
const totpCode = z
  .string({ error: "Enter the 6-digit code from your authenticator app" })
  .max(32, "Enter the 6-digit code from your authenticator app")
  .transform((typed, ctx) => {
    const code = normalizeTotpCode(typed);
    if (code === undefined) ctx.addIssue({ code: "custom", message: "Enter the 6-digit code from your authenticator app" });
    return code ?? "";
  });
const recoveryCode = z
  .string({ error: "Enter one of your recovery codes" })
  .max(64, "That is not a recovery code")
  .transform((typed, ctx) => {
    const code = normalizeRecoveryCode(typed);
    if (code === undefined) ctx.addIssue({ code: "custom", message: "That is not a recovery code: it has 16 letters and digits" });
    return code ?? "";
  });

/** A code was refused at sign-in or at confirmation; `reason` says why, the message says it to the person. */
export class SecondFactorRefused extends ServiceError {
  override name = "SecondFactorRefused";
  constructor(
    readonly reason: "wrong" | "replayed" | "used" | "locked" | "none",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, { code: [message] });
  }
}

const portalSecret = () => resolvePortalSecret(getConfig()).secret;
const subject = (actor: Actor, userId: string) => (actor.userId === userId ? null : userId);
const minutes = (seconds: number) => {
  const count = Math.max(1, Math.ceil(seconds / 60));
  return `${count} minute${count === 1 ? "" : "s"}`;
};

// ---------------------------------------------------------------------------------------------
// Reads

export interface SecondFactorView {
  readonly id: string;
  readonly kind: SecondFactorKind;
  readonly name: string;
  readonly createdAt: Date;
  readonly confirmedAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface SecondFactorStatus {
  /**
   * The confirmed factors, oldest first (an enrolment not confirmed yet is not one): authenticator
   * apps, then passkeys (kind "passkey", confirmedAt = when added).
   */
  readonly factors: readonly SecondFactorView[];
  /** Unused recovery codes. */
  readonly recoveryCodesLeft: number;
  /** When one of the current recovery codes was last used to sign in (null: none of them was). */
  readonly lastRecoveryCodeUsedAt: Date | null;
}

export async function secondFactorStatus(userId: string, db: Db = getDb()): Promise<SecondFactorStatus> {
  const [rows, passkeys, recoveryCodesLeft, lastUsed] = await Promise.all([
    db.secondFactor.findMany({
      where: { userId, confirmedAt: { not: null } },
      select: { id: true, kind: true, name: true, createdAt: true, confirmedAt: true, lastUsedAt: true },
      orderBy: [{ confirmedAt: "asc" }, { id: "asc" }],
    }),
    db.passkey.findMany({
      where: { userId },
      select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
    db.recoveryCode.findFirst({ where: { userId, usedAt: { not: null } }, select: { usedAt: true }, orderBy: { usedAt: "desc" } }),
  ]);
  const factors = [
    ...rows.flatMap((row): SecondFactorView[] =>
      row.kind === "totp" && row.confirmedAt ? [{ ...row, kind: "totp", confirmedAt: row.confirmedAt }] : [],
    ),
    ...passkeys.map((passkey): SecondFactorView => ({ ...passkey, kind: "passkey", confirmedAt: passkey.createdAt })),
  ];
  return { factors, recoveryCodesLeft, lastRecoveryCodeUsedAt: lastUsed?.usedAt ?? null };
}

/** Whether a second factor was confirmed (with its first code) at or after `since`: set up during a sign-in that began then. */
export async function secondFactorSetUpSince(userId: string, since: Date, db: Db = getDb()): Promise<boolean> {
  const count = await db.secondFactor.count({ where: { userId, confirmedAt: { gte: since }, user: { disabled: false } } });
  return count > 0;
}

// ---------------------------------------------------------------------------------------------
// Enrolment

export const startTotpEnrolmentSchema = z.object({ userId: id });

export interface TotpEnrolment {
  readonly factorId: string;
  /** The shared secret in base32, for typing into an app by hand; shown once. */
  readonly secret: string;
  /** The otpauth:// URI to show as a QR code. */
  readonly uri: string;
  readonly expiresAt: Date;
}

/**
 * Starts setting up an authenticator app: a new secret, stored sealed, that counts only once a
 * first code confirms it (confirmTotpEnrolment). An earlier unconfirmed start is replaced. A
 * person has at most one authenticator app: to change it, they remove the old one first.
 */
export async function startTotpEnrolment(
  actor: Actor,
  input: { userId: string },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<TotpEnrolment> {
  const data = parseInput(startTotpEnrolmentSchema, input);
  const secret = newTotpSecret();
  const sealed = seal(secret, portalSecret());
  const issuer = getConfig().portalName;
  return change(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: data.userId }, select: { email: true, disabled: true } });
    if (!user || user.disabled) throw new ServiceError("This account does not exist (any more)");
    const confirmed = await tx.secondFactor.count({ where: { userId: data.userId, kind: "totp", confirmedAt: { not: null } } });
    if (confirmed > 0) throw new ServiceError("An authenticator app is set up already: remove it first to set up another");
    await tx.secondFactor.deleteMany({ where: { userId: data.userId, kind: "totp", confirmedAt: null } });
    const row = await tx.secondFactor.create({
      data: { userId: data.userId, kind: "totp", secretEncrypted: sealed, createdAt: now },
      select: { id: true },
    });
    return {
      result: {
        factorId: row.id,
        secret,
        uri: totpUri(secret, issuer, user.email),
        expiresAt: new Date(now.getTime() + TOTP_ENROLMENT_MINUTES * 60_000),
      },
      // Nothing counts yet: the event is the confirmation.
      audit: [],
    };
  }, db);
}

export const confirmTotpEnrolmentSchema = z.object({ userId: id, factorId: id, code: totpCode });

/**
 * Confirms an authenticator app with a first valid code: from then on it counts, and that code's
 * step is used. The person's first second factor also brings ten recovery codes, returned here
 * once (empty when they had a factor already and keep their codes).
 */
export async function confirmTotpEnrolment(
  actor: Actor,
  input: { userId: string; factorId: string; code: unknown },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<{ recoveryCodes: readonly string[] }> {
  const data = parseInput(confirmTotpEnrolmentSchema, input);
  await refuseWhenLocked(db, data.userId, actor.ipAddress ?? null, now);
  const pending = await db.secondFactor.findFirst({
    where: { id: data.factorId, userId: data.userId, kind: "totp", confirmedAt: null },
    select: { secretEncrypted: true, createdAt: true },
  });
  const ended = () => new ServiceError("This set-up has ended: start again");
  if (!pending?.secretEncrypted || pending.createdAt.getTime() + TOTP_ENROLMENT_MINUTES * 60_000 <= now.getTime()) throw ended();
  const check = checkTotpCode(open(pending.secretEncrypted, portalSecret()), data.code, now, null);
  if (!check.ok) return refuse(db, data.userId, "totp", "wrong", actor.ipAddress ?? null, now);
  return change(async (tx) => {
    const confirmed = await tx.secondFactor.findMany({
      where: { userId: data.userId, confirmedAt: { not: null } },
      select: { kind: true },
    });
    // Another start was confirmed meanwhile (each start replaces the one before).
    if (confirmed.some((factor) => factor.kind === "totp")) throw ended();
    const { count } = await tx.secondFactor.updateMany({
      where: { id: data.factorId, userId: data.userId, confirmedAt: null },
      data: { confirmedAt: now, lastUsedStep: check.step, lastUsedAt: now },
    });
    if (count === 0) throw ended();
    const recoveryCodes = confirmed.length === 0 ? await replaceRecoveryCodes(tx, data.userId, now) : [];
    await tx.rateLimit.deleteMany({ where: { key: secondFactorThrottleKey(data.userId) } });
    return {
      result: { recoveryCodes },
      audit: [
        {
          type: "second_factor.enrolled",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { kind: "totp", factorId: data.factorId, via: actor.via, recoveryCodesIssued: recoveryCodes.length },
        },
      ],
    };
  }, db);
}

// ---------------------------------------------------------------------------------------------
// Removal

export const removeSecondFactorSchema = z.object({ userId: id, factorId: z.string().trim().min(1, "Choose a second factor").max(64) });

/**
 * Removes one second factor (the person's own, or by an admin for a person who lost it; an
 * enrolment not confirmed yet can be removed too). With the last confirmed one, the recovery
 * codes go as well.
 */
export async function removeSecondFactor(
  actor: Actor,
  input: { userId: string; factorId: unknown },
  db: Db = getDb(),
): Promise<{ recoveryCodesDeleted: number }> {
  const data = parseInput(removeSecondFactorSchema, input);
  return change(async (tx) => {
    const factor = await tx.secondFactor.findFirst({
      where: { id: data.factorId, userId: data.userId },
      select: { kind: true, confirmedAt: true },
    });
    if (!factor) throw new ServiceError("This second factor does not exist (any more)");
    await tx.secondFactor.delete({ where: { id: data.factorId } });
    const left = await tx.secondFactor.count({ where: { userId: data.userId, confirmedAt: { not: null } } });
    const { count: recoveryCodesDeleted } =
      left === 0 ? await tx.recoveryCode.deleteMany({ where: { userId: data.userId } }) : { count: 0 };
    return {
      result: { recoveryCodesDeleted },
      audit: [
        {
          type: "second_factor.removed",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: {
            kind: factor.kind,
            factorId: data.factorId,
            confirmed: factor.confirmedAt !== null,
            via: actor.via,
            recoveryCodesDeleted,
          },
        },
      ],
    };
  }, db);
}

export const resetSecondFactorsSchema = z.object({ userId: id });

/**
 * An admin's reset for a person who lost their second factor: every factor (authenticator apps,
 * set up or started, and passkeys) and every recovery code go, and so does the throttle on wrong codes. Their sessions stay; an
 * account that requires a second factor sets up a new one at its next sign-in.
 */
export async function resetSecondFactors(actor: Actor, input: { userId: string }, db: Db = getDb()): Promise<{ factorsDeleted: number }> {
  const data = parseInput(resetSecondFactorsSchema, input);
  return change(async (tx) => {
    const { count: apps } = await tx.secondFactor.deleteMany({ where: { userId: data.userId } });
    const { count: passkeys } = await tx.passkey.deleteMany({ where: { userId: data.userId } });
    const factorsDeleted = apps + passkeys;
    const { count: recoveryCodesDeleted } = await tx.recoveryCode.deleteMany({ where: { userId: data.userId } });
    await tx.rateLimit.deleteMany({ where: { key: secondFactorThrottleKey(data.userId) } });
    return {
      result: { factorsDeleted },
      audit: [
        {
          type: "second_factor.reset",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { factorsDeleted, recoveryCodesDeleted, via: actor.via },
        },
      ],
    };
  }, db);
}

// ---------------------------------------------------------------------------------------------
// Recovery codes

async function replaceRecoveryCodes(tx: Tx, userId: string, now: Date): Promise<string[]> {
  await tx.recoveryCode.deleteMany({ where: { userId } });
  const codes = newRecoveryCodes(RECOVERY_CODE_COUNT);
  await tx.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(code)!, createdAt: now })) });
  return codes;
}

export const regenerateRecoveryCodesSchema = z.object({ userId: id });

/** Ten new recovery codes, returned once; the previous ones stop working. Needs a second factor. */
export async function regenerateRecoveryCodes(
  actor: Actor,
  input: { userId: string },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<{ recoveryCodes: readonly string[] }> {
  const data = parseInput(regenerateRecoveryCodesSchema, input);
  return change(async (tx) => {
    const factors = await tx.secondFactor.count({ where: { userId: data.userId, confirmedAt: { not: null } } });
    if (factors === 0) throw new ServiceError("Recovery codes come with a second factor: set one up first");
    const before = await tx.recoveryCode.count({ where: { userId: data.userId, usedAt: null } });
    const recoveryCodes = await replaceRecoveryCodes(tx, data.userId, now);
    return {
      result: { recoveryCodes },
      audit: [
        {
          type: "recovery_codes.regenerated",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { via: actor.via, count: recoveryCodes.length, unusedReplaced: before },
        },
      ],
    };
  }, db);
}

// ---------------------------------------------------------------------------------------------
// At sign-in

/** A sign-in step's writes and audit rows, in one transaction (see the file comment). */
async function signInStep<T>(db: Db, now: Date, work: (tx: Tx) => Promise<{ result: T; audit: readonly AuditEntry[] }>): Promise<T> {
  const { result, audit } = await db.$transaction(async (tx) => {
    const outcome = await work(tx);
    await writeAudit(tx, outcome.audit, now);
    return outcome;
  });
  logAudit(audit, now);
  return result;
}

async function record(db: Db, entries: readonly AuditEntry[], now: Date): Promise<void> {
  await writeAudit(db, entries, now);
  logAudit(entries, now);
}

/** Refuses (and audits) an attempt while the account's second-factor attempts are locked. */
async function refuseWhenLocked(db: Db, userId: string, ipAddress: string | null, now: Date): Promise<void> {
  const locked = await throttledUntil(db, secondFactorRules(userId), now);
  if (!locked) return;
  const retryAfterSeconds = Math.ceil((locked.until.getTime() - now.getTime()) / 1000);
  await record(db, [{ type: "second_factor.locked", subjectUserId: userId, ipAddress, detail: { retryAfterSeconds, refused: true } }], now);
  throw new SecondFactorRefused("locked", `Too many wrong codes: try again in ${minutes(retryAfterSeconds)}`, retryAfterSeconds);
}

const REFUSALS = {
  wrong: "That code is not right: check your app and try again",
  replayed: "That code was used already: wait for the next one",
  used: "That recovery code was used already",
  wrongRecovery: "That is not one of your recovery codes",
} as const;

/**
 * Counts a wrong attempt against the account, audits it (and the lock, when this attempt is the
 * one that locks it) and throws. Never returns.
 */
async function refuse(
  db: Db,
  userId: string,
  kind: "totp" | "recovery_code",
  reason: "wrong" | "replayed" | "used",
  ipAddress: string | null,
  now: Date,
): Promise<never> {
  const rules = secondFactorRules(userId);
  await recordFailure(db, rules, now);
  const locked = await throttledUntil(db, rules, now);
  const entries: AuditEntry[] = [{ type: "second_factor.failed", subjectUserId: userId, ipAddress, detail: { kind, reason } }];
  const retryAfterSeconds = locked ? Math.ceil((locked.until.getTime() - now.getTime()) / 1000) : undefined;
  if (retryAfterSeconds !== undefined)
    entries.push({
      type: "second_factor.locked",
      subjectUserId: userId,
      ipAddress,
      detail: { retryAfterSeconds, failures: SECOND_FACTOR_MAX_FAILURES },
    });
  await record(db, entries, now);
  const message = kind === "recovery_code" && reason === "wrong" ? REFUSALS.wrongRecovery : REFUSALS[reason];
  throw new SecondFactorRefused(reason, message, retryAfterSeconds);
}

export const verifyTotpCodeSchema = z.object({ userId: id, code: totpCode });

/**
 * Checks a code from the person's authenticator app at sign-in (after their password): throttled,
 * within one step of now, and never a code of a step already used. Throws SecondFactorRefused.
 */
export async function verifyTotpCode(
  input: { userId: string; code: unknown; ipAddress: string | null | undefined },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<{ factorId: string }> {
  const data = parseInput(verifyTotpCodeSchema, input);
  const ipAddress = input.ipAddress ?? null;
  await refuseWhenLocked(db, data.userId, ipAddress, now);
  const factor = await db.secondFactor.findFirst({
    where: { userId: data.userId, kind: "totp", confirmedAt: { not: null }, user: { disabled: false } },
    select: { id: true, secretEncrypted: true, lastUsedStep: true },
  });
  if (!factor?.secretEncrypted) throw new SecondFactorRefused("none", "No authenticator app is set up for this account");
  const check = checkTotpCode(open(factor.secretEncrypted, portalSecret()), data.code, now, factor.lastUsedStep);
  if (!check.ok) return refuse(db, data.userId, "totp", check.reason, ipAddress, now);
  const accepted = await signInStep(db, now, async (tx) => {
    // Only over a step earlier than this one: of two requests with the same code, one wins.
    const { count } = await tx.secondFactor.updateMany({
      where: { id: factor.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: check.step } }] },
      data: { lastUsedStep: check.step, lastUsedAt: now },
    });
    if (count === 1) await tx.rateLimit.deleteMany({ where: { key: secondFactorThrottleKey(data.userId) } });
    return { result: count === 1, audit: [] };
  });
  if (!accepted) return refuse(db, data.userId, "totp", "replayed", ipAddress, now);
  return { factorId: factor.id };
}

export const spendRecoveryCodeSchema = z.object({ userId: id, code: recoveryCode });

/**
 * Spends one recovery code at sign-in, in place of the second factor: throttled like a code,
 * each code once. Audited with how many are left (the account page warns when few are).
 */
export async function spendRecoveryCode(
  input: { userId: string; code: unknown; ipAddress: string | null | undefined },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<{ remaining: number }> {
  const data = parseInput(spendRecoveryCodeSchema, input);
  const ipAddress = input.ipAddress ?? null;
  await refuseWhenLocked(db, data.userId, ipAddress, now);
  const codeHash = recoveryCodeHash(data.code)!;
  const row = await db.recoveryCode.findFirst({
    where: { userId: data.userId, codeHash, user: { disabled: false } },
    select: { id: true, usedAt: true },
  });
  if (!row) return refuse(db, data.userId, "recovery_code", "wrong", ipAddress, now);
  if (row.usedAt) return refuse(db, data.userId, "recovery_code", "used", ipAddress, now);
  const remaining = await signInStep(db, now, async (tx) => {
    const { count } = await tx.recoveryCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (count === 0) return { result: undefined, audit: [] };
    await tx.rateLimit.deleteMany({ where: { key: secondFactorThrottleKey(data.userId) } });
    const left = await tx.recoveryCode.count({ where: { userId: data.userId, usedAt: null } });
    return {
      result: left,
      audit: [{ type: "recovery_code.used", actorUserId: data.userId, ipAddress, detail: { remaining: left } }],
    };
  });
  if (remaining === undefined) return refuse(db, data.userId, "recovery_code", "used", ipAddress, now);
  return { remaining };
}
