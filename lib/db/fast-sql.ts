// The hot paths' own way to the database: the few statements every token, introspection,
// userinfo and revocation request runs (and the session and interaction reads of every sign-in
// step) go straight to the driver Prisma itself uses (the same better-sqlite3 connection; the
// same pg pool), as prepared statements. Measured (bench/README.md): Prisma's query machinery
// cost more per request than the statements themselves. Everything else stays on Prisma. The SQL
// of these statements is written out in the stores, in the subset both databases share.
import type { Pool, PoolClient, QueryResultRow } from "pg";
import pg from "pg";

export type SqlValue = string | number | boolean | Date | null;
/** PostgreSQL also takes text arrays (a batch as one `unnest` statement). */
export type PgValue = SqlValue | readonly (string | null)[];
export type Row = Record<string, unknown>;

export interface SqliteSql {
  readonly kind: "sqlite";
  /** The rows of one statement (`$1`… parameters); DATETIME columns come back as Date. */
  query(sql: string, params: readonly SqlValue[]): Promise<Row[]>;
  /** One write statement; how many rows it changed (run as a transaction of its own). */
  execute(sql: string, params: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `work` in one transaction, synchronously: nothing else runs on the connection meanwhile.
   * `run` executes one statement and returns how many rows it changed.
   */
  transaction<T>(work: (run: (sql: string, params: readonly SqlValue[]) => number) => T): Promise<T>;
}

export interface PostgresSql {
  readonly kind: "postgres";
  /** The rows of one statement (`$1`… parameters); timestamps come back as Date (stored as UTC). */
  query(sql: string, params: readonly SqlValue[]): Promise<Row[]>;
  /** One write statement; how many rows it changed. */
  execute(sql: string, params: readonly PgValue[]): Promise<number>;
  /** Runs `work` in one transaction on one connection of the pool. */
  transaction<T>(work: (run: (sql: string, params: readonly SqlValue[]) => Promise<number>) => Promise<T>): Promise<T>;
}

export type FastSql = SqliteSql | PostgresSql;

/** Runs the statements one after another in one transaction, on either kind of database. */
export async function runInTransaction(sql: FastSql, steps: ReadonlyArray<readonly [string, readonly SqlValue[]]>): Promise<void> {
  if (sql.kind === "sqlite") {
    await sql.transaction((run) => steps.forEach(([statement, params]) => run(statement, params)));
  } else {
    await sql.transaction(async (run) => {
      for (const [statement, params] of steps) await run(statement, params);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite: the better-sqlite3 database the Prisma adapter opened (client.ts hands it over).

interface SqliteStatement {
  readonly reader: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number };
  columns(): { name: string; type: string | null }[];
}

export interface SqliteDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): SqliteStatement;
  transaction<F extends (...args: never[]) => unknown>(fn: F): F;
}

interface Prepared {
  readonly statement: SqliteStatement;
  /** Which parameter each `?` takes: the SQL is written with PostgreSQL's `$n`. */
  readonly order: readonly number[] | undefined;
  /** Result columns declared DATETIME: Prisma stores them as ISO-8601 text (or epoch ms). */
  readonly dateColumns: readonly string[];
}

/** The connection as Prisma's adapter opened it, and how to make Prisma open it. */
export interface SqliteConnection {
  database: SqliteDatabase | undefined;
  connect(): Promise<void>;
  /** Runs `work` inside a Prisma transaction: it waits for any other transaction first. */
  inPrismaTransaction<T>(work: () => T): Promise<T>;
}

export function sqliteSql(connection: SqliteConnection): SqliteSql {
  // Keyed by database too: after a reconnect the old statements belong to a closed database.
  let cachedFor: SqliteDatabase | undefined;
  let cache = new Map<string, Prepared>();

  function prepared(database: SqliteDatabase, sql: string): Prepared {
    if (cachedFor !== database) {
      cachedFor = database;
      cache = new Map();
    }
    let entry = cache.get(sql);
    if (!entry) {
      const order: number[] = [];
      const statement = database.prepare(sql.replace(/\$(\d+)/g, (_, n: string) => (order.push(Number(n) - 1), "?")));
      const dateColumns = statement.reader
        ? statement
            .columns()
            .filter((c) => c.type?.toUpperCase() === "DATETIME")
            .map((c) => c.name)
        : [];
      entry = { statement, order: order.length > 0 ? order : undefined, dateColumns };
      cache.set(sql, entry);
    }
    return entry;
  }

  function args(entry: Prepared, params: readonly SqlValue[]): unknown[] {
    return entry.order ? entry.order.map((i) => sqliteValue(params[i] ?? null)) : params.map(sqliteValue);
  }

  async function database(): Promise<SqliteDatabase> {
    if (!connection.database) await connection.connect();
    if (!connection.database) throw new Error("the SQLite connection did not open");
    return connection.database;
  }

  const self: SqliteSql = {
    kind: "sqlite",
    // A read while a Prisma transaction is open on the connection sees that transaction's
    // writes, exactly as Prisma's own reads outside the transaction do.
    async query(sql, params) {
      const entry = prepared(await database(), sql);
      const rows = entry.statement.all(...args(entry, params)) as Row[];
      const { dateColumns } = entry;
      for (const row of rows) for (const name of dateColumns) row[name] = sqliteDate(row[name]);
      return rows;
    },
    async transaction(work) {
      const db = await database();
      const run = (sql: string, params: readonly SqlValue[]) => {
        const entry = prepared(db, sql);
        return entry.statement.run(...args(entry, params)).changes;
      };
      // Prisma's interactive transactions hold this same connection between their statements
      // (its adapter serialises transactions with a mutex, not single statements): never write
      // into one of them. Outside one, a synchronous transaction cannot interleave with anything.
      if (db.inTransaction) return connection.inPrismaTransaction(() => work(run));
      return db.transaction(() => work(run))();
    },
    execute: (sql, params) => self.transaction((run) => run(sql, params)),
  };
  return self;
}

/** The adapter's own encoding (timestampFormat "iso8601"), so values compare and sort alike. */
function sqliteValue(value: SqlValue): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function sqliteDate(value: unknown): unknown {
  if (typeof value === "string") return new Date(value);
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  return value;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the pool handed to Prisma's adapter.

const TIMESTAMP_OID = 1114;
const TIMESTAMP_ARRAY_OID = 1115;

// Prisma's DateTime is `timestamp(3)` without time zone, holding UTC: read it as UTC (pg's default
// parser would take it as local time).
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP_OID) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === TIMESTAMP_ARRAY_OID) throw new Error("timestamp arrays are not read on the fast path");
    return format === "binary" ? pg.types.getTypeParser(oid, "binary") : pg.types.getTypeParser(oid, "text");
  },
};

export function postgresSql(pool: Pool): PostgresSql {
  // Named statements are parsed once per pooled connection.
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `portal_fast_${names.size + 1}`));
    return name;
  };
  const exec = async <R extends QueryResultRow>(client: Pool | PoolClient, sql: string, params: readonly PgValue[]) =>
    client.query<R>({ name: nameOf(sql), text: sql, values: params.map(postgresValue), types: pgTypes });

  return {
    kind: "postgres",
    async query(sql, params) {
      return (await exec<Row>(pool, sql, params)).rows;
    },
    async execute(sql, params) {
      return (await exec(pool, sql, params)).rowCount ?? 0;
    },
    async transaction(work) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        const result = await work(async (sql, params) => (await exec(client, sql, params)).rowCount ?? 0);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        // A connection that cannot even roll back is not given back to the pool.
        await client.query("ROLLBACK").catch(() => (broken = true));
        throw error;
      } finally {
        client.release(broken);
      }
    },
  };
}

/** Dates as ISO text: a `timestamp` parameter takes the UTC wall clock and ignores the zone. */
function postgresValue(value: PgValue): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
