// People: every change to them goes through here (lib/services/change.ts), from the admin
// console, the command line and the account page alike. Reads live in user-reads.ts.
import { z } from "zod";
import { generatePassword, hashPassword } from "../auth/password.ts";
import { endUserSessions } from "../auth/sessions.ts";
import { passwordSchema } from "../auth/password-policy.ts";
import { accountLockKeys, passwordChangeThrottleKey, secondFactorThrottleKey } from "../auth/throttle.ts";
import { getDb, type Db, type Tx } from "../db/index.ts";
import { revokeGrants } from "../db/grants.ts";
import { normalizeEmail } from "../db/users.ts";
import { getConfig } from "../env.ts";
import { change } from "./change.ts";
import { withdrawAccess } from "./consents.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";
import type { Role, UserSummary } from "./user-reads.ts";

export * from "./user-reads.ts";

const SUMMARY = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastLoginAt: true } as const;
const summary = (row: { role: string } & Omit<UserSummary, "role">): UserSummary => ({
  ...row,
  role: row.role === "admin" ? "admin" : "user",
});
const id = z.string().trim().min(1, "Choose a user").max(64, "Choose a user");
const roleSchema = z.enum(["user", "admin"], { error: "Choose user or admin" });

export const createUserSchema = z.object({
  email: z
    .string()
    .trim()
    .max(254, "The email address must be at most 254 characters")
    .pipe(z.email("Enter an email address"))
    .transform(normalizeEmail),
  name: z.string().trim().max(100, "The name must be at most 100 characters").default(""),
  role: roleSchema.default("user"),
  /** Without one, a password is generated and returned, to be shown once. */
  password: passwordSchema.optional(),
});

/** The input as a form or the command line sends it: createUserSchema checks every field. */
export interface CreateUserInput {
  readonly email: string;
  readonly name?: string;
  readonly role?: string;
  readonly password?: string;
}

export async function createUser(actor: Actor, input: CreateUserInput): Promise<{ user: UserSummary; generatedPassword?: string }> {
  const data = parseInput(createUserSchema, input);
  const exists = () => ServiceError.field("email", "A user with this email exists already");
  const db = getDb();
  if (await db.user.findUnique({ where: { email: data.email }, select: { id: true } })) throw exists();
  const generatedPassword = data.password === undefined ? generatePassword() : undefined;
  // Hashed before the transaction: bcrypt's work must not hold the database.
  const passwordHash = await hashPassword(data.password ?? generatedPassword!, getConfig().bcryptCost);
  const user = await change(async (tx, now) => {
    // Checked again inside: another request may have taken the address meanwhile (and should one
    // commit between this check and the insert, the unique index refuses it: caught below).
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) throw exists();
    // ADMIN_SECOND_FACTOR: a new admin must set up a second factor at their first sign-in.
    const secondFactorRequired = data.role === "admin" && getConfig().adminSecondFactor === "required";
    const row = await tx.user.create({
      data: { email: data.email, name: data.name, role: data.role, passwordHash, createdAt: now, secondFactorRequired },
      select: SUMMARY,
    });
    return {
      result: summary(row),
      audit: [
        {
          type: "user.created",
          actorUserId: actor.userId,
          subjectUserId: row.id,
          ipAddress: actor.ipAddress,
          detail: { email: row.email, role: row.role, via: actor.via, generated: Boolean(generatedPassword) },
        },
      ],
    };
  }, db).catch((error: unknown) => {
    throw (error as { code?: unknown }).code === "P2002" ? exists() : error;
  });
  return generatedPassword ? { user, generatedPassword } : { user };
}

/**
 * Guards that keep the portal administrable: run inside the change, after its write. The change
 * counter is moved first, so two such changes wait for each other (its row is locked until
 * commit) and the second counts what the first left.
 */
async function keepAnAdmin(tx: Tx, message: string): Promise<void> {
  if ((await tx.user.count({ where: { role: "admin", disabled: false } })) === 0) throw new ServiceError(message);
}

async function target(tx: Tx, userId: string) {
  const row = await tx.user.findUnique({ where: { id: userId }, select: SUMMARY });
  if (!row) throw new ServiceError("This user does not exist (any more)");
  return row;
}

export const setUserDisabledSchema = z.object({ userId: id, disabled: z.boolean() });

