// What a person has allowed which application to do, and taking it back: by the person on their
// account page, or by an admin in the console (users.ts revokeUserGrant).
import { z } from "zod";
import { getDb } from "../db/index.ts";
import { listConsents as listConsentRows, type ConsentSummary } from "../db/consents.ts";
import { revokeGrants } from "../db/grants.ts";
import { change } from "./change.ts";
import { parseInput, type Actor } from "./errors.ts";

export type { ConsentSummary } from "../db/consents.ts";

export function listConsents(userId: string): Promise<ConsentSummary[]> {
  return listConsentRows(getDb(), userId);
}

/** Deletes the consent and revokes the grants; the audit event names who did it. Null: no such client. */
export async function withdrawAccess(
  actor: Actor,
  userId: string,
  clientId: string,
  type: "consent.withdrawn" | "grant.revoked",
): Promise<string | null> {
  const db = getDb();
  const done = await change(async (tx, now) => {
    const client = await tx.client.findUnique({ where: { clientId }, select: { id: true, name: true } });
    if (!client) return { result: null, audit: [] };
    await tx.consent.deleteMany({ where: { userId, clientRef: client.id } });
    return {
      result: { ref: client.id, name: client.name, at: now },
      audit: [
        {
          type,
          actorUserId: actor.userId,
          subjectUserId: actor.userId === userId ? null : userId,
          clientId,
          ipAddress: actor.ipAddress,
          detail: { client: client.name },
        },
      ],
    };
  }, db);
  if (!done) return null;
  // Its own transaction (grants.ts), after the commit: the consent is gone, so no new grant is
  // made without asking again; this stops every code and token issued before.
  await revokeGrants(db, { userId, clientRef: done.ref }, done.at);
  return done.name;
}

export const withdrawConsentSchema = z.object({
  userId: z.string().min(1).max(64),
  clientId: z.string().trim().min(1, "Choose an application").max(255, "Choose an application"),
});

/** The person takes back an application's access (the account page). Null: no such application. */
export async function withdrawConsent(actor: Actor, userId: string, clientId: string): Promise<{ clientName: string } | null> {
  const data = parseInput(withdrawConsentSchema, { userId, clientId });
  const name = await withdrawAccess(actor, data.userId, data.clientId, "consent.withdrawn");
  return name === null ? null : { clientName: name };
}
