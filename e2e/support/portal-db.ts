// The e2e server's own database (playwright.config.ts starts it on this one), so a test
// can register the client it plays, as an admin would.
import { createDb } from "../../lib/db/client.ts";
import { createClient, type NewClient } from "../../lib/db/clients.ts";

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
