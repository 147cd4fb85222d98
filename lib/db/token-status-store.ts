// The revocation and introspection endpoints' storage (lib/oauth/token-status/ports.ts) on Prisma.
// The two lookups are raw joins: a Prisma `include` of the grant and its user costs three
// sequential statements, and these lookups sit on the hot path of every resource server that
// introspects. The SQL is the dialect-neutral subset SQLite and PostgreSQL share (quoted
// identifiers, IS NULL, OR); flags come back as 0/1 from SQLite and booleans from PostgreSQL.
import type { AccessTokenStatus, RefreshTokenStatus, TokenStatusStore } from "../oauth/token-status/ports.ts";
import type { Db } from "./client.ts";
import { findClientById } from "./clients.ts";
import { date, flag, list, text } from "./raw-values.ts";
import { joinedUserClaims, USER_CLAIM_COLUMNS } from "./user-claims-store.ts";
import { tokenStore } from "./token-store.ts";

interface AccessTokenRow {
  clientRef: unknown;
  revoked: unknown;
  grantRevoked: unknown;
  userDisabled: unknown;
}

type AccessTokenUserRow = AccessTokenRow & Record<string, unknown>;

interface RefreshTokenRow extends AccessTokenRow {
  grantId: unknown;
  userId: unknown;
  scope: unknown;
  createdAt: unknown;
  expiresAt: unknown;
  rotated: unknown;
}

export function tokenStatusStore(db: Db): TokenStatusStore {
  const grants = tokenStore(db);
  return {
    findClient: (clientId) => findClientById(db, clientId),

    async findAccessTokenStatus(jti): Promise<AccessTokenStatus | null> {
      const rows = await db.$queryRaw<AccessTokenUserRow[]>`
        SELECT a."clientRef" AS "clientRef",
               (a."revokedAt" IS NOT NULL) AS "revoked",
               (g."revokedAt" IS NOT NULL) AS "grantRevoked",
               ${USER_CLAIM_COLUMNS}
        FROM "AccessToken" a
        JOIN "Grant" g ON g."id" = a."grantId"
        JOIN "User" u ON u."id" = g."userId"
        WHERE a."jti" = ${jti}`;
      const row = rows[0];
      if (!row) return null;
      return {
        clientRef: text(row.clientRef),
        revoked: flag(row.revoked),
        grantRevoked: flag(row.grantRevoked),
        userDisabled: flag(row.userDisabled),
        user: joinedUserClaims(row),
      };
    },

    async findRefreshTokenStatus(tokenHash): Promise<RefreshTokenStatus | null> {
      const rows = await db.$queryRaw<RefreshTokenRow[]>`
        SELECT r."grantId" AS "grantId",
               g."clientRef" AS "clientRef",
               g."userId" AS "userId",
               r."scope" AS "scope",
               r."createdAt" AS "createdAt",
               r."expiresAt" AS "expiresAt",
               (r."rotatedAt" IS NOT NULL) AS "rotated",
               (r."revokedAt" IS NOT NULL) AS "revoked",
               (g."revokedAt" IS NOT NULL) AS "grantRevoked",
               u."disabled" AS "userDisabled"
        FROM "RefreshToken" r
        JOIN "Grant" g ON g."id" = r."grantId"
        JOIN "User" u ON u."id" = g."userId"
        WHERE r."tokenHash" = ${tokenHash}`;
      const row = rows[0];
      if (!row) return null;
      return {
        grantId: text(row.grantId),
        clientRef: text(row.clientRef),
        userId: text(row.userId),
        scopes: list(text(row.scope)),
        createdAt: date(row.createdAt),
        expiresAt: row.expiresAt === null ? null : date(row.expiresAt),
        rotated: flag(row.rotated),
        revoked: flag(row.revoked),
        grantRevoked: flag(row.grantRevoked),
        userDisabled: flag(row.userDisabled),
      };
    },

    async revokeAccessToken(jti, clientRef, now) {
      await db.accessToken.updateMany({ where: { jti, clientRef, revokedAt: null }, data: { revokedAt: now } });
    },

    revokeGrant: (grantId, now) => grants.revokeGrant(grantId, now),
  };
}
