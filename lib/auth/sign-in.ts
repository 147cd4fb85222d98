// Signing in with an email and password: throttled, constant in what it reveals.
import type { Db } from "../db/client.ts";
import { checkCredentials } from "./credentials.ts";
import { clearAccountFailures, loginRules, recordFailure, throttledUntil } from "./throttle.ts";

export type SignInResult =
  | { readonly ok: true; readonly userId: string }
  /** `userId` when the account exists (a wrong password, a disabled account): for the audit log only. */
  | { readonly ok: false; readonly reason: "invalid"; readonly userId?: string }
  | { readonly ok: false; readonly reason: "throttled"; readonly retryAfterSeconds: number };

export async function signInWithPassword(
  db: Db,
  input: { email: string; password: string; address: string | undefined },
  bcryptCost: number,
  now: Date,
): Promise<SignInResult> {
  const rules = loginRules(input.email, input.address);
  // Checked before bcrypt: a blocked guesser costs no hashing.
  const until = await throttledUntil(db, rules, now);
  if (until) return { ok: false, reason: "throttled", retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) };
  const check = await checkCredentials(db, input.email, input.password, bcryptCost);
  if (!check.ok) {
    await recordFailure(db, rules, now);
    return check.userId ? { ok: false, reason: "invalid", userId: check.userId } : { ok: false, reason: "invalid" };
  }
  await clearAccountFailures(db, input.email);
  return { ok: true, userId: check.userId };
}
