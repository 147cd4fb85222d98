// The token endpoint's storage (lib/oauth/token/ports.ts TokenStore) on Prisma. Races are decided
// by conditional updates (`... WHERE consumedAt IS NULL`, count 1 wins) inside the transaction
// that also stores the winner's tokens: on PostgreSQL the loser's UPDATE waits for the winner's
// row lock and then matches nothing; SQLite serialises writers.
import type { IssuedTokens, StoredGrant, TokenStore } from "../oauth/token/ports.ts";
import type { Db } from "./client.ts";
import { findClientById } from "./clients.ts";
import { revokeGrants } from "./grants.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const list = (value: string): string[] => value.split(" ").filter(Boolean);

const withGrant = { grant: { include: { user: { select: { disabled: true } } } } } as const;

interface GrantRow {
  id: string;
  userId: string;
  clientRef: string;
  scope: string;
  sessionId: string | null;
  authTime: Date;
  revokedAt: Date | null;
  user: { disabled: boolean };
}

function toGrant(row: GrantRow): StoredGrant {
  return {
    id: row.id,
    userId: row.userId,
    userDisabled: row.user.disabled,
    clientRef: row.clientRef,
    scopes: list(row.scope),
    sessionId: row.sessionId,
    authTime: row.authTime,
    revokedAt: row.revokedAt,
  };
}

/** The tokens of one response: one or two inserts in the caller's transaction. */
async function insertTokens(tx: Tx, tokens: IssuedTokens, parentId: string | null): Promise<void> {
  const { accessToken, refreshToken, grantId, now } = tokens;
  await tx.accessToken.create({
    data: {
      jti: accessToken.jti,
      grantId,
      clientRef: accessToken.clientRef,
      scope: accessToken.scopes.join(" "),
      createdAt: now,
      expiresAt: accessToken.expiresAt,
    },
  });
  if (refreshToken) {
    await tx.refreshToken.create({
      data: {
        tokenHash: refreshToken.tokenHash,
        grantId,
        parentId,
        scope: refreshToken.scopes.join(" "),
        createdAt: now,
        expiresAt: refreshToken.expiresAt,
      },
    });
  }
}

export function tokenStore(db: Db): TokenStore {
  return {
    findClient: (clientId) => findClientById(db, clientId),

    async findCode(codeHash) {
      const row = await db.authorizationCode.findUnique({ where: { codeHash }, include: withGrant });
      if (!row) return null;
      return {
        codeHash: row.codeHash,
        clientRef: row.clientRef,
        redirectUri: row.redirectUri,
        scopes: list(row.scope),
        nonce: row.nonce,
        codeChallenge: row.codeChallenge,
        authTime: row.authTime,
        sessionId: row.sessionId,
        expiresAt: row.expiresAt,
        consumedAt: row.consumedAt,
        grant: toGrant(row.grant),
      };
    },

    consumeCode(codeHash, tokens) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.authorizationCode.updateMany({
          where: { codeHash, consumedAt: null },
          data: { consumedAt: tokens.now },
        });
        if (count !== 1) return { status: "replayed" } as const;
        await insertTokens(tx, tokens, null);
        return { status: "won" } as const;
      });
    },

    async findRefreshToken(tokenHash) {
      const row = await db.refreshToken.findUnique({ where: { tokenHash }, include: withGrant });
      if (!row) return null;
      return {
        id: row.id,
        scopes: list(row.scope),
        expiresAt: row.expiresAt,
        rotatedAt: row.rotatedAt,
        revokedAt: row.revokedAt,
        grant: toGrant(row.grant),
      };
    },

    rotateRefreshToken(oldId, tokens) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.refreshToken.updateMany({
          where: { id: oldId, rotatedAt: null, revokedAt: null },
          data: { rotatedAt: tokens.now },
        });
        if (count !== 1) return { status: "replayed" } as const;
        await insertTokens(tx, tokens, oldId);
        return { status: "won" } as const;
      });
    },

    revokeGrant: (grantId, now) => revokeGrants(db, { id: grantId }, now),
  };
}
