// What /api/health reports: whether this instance can serve (the database answers).
import "server-only";
import { getDb } from "../db/index.ts";
import { checkDatabase } from "../db/health.ts";

export function checkHealth(): ReturnType<typeof checkDatabase> {
  return checkDatabase(getDb());
}
