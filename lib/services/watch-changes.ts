// Every instance sees a change made by any other at once: each service operation moves the change
// counter in its own transaction (change.ts), and each server process reads the counter every
// CHANGE_POLL_MS and forgets its caches (clients, signing keys) when it moved. One indexed
// single-row read a few times a second costs nothing next to the 5-second client cache it makes
// safe, and it works the same on PostgreSQL and on a SQLite file that several processes share.
import type { Db } from "../db/index.ts";
import { processState } from "../process-state.ts";
import { forgetCaches } from "./change.ts";

export const CHANGE_POLL_MS = 250;

interface Watcher {
  version: number | undefined;
  timer: ReturnType<typeof setInterval> | undefined;
  reading: boolean;
}

export async function readChangeVersion(db: Db): Promise<number> {
  const row = await db.changeCounter.findUnique({ where: { id: 1 }, select: { version: true } });
  return row?.version ?? 0;
}

/** Starts this process's watcher over `db` (idempotent). */
export function watchChanges(db: Db, intervalMs = CHANGE_POLL_MS): void {
  const watcher = processState<Watcher>("change-watcher", () => ({ version: undefined, timer: undefined, reading: false }));
  if (watcher.timer) return;
  const poll = async () => {
    if (watcher.reading) return;
    watcher.reading = true;
    try {
      const version = await readChangeVersion(db);
      if (watcher.version !== undefined && version !== watcher.version) forgetCaches(db);
      watcher.version = version;
    } catch {
      // The database is unreachable for now: the caches expire by themselves meanwhile.
    } finally {
      watcher.reading = false;
    }
  };
  void poll();
  watcher.timer = setInterval(poll, intervalMs);
  watcher.timer.unref();
}
