// Passwords: bcrypt (bcryptjs, in worker threads: see bcrypt-pool.ts). bcrypt reads at most 72
// bytes, so longer passwords are refused rather than silently truncated.
import { bcryptCompare, bcryptHash } from "./bcrypt-pool.ts";
import { randomBytes } from "node:crypto";
import { MAX_PASSWORD_BYTES } from "./password-policy.ts";

export { MAX_PASSWORD_BYTES };

export function passwordTooLong(password: string): boolean {
  return Buffer.byteLength(password, "utf8") > MAX_PASSWORD_BYTES;
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  if (passwordTooLong(password)) throw new RangeError(`passwords are limited to ${MAX_PASSWORD_BYTES} bytes`);
  return bcryptHash(password, cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (passwordTooLong(password)) return false;
  return bcryptCompare(password, hash);
}

/** A readable random password for generated accounts (about 120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url").replace(/(.{5})(?=.)/g, "$1-");
}
