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
import { joinedUserClaims } from "./user-claims-store.ts";
import { FIND_ACCESS_TOKEN, REVOKE_ACCESS_TOKEN } from "./sql/tokens.ts";
import { tokenStore } from "./token-store.ts";

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
