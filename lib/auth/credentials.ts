// Checking an email and password. An unknown account costs the same bcrypt work as a wrong
// password, and both give the same answer, so timing and messages never reveal which accounts exist.
import bcrypt from "bcryptjs";
import type { Db } from "../db/client.ts";
import { findUserByEmail } from "../db/users.ts";
import { bcryptCompare } from "./bcrypt-pool.ts";
import { passwordTooLong, verifyPassword } from "./password.ts";

const dummyHashes = new Map<number, string>();

function dummyHash(cost: number): string {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = bcrypt.hashSync("not-a-real-password", cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

/** A failure names the account when there is one, for the audit log only: never shown. */
export type CredentialCheck = { readonly ok: true; readonly userId: string } | { readonly ok: false; readonly userId?: string };

export async function checkCredentials(db: Db, email: string, password: string, bcryptCost: number): Promise<CredentialCheck> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled || passwordTooLong(password)) {
    await bcryptCompare(password.slice(0, 72), dummyHash(bcryptCost));
    return user ? { ok: false, userId: user.id } : { ok: false };
  }
  if (!(await verifyPassword(password, user.passwordHash))) return { ok: false, userId: user.id };
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { ok: true, userId: user.id };
}
