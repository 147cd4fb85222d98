// The only module that constructs a Prisma client. The database kind follows the URL scheme:
// `postgres://` or `postgresql://` selects PostgreSQL, anything else is a SQLite file path
// (`file:` prefix optional).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { cacheStatements } from "./sqlite-statement-cache.ts";

/** Both generated clients share one model API; the SQLite one's type stands for both. */
export type Db = InstanceType<typeof SqliteClient>;
export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** The SQLite file path of a `file:` URL or plain path. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

const kinds = new WeakMap<Db, DatabaseKind>();

/** The kind of a client made by createDb, for the few statements whose SQL differs. */
export function kindOf(db: Db): DatabaseKind {
  return kinds.get(db) ?? "sqlite";
}

export function createDb(url: string): Db {
  const db = connect(url);
  kinds.set(db, databaseKind(url));
  return db;
}

function connect(url: string): Db {
  if (databaseKind(url) === "postgres") {
    const adapter = new PrismaPg({ connectionString: url });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  // better-sqlite3 waits this long for a lock held by another connection before SQLITE_BUSY.
  const inner = new PrismaBetterSqlite3({ url: sqlitePath(url), timeout: 10_000 });
  const adapter: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => withStatementCache(await inner.connect()),
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
  return new SqliteClient({ adapter });
}

/** The adapter keeps its better-sqlite3 database as `client` (see sqlite-statement-cache.ts). */
function withStatementCache(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const database = (adapter as unknown as { client?: object }).client;
  if (database) cacheStatements(database);
  return adapter;
}
