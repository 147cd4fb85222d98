// The token, introspection, userinfo and revocation endpoints' statements (benchmark scenarios
// token-code, token-refresh, introspection, userinfo, revocation). Names come from names.ts.
import { columns, table } from "./names.ts";

const AC = columns("AuthorizationCode");
const RT = columns("RefreshToken");
const AT = columns("AccessToken");

const c = columns("AuthorizationCode", "c");
const r = columns("RefreshToken", "r");
const s = columns("RefreshToken", "s");
const a = columns("AccessToken", "a");
const g = columns("Grant", "g");
const u = columns("User", "u");
const cl = columns("Client", "cl");

/** The user's claim columns in a join over `User u`, aliased for joinedUserClaims (user-claims-store.ts). */
export const USER_CLAIM_COLUMNS = `${u.id} AS "userId", ${u.email} AS "userEmail", ${u.name} AS "userName", ${u.emailVerified} AS "userEmailVerified", ${u.updatedAt} AS "userUpdatedAt", ${u.disabled} AS "userDisabled"`;

const GRANT_COLUMNS = `
  ${g.id} AS "grantId", ${g.userId} AS "userId", ${g.clientRef} AS "grantClientRef", ${g.scope} AS "grantScope",
  ${g.sessionId} AS "grantSessionId", ${g.authTime} AS "grantAuthTime", ${g.amr} AS "grantAmr", ${g.createdAt} AS "grantCreatedAt",
  ${g.revokedAt} AS "grantRevokedAt",
  ${cl.disabled} AS "clientDisabled"`;

const JOIN_GRANT_USER_CLIENT = (owner: string) => `
  JOIN ${table("Grant")} g ON ${g.id} = ${owner}
  JOIN ${table("User")} u ON ${u.id} = ${g.userId}
  JOIN ${table("Client")} cl ON ${cl.id} = ${g.clientRef}`;

// The code and the refresh token are read with their grant and user in one join: a Prisma
// `include` of both costs three statements one after another, on the token endpoint's hot path.
export const FIND_CODE = `
  SELECT ${c.clientRef} AS "clientRef", ${c.redirectUri} AS "redirectUri", ${c.scope} AS "scope",
         ${c.nonce} AS "nonce", ${c.codeChallenge} AS "codeChallenge", ${c.authTime} AS "authTime",
         ${c.sessionId} AS "sessionId", ${c.expiresAt} AS "expiresAt", ${c.consumedAt} AS "consumedAt",
         ${GRANT_COLUMNS}, ${USER_CLAIM_COLUMNS}
  FROM ${table("AuthorizationCode")} c ${JOIN_GRANT_USER_CLIENT(c.grantId)}
  WHERE ${c.codeHash} = $1`;

export const FIND_REFRESH_TOKEN = `
  SELECT ${r.id} AS "id", ${r.scope} AS "scope", ${r.createdAt} AS "createdAt", ${r.expiresAt} AS "expiresAt",
         ${r.rotatedAt} AS "rotatedAt", ${r.revokedAt} AS "revokedAt",
         ${s.id} AS "successorId", ${s.rotatedAt} AS "successorRotatedAt", ${s.revokedAt} AS "successorRevokedAt",
         ${GRANT_COLUMNS}, ${USER_CLAIM_COLUMNS}
  FROM ${table("RefreshToken")} r
  LEFT JOIN ${table("RefreshToken")} s ON ${s.parentId} = ${r.id} ${JOIN_GRANT_USER_CLIENT(r.grantId)}
  WHERE ${r.tokenHash} = $1`;

// Introspection and userinfo: the access token with its grant, user and client (whose disabled
// flag ends its tokens too). The client is the token's own.
export const FIND_ACCESS_TOKEN = `
  SELECT ${a.clientRef} AS "clientRef",
         (${a.revokedAt} IS NOT NULL) AS "revoked",
         (${g.revokedAt} IS NOT NULL) AS "grantRevoked",
         ${cl.disabled} AS "clientDisabled",
         ${USER_CLAIM_COLUMNS}
  FROM ${table("AccessToken")} a
  JOIN ${table("Grant")} g ON ${g.id} = ${a.grantId}
  JOIN ${table("User")} u ON ${u.id} = ${g.userId}
  JOIN ${table("Client")} cl ON ${cl.id} = ${a.clientRef}
  WHERE ${a.jti} = $1`;

