// The only module that constructs a Prisma client. The database kind follows the URL scheme:
// `postgres://` or `postgresql://` selects PostgreSQL, anything else is a SQLite file path
// (`file:` prefix optional).
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { DatabaseTimeouts } from "../env.ts";
import { processState } from "../process-state.ts";
import { postgresSql, sqliteSql, type FastSql, type SqliteConnection, type SqliteDatabase } from "./fast-sql.ts";
import { PrismaClient as PostgresClient } from "./generated/postgres/client.ts";
import { PrismaClient as SqliteClient, type Prisma } from "./generated/sqlite/client.ts";
import { cacheStatements } from "./sqlite-statement-cache.ts";
import { checkpointInBackground } from "./sqlite-checkpoints.ts";

/** Both generated clients share one model API; the SQLite one's type stands for both. */
export type Db = InstanceType<typeof SqliteClient>;
export type DatabaseKind = "sqlite" | "postgres";
/** The handle of an interactive transaction (`db.$transaction(async (tx) => …)`). */
export type Tx = Prisma.TransactionClient;

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** The SQLite file path of a `file:` URL or plain path. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

// Process state: Next bundles this module more than once (route handlers, server components),
// and a client made through one copy must be known to all of them.
const fastPaths = processState("fast-paths", () => new WeakMap<Db, FastSql>());

/** The driver under a client made by createDb, for the hot paths' statements (fast-sql.ts). */
export function fastSql(db: Db): FastSql {
  const sql = fastPaths.get(db);
  if (!sql) throw new Error("this database client was not made by createDb");
  return sql;
}

/**
 * `timeouts` bound every wait on PostgreSQL (the server passes the configured ones; the command
 * line tools, which may run long maintenance, leave them out and wait as long as it takes).
 */
export function createDb(url: string, timeouts?: DatabaseTimeouts): Db {
  const { db, sql } = databaseKind(url) === "postgres" ? connectPostgres(url, timeouts) : connectSqlite(url, timeouts);
  fastPaths.set(db, sql);
  return db;
}

function connectPostgres(url: string, timeouts: DatabaseTimeouts | undefined): { db: Db; sql: FastSql } {
  // One pool for Prisma and the fast path; Prisma ends it on $disconnect. Both go through this
  // pool's connections, so the timeouts below hold for every query of either.
  const pool = new pg.Pool({ connectionString: url, keepAlive: true, ...(timeouts && poolTimeouts(timeouts)) });
  // An idle connection that breaks (the server restarted) is dropped by the pool, which then emits
  // "error": without a listener that would end the process. The next query opens a new one.
  pool.on("error", (error) => console.error("A pooled PostgreSQL connection failed:", error.message));
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return { db: new PostgresClient({ adapter }) as unknown as Db, sql: postgresSql(pool) };
}

function poolTimeouts({ connectSeconds, statementSeconds }: DatabaseTimeouts): pg.PoolConfig {
  return {
    // pg-pool applies this both to opening a connection and to waiting for a free one.
    connectionTimeoutMillis: connectSeconds * 1000,
    // Enforced by the server (it cancels the statement with SQLSTATE 57014)...
    statement_timeout: statementSeconds * 1000,
    // ...and by the driver, for a server that no longer answers at all (a partition). A second
    // later, so that a reachable server's own cancellation comes first.
    query_timeout: statementSeconds * 1000 + 1000,
  };
}

/**
 * The better-sqlite3 database under Prisma's SQLite adapter, which keeps it as its `client` field
 * (not a documented API: tests/integration/fast-sql.test.ts checks it on every run). Without it
 * the hot paths cannot run at all, so its absence stops the server with what to change.
 */
export function adapterDatabase(opened: object): SqliteDatabase & { prepare: SqliteDatabase["prepare"] } {
  const database = (opened as { client?: Partial<SqliteDatabase> }).client;
  if (!database || typeof database.prepare !== "function" || typeof database.transaction !== "function") {
    throw new Error(
      "@prisma/adapter-better-sqlite3 no longer exposes its better-sqlite3 database as `client`. " +
        "The SQL fast path (lib/db/fast-sql.ts) needs it: find where this version of the adapter keeps " +
        "the database and change adapterDatabase() in lib/db/client.ts, or pin the adapter to the version in package.json.",
    );
  }
  return database as SqliteDatabase;
}

function connectSqlite(url: string, timeouts: DatabaseTimeouts | undefined): { db: Db; sql: FastSql } {
  // better-sqlite3 waits this long for a lock held by another connection before SQLITE_BUSY
  // (which the server answers with 503 temporarily_unavailable).
  const busyMillis = timeouts ? timeouts.statementSeconds * 1000 : 10_000;
  const inner = new PrismaBetterSqlite3({ url: sqlitePath(url), timeout: busyMillis });
  const connection: SqliteConnection = {
    database: undefined,
    connect: () => db.$connect(),
    inPrismaTransaction: (work) => db.$transaction(async () => work()),
  };
  const adapter: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => {
      const opened = await inner.connect();
      const database = adapterDatabase(opened);
      // The fast path prepares (and keeps) its own statements: take the driver's own prepare
      // before the adapter's is replaced by the cached one.
      const prepare = database.prepare.bind(database);
      // WAL (set once in the file by the migrations) with synchronous=NORMAL: a commit waits for
      // no fsync, only checkpoints do. better-sqlite3 builds SQLite with that default for WAL
      // (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1); said here so that another build of the driver cannot
      // quietly bring back FULL, which fsyncs every commit on the only event loop (measured on
      // this machine: 2–4 ms per commit, single commits up to 100 ms). A commit survives a crash
      // of the server process; after a power loss or an operating-system crash the last commits
      // may be rolled back, never corrupted (https://sqlite.org/pragma.html#pragma_synchronous).
      prepare("PRAGMA synchronous = NORMAL").run();
      // Checkpoints (the fsyncs of WAL mode) on a thread of their own: lib/db/sqlite-checkpoints.ts.
      const forget = checkpointInBackground(sqlitePath(url), (pages) => prepare(`PRAGMA wal_autocheckpoint = ${pages}`).run());
      cacheStatements(database);
      connection.database = {
        get inTransaction() {
          return database.inTransaction;
        },
        prepare,
        transaction: (fn) => database.transaction(fn),
      };
      const dispose = opened.dispose.bind(opened);
      opened.dispose = async () => {
        connection.database = undefined;
        await forget?.();
        return dispose();
      };
      return opened;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
  const db = new SqliteClient({ adapter });
  return { db, sql: sqliteSql(connection) };
}
