// Housekeeping that changes no one's rights: rows that outlived every use are deleted (the server
// does this every PURGE_INTERVAL_SECONDS; `npm run admin -- purge` on demand).
import { purgeExpired, type PurgeResult } from "../db/purge.ts";
import { getDb, type Db } from "../db/index.ts";

export function purgeExpiredRows(now: Date, auditRetentionDays: number, db: Db = getDb()): Promise<PurgeResult> {
  return purgeExpired(db, now, auditRetentionDays);
}
