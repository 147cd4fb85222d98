// Initial access tokens (RFC 7591 §1.2, §3): dynamic client registration at /oauth/register is
// open only to holders of one. The token is made here, returned once, and only its SHA-256 hash
// is kept; the console and `npm run admin -- create-initial-access-token` both come through here.
import { z } from "zod";
import { getDb, type Db } from "../db/index.ts";
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";
import { change } from "./change.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";

export interface InitialAccessTokenView {
  readonly id: string;
  readonly description: string;
  readonly singleUse: boolean;
  readonly createdAt: Date;
  readonly createdByEmail: string | null;
  readonly expiresAt: Date | null;
  /** A single-use token's use, or a reusable token's last use. */
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
  /** Whether /oauth/register would accept it now. */
  readonly usable: boolean;
}

const MAX_LISTED = 500;

/** Newest first (at most MAX_LISTED), never the hash. */
export async function listInitialAccessTokens(now: Date = new Date(), db: Db = getDb()): Promise<InitialAccessTokenView[]> {
  const rows = await db.initialAccessToken.findMany({
    select: {
      id: true,
      description: true,
      singleUse: true,
      createdAt: true,
      expiresAt: true,
      usedAt: true,
      revokedAt: true,
      createdBy: { select: { email: true } },
    },
    orderBy: { createdAt: "desc" },
    take: MAX_LISTED,
  });
  return rows.map(({ createdBy, ...row }) => ({
    ...row,
    createdByEmail: createdBy?.email ?? null,
    usable: !row.revokedAt && !(row.expiresAt && row.expiresAt <= now) && !(row.singleUse && row.usedAt),
  }));
}

const DAYS_MESSAGE = "Expires in must be a whole number of days from 1 to 3650";

export const createInitialAccessTokenInput = z.object({
  description: z.string().trim().max(200, "The description must be at most 200 characters").default(""),
  expiresInDays: z.number({ error: DAYS_MESSAGE }).int(DAYS_MESSAGE).min(1, DAYS_MESSAGE).max(3650, DAYS_MESSAGE).optional(),
  singleUse: z.boolean().default(false),
});

export interface CreatedInitialAccessToken {
  readonly id: string;
  /** Shown once: only its hash is stored. */
  readonly token: string;
  readonly expiresAt: Date | null;
  readonly singleUse: boolean;
}

export async function createInitialAccessToken(
  actor: Actor,
  input: z.input<typeof createInitialAccessTokenInput>,
  db: Db = getDb(),
): Promise<CreatedInitialAccessToken> {
  const { description, expiresInDays, singleUse } = parseInput(createInitialAccessTokenInput, input);
  const token = randomToken();
  return change(async (tx, now) => {
    const expiresAt = expiresInDays === undefined ? null : new Date(now.getTime() + expiresInDays * 86_400_000);
    const row = await tx.initialAccessToken.create({
      data: { tokenHash: hashToken(token), description, singleUse, expiresAt, createdById: actor.userId, createdAt: now },
      select: { id: true },
    });
    return {
      result: { id: row.id, token, expiresAt, singleUse },
      audit: [
        {
          type: "registration_token.created",
          actorUserId: actor.userId,
          ipAddress: actor.ipAddress ?? null,
          detail: { id: row.id, description, singleUse, expiresAt: expiresAt?.toISOString() ?? null, via: actor.via },
        },
      ],
    };
  }, db);
}

export const revokeInitialAccessTokenInput = z.object({ id: z.string().min(1, "Choose a token").max(64, "Unknown token") });

/** Registration refuses it from now on; clients it registered stay registered. */
export async function revokeInitialAccessToken(actor: Actor, id: string, db: Db = getDb()): Promise<void> {
  const input = parseInput(revokeInitialAccessTokenInput, { id });
  await change(async (tx, now) => {
    const row = await tx.initialAccessToken.findUnique({ where: { id: input.id }, select: { description: true, revokedAt: true } });
    if (!row) throw new ServiceError("This registration token does not exist.");
    // Conditional, so of two admins revoking at once one is told it was done already.
    const { count } = await tx.initialAccessToken.updateMany({ where: { id: input.id, revokedAt: null }, data: { revokedAt: now } });
    if (row.revokedAt || count !== 1) throw new ServiceError("This registration token was revoked already.");
    return {
      result: undefined,
      audit: [
        {
          type: "registration_token.revoked",
          actorUserId: actor.userId,
          ipAddress: actor.ipAddress ?? null,
          detail: { id: input.id, description: row.description, via: actor.via },
        },
      ],
    };
  }, db);
}
