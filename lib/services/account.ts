// A person's own account (the /account page): their name, their password, the applications they
// allowed and the browsers they are signed in on. Every change goes through change() like the
// console's; the person is the actor.
import UAParser from "ua-parser-js";
import { z } from "zod";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { passwordSchema } from "../auth/password-policy.ts";
import { endUserSessions } from "../auth/sessions.ts";
import { passwordChangeThrottleKey, recordFailure, throttledUntil, type ThrottleRule } from "../auth/throttle.ts";
import { getDb, type Db } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { spaceList } from "../oauth/wire-values.ts";
import { change } from "./change.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";
import { verifyTotpCode } from "./second-factor.ts";

const id = z.string().trim().min(1).max(64);

// ---------------------------------------------------------------------------------------------
// Name

export const updateNameSchema = z.object({
  userId: id,
  name: z.string({ error: "Enter your name" }).trim().max(100, "Your name must be at most 100 characters"),
});

/** The name applications receive (the `name` claim); empty is allowed (no name given). */
export async function updateName(actor: Actor, input: { userId: string; name: unknown }): Promise<{ name: string }> {
  const data = parseInput(updateNameSchema, input);
  return change(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: data.userId }, select: { name: true } });
    if (!before) throw new ServiceError("This account does not exist (any more)");
    if (before.name === data.name) return { result: { name: data.name }, audit: [] };
    await tx.user.update({ where: { id: data.userId }, data: { name: data.name } });
    return {
      result: { name: data.name },
      audit: [
        {
          type: "user.name_changed",
          actorUserId: actor.userId,
          subjectUserId: actor.userId === data.userId ? null : data.userId,
          ipAddress: actor.ipAddress,
          detail: { via: actor.via },
        },
      ],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Password

export const changePasswordSchema = z.object({
  userId: id,
  /** The session the change is made from: it stays; every other session of the person ends. */
  sessionId: id,
  currentPassword: z
    .string({ error: "Enter your current password" })
    .min(1, "Enter your current password")
    .max(1024, "That is not your current password"),
  newPassword: passwordSchema,
});

/** Wrong current passwords: ten per 15 minutes per account, so a borrowed session cannot guess it. */
const currentPasswordRule = (userId: string): ThrottleRule => ({
  scope: "account",
  key: passwordChangeThrottleKey(userId),
  maxFailures: 10,
  windowSeconds: 15 * 60,
});

/**
 * Checks a person's current password before a sensitive change (throttled: ten wrong ones per
 * 15 minutes); a refusal names the `currentPassword` field. Returns the hash it was checked against.
 */
export async function confirmCurrentPassword(
  db: Db,
  userId: string,
  currentPassword: string,
  now: Date,
): Promise<{ passwordHash: string }> {
  const rules = [currentPasswordRule(userId)];
  const locked = await throttledUntil(db, rules, now);
  if (locked) {
    const minutes = Math.max(1, Math.ceil((locked.until.getTime() - now.getTime()) / 60_000));
    throw ServiceError.field("currentPassword", `Too many wrong attempts: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`);
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, disabled: true } });
  if (!user || user.disabled) throw new ServiceError("This account does not exist (any more)");
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await recordFailure(db, rules, now);
    throw ServiceError.field("currentPassword", "That is not your current password");
  }
  return { passwordHash: user.passwordHash };
}

