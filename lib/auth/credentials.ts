// Checking an email and password. An unknown account costs the same bcrypt work as a wrong
// password, and both give the same answer, so timing and messages never reveal which accounts exist.
import bcrypt from "bcryptjs";
import type { Db } from "../db/client.ts";
import { findUserByEmail } from "../db/users.ts";
import { processState } from "../process-state.ts";
import { upgradePasswordHash } from "../services/users.ts";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool.ts";
import { bcryptInput, passwordTooLong, verifyPassword } from "./password.ts";

/**
 * What an unknown or disabled account is compared against: a hash of the configured cost, made
 * once per process on first need (in the worker pool, not on the event loop), so the answer takes
 * as long as for an account whose hash has that cost.
 */
export function dummyPasswordHash(cost: number): Promise<string> {
  const hashes = processState("dummy-password-hashes", () => new Map<number, Promise<string>>());
  let hash = hashes.get(cost);
  if (!hash) {
    hash = bcryptHash("not-a-real-password", cost);
    hashes.set(cost, hash);
    // A failed hash is not remembered: the next sign-in tries again.
    hash.catch(() => hashes.delete(cost));
  }
  return hash;
}

/** A failure names the account when there is one, for the audit log only: never shown. */
export type CredentialCheck = { readonly ok: true; readonly userId: string } | { readonly ok: false; readonly userId?: string };

export async function checkCredentials(db: Db, email: string, password: string, bcryptCost: number): Promise<CredentialCheck> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled || passwordTooLong(password)) {
    await bcryptCompare(bcryptInput(password.slice(0, 512)), await dummyPasswordHash(bcryptCost));
    return user ? { ok: false, userId: user.id } : { ok: false };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return { ok: false, userId: user.id };
  // A hash of another cost (BCRYPT_COST changed since it was made) answers faster or slower than
  // the rest, which tells accounts apart by timing: the right password is all it takes to
  // re-hash it at the configured cost, so every sign-in moves one more account to it.
  if (bcrypt.getRounds(user.passwordHash) !== bcryptCost) {
    await upgradePasswordHash(db, user.id, user.passwordHash, await bcryptHash(bcryptInput(password), bcryptCost));
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { ok: true, userId: user.id };
}
