// Purges expired rows every PURGE_INTERVAL_SECONDS in the serving process. A failed purge is
// logged and retried at the next tick; it never takes the server down.
import { getDb } from "../db/index.ts";
import { purgeExpired } from "../db/purge.ts";
import { getConfig } from "../env.ts";

let started = false;

export function startPurging(): void {
  if (started) return;
  started = true;
  const run = () => {
    purgeExpired(getDb(), new Date(), getConfig().auditRetentionDays).catch((error: unknown) => {
      console.error("Purging expired rows failed; retrying at the next interval:", error instanceof Error ? error.message : error);
    });
  };
  setInterval(run, getConfig().purgeIntervalSeconds * 1000).unref();
}
