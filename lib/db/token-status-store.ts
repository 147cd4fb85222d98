// The revocation and introspection endpoints' storage (lib/oauth/token-status/ports.ts), on the
// hot path's own statements (fast-sql.ts).
// Both lookups are single raw joins of the token, its grant, its user and its client (whose
// disabled flag ends its tokens too; a Prisma `include`
// costs three sequential statements, on the hot path of every resource server that introspects);
// the refresh token's is the token endpoint's own (token-store.ts).
import type { AccessTokenStatus, RefreshTokenStatus, TokenStatusStore } from "../oauth/token-status/ports.ts";
import { fastSql, type Db } from "./client.ts";
import { findClientById } from "./clients.ts";
import { flag, text } from "./raw-values.ts";
import { joinedUserClaims, USER_CLAIM_COLUMNS } from "./user-claims-store.ts";
import { tokenStore } from "./token-store.ts";

const FIND_ACCESS_TOKEN = `
  SELECT a."clientRef" AS "clientRef",
         (a."revokedAt" IS NOT NULL) AS "revoked",
         (g."revokedAt" IS NOT NULL) AS "grantRevoked",
         cl."disabled" AS "clientDisabled",
         ${USER_CLAIM_COLUMNS}
  FROM "AccessToken" a
  JOIN "Grant" g ON g."id" = a."grantId"
  JOIN "User" u ON u."id" = g."userId"
  JOIN "Client" cl ON cl."id" = a."clientRef"
  WHERE a."jti" = $1`;

const REVOKE_ACCESS_TOKEN = `
  UPDATE "AccessToken" SET "revokedAt" = $1 WHERE "jti" = $2 AND "clientRef" = $3 AND "revokedAt" IS NULL`;

export function tokenStatusStore(db: Db): TokenStatusStore {
  const grants = tokenStore(db);
  const sql = fastSql(db);
  return {
    findClient: (clientId) => findClientById(db, clientId),

    async findAccessTokenStatus(jti): Promise<AccessTokenStatus | null> {
      const [row] = await sql.query(FIND_ACCESS_TOKEN, [jti]);
      if (!row) return null;
      return {
        clientRef: text(row.clientRef),
        revoked: flag(row.revoked),
        grantRevoked: flag(row.grantRevoked),
        userDisabled: flag(row.userDisabled),
        clientDisabled: flag(row.clientDisabled),
        user: joinedUserClaims(row),
      };
    },

    // The token endpoint's own lookup (one join), seen as introspection sees it.
    async findRefreshTokenStatus(tokenHash): Promise<RefreshTokenStatus | null> {
      const token = await grants.findRefreshToken(tokenHash);
      if (!token) return null;
      return {
        grantId: token.grant.id,
        clientRef: token.grant.clientRef,
        userId: token.grant.userId,
        scopes: token.scopes,
        createdAt: token.createdAt,
        expiresAt: token.expiresAt,
        rotated: token.rotatedAt !== null,
        revoked: token.revokedAt !== null,
        grantRevoked: token.grant.revokedAt !== null,
        userDisabled: token.grant.userDisabled,
        clientDisabled: token.grant.clientDisabled,
      };
    },

    async revokeAccessToken(jti, clientRef, now) {
      await sql.execute(REVOKE_ACCESS_TOKEN, [now, jti, clientRef]);
    },

    revokeGrant: (grantId, now) => grants.revokeGrant(grantId, now),
  };
}
