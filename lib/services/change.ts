// How the service layer changes anything: validate first (each operation's zod schema), then in
// one transaction write, record the audit events and move the change counter; after the commit,
// forget this process's caches at once and write the log lines. Other instances see the counter
// move within CHANGE_POLL_MS (watch-changes.ts) and forget theirs.
import { getDb, type Db, type Tx } from "../db/index.ts";
import { forgetAllClients } from "../db/clients.ts";
import { processState } from "../process-state.ts";
import { logAudit, writeAudit, type AuditEntry } from "./audit.ts";

export type { Tx } from "../db/index.ts";

export interface ChangeResult<T> {
  readonly result: T;
  readonly audit: readonly AuditEntry[];
}

/** Listeners for "something changed" in this process: caches other than the clients' (keys). */
const listeners = processState("change-listeners", () => new Set<() => void>());

export function onChange(listener: () => void): void {
  listeners.add(listener);
}

export function forgetCaches(db: Db): void {
  forgetAllClients(db);
  for (const listener of listeners) listener();
}

export async function bumpChangeCounter(tx: Tx): Promise<void> {
  const { count } = await tx.changeCounter.updateMany({ where: { id: 1 }, data: { version: { increment: 1 } } });
  if (count === 0) await tx.changeCounter.create({ data: { id: 1, version: 1 } });
}

/** Runs one service operation's writes; see the file comment. */
export async function change<T>(work: (tx: Tx, now: Date) => Promise<ChangeResult<T>>, db: Db = getDb()): Promise<T> {
  const now = new Date();
  const { result, audit } = await db.$transaction(async (tx) => {
    // The counter first: the transaction writes before it reads, so it holds the write lock from
    // the start. On SQLite (WAL) a transaction that read first and then finds another process
    // committed meanwhile fails at once (SQLITE_BUSY_SNAPSHOT, no busy wait); on PostgreSQL the
    // row lock makes concurrent service changes, and their guards (the last admin), one at a time.
    await bumpChangeCounter(tx);
    const outcome = await work(tx, now);
    await writeAudit(tx, outcome.audit, now);
    return outcome;
  });
  forgetCaches(db);
  logAudit(audit, now);
  return result;
}