/** Disabling ends every session of the person and revokes every grant (codes and tokens). */
export async function setUserDisabled(actor: Actor, userId: string, disabled: boolean): Promise<UserSummary> {
  const data = parseInput(setUserDisabledSchema, { userId, disabled });
  if (data.disabled && actor.userId === data.userId) throw new ServiceError("You cannot disable your own account");
  const db = getDb();
  const { user, at } = await change(async (tx, now) => {
    const before = await target(tx, data.userId);
    const row = await tx.user.update({ where: { id: data.userId }, data: { disabled: data.disabled }, select: SUMMARY });
    let sessionsEnded = 0;
    if (data.disabled) {
      if (before.role === "admin" && !before.disabled) await keepAnAdmin(tx, "The last enabled admin cannot be disabled");
      sessionsEnded = await endUserSessions(tx, data.userId, now);
    }
    const changed = before.disabled !== data.disabled;
    return {
      result: { user: summary(row), at: now },
      audit: changed
        ? [
            {
              type: data.disabled ? "user.disabled" : "user.enabled",
              actorUserId: actor.userId,
              subjectUserId: row.id,
              ipAddress: actor.ipAddress,
              detail: data.disabled ? { email: row.email, sessionsEnded } : { email: row.email },
            },
          ]
        : [],
    };
  }, db);
  // After the commit: revokeGrants runs its own transaction (grants.ts). Nothing issued from the
  // grants works from the commit on anyway: the token, userinfo and session checks all refuse a
  // disabled user; this makes the refusal permanent, whatever happens to the flag later.
  if (data.disabled) await revokeGrants(db, { userId: data.userId }, at);
  return user;
}

export const resetPasswordSchema = z.object({ userId: id });

/** A new generated password, to be shown once; the person's sessions end (they sign in with it). */
export async function resetPassword(actor: Actor, userId: string): Promise<{ user: UserSummary; generatedPassword: string }> {
  const data = parseInput(resetPasswordSchema, { userId });
  const generatedPassword = generatePassword();
  const passwordHash = await hashPassword(generatedPassword, getConfig().bcryptCost);
  const user = await change(async (tx, now) => {
    await target(tx, data.userId);
    const row = await tx.user.update({ where: { id: data.userId }, data: { passwordHash }, select: SUMMARY });
    const sessionsEnded = await endUserSessions(tx, data.userId, now);
    return {
      result: summary(row),
      audit: [
        {
          type: "user.password_reset",
          actorUserId: actor.userId,
          subjectUserId: row.id,
          ipAddress: actor.ipAddress,
          detail: { email: row.email, sessionsEnded },
        },
      ],
    };
  });
  return { user, generatedPassword };
}

export const setPasswordSchema = z.object({ userId: id, password: passwordSchema });

/**
 * A password the admin chose (the command line's set-password): like a reset, the person's
 * sessions end, and they sign in with the new one.
 */
export async function setPassword(
  actor: Actor,
  input: { userId: string; password: unknown },
): Promise<{ user: UserSummary; sessionsEnded: number }> {
  const data = parseInput(setPasswordSchema, input);
  const passwordHash = await hashPassword(data.password, getConfig().bcryptCost);
  return change(async (tx, now) => {
    await target(tx, data.userId);
    const row = await tx.user.update({ where: { id: data.userId }, data: { passwordHash }, select: SUMMARY });
    const sessionsEnded = await endUserSessions(tx, data.userId, now);
    return {
      result: { user: summary(row), sessionsEnded },
      audit: [
        {
          type: "user.password_set",
          actorUserId: actor.userId,
          subjectUserId: row.id,
          ipAddress: actor.ipAddress,
          detail: { email: row.email, via: actor.via, sessionsEnded },
        },
      ],
    };
  });
}

export const unlockUserSchema = z.object({ userId: id });

/**
 * Clears the failed sign-ins counted against the person's account (the lock-out after ten), from
 * every browser, those against changing their password and their wrong second-factor codes;
 * never an address's.
 */
export async function unlockUser(actor: Actor, userId: string): Promise<{ user: UserSummary; cleared: number }> {
  const data = parseInput(unlockUserSchema, { userId });
  return change(async (tx) => {
    const row = await target(tx, data.userId);
    const { accountKey, devicePrefix } = accountLockKeys(row.email);
    const { count: cleared } = await tx.rateLimit.deleteMany({
      where: {
        OR: [
          { key: { in: [accountKey, passwordChangeThrottleKey(row.id), secondFactorThrottleKey(row.id)] } },
          { key: { startsWith: devicePrefix } },
        ],
      },
    });
    return {
      result: { user: summary(row), cleared },
      audit: [
        {
          type: "user.unlocked",
          actorUserId: actor.userId,
          subjectUserId: row.id,
          ipAddress: actor.ipAddress,
          detail: { email: row.email, via: actor.via, cleared },
        },
      ],
    };
  });
}

