// Rows that have outlived every use are deleted, so the database does not grow without bound:
// each token response stores an access-token row (for revocation by jti) that is dead once the
// token expired. Refresh tokens are kept: a rotated one is how a replay is recognised, for as
// long as its grant lives.
import type { Db } from "./client.ts";

export interface PurgeResult {
  readonly accessTokens: number;
  readonly codes: number;
  readonly interactions: number;
  readonly sessions: number;
  readonly rateLimits: number;
  readonly auditEvents: number;
  /** Mailed reset and verification links past their expiry (used or not). */
  readonly accountLinks: number;
  /** Authenticator set-ups never confirmed with a first code, long after they ended. */
  readonly unconfirmedFactors: number;
  /** WebAuthn challenges past their expiry (they are refused from then on; used ones are gone already). */
  readonly webAuthnChallenges: number;
}

/** A margin past expiry: a replayed code a day late is still recognised (and revokes its grant). */
const CODE_GRACE_MS = 24 * 3600 * 1000;
const GRACE_MS = 3600 * 1000;
const RATE_LIMIT_MAX_AGE_MS = 24 * 3600 * 1000;
/** A set-up waits 15 minutes for its first code (TOTP_ENROLMENT_MINUTES); a day is far past that. */
const UNCONFIRMED_FACTOR_MAX_AGE_MS = 24 * 3600 * 1000;

/** The audit log is kept this long unless configured (AUDIT_RETENTION_DAYS). */
export const DEFAULT_AUDIT_RETENTION_DAYS = 90;

export async function purgeExpired(db: Db, now: Date, auditRetentionDays = DEFAULT_AUDIT_RETENTION_DAYS): Promise<PurgeResult> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const [accessTokens, codes, interactions, sessions, rateLimits, auditEvents, accountLinks, unconfirmedFactors, webAuthnChallenges] =
    await Promise.all([
      db.accessToken.deleteMany({ where: { expiresAt: { lt: before(GRACE_MS) } } }),
      db.authorizationCode.deleteMany({ where: { expiresAt: { lt: before(CODE_GRACE_MS) } } }),
      db.interaction.deleteMany({ where: { expiresAt: { lt: before(GRACE_MS) } } }),
      db.session.deleteMany({
        where: { OR: [{ expiresAt: { lt: before(GRACE_MS) } }, { endedAt: { lt: before(GRACE_MS) } }] },
      }),
      db.rateLimit.deleteMany({ where: { windowStart: { lt: before(RATE_LIMIT_MAX_AGE_MS) } } }),
      db.auditEvent.deleteMany({ where: { createdAt: { lt: before(auditRetentionDays * 86_400_000) } } }),
      db.accountLink.deleteMany({ where: { expiresAt: { lt: before(GRACE_MS) } } }),
      db.secondFactor.deleteMany({ where: { confirmedAt: null, createdAt: { lt: before(UNCONFIRMED_FACTOR_MAX_AGE_MS) } } }),
      db.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: now } } }),
    ]);
  return {
    accessTokens: accessTokens.count,
    codes: codes.count,
    interactions: interactions.count,
    sessions: sessions.count,
    rateLimits: rateLimits.count,
    auditEvents: auditEvents.count,
    accountLinks: accountLinks.count,
    unconfirmedFactors: unconfirmedFactors.count,
    webAuthnChallenges: webAuthnChallenges.count,
  };
}
