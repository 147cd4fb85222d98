// The one write of a token response: claim the code (or the refresh token being rotated, or the
// unused successor a retry replaces) with a conditional UPDATE, and store the new tokens only if
// this request made that UPDATE. Done as one statement on PostgreSQL (data-modifying CTEs; a
// concurrent UPDATE waits on the row lock, then matches nothing) and as one synchronous
// transaction on SQLite (nothing else runs on the connection meanwhile; the INSERTs run only when
// the UPDATE changed a row). Either way no interactive transaction, on the hot path's own
// statements (fast-sql.ts, sql/tokens.ts).
import { randomUUID } from "node:crypto";
import type { IssuedTokens, RaceOutcome } from "../oauth/token/ports.ts";
import { fastSql, type Db } from "./client.ts";
import type { SqlValue } from "./fast-sql.ts";
import { PG_CLAIMS, SQLITE_CLAIMS, SQLITE_INSERT_ACCESS, SQLITE_INSERT_REFRESH, type ClaimKind } from "./sql/tokens.ts";

export type Claim = { readonly code: string } | { readonly refreshTokenId: string } | { readonly successorId: string };

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
    const statement = PG_CLAIMS[kind][refresh ? 1 : 0];
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
