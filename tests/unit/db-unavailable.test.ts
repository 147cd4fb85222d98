import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import pg from "pg";
import { isDatabaseUnavailable } from "../../lib/db/unavailable.ts";

// The driver under Prisma's SQLite adapter (it ships no types; only these calls are used).
interface SqliteHandle {
  exec(sql: string): void;
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string, options?: { timeout?: number }) => SqliteHandle;

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

test("pg: a refused connection (real error)", async () => {
  const pool = new pg.Pool({ connectionString: `postgresql://x@127.0.0.1:${await closedPort()}/x`, connectionTimeoutMillis: 1000 });
  const error = await rejection(pool.query("select 1"));
  await pool.end();
  assert.equal((error as { code?: string }).code, "ECONNREFUSED");
  assert.equal(isDatabaseUnavailable(error), true);
});

test("pg: a server that accepts and never answers hits the connect timeout (real error)", async () => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as net.AddressInfo;
  const pool = new pg.Pool({ connectionString: `postgresql://x@127.0.0.1:${port}/x`, connectionTimeoutMillis: 200 });
  const error = await rejection(pool.query("select 1"));
  await pool.end();
  silent.close();
  silent.unref();
  assert.match((error as Error).message, /connection timeout/);
  assert.equal(isDatabaseUnavailable(error), true);
});

test("better-sqlite3: SQLITE_BUSY behind another connection's exclusive lock (real error)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "db-unavailable-"));
  try {
    const file = path.join(dir, "locked.db");
    const holder = new Database(file);
    holder.exec("create table t (x integer)");
    holder.exec("begin exclusive");
    const waiter = new Database(file, { timeout: 50 });
    let error: unknown;
    try {
      waiter.prepare("select * from t").all();
    } catch (caught) {
      error = caught;
    }
    waiter.close();
    holder.close();
    assert.equal((error as { code?: string }).code, "SQLITE_BUSY");
    assert.equal(isDatabaseUnavailable(error), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Prisma 7's wrapping of the driver errors, as observed through PrismaPg and PrismaBetterSqlite3
// (only the fields the classification reads; the class itself is Prisma's).
const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("Invalid `prisma.x()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

test("Prisma's wrapped forms", () => {
  const cases: [string, unknown][] = [
    ["P1001 refused", prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 })],
    ["P2010 refused raw query", prismaError("P2010", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 })],
    [
      "statement timeout",
      prismaError("P2010", {
        kind: "postgres",
        code: "57014",
        originalCode: "57014",
        message: "canceling statement due to statement timeout",
      }),
    ],
    [
      "admin shutdown",
      prismaError("P2010", { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" }),
    ],
    ["SQLite busy", prismaError("P2010", { kind: "SocketTimeout", originalCode: "SQLITE_BUSY", originalMessage: "database is locked" })],
    ["SQLite I/O", prismaError("P2010", { kind: "sqlite", extendedCode: 266, message: "disk I/O error" })],
    ["pool timeout", Object.assign(new Error("Timed out fetching a new connection from the connection pool"), { code: "P2024" })],
    [
      "pg passed through",
      Object.assign(new Error("Connection terminated due to connection timeout"), {
        cause: new Error("Connection terminated unexpectedly"),
      }),
    ],
    ["read timeout", new Error("Query read timeout")],
    ["pool acquire", new Error("timeout exceeded when trying to connect")],
    [
      "AggregateError of refusals",
      new AggregateError([Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" })], ""),
    ],
  ];
  for (const [label, error] of cases) assert.equal(isDatabaseUnavailable(error), true, label);
});

test("bugs and bad data are not unavailability", () => {
  const cases: [string, unknown][] = [
    ["unique violation", prismaError("P2002", { kind: "UniqueConstraintViolation", constraint: { fields: ["email"] } })],
    ["pg syntax error", Object.assign(new Error('syntax error at or near "selec"'), { code: "42601" })],
    ["pg unique", Object.assign(new Error("duplicate key value"), { code: "23505" })],
    ["SQLite constraint", Object.assign(new Error("UNIQUE constraint failed"), { code: "SQLITE_CONSTRAINT_UNIQUE" })],
    ["type error", new TypeError("cannot read properties of undefined")],
    ["a string", "ECONNREFUSED"],
    ["nothing", undefined],
  ];
  for (const [label, error] of cases) assert.equal(isDatabaseUnavailable(error), false, label);
  const loop: { cause?: unknown } = {};
  loop.cause = loop;
  assert.equal(isDatabaseUnavailable(loop), false, "a cause cycle ends");
});
