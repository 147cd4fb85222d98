// What the serving process runs beside requests, started once (instrumentation.ts): the periodic
// purge, and the watcher that makes every instance forget its caches when any instance changed
// something (lib/services/watch-changes.ts), signing keys included.
import { getDb } from "../db/index.ts";
import { getKeyringCache } from "../keys/server-keyring.ts";
import { processState } from "../process-state.ts";
import { onChange } from "../services/change.ts";
import { watchChanges } from "../services/watch-changes.ts";
import { startPurging } from "./purge-timer.ts";

export function startBackgroundWork(): void {
  if (processState("background-started", () => ({ done: false })).done) return;
  processState("background-started", () => ({ done: false })).done = true;
  startPurging();
  onChange(() => {
    getKeyringCache()
      .reload()
      .catch(() => undefined);
  });
  watchChanges(getDb());
}
