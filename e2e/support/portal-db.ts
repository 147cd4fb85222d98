// The e2e server's own database (playwright.config.ts starts it on this one), so a test
// can register the client it plays, and the people who use it, as an admin would.
import { createDb } from "../../lib/db/client.ts";
import { createClient, type NewClient } from "../../lib/db/clients.ts";
import { createUser } from "../../lib/db/users.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { hashToken, randomToken } from "../../lib/oauth/tokens/opaque.ts";
import * as secondFactors from "../../lib/services/second-factor.ts";

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

/** A person of one test's own, so what the test changes (password, sessions) touches no other test. */
export async function createPerson(prefix: string, password: string, name = ""): Promise<{ id: string; email: string }> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    const email = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const user = await createUser(db, { email, passwordHash: await hashPassword(password, 4), name });
    return { id: user.id, email };
  } finally {
    await db.$disconnect();
  }
}

/** A person with a password, as the admin console would create them (cost 4, as the e2e server's). */
export async function createPersonWithEmail(email: string, password: string): Promise<void> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    await createUser(db, { email, passwordHash: await hashPassword(password, 4), name: email.split("@")[0] });
  } finally {
    await db.$disconnect();
  }
}

/** The audit events of one type about a person (as actor or subject). */
export async function auditEventsOf(userId: string, type: string): Promise<{ detail: unknown }[]> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    const rows = await db.auditEvent.findMany({
      where: { type, OR: [{ actorUserId: userId }, { subjectUserId: userId }] },
      orderBy: { createdAt: "asc" },
    });
    return rows.map((row) => ({ detail: JSON.parse(row.detail) as unknown }));
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

/**
 * Spends one recovery code through the service's own sign-in step (spendRecoveryCode), as the
 * sign-in page will once it asks for a second factor: what the account page shows after a use.
 */
export async function spendRecoveryCode(userId: string, code: string): Promise<{ remaining: number }> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    return await secondFactors.spendRecoveryCode({ userId, code, ipAddress: "127.0.0.1" }, new Date(), db);
  } finally {
    await db.$disconnect();
  }
}

/** Moves a started, unconfirmed authenticator set-up `minutes` into the past, so it ends without a wait. */
export async function ageTotpEnrolment(userId: string, minutes: number): Promise<number> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    const { count } = await db.secondFactor.updateMany({
      where: { userId, confirmedAt: null },
      data: { createdAt: new Date(Date.now() - minutes * 60_000) },
    });
    return count;
  } finally {
    await db.$disconnect();
  }
}
