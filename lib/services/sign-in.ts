// Signing in and out, and consenting, as the audit log sees them. These are the person's own
// steps, not changes to the portal's setup: their rows are written directly (no change counter,
// no caches to forget). The attempted email is recorded for a failure on an unknown account;
// a password never is.
import { deviceKey, knownDeviceId, rememberDevice } from "../auth/device-cookie.ts";
import { signInWithPassword, type SignInResult } from "../auth/sign-in.ts";
import { insertAuditEvents } from "../db/audit-events.ts";
import { getDb, type Db } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { resolvePortalSecret } from "../portal-secret.ts";
import { endResetLinks } from "./account-links.ts";
import { auditRow, logAudit, type AuditEntry } from "./audit.ts";

// Outside any transaction: on the driver, like the protocol's own rows (lib/db/sql/audit.ts).
async function record(entry: AuditEntry, now: Date): Promise<void> {
  await insertAuditEvents(getDb(), [auditRow(entry, now)]);
  logAudit([entry], now);
}

export type SignInOutcome = SignInResult & {
  /** Whether the browser held a valid known-device cookie for the account. */
  readonly knownDevice: boolean;
  /** After a success: the known-device cookie's new value (lib/auth/device-cookie.ts). */
  readonly deviceCookie?: string;
  /**
   * After a right password, what comes next: nothing (`none`: signed in), a second factor
   * (`verify`: the person has one), or setting one up (`enrol`: the account requires one and has
   * none). Only with `none` is the sign-in complete and recorded as such.
   */
  readonly secondStep?: SecondStep;
};

export type SecondStep = "none" | "verify" | "enrol";

/** What a person must do after their password (SignInOutcome.secondStep). */
export async function secondStepFor(userId: string, db: Db = getDb()): Promise<SecondStep> {
  // One statement: it runs at every password sign-in (the flow benchmark's path).
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      secondFactorRequired: true,
      _count: { select: { secondFactors: { where: { confirmedAt: { not: null } } }, passkeys: true } },
    },
  });
  if (!user) return "none";
  if (user._count.secondFactors + user._count.passkeys > 0) return "verify";
  return user.secondFactorRequired ? "enrol" : "none";
}

/**
 * Checks an email and password (throttled: lib/auth/sign-in.ts) and records the outcome.
 * `deviceCookie` is the browser's known-device cookie, as sent.
 */
export async function signIn(
  input: { email: string; password: string; ipAddress: string | undefined; deviceCookie?: string | undefined },
  now = new Date(),
): Promise<SignInOutcome> {
  const config = getConfig();
  const key = deviceKey(resolvePortalSecret(config).secret);
  const deviceId = knownDeviceId(key, input.deviceCookie, input.email, now);
  const knownDevice = deviceId !== undefined;
  const result = await signInWithPassword(
    getDb(),
    { email: input.email, password: input.password, address: input.ipAddress, deviceId },
    config.bcryptCost,
    now,
  );
  const ipAddress = input.ipAddress ?? null;
  const email = input.email.trim().toLowerCase().slice(0, 254);
  if (result.ok) {
    const secondStep = await secondStepFor(result.userId);
    if (secondStep === "none") await record({ type: "signin.succeeded", actorUserId: result.userId, ipAddress }, now);
    // The person remembered their password: a reset link mailed earlier must not work any more.
    await endResetLinks(result.userId, now);
    return { ...result, knownDevice, deviceCookie: rememberDevice(key, input.deviceCookie, input.email, now), secondStep };
  }
  if (result.reason === "throttled") {
    // Which limit refused and whether the browser was known; never the cookie itself.
    const detail = { email, retryAfterSeconds: result.retryAfterSeconds, limit: result.scope, knownDevice };
    await record({ type: "signin.locked", ipAddress, detail }, now);
  } else if (result.userId) await record({ type: "signin.failed", subjectUserId: result.userId, ipAddress }, now);
  else await record({ type: "signin.failed", ipAddress, detail: { email } }, now);
  return { ...result, knownDevice };
}

/** A sign-in finished with a second factor or a passkey: `amr` says how (RFC 8176 values). */
export function recordSignInCompleted(userId: string, amr: readonly string[], ipAddress: string | null, now = new Date()): Promise<void> {
  return record({ type: "signin.succeeded", actorUserId: userId, ipAddress, detail: { methods: amr.join(" ") } }, now);
}

/** The person signed out (the session row itself is ended by lib/server/session.ts). */
export function recordSignOut(userId: string, sessionId: string, ipAddress: string | null, now = new Date()): Promise<void> {
  return record({ type: "session.ended", actorUserId: userId, ipAddress, detail: { sessionId } }, now);
}

/** The person allowed an application on the consent screen. */
export function recordConsentGranted(
  userId: string,
  clientId: string,
  scopes: readonly string[],
  ipAddress: string | null,
  now = new Date(),
): Promise<void> {
  return record({ type: "consent.granted", actorUserId: userId, clientId, ipAddress, detail: { scopes: scopes.join(" ") } }, now);
}
