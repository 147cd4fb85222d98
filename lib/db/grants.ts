// Revoking grants: one grant (a replayed code or refresh token, a revoked refresh token), all of
// one user's grants to one client (consent withdrawn), or all of one user's grants (the account
// disabled). Everything issued from them stops working.
// On the hot path's own statements (fast-sql.ts): revoking a refresh token revokes its grant.
import { fastSql, type Db } from "./client.ts";
import type { SqlValue } from "./fast-sql.ts";

export type GrantSelector =
  | { readonly id: string }
  | { readonly userId: string; readonly clientRef: string }
  | { readonly userId: string; readonly clientRef?: undefined };

// $1 is the time; the grants are $2 (an id, or a user) or $2, $3 (user and client).
const BY_ID = { grants: `"id" = $2`, owned: `"grantId" = $2` };
const BY_USER_AND_CLIENT = {
  grants: `"userId" = $2 AND "clientRef" = $3`,
  owned: `"grantId" IN (SELECT "id" FROM "Grant" WHERE "userId" = $2 AND "clientRef" = $3)`,
};
const BY_USER = { grants: `"userId" = $2`, owned: `"grantId" IN (SELECT "id" FROM "Grant" WHERE "userId" = $2)` };

// Codes first: their rows are what a concurrent redemption locks, so a redemption either
// committed before (and the later statements revoke its tokens) or finds its code used.
const statements = ({ grants, owned }: { grants: string; owned: string }) => [
  `UPDATE "AuthorizationCode" SET "consumedAt" = $1 WHERE ${owned} AND "consumedAt" IS NULL`,
  `UPDATE "Grant" SET "revokedAt" = $1 WHERE ${grants} AND "revokedAt" IS NULL`,
  `UPDATE "RefreshToken" SET "revokedAt" = $1 WHERE ${owned} AND "revokedAt" IS NULL`,
  `UPDATE "AccessToken" SET "revokedAt" = $1 WHERE ${owned} AND "revokedAt" IS NULL`,
];
// PostgreSQL: the codes first, on their own (waiting for a redemption that holds one), then the
// rest as one statement, whose snapshot (read committed) is taken after that wait: it sees the
// tokens such a redemption stored. Two statements instead of four round trips.
const postgresStatements = (selector: { grants: string; owned: string }) => {
  const [codes, grant, refresh, access] = statements(selector);
  return [codes!, `WITH g AS (${grant} RETURNING 1), r AS (${refresh} RETURNING 1) ${access}`];
};
const REVOKE = {
  sqlite: { byId: statements(BY_ID), byUserAndClient: statements(BY_USER_AND_CLIENT), byUser: statements(BY_USER) },
  postgres: {
    byId: postgresStatements(BY_ID),
    byUserAndClient: postgresStatements(BY_USER_AND_CLIENT),
    byUser: postgresStatements(BY_USER),
  },
};

function chosen(sql: { kind: "sqlite" | "postgres" }, grants: GrantSelector, now: Date): [string[], SqlValue[]] {
  const revoke = REVOKE[sql.kind];
  if ("id" in grants) return [revoke.byId, [now, grants.id]];
  if (grants.clientRef !== undefined) return [revoke.byUserAndClient, [now, grants.userId, grants.clientRef]];
  return [revoke.byUser, [now, grants.userId]];
}

export async function revokeGrants(db: Db, grants: GrantSelector, now: Date): Promise<void> {
  const sql = fastSql(db);
  const [sqls, params] = chosen(sql, grants, now);
  if (sql.kind === "sqlite") {
    await sql.transaction((run) => sqls.forEach((statement) => run(statement, params)));
  } else {
    await sql.transaction(async (run) => {
      for (const statement of sqls) await run(statement, params);
    });
  }
}
