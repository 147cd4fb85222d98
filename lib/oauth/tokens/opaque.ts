// Opaque secrets (codes, refresh tokens, session ids, client secrets) are high-entropy random
// strings, so a single SHA-256 is a sufficient one-way function for storing them: a slow password
// hash would add nothing but latency. Lookups go by hash; comparisons are constant-time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes (256 bits), base64url: 43 characters. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with a stored hex SHA-256 hash. */
export function matchesHash(token: string, hash: string): boolean {
  const presented = createHash("sha256").update(token, "utf8").digest();
  const stored = Buffer.from(hash, "hex");
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}
