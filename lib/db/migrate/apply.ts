// Applies pending migrations to a database, as `prisma migrate deploy` does, recording them in
// the standard _prisma_migrations table (checksum = sha256 of migration.sql).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { postgresFactory, sqliteFactory } from "./adapters.ts";
import { databaseKind, redactUrl, sqlitePath } from "./database-url.ts";
import { NO_FILTERS, withEngine } from "./engine.ts";
import { appliedMigrationNames } from "./applied.ts";
import { migrationNames, readMigrationList } from "./folders.ts";
import { migrationsDirOf, projectPaths, schemaPathOf, type ProjectPaths } from "./paths.ts";

export interface ApplyOptions {
  readonly paths?: ProjectPaths;
}

/**
 * `postgres://` / `postgresql://` URLs select PostgreSQL (the database must exist); anything else
 * is a SQLite file (`file:` prefix optional), created with its folder if missing.
 * Returns the names of the migrations applied now: empty when the database was up to date.
 */
export async function applyMigrations(databaseUrl: string, options: ApplyOptions = {}): Promise<string[]> {
  const kind = databaseKind(databaseUrl);
  const paths = options.paths ?? projectPaths();
  const migrationsDir = migrationsDirOf(paths, kind);
  // An empty history would "succeed" on an empty database: a wrong folder must not look fine.
  if (!existsSync(migrationsDir)) throw new Error(`No migrations folder at ${migrationsDir}`);
  if (kind === "postgres" || existsSync(sqlitePath(databaseUrl))) {
    const applied = await appliedMigrationNames(databaseUrl);
    if (migrationNames(migrationsDir).every((name) => applied.has(name))) return [];
  }
  const schemaPath = schemaPathOf(paths, kind);
  const schema = { path: schemaPath, content: readFileSync(schemaPath, "utf8") };

  let factory;
  if (kind === "postgres") {
    factory = postgresFactory(databaseUrl);
  } else {
    const file = sqlitePath(databaseUrl);
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    factory = sqliteFactory(file);
  }
  try {
    const output = await withEngine(schema, factory, (engine) =>
      engine.applyMigrations({ migrationsList: readMigrationList(migrationsDir, kind), filters: NO_FILTERS }),
    );
    if (kind === "sqlite") await enableWal(sqlitePath(databaseUrl));
    return output.appliedMigrationNames;
  } catch (error) {
    let reason = error instanceof Error ? error.message : String(error);
    // The engine renders SQLITE_BUSY as a "Socket timeout": say what it means.
    if (kind === "sqlite" && /socket timeout/i.test(reason)) reason = "the SQLite file is locked by another process";
    throw new Error(`Migrating ${redactUrl(databaseUrl)} failed: ${reason}`, { cause: error });
  }
}

/**
 * WAL lets readers proceed while one connection writes (fewer SQLITE_BUSY under load). The mode
 * is stored in the file, so setting it once here covers every later connection.
 */
async function enableWal(file: string): Promise<void> {
  // Through the adapter: better-sqlite3 itself ships no type declarations.
  const adapter = await sqliteFactory(file).connect();
  try {
    await adapter.executeScript("PRAGMA journal_mode = WAL");
  } finally {
    await adapter.dispose();
  }
}
