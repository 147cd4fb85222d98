// Writing a batch of audit rows on the driver (lib/db/sql/audit.ts says why not through Prisma).
import { randomUUID } from "node:crypto";
import { fastSql, type Db } from "./client.ts";
import { PG_INSERT_AUDIT_EVENTS, SQLITE_INSERT_AUDIT_EVENT } from "./sql/audit.ts";

/** One AuditEvent row as lib/services/audit.ts `auditRow` makes it (the id is made here). */
export interface AuditEventRow {
  readonly type: string;
  readonly createdAt: Date;
  readonly actorUserId: string | null;
  readonly subjectUserId: string | null;
  readonly clientId: string | null;
  readonly ipAddress: string | null;
  readonly detail: string;
}

/** Inserts the rows in one transaction (SQLite) or one statement (PostgreSQL). */
export async function insertAuditEvents(db: Db, rows: readonly AuditEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const sql = fastSql(db);
  if (sql.kind === "sqlite") {
    await sql.transaction((run) => {
      for (const row of rows) {
        run(SQLITE_INSERT_AUDIT_EVENT, [
          randomUUID(),
          row.createdAt,
          row.type,
          row.actorUserId,
          row.subjectUserId,
          row.clientId,
          row.ipAddress,
          row.detail,
        ]);
      }
    });
    return;
  }
  await sql.execute(PG_INSERT_AUDIT_EVENTS, [
    rows.map(() => randomUUID()),
    rows.map((row) => row.createdAt.toISOString()),
    rows.map((row) => row.type),
    rows.map((row) => row.actorUserId),
    rows.map((row) => row.subjectUserId),
    rows.map((row) => row.clientId),
    rows.map((row) => row.ipAddress),
    rows.map((row) => row.detail),
  ]);
}
