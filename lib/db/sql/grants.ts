// Revoking grants (consent withdrawn, a replayed code or refresh token, a disabled account):
// the grants and everything issued from them, in the order lib/db/grants.ts explains.
import { columns, table } from "./names.ts";

const AC = columns("AuthorizationCode");
const G = columns("Grant");
const RT = columns("RefreshToken");
const AT = columns("AccessToken");

interface Selector {
  readonly grants: string;
  readonly owned: string;
}

// $1 is the time; the grants are $2 (an id, or a user) or $2, $3 (user and client). `owned`
// selects rows by their grantId (the three token tables share the column name).
const BY_ID: Selector = { grants: `${G.id} = $2`, owned: `${AC.grantId} = $2` };
const BY_USER_AND_CLIENT: Selector = {
  grants: `${G.userId} = $2 AND ${G.clientRef} = $3`,
  owned: `${AC.grantId} IN (SELECT ${G.id} FROM ${table("Grant")} WHERE ${G.userId} = $2 AND ${G.clientRef} = $3)`,
};
const BY_USER: Selector = {
  grants: `${G.userId} = $2`,
  owned: `${AC.grantId} IN (SELECT ${G.id} FROM ${table("Grant")} WHERE ${G.userId} = $2)`,
};

// Codes first: their rows are what a concurrent redemption locks, so a redemption either
// committed before (and the later statements revoke its tokens) or finds its code used.
const statements = ({ grants, owned }: Selector) => [
  `UPDATE ${table("AuthorizationCode")} SET ${AC.consumedAt} = $1 WHERE ${owned} AND ${AC.consumedAt} IS NULL`,
  `UPDATE ${table("Grant")} SET ${G.revokedAt} = $1 WHERE ${grants} AND ${G.revokedAt} IS NULL`,
  `UPDATE ${table("RefreshToken")} SET ${RT.revokedAt} = $1 WHERE ${owned} AND ${RT.revokedAt} IS NULL`,
  `UPDATE ${table("AccessToken")} SET ${AT.revokedAt} = $1 WHERE ${owned} AND ${AT.revokedAt} IS NULL`,
];
// PostgreSQL: the codes first, on their own (waiting for a redemption that holds one), then the
// rest as one statement, whose snapshot (read committed) is taken after that wait: it sees the
// tokens such a redemption stored. Two statements instead of four round trips.
const postgresStatements = (selector: Selector) => {
  const [codes, grant, refresh, access] = statements(selector);
  return [codes!, `WITH g AS (${grant} RETURNING 1), r AS (${refresh} RETURNING 1) ${access}`];
};

export const REVOKE_GRANTS = {
  sqlite: { byId: statements(BY_ID), byUserAndClient: statements(BY_USER_AND_CLIENT), byUser: statements(BY_USER) },
  postgres: {
    byId: postgresStatements(BY_ID),
    byUserAndClient: postgresStatements(BY_USER_AND_CLIENT),
    byUser: postgresStatements(BY_USER),
  },
} as const;
