// The token endpoint's storage (lib/oauth/token/ports.ts TokenStore), on the hot path's own
// statements (fast-sql.ts). Races are decided by conditional updates (`... WHERE consumedAt IS
// NULL`, count 1 wins) in the same atomic write that stores the winner's tokens (token-race.ts).
import type { StoredGrant, TokenStore } from "../oauth/token/ports.ts";
import { fastSql, type Db } from "./client.ts";
import type { Row } from "./fast-sql.ts";
import { findClientById } from "./clients.ts";
import { revokeGrants } from "./grants.ts";
import { claimAndStore } from "./token-race.ts";
import { joinedUserClaims } from "./user-claims-store.ts";
import { FIND_CODE, FIND_REFRESH_TOKEN } from "./sql/tokens.ts";
import { date, flag, list, optionalDate, optionalText, text } from "./raw-values.ts";

function toGrant(row: Row): StoredGrant {
  return {
    id: text(row.grantId),
    userId: text(row.userId),
    userDisabled: flag(row.userDisabled),
    clientDisabled: flag(row.clientDisabled),
    clientRef: text(row.grantClientRef),
    scopes: list(text(row.grantScope)),
    sessionId: optionalText(row.grantSessionId),
    authTime: date(row.grantAuthTime),
    amr: list(text(row.grantAmr)),
    createdAt: date(row.grantCreatedAt),
    revokedAt: optionalDate(row.grantRevokedAt),
    user: joinedUserClaims(row),
  };
}

export function tokenStore(db: Db): TokenStore {
  const sql = fastSql(db);
  return {
    findClient: (clientId) => findClientById(db, clientId),

    async findCode(codeHash) {
      const rows = await sql.query(FIND_CODE, [codeHash]);
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

    consumeCode: (codeHash, tokens) => claimAndStore(db, { code: codeHash }, tokens, null),

    async findRefreshToken(tokenHash) {
      const rows = await sql.query(FIND_REFRESH_TOKEN, [tokenHash]);
      const row = rows[0];
      if (!row) return null;
      const successorId = optionalText(row.successorId);
      return {
        id: text(row.id),
        scopes: list(text(row.scope)),
        createdAt: date(row.createdAt),
        expiresAt: optionalDate(row.expiresAt),
        rotatedAt: optionalDate(row.rotatedAt),
        revokedAt: optionalDate(row.revokedAt),
        successor:
          successorId === null
            ? null
            : {
                id: successorId,
                rotatedAt: optionalDate(row.successorRotatedAt),
                revokedAt: optionalDate(row.successorRevokedAt),
              },
        grant: toGrant(row),
      };
    },

    rotateRefreshToken: (oldId, tokens) => claimAndStore(db, { refreshTokenId: oldId }, tokens, oldId),

    replaceSuccessor: (oldId, successorId, tokens) => claimAndStore(db, { successorId }, tokens, oldId),

    revokeGrant: (grantId, now) => revokeGrants(db, { id: grantId }, now),
  };
}
