// Revoking grants: one grant (a replayed code or refresh token, a revoked refresh token), all of
// one user's grants to one client (consent withdrawn), or all of one user's grants (the account
// disabled). Everything issued from them stops working.
// On the hot path's own statements (fast-sql.ts, sql/grants.ts): revoking a refresh token revokes its grant.
import { fastSql, type Db } from "./client.ts";
import { runInTransaction, type SqlValue } from "./fast-sql.ts";
import { REVOKE_GRANTS } from "./sql/grants.ts";

export type GrantSelector =
  | { readonly id: string }
  | { readonly userId: string; readonly clientRef: string }
  | { readonly userId: string; readonly clientRef?: undefined };

function chosen(sql: { kind: "sqlite" | "postgres" }, grants: GrantSelector, now: Date): [readonly string[], SqlValue[]] {
  const revoke = REVOKE_GRANTS[sql.kind];
  if ("id" in grants) return [revoke.byId, [now, grants.id]];
  if (grants.clientRef !== undefined) return [revoke.byUserAndClient, [now, grants.userId, grants.clientRef]];
  return [revoke.byUser, [now, grants.userId]];
}

export async function revokeGrants(db: Db, grants: GrantSelector, now: Date): Promise<void> {
  const sql = fastSql(db);
  const [sqls, params] = chosen(sql, grants, now);
  await runInTransaction(
    sql,
    sqls.map((statement) => [statement, params] as const),
  );
}
