// Passwords: bcrypt (bcryptjs, in worker threads: see bcrypt-pool.ts). bcrypt reads at most 72
// bytes of its input, so a longer password is first reduced to a fixed-size digest (HMAC-SHA-256,
// keyed with a label of this portal so a plain SHA-256 leaked elsewhere is of no use here), and
// the digest is what bcrypt hashes: every character counts, none is silently cut.
import { createHmac, randomBytes } from "node:crypto";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool.ts";
import { MAX_PASSWORD_LENGTH } from "./password-limits.ts";

/** The most bytes bcrypt reads. */
export const BCRYPT_MAX_BYTES = 72;
const PREHASH_LABEL = "identity-portal password pre-hash v1";

/** Longer than any password the rule allows (256 characters of up to 4 bytes each): refused outright. */
export function passwordTooLong(password: string): boolean {
  return password.length > MAX_PASSWORD_LENGTH * 2;
}

/** What bcrypt is given: the password itself when it fits in 72 bytes, else its keyed digest. */
export function bcryptInput(password: string): string {
  if (Buffer.byteLength(password, "utf8") <= BCRYPT_MAX_BYTES) return password;
  return `prehash:${createHmac("sha256", PREHASH_LABEL).update(password, "utf8").digest("base64")}`;
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  if (passwordTooLong(password)) throw new RangeError(`passwords are limited to ${MAX_PASSWORD_LENGTH} characters`);
  return bcryptHash(bcryptInput(password), cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (passwordTooLong(password)) return false;
  return bcryptCompare(bcryptInput(password), hash);
}

/** A readable random password for generated accounts (about 120 bits). */
export function generatePassword(): string {
  return randomBytes(15)
    .toString("base64url")
    .replace(/(.{5})(?=.)/g, "$1-");
}
