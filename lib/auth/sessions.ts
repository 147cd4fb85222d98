// Browser sessions. The cookie carries a random secret; the database keeps only its SHA-256
// hash, so a leaked database holds no usable session. The row id is public (the ID token's sid).
import { fastSql, type Db, type Tx } from "../db/client.ts";
import { date, flag, list, optionalDate, text } from "../db/raw-values.ts";
import { FIND_SESSION } from "../db/sql/browser.ts";
import { PASSWORD_ONLY } from "../oauth/authorize/acr.ts";
import type { BrowserSession } from "../oauth/ports.ts";
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";

export interface SessionPolicy {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

/** Sliding expiry is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export async function createSession(
  db: Db,
  userId: string,
  policy: SessionPolicy,
  now: Date,
  context: { ipAddress?: string | null; userAgent?: string | null; amr?: readonly string[] } = {},
): Promise<{ token: string; session: BrowserSession }> {
  const amr = context.amr && context.amr.length > 0 ? [...context.amr] : [...PASSWORD_ONLY];
  const token = randomToken();
  const row = await db.session.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      authTime: now,
      amr: amr.join(" "),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteSeconds * 1000),
      ipAddress: context.ipAddress?.slice(0, 64) ?? null,
      userAgent: context.userAgent?.slice(0, 256) ?? null,
    },
  });
  return { token, session: { id: row.id, userId, authTime: now, amr } };
}

/** The live session for a cookie value, or null (unknown, ended, expired, idle, user disabled). */
export async function findSession(db: Db, token: string | undefined, policy: SessionPolicy, now: Date): Promise<BrowserSession | null> {
  if (!token || token.length > 128) return null;
  // Every page, form and authorization request reads it: one join on the fast path (fast-sql.ts).
  const [found] = await fastSql(db).query(FIND_SESSION, [hashToken(token)]);
  if (!found) return null;
  const row = {
    id: text(found.id),
    userId: text(found.userId),
    authTime: date(found.authTime),
    amr: list(text(found.amr)),
    lastSeenAt: date(found.lastSeenAt),
    expiresAt: date(found.expiresAt),
    endedAt: optionalDate(found.endedAt),
    userDisabled: flag(found.userDisabled),
  };
  if (row.endedAt || row.userDisabled) return null;
  const idleUntil = row.lastSeenAt.getTime() + policy.idleSeconds * 1000;
  if (row.expiresAt.getTime() <= now.getTime() || idleUntil <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.session.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return { id: row.id, userId: row.userId, authTime: row.authTime, amr: row.amr };
}

export async function endSession(db: Db, token: string | undefined, now: Date): Promise<void> {
  if (!token || token.length > 128) return;
  await db.session.updateMany({ where: { tokenHash: hashToken(token), endedAt: null }, data: { endedAt: now } });
}

/**
 * Ends every live session of the person (a password set or reset, an account disabled), but
 * `except`, the browser that asked, when given. Inside the caller's transaction; how many ended.
 */
export async function endUserSessions(tx: Tx, userId: string, now: Date, except?: string): Promise<number> {
  const { count } = await tx.session.updateMany({
    where: { userId, endedAt: null, ...(except === undefined ? {} : { id: { not: except } }) },
    data: { endedAt: now },
  });
  return count;
}

/** RFC 6265bis: the __Host- prefix pins the cookie to this origin, which requires https. */
export function sessionCookieName(issuer: string): string {
  return issuer.startsWith("https:") ? "__Host-portal_session" : "portal_session";
}
