// Driver-adapter factories for the schema engine, with the adapters' migration quirks fixed.
// Measured quirks (docs/architecture.md "Migrations without a native engine"):
// - better-sqlite3 refuses multi-statement prepares, yet the engine sends whole migration
//   scripts through executeRaw: fall back to exec (executeScript).
// - adapter-pg cannot describe catalog columns of type "char" (OID 18): report them as text.
// - PrismaPg's shadow database disposer drops the database before closing its own pool (the drop
//   then fails), and in pg a connectionString overrides `database`: we make our own shadow.
import { randomBytes } from "node:crypto";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { withDatabase } from "./database-url.ts";

/** SQLite on a file (created if missing; its folder must exist), shadow database in memory. */
export function sqliteFactory(file: string): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: file, timeout: 10_000 });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => forEngine(await inner.connect()),
    connectToShadowDb: async () => forEngine(await inner.connectToShadowDb()),
  };
}

function forEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  adapter.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !/more than one statement/i.test(errorText(error))) throw lockedError(error);
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  adapter.queryRaw = (query) => queryRaw(query).catch((error: unknown) => Promise.reject(lockedError(error)));
  adapter.executeScript = (script) => executeScript(script).catch((error: unknown) => Promise.reject(lockedError(error)));
  return adapter;
}

/**
 * The adapter reports SQLITE_BUSY as kind "SocketTimeout", which this engine build cannot
 * deserialize ("unknown variant `SocketTimeout`"): hand it over as SQLite's own SQLITE_BUSY.
 */
function lockedError(error: unknown): unknown {
  if (!(error instanceof DriverAdapterError) || error.cause.kind !== "SocketTimeout") return error;
  const message = "database is locked";
  return new DriverAdapterError({ kind: "sqlite", extendedCode: 5, message, originalMessage: message });
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return `${error.message} ${JSON.stringify(error.cause ?? "")}`;
}

/**
 * PostgreSQL. `url` is the database the engine connects to (migrations are applied there);
 * `shadowServerUrl`, when given, is a server on which a temporary shadow database may be created
 * (needs CREATEDB) and is dropped when the engine lets go of it.
 */
export function postgresFactory(url: string, shadowServerUrl?: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectPostgres(url),
    connectToShadowDb: async () => {
      if (!shadowServerUrl) throw new Error("This operation needs a PostgreSQL shadow database, and none was configured");
      const name = `prisma_shadow_${randomBytes(6).toString("hex")}`;
      await adminQuery(shadowServerUrl, `CREATE DATABASE "${name}"`);
      const adapter = await connectPostgres(withDatabase(shadowServerUrl, name));
      const dispose = adapter.dispose.bind(adapter);
      // Close our pool first, then drop: the reverse order is PrismaPg's bug.
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(shadowServerUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

async function connectPostgres(url: string): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ connectionString: url });
  reportCharAsText(pool);
  return new PrismaPg(pool, { disposeExternalPool: true }).connect();
}

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** pg already returns "char" values as strings; only the adapter's type table lacks the OID. */
function reportCharAsText(pool: pg.Pool): void {
  // pg.Pool#query has many overloads; the adapter only uses the promise form with one config.
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
  const patched = async (config: pg.QueryConfig): Promise<pg.QueryResult> => {
    const result = await query(config);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  Object.assign(pool, { query: patched });
}

/** One statement on a fresh connection (CREATE/DROP DATABASE cannot run in a transaction). */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
