// The protocol core's event sink for this server: every decision becomes an AuditEvent row and a
// JSON log line. The token endpoint emits on every request, so rows and lines are written in
// batches (every FLUSH_MS, or at BATCH_SIZE) off the request path (measured: a log line written
// per request cost a token refresh about 0.3 ms); `client.secret_used` and every issued token
// also record when a secret and a client were last used, at most once a minute each.
import { insertAuditEvents } from "../db/audit-events.ts";
import type { Db } from "../db/index.ts";
import type { EventSink, SecurityEvent } from "../oauth/events.ts";
import { processState } from "../process-state.ts";
import { auditRow, logAuditAt, type AuditEntry } from "./audit.ts";

const FLUSH_MS = 200;
const BATCH_SIZE = 500;
/** Beyond this many unwritten events (a database outage under load) new ones are only logged. */
const MAX_PENDING = 20_000;
const LAST_USED_EVERY_MS = 60_000;

/** The audit entry of a core event: the client and user ids in their columns, the rest in detail. */
export function auditEntryOf(event: SecurityEvent): AuditEntry | null {
  switch (event.type) {
    case "client.secret_used":
      return null;
    case "token.issued":
    case "code.replayed":
    case "refresh_token.reused":
    case "refresh_token.retried": {
      const { type, clientId, userId, ...detail } = event;
      return { type, clientId, subjectUserId: userId, detail };
    }
    default: {
      const { type, clientId, ...detail } = event;
      return { type, clientId, detail };
    }
  }
}

interface SinkState {
  pending: { entry: AuditEntry; at: Date }[];
  timer: ReturnType<typeof setTimeout> | undefined;
  flushing: Promise<void> | undefined;
  /** client_id or secret id → when its lastUsedAt was last written. */
  readonly lastUsedWritten: Map<string, number>;
}

export function createSecurityEventSink(db: Db): EventSink & { flush(): Promise<void> } {
  const state = processState<SinkState>("security-event-sink", () => ({
    pending: [],
    timer: undefined,
    flushing: undefined,
    lastUsedWritten: new Map(),
  }));

  async function flush(): Promise<void> {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
    await state.flushing;
    const batch = state.pending.splice(0, state.pending.length);
    if (batch.length === 0) return;
    logAuditAt(batch);
    state.flushing = insertAuditEvents(
      db,
      batch.map(({ entry, at }) => auditRow(entry, at)),
    )
      .then(() => undefined)
      .catch((error: unknown) => {
        console.error(`Writing ${batch.length} audit events failed:`, error instanceof Error ? error.message : error);
      })
      .finally(() => (state.flushing = undefined));
    await state.flushing;
  }

  function noteUse(key: string, write: (at: Date) => Promise<unknown>, at: Date): void {
    const last = state.lastUsedWritten.get(key) ?? 0;
    if (at.getTime() - last < LAST_USED_EVERY_MS) return;
    if (state.lastUsedWritten.size > 50_000) state.lastUsedWritten.clear();
    state.lastUsedWritten.set(key, at.getTime());
    write(at).catch(() => state.lastUsedWritten.delete(key));
  }

  return {
    emit(event) {
      const at = new Date();
      if (event.type === "client.secret_used") {
        noteUse(
          `secret:${event.secretId}`,
          (when) => db.clientSecret.updateMany({ where: { id: event.secretId }, data: { lastUsedAt: when } }),
          at,
        );
        return;
      }
      if (event.type === "token.issued") {
        noteUse(
          `client:${event.clientId}`,
          (when) => db.client.updateMany({ where: { clientId: event.clientId }, data: { lastUsedAt: when } }),
          at,
        );
      }
      const entry = auditEntryOf(event);
      if (!entry) return;
      // Past the bound (the database is away under load) an event is only logged, at once.
      if (state.pending.length >= MAX_PENDING) return logAuditAt([{ entry, at }]);
      state.pending.push({ entry, at });
      if (state.pending.length >= BATCH_SIZE) void flush();
      else state.timer ??= setTimeout(() => void flush(), FLUSH_MS);
    },
    flush,
  };
}
