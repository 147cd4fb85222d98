// A cheap look at what a database has applied, so a start with nothing to do never loads the
// WebAssembly engine (which also locks a SQLite file exclusively while it works).
import { createDb } from "../client.ts";

/** The migrations recorded as finished and not rolled back; empty when there is no table yet. */
export async function appliedMigrationNames(databaseUrl: string): Promise<Set<string>> {
  const db = createDb(databaseUrl);
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((row) => row.migration_name));
  } catch {
    // No table (a fresh database) or no file yet: everything is pending; the engine says the rest.
    return new Set();
  } finally {
    await db.$disconnect();
  }
}
