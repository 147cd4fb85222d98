// Second factors given to an e2e person directly in the e2e server's database, sealed with the
// server's own PORTAL_SECRET, as an earlier enrolment would have left them: for journeys about
// signing in with them (the enrolment screens have journeys of their own).
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { newRecoveryCodes, recoveryCodeHash } from "../../lib/auth/recovery-codes.ts";
import { seal } from "../../lib/crypto/secret-box.ts";
import { createDb } from "../../lib/db/client.ts";
import { base32Encode } from "../../tests/support/totp.ts";
import { E2E_DATABASE_URL } from "./portal-db.ts";
import { E2E_POSTGRES_PORTAL_SECRET } from "./server-secret.ts";

/** The e2e server's PORTAL_SECRET: set for PostgreSQL in playwright.config.ts, generated in DATA_DIR on SQLite. */
function serverSecret(): string {
  if (process.env.E2E_DATABASE_URL) return E2E_POSTGRES_PORTAL_SECRET;
  return readFileSync("test-results/e2e-data/portal-secret", "utf8").trim();
}

/** A confirmed authenticator app for the person; returns its secret (base32), for computing codes. */
export async function giveAuthenticatorApp(userId: string): Promise<string> {
  const secret = base32Encode(randomBytes(20));
  const db = createDb(E2E_DATABASE_URL);
  try {
    await db.secondFactor.create({
      data: { userId, kind: "totp", name: "Authenticator app", secretEncrypted: seal(secret, serverSecret()), confirmedAt: new Date() },
    });
  } finally {
    await db.$disconnect();
  }
  return secret;
}

/** Ten recovery codes for the person; returns them as they would have been shown. */
export async function giveRecoveryCodes(userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const db = createDb(E2E_DATABASE_URL);
  try {
    await db.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(code)! })) });
  } finally {
    await db.$disconnect();
  }
  return codes;
}

/** Marks a registered application as requiring two-step sign-in, as its console setting does. */
export async function requireMfaOf(clientId: string): Promise<void> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    await db.client.update({ where: { clientId }, data: { requireMfa: true } });
  } finally {
    await db.$disconnect();
  }
}