export async function changePassword(
  actor: Actor,
  input: { userId: string; sessionId: string; currentPassword: unknown; newPassword: unknown },
): Promise<{ sessionsEnded: number }> {
  const data = parseInput(changePasswordSchema, input);
  const db = getDb();
  const rules = [currentPasswordRule(data.userId)];
  const user = await confirmCurrentPassword(db, data.userId, data.currentPassword, new Date());
  // Hashed before the transaction: bcrypt's work must not hold the database.
  const passwordHash = await hashPassword(data.newPassword, getConfig().bcryptCost);
  return change(async (tx, at) => {
    // Only over the hash the current password was checked against: a reset or another change
    // that committed meanwhile wins, and this one asks again.
    const { count } = await tx.user.updateMany({ where: { id: data.userId, passwordHash: user.passwordHash }, data: { passwordHash } });
    if (count === 0) throw ServiceError.field("currentPassword", "Your password was changed meanwhile: enter the new one");
    const sessionsEnded = await endUserSessions(tx, data.userId, at, data.sessionId);
    await tx.rateLimit.deleteMany({ where: { key: { in: rules.map((rule) => rule.key) } } });
    return {
      result: { sessionsEnded },
      audit: [
        {
          type: "password.changed",
          actorUserId: actor.userId,
          subjectUserId: actor.userId === data.userId ? null : data.userId,
          ipAddress: actor.ipAddress,
          detail: { via: actor.via, sessionsEnded },
        },
      ],
    };
  }, db);
}

export const confirmIdentitySchema = z.object({
  userId: id,
  currentPassword: z.string().max(1024, "That is not your current password").default(""),
  code: z.string().max(32, "Enter the 6-digit code from your authenticator app").default(""),
});

/**
 * Asks the person at the keyboard again before a change that weakens the account or shows a
 * secret (removing a second factor, new recovery codes): a code from their authenticator app when
 * they typed one, otherwise their current password. Either is throttled as it is elsewhere (wrong
 * passwords as in changePassword, wrong codes as at sign-in, and a code is used up like one
 * there). Refusals name `currentPassword` or `code`; nothing is changed but the throttle's count.
 */
