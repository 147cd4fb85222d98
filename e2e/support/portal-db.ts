// The e2e server's own database (playwright.config.ts starts it on this one), so a test
// can register the client it plays, and the people who use it, as an admin would.
import bcrypt from "bcryptjs";
import { createDb } from "../../lib/db/client.ts";
import { createClient, type NewClient } from "../../lib/db/clients.ts";
import { createUser } from "../../lib/db/users.ts";
import { hashToken, randomToken } from "../../lib/oauth/tokens/opaque.ts";

export const E2E_DATABASE_URL = process.env.E2E_DATABASE_URL ?? "file:test-results/e2e-data/portal.db";
export const E2E_ADMIN = { email: "admin@example.com", password: "e2e-admin-password" } as const;

export async function registerClient(input: NewClient): Promise<{ clientId: string; clientSecret?: string }> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    const { client, clientSecret } = await createClient(db, input);
    return clientSecret ? { clientId: client.clientId, clientSecret } : { clientId: client.clientId };
  } finally {
    await db.$disconnect();
  }
}

/** A person with a password, as the admin console would create them (cost 4, as the e2e server's). */
export async function createPerson(email: string, password: string): Promise<void> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    await createUser(db, { email, passwordHash: await bcrypt.hash(password, 4), name: email.split("@")[0] });
  } finally {
    await db.$disconnect();
  }
}

/** An initial access token that opens dynamic client registration (RFC 7591 §3), as an admin makes one. */
export async function createRegistrationToken(): Promise<string> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    const token = randomToken();
    await db.initialAccessToken.create({ data: { tokenHash: hashToken(token), description: "e2e" } });
    return token;
  } finally {
    await db.$disconnect();
  }
}
