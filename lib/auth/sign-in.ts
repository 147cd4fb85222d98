// Signing in with an email and password: throttled, constant in what it reveals.
import type { Db } from "../db/client.ts";
import { checkCredentials } from "./credentials.ts";
import { blockingRules, clearAccountFailures, loginRules, recordFailure, throttledUntil, type ThrottleScope } from "./throttle.ts";

export type SignInResult =
  | { readonly ok: true; readonly userId: string }
  /** `userId` when the account exists (a wrong password, a disabled account): for the audit log only. */
  | { readonly ok: false; readonly reason: "invalid"; readonly userId?: string }
  | { readonly ok: false; readonly reason: "throttled"; readonly retryAfterSeconds: number; readonly scope: ThrottleScope };

export async function signInWithPassword(
  db: Db,
  /** `deviceId`: this browser's verified known-device entry for the email (lib/auth/device-cookie.ts). */
  input: { email: string; password: string; address: string | undefined; deviceId?: string | undefined },
  bcryptCost: number,
  now: Date,
): Promise<SignInResult> {
  const rules = loginRules(input.email, input.address, input.deviceId);
  // Checked before bcrypt: a blocked guesser costs no hashing. The check needs only the email and
  // the cookie, never the user row, so an unknown account is refused exactly like a real one.
  const throttled = await throttledUntil(db, blockingRules(rules), now);
  if (throttled) {
    const retryAfterSeconds = Math.ceil((throttled.until.getTime() - now.getTime()) / 1000);
    return { ok: false, reason: "throttled", retryAfterSeconds, scope: throttled.scope };
  }
  const check = await checkCredentials(db, input.email, input.password, bcryptCost);
  if (!check.ok) {
    await recordFailure(db, rules, now);
    return check.userId ? { ok: false, reason: "invalid", userId: check.userId } : { ok: false, reason: "invalid" };
  }
  await clearAccountFailures(db, rules);
  return { ok: true, userId: check.userId };
}
