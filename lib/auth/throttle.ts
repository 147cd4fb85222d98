// Throttling of failed sign-ins, per account and per address (fixed windows in the RateLimit
// table). The account key is a hash of the email as typed, so unknown accounts are throttled
// exactly like real ones and the limit reveals nothing about which exist.
import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";

export interface ThrottleRule {
  readonly key: string;
  readonly maxFailures: number;
  readonly windowSeconds: number;
}

export const LOGIN_WINDOW_SECONDS = 15 * 60;

export function loginRules(email: string, address: string | undefined): ThrottleRule[] {
  const account = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
  const rules: ThrottleRule[] = [{ key: `login:account:${account}`, maxFailures: 10, windowSeconds: LOGIN_WINDOW_SECONDS }];
  if (address) rules.push({ key: `login:address:${address.slice(0, 64)}`, maxFailures: 50, windowSeconds: LOGIN_WINDOW_SECONDS });
  return rules;
}

/** When the earliest of the exhausted rules opens again, or undefined when none is exhausted. */
export async function throttledUntil(db: Db, rules: readonly ThrottleRule[], now: Date): Promise<Date | undefined> {
  const rows = await db.rateLimit.findMany({ where: { key: { in: rules.map((rule) => rule.key) } } });
  let until: Date | undefined;
  for (const rule of rules) {
    const row = rows.find((candidate) => candidate.key === rule.key);
    if (!row || row.count < rule.maxFailures) continue;
    const opens = new Date(row.windowStart.getTime() + rule.windowSeconds * 1000);
    if (opens > now && (!until || opens > until)) until = opens;
  }
  return until;
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

/** A successful sign-in clears the account's failures (not the address's). */
export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  const [account] = loginRules(email, undefined);
  await db.rateLimit.deleteMany({ where: { key: account!.key } });
}
