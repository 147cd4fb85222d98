// The protocol's audit rows (lib/services/security-events.ts), written in batches: every token
// response adds one (benchmark scenarios token-code, token-refresh, revocation). Through Prisma a
// batch cost a query compilation per batch size and held the event loop for milliseconds on
// SQLite, a large part of the token endpoint's p99 (bench/README.md). Names come from names.ts.
import { columns, table } from "./names.ts";

const E = columns("AuditEvent");
const COLUMNS = [E.id, E.createdAt, E.type, E.actorUserId, E.subjectUserId, E.clientId, E.ipAddress, E.detail].join(", ");

/** SQLite: one row; a batch runs it once per row in one synchronous transaction. */
export const SQLITE_INSERT_AUDIT_EVENT = `INSERT INTO ${table("AuditEvent")} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** PostgreSQL: a whole batch in one statement, one array per column. */
export const PG_INSERT_AUDIT_EVENTS = `
  INSERT INTO ${table("AuditEvent")} (${COLUMNS})
  SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`;
