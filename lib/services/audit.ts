// The audit trail: one AuditEvent row and one structured JSON log line per event. Service
// operations write their event in the same transaction as the change (lib/services/change.ts);
// the protocol core's decisions arrive through the event sink (security-events.ts). Nothing
// secret is ever recorded: callers pass ids, names and reasons, and `detail` is checked for
// fields whose names say they hold a secret.
import type { Tx } from "../db/index.ts";

export interface AuditEntry {
  readonly type: string;
  /** Who did it: an admin, or the person themself; null for a client or the system. */
  readonly actorUserId?: string | null;
  /** The person it concerns, when not the actor. */
  readonly subjectUserId?: string | null;
  /** The public client_id it concerns. */
  readonly clientId?: string | null;
  readonly ipAddress?: string | null;
  readonly detail?: Readonly<Record<string, unknown>>;
}

const SECRET_FIELD = /secret|password|token|code_verifier|^code$|hash/i;

/** Refuses, loudly, a detail field named like a secret: a programming error, not input. */
function checkDetail(detail: Readonly<Record<string, unknown>> | undefined): string {
  if (!detail) return "{}";
  for (const key of Object.keys(detail)) {
    if (SECRET_FIELD.test(key)) throw new Error(`audit detail field "${key}" looks like a secret`);
  }
  return JSON.stringify(detail);
}

export function auditRow(entry: AuditEntry, now: Date) {
  return {
    type: entry.type,
    createdAt: now,
    actorUserId: entry.actorUserId ?? null,
    subjectUserId: entry.subjectUserId ?? null,
    clientId: entry.clientId?.slice(0, 255) ?? null,
    ipAddress: entry.ipAddress?.slice(0, 64) ?? null,
    detail: checkDetail(entry.detail),
  };
}

export async function writeAudit(tx: Tx, entries: readonly AuditEntry[], now: Date): Promise<void> {
  if (entries.length === 0) return;
  // One row (nearly always) as a create: Prisma 7's createMany cost about 4 ms of CPU for a single
  // row against 1 ms for create (measured on SQLite; every sign-in and consent writes one).
  if (entries.length === 1) await tx.auditEvent.create({ data: auditRow(entries[0]!, now), select: { id: true } });
  else await tx.auditEvent.createMany({ data: entries.map((entry) => auditRow(entry, now)) });
}

/**
 * One JSON line per event on standard output, for log collectors (AUDIT_LOG=stderr: on standard
 * error, as the command line does, whose standard output is its answer; AUDIT_LOG=off: nowhere,
 * for the test runner's own process). The rows in the database are written either way.
 */
export function logAudit(entries: readonly AuditEntry[], now: Date): void {
  logAuditAt(entries.map((entry) => ({ entry, at: now })));
}

/** The same, for events that each carry their own time (the protocol's, written in batches). */
export function logAuditAt(events: readonly { readonly entry: AuditEntry; readonly at: Date }[]): void {
  if (events.length === 0 || process.env.AUDIT_LOG === "off") return;
  const lines = events.map(({ entry, at }) =>
    JSON.stringify({
      time: at.toISOString(),
      level: "info",
      event: entry.type,
      actor: entry.actorUserId ?? undefined,
      subject: entry.subjectUserId ?? undefined,
      client_id: entry.clientId ?? undefined,
      ip: entry.ipAddress ?? undefined,
      ...entry.detail,
    }),
  );
  // One write for the whole batch: a write to a pipe is a synchronous system call in Node.
  (process.env.AUDIT_LOG === "stderr" ? process.stderr : process.stdout).write(lines.join("\n") + "\n");
}
