import type { Db } from "./client.ts";

/** One health check's result: ok, or why not in words safe to show (no secrets, no connection details). */
export type Check = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Runs `probe` for at most `timeoutMs`. A failure is reported as `describe` words it; running out
 * of time is the Error "timeout". The probe is not cancelled, only no longer waited for.
 */
export async function checkWithin(probe: () => Promise<unknown>, timeoutMs: number, describe: (error: unknown) => string): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Pings the database; the reason names the failure without echoing connection details. */
export function checkDatabase(db: Db, timeoutMs = 2_000): Promise<Check> {
  return checkWithin(() => db.$queryRawUnsafe("SELECT 1"), timeoutMs, describe);
}

function describe(error: unknown): string {
  // Prisma wraps driver errors; the adapter's kind (e.g. DatabaseNotReachable) is in `meta`.
  const meta = (error as { meta?: unknown } | null)?.meta;
  const text = error instanceof Error ? `${error.message} ${JSON.stringify(meta ?? "")}` : "";
  if (/timeout/i.test(text)) return "the database did not answer in time";
  if (/ECONNREFUSED|DatabaseNotReachable|can't reach|connect/i.test(text)) return "cannot connect to the database";
  if (/does not exist/i.test(text)) return "the database does not exist";
  if (/no such table|relation .* does not exist/i.test(text)) return "the database is not migrated";
  if (/SQLITE_CANTOPEN|unable to open/i.test(text)) return "cannot open the database file";
  return "the database query failed";
}