export const setUserRoleSchema = z.object({ userId: id, role: roleSchema });

export async function setUserRole(actor: Actor, userId: string, role: Role): Promise<UserSummary> {
  const data = parseInput(setUserRoleSchema, { userId, role });
  return change(async (tx) => {
    const before = await target(tx, data.userId);
    // ADMIN_SECOND_FACTOR: someone made an admin must use a second factor from their next sign-in.
    const promoted = before.role !== "admin" && data.role === "admin" && getConfig().adminSecondFactor === "required";
    const row = await tx.user.update({
      where: { id: data.userId },
      data: { role: data.role, ...(promoted ? { secondFactorRequired: true } : {}) },
      select: SUMMARY,
    });
    if (before.role === "admin" && data.role !== "admin") await keepAnAdmin(tx, "The last admin cannot be demoted");
    return {
      result: summary(row),
      audit:
        before.role === data.role
          ? []
          : [
              {
                type: "user.role_changed",
                actorUserId: actor.userId,
                subjectUserId: row.id,
                ipAddress: actor.ipAddress,
                detail: { email: row.email, from: before.role, to: data.role },
              },
            ],
    };
  });
}

export const revokeUserSessionSchema = z.object({
  userId: id,
  sessionId: z.string().trim().min(1, "Choose a session").max(64, "Choose a session"),
});

/** Signs the person out of one browser. */
export async function revokeUserSession(actor: Actor, userId: string, sessionId: string): Promise<void> {
  const data = parseInput(revokeUserSessionSchema, { userId, sessionId });
  await change(async (tx, now) => {
    const { count } = await tx.session.updateMany({
      where: { id: data.sessionId, userId: data.userId, endedAt: null },
      data: { endedAt: now },
    });
    if (count === 0) throw new ServiceError("This session has ended already");
    return {
      result: undefined,
      audit: [
        {
          type: "session.revoked",
          actorUserId: actor.userId,
          subjectUserId: data.userId,
          ipAddress: actor.ipAddress,
          detail: { sessionId: data.sessionId },
        },
      ],
    };
  });
}

export const revokeUserGrantSchema = z.object({
  userId: id,
  clientId: z.string().trim().min(1, "Choose an application").max(255, "Choose an application"),
});

/** Withdraws one application's access for the person: their consent, and every grant it holds. */
export async function revokeUserGrant(actor: Actor, userId: string, clientId: string): Promise<{ clientName: string }> {
  const data = parseInput(revokeUserGrantSchema, { userId, clientId });
  const name = await withdrawAccess(actor, data.userId, data.clientId, "grant.revoked");
  if (name === null) throw new ServiceError("This application does not exist (any more)");
  return { clientName: name };
}

/**
 * Stores a re-hash of the same password at another bcrypt cost (made at sign-in, lib/auth/
 * credentials.ts). Written only while the old hash is still stored, so a password reset that
 * commits meanwhile wins. Not audited and no change counter: the password did not change and no
 * cache holds hashes, and one audit row per sign-in after a cost change would be noise.
 */
export async function upgradePasswordHash(db: Db, userId: string, previousHash: string, passwordHash: string): Promise<boolean> {
  const { count } = await db.user.updateMany({ where: { id: userId, passwordHash: previousHash }, data: { passwordHash } });
  return count === 1;
}

export const setSecondFactorRequiredSchema = z.object({ userId: id, required: z.boolean() });

/**
 * Whether the person must sign in with a second factor: on, one without a second factor sets one
 * up at their next sign-in; off, a second factor they have is still asked for (it is theirs).
 */
export async function setSecondFactorRequired(actor: Actor, userId: string, required: boolean): Promise<UserSummary> {
  const data = parseInput(setSecondFactorRequiredSchema, { userId, required });
  return change(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: data.userId }, select: { secondFactorRequired: true } });
    if (!before) throw new ServiceError("This user does not exist (any more)");
    const row = await tx.user.update({ where: { id: data.userId }, data: { secondFactorRequired: data.required }, select: SUMMARY });
    return {
      result: summary(row),
      audit:
        before.secondFactorRequired === data.required
          ? []
          : [
              {
                type: "user.second_factor_required",
                actorUserId: actor.userId,
                subjectUserId: row.id,
                ipAddress: actor.ipAddress,
                detail: { email: row.email, required: data.required },
              },
            ],
    };
  });
}