export const REVOKE_ACCESS_TOKEN = `
  UPDATE ${table("AccessToken")} SET ${AT.revokedAt} = $1 WHERE ${AT.jti} = $2 AND ${AT.clientRef} = $3 AND ${AT.revokedAt} IS NULL`;

// ---------------------------------------------------------------------------------------------
// The one write of a token response (lib/db/token-race.ts): claim the code, the refresh token
// being rotated, or the unused successor a retry replaces, and store the new tokens only if this
// request's claim changed a row.

export type ClaimKind = "code" | "refresh" | "successor";

const CLAIM_CODE = `UPDATE ${table("AuthorizationCode")} SET ${AC.consumedAt} = $1 WHERE ${AC.codeHash} = $2 AND ${AC.consumedAt} IS NULL`;
const CLAIM_REFRESH = `UPDATE ${table("RefreshToken")} SET ${RT.rotatedAt} = $1 WHERE ${RT.id} = $2 AND ${RT.rotatedAt} IS NULL AND ${RT.revokedAt} IS NULL`;
// A retry within the grace period replaces the unused successor of the token presented again: the
// successor is ended (rotated and revoked, so presenting it later counts as reuse) and detached
// from its parent, whose one child (parentId is unique) the new token becomes. `parent` is the
// placeholder of the parent's id, so a successor already replaced or used matches nothing.
const claimSuccessor = (parent: string) =>
  `UPDATE ${table("RefreshToken")} SET ${RT.rotatedAt} = $1, ${RT.revokedAt} = $1, ${RT.parentId} = NULL
   WHERE ${RT.id} = $2 AND ${RT.parentId} = ${parent} AND ${RT.rotatedAt} IS NULL AND ${RT.revokedAt} IS NULL`;
const ACCESS_COLUMNS = `INSERT INTO ${table("AccessToken")} (${AT.jti}, ${AT.grantId}, ${AT.clientRef}, ${AT.scope}, ${AT.createdAt}, ${AT.expiresAt})`;
const REFRESH_COLUMNS = `INSERT INTO ${table("RefreshToken")} (${RT.id}, ${RT.tokenHash}, ${RT.grantId}, ${RT.parentId}, ${RT.scope}, ${RT.createdAt}, ${RT.expiresAt})`;

/** SQLite, in one synchronous transaction: the claim ($1 now, $2 the claimed, $3 the parent), then the inserts. */
export const SQLITE_CLAIMS: Readonly<Record<ClaimKind, string>> = {
  code: CLAIM_CODE,
  refresh: CLAIM_REFRESH,
  successor: claimSuccessor("$3"),
};
export const SQLITE_INSERT_ACCESS = `${ACCESS_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)`;
export const SQLITE_INSERT_REFRESH = `${REFRESH_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7)`;

// PostgreSQL, one statement (data-modifying CTEs), which cannot infer the types of parameters in
// a SELECT list: they are said. $1 now, $2 the code hash or refresh token id, $3–$7 the access
// token, $8–$12 the refresh token.
const pgClaim = (update: string, withRefresh: boolean) => `
  WITH won AS (${update} RETURNING 1),
       a AS (${ACCESS_COLUMNS} SELECT $3::text, $4::text, $5::text, $6::text, $1::timestamp(3), $7::timestamp(3) FROM won RETURNING 1)
       ${withRefresh ? `, r AS (${REFRESH_COLUMNS} SELECT $8::text, $9::text, $4::text, $10::text, $11::text, $1::timestamp(3), $12::timestamp(3) FROM won RETURNING 1)` : ""}
  SELECT count(*)::int AS "won" FROM won`;

/** [without a refresh token, with one]. */
export const PG_CLAIMS: Readonly<Record<ClaimKind, readonly [string, string]>> = {
  code: [pgClaim(CLAIM_CODE, false), pgClaim(CLAIM_CODE, true)],
  refresh: [pgClaim(CLAIM_REFRESH, false), pgClaim(CLAIM_REFRESH, true)],
  // Always with a refresh token; $10, the new token's parent, is the parent the claim checks.
  successor: [pgClaim(claimSuccessor("$10"), true), pgClaim(claimSuccessor("$10"), true)],
};
