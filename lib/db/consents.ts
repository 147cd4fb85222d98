// What a user has allowed which application to do, and taking it back.
import type { Db } from "./client.ts";
import { revokeGrants } from "./grants.ts";
import { spaceList } from "../oauth/wire-values.ts";

export interface ConsentSummary {
  readonly clientId: string;
  readonly clientName: string;
  readonly clientUri: string | null;
  readonly scopes: readonly string[];
  readonly updatedAt: Date;
}

export async function listConsents(db: Db, userId: string): Promise<ConsentSummary[]> {
  const rows = await db.consent.findMany({
    where: { userId },
    include: { client: { select: { clientId: true, name: true, clientUri: true } } },
    orderBy: { updatedAt: "desc" },
  });
  return rows.map((row) => ({
    clientId: row.client.clientId,
    clientName: row.client.name,
    clientUri: row.client.clientUri,
    scopes: spaceList(row.scope),
    updatedAt: row.updatedAt,
  }));
}

/** Forgets the consent and revokes every grant, so the application's tokens stop working now. */
export async function withdrawConsent(db: Db, userId: string, clientId: string, now: Date): Promise<string | null> {
  const client = await db.client.findUnique({ where: { clientId }, select: { id: true, name: true } });
  if (!client) return null;
  await db.consent.deleteMany({ where: { userId, clientRef: client.id } });
  await revokeGrants(db, { userId, clientRef: client.id }, now);
  return client.name;
}
