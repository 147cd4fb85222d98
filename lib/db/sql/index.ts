// Every hand-written statement of the hot paths lives in this folder (docs/architecture.md,
// "The SQL fast path"): names from Prisma's generated enums (names.ts), run through fast-sql.ts.
// New statements only for paths a benchmark scenario measures. The list below is what
// tests/integration/fast-sql.test.ts prepares on freshly migrated databases of both kinds.
import { PG_INSERT_AUDIT_EVENTS, SQLITE_INSERT_AUDIT_EVENT } from "./audit.ts";
import { REVOKE_GRANTS } from "./grants.ts";
import {
  COMPLETE_INTERACTION,
  FIND_INTERACTION,
  FIND_SESSION,
  INSERT_CODE,
  INSERT_GRANT,
  INSERT_INTERACTION,
  RECORD_INTERACTION_LOGIN,
} from "./browser.ts";
import {
  FIND_ACCESS_TOKEN,
  FIND_CODE,
  FIND_REFRESH_TOKEN,
  PG_CLAIMS,
  REVOKE_ACCESS_TOKEN,
  SQLITE_CLAIMS,
  SQLITE_INSERT_ACCESS,
  SQLITE_INSERT_REFRESH,
} from "./tokens.ts";

/** Every statement one database kind may be sent, by name. */
export function allStatements(kind: "sqlite" | "postgres"): Record<string, string> {
  const shared = {
    FIND_CODE,
    FIND_REFRESH_TOKEN,
    FIND_ACCESS_TOKEN,
    REVOKE_ACCESS_TOKEN,
    FIND_SESSION,
    FIND_INTERACTION,
    INSERT_INTERACTION,
    RECORD_INTERACTION_LOGIN,
    COMPLETE_INTERACTION,
    INSERT_GRANT,
    INSERT_CODE,
  };
  const revoke = Object.fromEntries(
    Object.entries(REVOKE_GRANTS[kind]).flatMap(([by, list]) => list.map((statement, i) => [`REVOKE_GRANTS.${by}[${i}]`, statement])),
  );
  if (kind === "sqlite") {
    const claims = Object.fromEntries(Object.entries(SQLITE_CLAIMS).map(([claim, statement]) => [`SQLITE_CLAIMS.${claim}`, statement]));
    return { ...shared, ...revoke, ...claims, SQLITE_INSERT_ACCESS, SQLITE_INSERT_REFRESH, SQLITE_INSERT_AUDIT_EVENT };
  }
  const claims = Object.fromEntries(
    Object.entries(PG_CLAIMS).flatMap(([claim, [without, withRefresh]]) => [
      [`PG_CLAIMS.${claim}[0]`, without],
      [`PG_CLAIMS.${claim}[1]`, withRefresh],
    ]),
  );
  return { ...shared, ...revoke, ...claims, PG_INSERT_AUDIT_EVENTS };
}
