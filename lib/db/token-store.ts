// The token endpoint's storage (lib/oauth/token/ports.ts TokenStore) on Prisma. Races are decided
// by conditional updates (`... WHERE consumedAt IS NULL`, count 1 wins) inside the transaction
// that also stores the winner's tokens: on PostgreSQL the loser's UPDATE waits for the winner's
// row lock and then matches nothing; SQLite serialises writers.
import type { IssuedTokens, StoredGrant, TokenStore } from "../oauth/token/ports.ts";
import type { Db } from "./client.ts";
import { Prisma } from "./generated/sqlite/client.ts";
import { findClientById } from "./clients.ts";
import { revokeGrants } from "./grants.ts";
import { date, flag, list, optionalDate, optionalText, text } from "./raw-values.ts";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// The code and the refresh token are read with their grant and user in one raw join: a Prisma
// `include` of both costs three statements one after another, on the token endpoint's hot path.
// The SQL is the subset SQLite and PostgreSQL share (see raw-values.ts for the row types).
const GRANT_COLUMNS = Prisma.raw(`
  g."id" AS "grantId", g."userId" AS "userId", g."clientRef" AS "grantClientRef", g."scope" AS "grantScope",
  g."sessionId" AS "grantSessionId", g."authTime" AS "grantAuthTime", g."revokedAt" AS "grantRevokedAt",
  u."disabled" AS "userDisabled"`);

type Row = Record<string, unknown>;

function toGrant(row: Row): StoredGrant {
  return {
    id: text(row.grantId),
    userId: text(row.userId),
    userDisabled: flag(row.userDisabled),
    clientRef: text(row.grantClientRef),
    scopes: list(text(row.grantScope)),
    sessionId: optionalText(row.grantSessionId),
    authTime: date(row.grantAuthTime),
    revokedAt: optionalDate(row.grantRevokedAt),
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
      const rows = await db.$queryRaw<Row[]>`
        SELECT c."clientRef" AS "clientRef", c."redirectUri" AS "redirectUri", c."scope" AS "scope",
               c."nonce" AS "nonce", c."codeChallenge" AS "codeChallenge", c."authTime" AS "authTime",
               c."sessionId" AS "sessionId", c."expiresAt" AS "expiresAt", c."consumedAt" AS "consumedAt",
               ${GRANT_COLUMNS}
        FROM "AuthorizationCode" c
        JOIN "Grant" g ON g."id" = c."grantId"
        JOIN "User" u ON u."id" = g."userId"
        WHERE c."codeHash" = ${codeHash}`;
      const row = rows[0];
      if (!row) return null;
      return {
        codeHash,
        clientRef: text(row.clientRef),
        redirectUri: text(row.redirectUri),
        scopes: list(text(row.scope)),
        nonce: optionalText(row.nonce),
        codeChallenge: text(row.codeChallenge),
        authTime: date(row.authTime),
        sessionId: optionalText(row.sessionId),
        expiresAt: date(row.expiresAt),
        consumedAt: optionalDate(row.consumedAt),
        grant: toGrant(row),
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
      const rows = await db.$queryRaw<Row[]>`
        SELECT r."id" AS "id", r."scope" AS "scope", r."expiresAt" AS "expiresAt",
               r."rotatedAt" AS "rotatedAt", r."revokedAt" AS "revokedAt",
               ${GRANT_COLUMNS}
        FROM "RefreshToken" r
        JOIN "Grant" g ON g."id" = r."grantId"
        JOIN "User" u ON u."id" = g."userId"
        WHERE r."tokenHash" = ${tokenHash}`;
      const row = rows[0];
      if (!row) return null;
      return {
        id: text(row.id),
        scopes: list(text(row.scope)),
        expiresAt: optionalDate(row.expiresAt),
        rotatedAt: optionalDate(row.rotatedAt),
        revokedAt: optionalDate(row.revokedAt),
        grant: toGrant(row),
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