export async function confirmIdentity(
  actor: Actor,
  input: { userId: string; currentPassword?: unknown; code?: unknown },
  now: Date = new Date(),
): Promise<{ with: "password" | "totp" }> {
  const data = parseInput(confirmIdentitySchema, input);
  if (data.code.trim()) {
    await verifyTotpCode({ userId: data.userId, code: data.code, ipAddress: actor.ipAddress }, now);
    return { with: "totp" };
  }
  if (!data.currentPassword)
    throw ServiceError.field("currentPassword", "Enter your current password, or a code from your authenticator app");
  await confirmCurrentPassword(getDb(), data.userId, data.currentPassword, now);
  return { with: "password" };
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface AccountSession {
  readonly id: string;
  /** "Firefox 133", or null when the user agent says nothing recognisable. */
  readonly browser: string | null;
  /** "Windows 10", "iOS 18.1", … or null. */
  readonly system: string | null;
  readonly device: string | null;
  readonly ipAddress: string | null;
  readonly signedInAt: Date;
  readonly lastSeenAt: Date;
  readonly current: boolean;
}

const named = (name?: string, version?: string) => (name ? (version ? `${name} ${version}` : name) : null);

/** Browser, system and device as a person names them, from a stored User-Agent header. */
export function describeUserAgent(userAgent: string | null): Pick<AccountSession, "browser" | "system" | "device"> {
  if (!userAgent) return { browser: null, system: null, device: null };
  const parsed = UAParser(userAgent);
  const device = [parsed.device.vendor, parsed.device.model].filter(Boolean).join(" ");
  return {
    browser: named(parsed.browser.name, parsed.browser.major),
    system: named(parsed.os.name, parsed.os.version),
    device: device || null,
  };
}

/** The person's live sessions (not ended, expired or idle), this one first, then the most recent. */
export async function listAccountSessions(userId: string, currentSessionId: string, now = new Date()): Promise<AccountSession[]> {
  const idleSince = new Date(now.getTime() - getConfig().sessionIdleSeconds * 1000);
  const rows = await getDb().session.findMany({
    where: { userId, endedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: idleSince } },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ipAddress: true },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
  });
  return rows
    .map((row) => ({
      id: row.id,
      ...describeUserAgent(row.userAgent),
      ipAddress: row.ipAddress,
      signedInAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      current: row.id === currentSessionId,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

export const endAccountSessionSchema = z.object({
  userId: id,
  currentSessionId: id,
  sessionId: z.string().trim().min(1, "Choose a session").max(64, "Choose a session"),
});

/** Signs the person out of one of their other browsers (this one signs out at /logout). */
export async function endAccountSession(
  actor: Actor,
  input: { userId: string; currentSessionId: string; sessionId: unknown },
): Promise<{ ended: number }> {
  const data = parseInput(endAccountSessionSchema, input);
  if (data.sessionId === data.currentSessionId) throw new ServiceError("To sign out of this browser, use Sign out");
  return endSessions(actor, data.userId, { id: data.sessionId }, { sessionId: data.sessionId });
}

export const endOtherSessionsSchema = z.object({ userId: id, currentSessionId: id });

/** "Sign out everywhere else": every session of the person but this one. */
export async function endOtherSessions(actor: Actor, input: { userId: string; currentSessionId: string }): Promise<{ ended: number }> {
  const data = parseInput(endOtherSessionsSchema, input);
  return endSessions(actor, data.userId, { id: { not: data.currentSessionId } }, { everywhereElse: true });
}

/** Ends the person's live sessions that `which` selects; one audit row says how many, none if none. */
function endSessions(
  actor: Actor,
  userId: string,
  which: { readonly id: string | { readonly not: string } },
  detail: Readonly<Record<string, unknown>>,
): Promise<{ ended: number }> {
  return change(async (tx, now) => {
    const { count } = await tx.session.updateMany({ where: { ...which, userId, endedAt: null }, data: { endedAt: now } });
    return {
      result: { ended: count },
      audit: count
        ? [
            {
              type: "sessions.ended",
              actorUserId: actor.userId,
              subjectUserId: actor.userId === userId ? null : userId,
              ipAddress: actor.ipAddress,
              detail: { via: actor.via, count, ...detail },
            },
          ]
        : [],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Applications

export interface AccountApplication {
  readonly clientId: string;
  readonly clientName: string;
  readonly clientUri: string | null;
  readonly scopes: readonly string[];
  /** When the person allowed it (or last allowed more). */
  readonly grantedAt: Date;
  /** The latest token the application got for the person (a sign-in or a refresh), if any is still on record. */
  readonly lastUsedAt: Date | null;
}

const later = (a: Date | null | undefined, b: Date | null | undefined) => (!a ? (b ?? null) : !b ? a : a > b ? a : b);

/**
 * The applications the person allowed, with when each last used its access: the latest of its
 * grants' creation (a code exchanged), access tokens and refresh tokens (a refresh), in four
 * queries whatever the number of applications.
 */
export async function listAccountApplications(userId: string): Promise<AccountApplication[]> {
  const db = getDb();
  const [consents, grants, accessTokens, refreshTokens] = await Promise.all([
    db.consent.findMany({
      where: { userId },
      select: { scope: true, updatedAt: true, clientRef: true, client: { select: { clientId: true, name: true, clientUri: true } } },
      orderBy: { updatedAt: "desc" },
    }),
    db.grant.findMany({ where: { userId }, select: { id: true, clientRef: true, createdAt: true } }),
    db.accessToken.groupBy({ by: ["clientRef"], where: { grant: { userId } }, _max: { createdAt: true } }),
    db.refreshToken.groupBy({ by: ["grantId"], where: { grant: { userId } }, _max: { createdAt: true } }),
  ]);
  const lastUse = new Map<string, Date | null>();
  const clientOfGrant = new Map<string, string>();
  for (const grant of grants) {
    clientOfGrant.set(grant.id, grant.clientRef);
    lastUse.set(grant.clientRef, later(lastUse.get(grant.clientRef), grant.createdAt));
  }
  for (const row of accessTokens) lastUse.set(row.clientRef, later(lastUse.get(row.clientRef), row._max.createdAt));
  for (const row of refreshTokens) {
    const clientRef = clientOfGrant.get(row.grantId);
    if (clientRef) lastUse.set(clientRef, later(lastUse.get(clientRef), row._max.createdAt));
  }
  return consents.map((consent) => ({
    clientId: consent.client.clientId,
    clientName: consent.client.name,
    clientUri: consent.client.clientUri,
    scopes: spaceList(consent.scope),
    grantedAt: consent.updatedAt,
    lastUsedAt: lastUse.get(consent.clientRef) ?? null,
  }));
}
