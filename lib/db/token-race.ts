// The one write of a token response: claim the code (or the refresh token being rotated, or the
// unused successor a retry replaces) with a conditional UPDATE, and store the new tokens only if
// this request made that UPDATE. Done as one statement on PostgreSQL (data-modifying CTEs; a
// concurrent UPDATE waits on the row lock, then matches nothing) and as one synchronous
// transaction on SQLite (nothing else runs on the connection meanwhile; the INSERTs run only when
// the UPDATE changed a row). Either way no interactive transaction, on the hot path's own
// statements (fast-sql.ts).
import { randomUUID } from "node:crypto";
import type { IssuedTokens, RaceOutcome } from "../oauth/token/ports.ts";
import { fastSql, type Db } from "./client.ts";
import type { SqlValue } from "./fast-sql.ts";

export type Claim = { readonly code: string } | { readonly refreshTokenId: string } | { readonly successorId: string };
type ClaimKind = "code" | "refresh" | "successor";

const CLAIM_CODE = `UPDATE "AuthorizationCode" SET "consumedAt" = $1 WHERE "codeHash" = $2 AND "consumedAt" IS NULL`;
const CLAIM_REFRESH = `UPDATE "RefreshToken" SET "rotatedAt" = $1 WHERE "id" = $2 AND "rotatedAt" IS NULL AND "revokedAt" IS NULL`;
// A retry within the grace period replaces the unused successor of the token presented again: the
// successor is ended (rotated and revoked, so presenting it later counts as reuse) and detached
// from its parent, whose one child (parentId is unique) the new token becomes. `parent` is the
// placeholder of the parent's id, so a successor already replaced or used matches nothing.
const claimSuccessor = (parent: string) =>
  `UPDATE "RefreshToken" SET "rotatedAt" = $1, "revokedAt" = $1, "parentId" = NULL
   WHERE "id" = $2 AND "parentId" = ${parent} AND "rotatedAt" IS NULL AND "revokedAt" IS NULL`;
const ACCESS_COLUMNS = `INSERT INTO "AccessToken" ("jti", "grantId", "clientRef", "scope", "createdAt", "expiresAt")`;
const REFRESH_COLUMNS = `INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "parentId", "scope", "createdAt", "expiresAt")`;

const SQLITE_INSERT_ACCESS = `${ACCESS_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)`;
const SQLITE_INSERT_REFRESH = `${REFRESH_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6, $7)`;

// PostgreSQL cannot infer the types of parameters in a SELECT list: they are said. Parameters:
// $1 now, $2 the code hash or refresh token id, $3–$7 the access token, $8–$12 the refresh token.
const pgClaim = (update: string, withRefresh: boolean) => `
  WITH won AS (${update} RETURNING 1),
       a AS (${ACCESS_COLUMNS} SELECT $3::text, $4::text, $5::text, $6::text, $1::timestamp(3), $7::timestamp(3) FROM won RETURNING 1)
       ${withRefresh ? `, r AS (${REFRESH_COLUMNS} SELECT $8::text, $9::text, $4::text, $10::text, $11::text, $1::timestamp(3), $12::timestamp(3) FROM won RETURNING 1)` : ""}
  SELECT count(*)::int AS "won" FROM won`;
const PG_STATEMENTS: Record<ClaimKind, readonly [string, string]> = {
  code: [pgClaim(CLAIM_CODE, false), pgClaim(CLAIM_CODE, true)],
  refresh: [pgClaim(CLAIM_REFRESH, false), pgClaim(CLAIM_REFRESH, true)],
  // Always with a refresh token; $10, the new token's parent, is the parent the claim checks.
  successor: [pgClaim(claimSuccessor("$10"), true), pgClaim(claimSuccessor("$10"), true)],
};
const SQLITE_CLAIMS: Record<ClaimKind, string> = { code: CLAIM_CODE, refresh: CLAIM_REFRESH, successor: claimSuccessor("$3") };

function kindOf(claim: Claim): { kind: ClaimKind; claimed: string } {
  if ("code" in claim) return { kind: "code", claimed: claim.code };
  if ("refreshTokenId" in claim) return { kind: "refresh", claimed: claim.refreshTokenId };
  return { kind: "successor", claimed: claim.successorId };
}

export async function claimAndStore(db: Db, claim: Claim, tokens: IssuedTokens, parentId: string | null): Promise<RaceOutcome> {
  const { now, grantId, accessToken: at, refreshToken: rt } = tokens;
  const { kind, claimed } = kindOf(claim);
  const atScope = at.scopes.join(" ");
  const refresh = rt && { id: randomUUID(), hash: rt.tokenHash, scope: rt.scopes.join(" "), expiresAt: rt.expiresAt ?? null };
  const sql = fastSql(db);

  if (sql.kind === "postgres") {
    const statement = PG_STATEMENTS[kind][refresh ? 1 : 0];
    const params: SqlValue[] = [now, claimed, at.jti, grantId, at.clientRef, atScope, at.expiresAt];
    if (refresh) params.push(refresh.id, refresh.hash, parentId, refresh.scope, refresh.expiresAt);
    const rows = await sql.query(statement, params);
    return Number(rows[0]?.won) === 1 ? { status: "won" } : { status: "replayed" };
  }
  const won = await sql.transaction((run) => {
    if (run(SQLITE_CLAIMS[kind], [now, claimed, parentId]) !== 1) return false;
    run(SQLITE_INSERT_ACCESS, [at.jti, grantId, at.clientRef, atScope, now, at.expiresAt]);
    if (refresh) run(SQLITE_INSERT_REFRESH, [refresh.id, refresh.hash, grantId, parentId, refresh.scope, now, refresh.expiresAt]);
    return true;
  });
  return won ? { status: "won" } : { status: "replayed" };
}
