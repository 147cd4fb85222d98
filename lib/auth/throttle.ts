// Throttling of failed sign-ins, per account, per known browser and per address (fixed windows in
// the RateLimit table). The account key is a hash of the email as typed, so unknown accounts are
// throttled exactly like real ones and the limit reveals nothing about which exist. Every failure
// counts against the account, but the account-wide lock binds only browsers without a known-device
// cookie for it (lib/auth/device-cookie.ts); a known browser has its own limit instead, so failures
// from elsewhere cannot lock the owner out and a stolen cookie still gives no unlimited guesses.
import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";

export type ThrottleScope = "account" | "device" | "address";

export interface ThrottleRule {
  readonly scope: ThrottleScope;
  readonly key: string;
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

export const LOGIN_WINDOW_SECONDS = 15 * 60;

function accountRule(email: string): ThrottleRule {
  const account = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  return { scope: "account", key: `login:account:${account}`, maxFailures: 10, windowSeconds: LOGIN_WINDOW_SECONDS };
}

/** Where wrong current passwords are counted when a person changes theirs (lib/services/account.ts). */
export const passwordChangeThrottleKey = (userId: string) => `password-change:${userId}`;

/**
 * Wrong second-factor codes (TOTP or recovery codes), counted per account: five per 15 minutes.
 * Fewer than passwords allow, since a six-digit code has only a million values (three of them
 * valid at a time); the person already proved their password to get this far.
 */
export const SECOND_FACTOR_MAX_FAILURES = 5;
export const secondFactorThrottleKey = (userId: string) => `second-factor:${userId}`;

export function secondFactorRules(userId: string): ThrottleRule[] {
  return [
    {
      scope: "account",
      key: secondFactorThrottleKey(userId),
      maxFailures: SECOND_FACTOR_MAX_FAILURES,
      windowSeconds: LOGIN_WINDOW_SECONDS,
    },
  ];
}

/**
 * The rows that can lock an account's sign-in, for an admin's unlock: the account-wide count, and
 * every known browser's own count for it (their keys start with devicePrefix).
 */
export function accountLockKeys(email: string): { readonly accountKey: string; readonly devicePrefix: string } {
  const account = accountRule(email);
  return { accountKey: account.key, devicePrefix: `login:device:${account.key.slice(14, 46)}:` };
}

/** Where failures are counted: the account, the known browser (its device id) if any, the address. */
export function loginRules(email: string, address: string | undefined, deviceId?: string): ThrottleRule[] {
  const account = accountRule(email);
  const rules: ThrottleRule[] = [account];
  if (deviceId)
    rules.push({
      scope: "device",
      key: `login:device:${account.key.slice(14, 46)}:${deviceId.slice(0, 64)}`,
      maxFailures: 10,
      windowSeconds: LOGIN_WINDOW_SECONDS,
    });
  if (address)
    rules.push({ scope: "address", key: `login:address:${address.slice(0, 64)}`, maxFailures: 50, windowSeconds: LOGIN_WINDOW_SECONDS });
  return rules;
}

/** The rules that can refuse an attempt: a known browser answers to its own limit, not the account's. */
export function blockingRules(rules: readonly ThrottleRule[]): ThrottleRule[] {
  const known = rules.some((rule) => rule.scope === "device");
  return rules.filter((rule) => !(known && rule.scope === "account"));
}

export interface Throttled {
  readonly until: Date;
  readonly scope: ThrottleScope;
}

/** When the last of the exhausted rules opens again (and which it is), or undefined when none is exhausted. */
export async function throttledUntil(db: Db, rules: readonly ThrottleRule[], now: Date): Promise<Throttled | undefined> {
  const rows = await db.rateLimit.findMany({ where: { key: { in: rules.map((rule) => rule.key) } } });
  let found: Throttled | undefined;
  for (const rule of rules) {
    const row = rows.find((candidate) => candidate.key === rule.key);
    if (!row || row.count < rule.maxFailures) continue;
    const opens = new Date(row.windowStart.getTime() + rule.windowSeconds * 1000);
    if (opens > now && (!found || opens > found.until)) found = { until: opens, scope: rule.scope };
  }
  return found;
}

export async function recordFailure(db: Db, rules: readonly ThrottleRule[], now: Date): Promise<void> {
  for (const rule of rules) {
    const row = await db.rateLimit.findUnique({ where: { key: rule.key } });
    if (!row || row.windowStart.getTime() + rule.windowSeconds * 1000 <= now.getTime()) {
      await db.rateLimit.upsert({
        where: { key: rule.key },
        create: { key: rule.key, windowStart: now, count: 1 },
        update: { windowStart: now, count: 1 },
      });
    } else {
      await db.rateLimit.update({ where: { key: rule.key }, data: { count: { increment: 1 } } });
    }
  }
}

/**
 * A successful sign-in clears the failures that bound it (never the address's): a known browser's
 * own, or else the account's. The owner signing in from a known browser leaves the account-wide
 * lock in place, so an attack from elsewhere does not get a fresh ten guesses each time.
 */
export async function clearAccountFailures(db: Db, rules: readonly ThrottleRule[]): Promise<void> {
  const keys = blockingRules(rules)
    .filter((rule) => rule.scope !== "address")
    .map((rule) => rule.key);
  await db.rateLimit.deleteMany({ where: { key: { in: keys } } });
}
