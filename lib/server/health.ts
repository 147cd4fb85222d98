// What /api/health reports: whether this instance can serve. The database answers, and the
// signing keys load and open with PORTAL_SECRET (without them every token and JWKS request fails).
// Cheap enough for a load balancer to poll: the keys come from the server's cached keyring, so
// only a failed load (none since the start, or a reload past the interval) touches the database.
import "server-only";
import { getDb } from "../db/index.ts";
import { checkDatabase, checkWithin, type Check } from "../db/health.ts";
import { WrongPortalSecretError } from "../db/signing-keys.ts";
import { SecretBoxError } from "../crypto/secret-box.ts";
import { getKeyring } from "../keys/server-keyring.ts";
import { PortalSecretError } from "../portal-secret.ts";

export interface Health {
  readonly database: Check;
  readonly keys: Check;
}

export async function checkHealth(timeoutMs = 2_000): Promise<Health> {
  const [database, keys] = await Promise.all([checkDatabase(getDb(), timeoutMs), checkKeys(timeoutMs)]);
  return { database, keys };
}

function checkKeys(timeoutMs: number): Promise<Check> {
  return checkWithin(() => getKeyring(), timeoutMs, describe);
}

/** A reason without key material, secrets or connection details. */
function describe(error: unknown): string {
  if (error instanceof SecretBoxError || error instanceof WrongPortalSecretError) {
    return "the signing keys cannot be decrypted with PORTAL_SECRET";
  }
  if (error instanceof PortalSecretError) return "PORTAL_SECRET is not set";
  if (error instanceof Error && error.message === "timeout") return "the signing keys did not load in time";
  return "the signing keys cannot be loaded";
}
