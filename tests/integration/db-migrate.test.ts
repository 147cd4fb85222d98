// The migration tool against a real database of the kind under test (TEST_DB_KIND), on
// temporary copies of prisma/: tests never write to the repository's schemas or folders.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  applyMigrations,
  checkMigrations,
  createMigration,
  deriveSchema,
  lockFileContent,
  migrationNames,
  projectPaths,
  type ProjectPaths,
} from "../../lib/db/migrate/index.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";

const kind = testDatabaseKind();
const migrationsDir = (paths: ProjectPaths): string => (kind === "postgres" ? paths.postgresMigrations : paths.sqliteMigrations);
const temporary: string[] = [];
const databases: TestDatabase[] = [];

/** A copy of the repository's prisma/ folder in a temporary project root. */
function copyProject(): ProjectPaths {
  const root = mkdtempSync(path.join(tmpdir(), "portal-migrate-"));
  temporary.push(root);
  cpSync(path.join(process.cwd(), "prisma"), path.join(root, "prisma"), { recursive: true });
  return projectPaths(root);
}

/**
 * A copy whose derived schema and migrations are up to date (a "sync" migration is added only
 * if the repository's own are behind), so the tests below do not depend on the repository state.
 */
async function syncedProject(): Promise<ProjectPaths> {
  const paths = copyProject();
  writeFileSync(paths.postgresSchema, deriveSchema(readFileSync(paths.sourceSchema, "utf8")));
  await createMigration({ kind, name: "sync", paths });
  return paths;
}

async function freshDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase(kind);
  databases.push(db);
  return db;
}

/** Rows of one query, through the same driver adapters the app uses. */
async function query(url: string, sql: string): Promise<unknown[][]> {
  const factory =
    kind === "postgres" ? new PrismaPg({ connectionString: url }) : new PrismaBetterSqlite3({ url: url.replace(/^file:/, "") });
  const adapter = await factory.connect();
  try {
    return (await adapter.queryRaw({ sql, args: [], argTypes: [] })).rows;
  } finally {
    await adapter.dispose();
  }
}

async function tables(url: string): Promise<string[]> {
  const sql =
    kind === "postgres"
      ? "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
  return (await query(url, sql)).map((row) => String(row[0])).sort();
}

async function columns(url: string, table: string): Promise<string[]> {
  const sql =
    kind === "postgres"
      ? `SELECT column_name::text FROM information_schema.columns WHERE table_name = '${table}'`
      : `SELECT name FROM pragma_table_info('${table}')`;
  return (await query(url, sql)).map((row) => String(row[0]));
}

/** Adds a nullable `phone` column to User in the source schema and re-derives the copy. */
function addPhoneField(paths: ProjectPaths, { derive }: { derive: boolean }): void {
  const source = readFileSync(paths.sourceSchema, "utf8").replace(/^(model User \{\n)/m, "$1  phone String?\n");
  writeFileSync(paths.sourceSchema, source);
  if (derive) writeFileSync(paths.postgresSchema, deriveSchema(source));
}

after(async () => {
  for (const db of databases) await db.drop();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe(`migrations on ${kind}`, () => {
  const repo = projectPaths();
  let url = "";

  before(async () => {
    const db = await freshDatabase();
    // A SQLite file in folders that do not exist yet: applyMigrations must create them.
    url = kind === "sqlite" ? `file:${path.join(path.dirname(db.url.replace(/^file:/, "")), "a", "b", "portal.db")}` : db.url;
  });

  test("apply on a fresh database creates every model's table and records each migration", async () => {
    const expected = migrationNames(migrationsDir(repo));
    assert.ok(expected.length > 0, "the repository has migrations");
    assert.deepEqual(await applyMigrations(url), expected);

    const models = [...readFileSync(repo.sourceSchema, "utf8").matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
    assert.deepEqual(await tables(url), [...models, "_prisma_migrations"].sort());

    const rows = await query(
      url,
      "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name",
    );
    assert.deepEqual(
      rows.map((row) => row[0]),
      expected,
    );
    for (const [name, checksum, finishedAt, rolledBackAt] of rows) {
      const script = readFileSync(path.join(migrationsDir(repo), String(name), "migration.sql"));
      assert.equal(checksum, createHash("sha256").update(script).digest("hex"), `checksum of ${String(name)}`);
      assert.ok(finishedAt, `${String(name)} finished`);
      assert.equal(rolledBackAt, null);
    }
  });

  test("applying again is a no-op", async () => {
    assert.deepEqual(await applyMigrations(url), []);
    const rows = await query(url, "SELECT COUNT(*) FROM _prisma_migrations");
    assert.equal(Number(rows[0]?.[0]), migrationNames(migrationsDir(repo)).length);
  });

  test("SQLite files are left in WAL mode", { skip: kind !== "sqlite" }, async () => {
    assert.deepEqual(await query(url, "PRAGMA journal_mode"), [["wal"]]);
  });

  test("the repository's migrations match its schemas (no drift)", async () => {
    const result = await checkMigrations({ paths: copyProject(), kinds: [kind] });
    assert.deepEqual(result, { ok: true, drifts: [] });
  });

  test("an unchanged schema gives an empty diff: no migration is written", async () => {
    const paths = await syncedProject();
    const before = readdirSync(migrationsDir(paths));
    assert.deepEqual(await createMigration({ kind, name: "nothing", paths }), { kind, created: false });
    assert.deepEqual(readdirSync(migrationsDir(paths)), before);
  });

  test("a schema change without its migration is drift, named by kind", async () => {
    const paths = await syncedProject();
    addPhoneField(paths, { derive: true });
    const result = await checkMigrations({ paths, kinds: [kind] });
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.drifts.map((d) => d.target),
      [kind],
    );
    const drift = result.drifts[0];
    assert.ok(drift && "sql" in drift && /"phone"/.test(drift.sql), "the drift shows the missing SQL");
  });

  test("a hand-edited (or stale) PostgreSQL schema copy is drift", async () => {
    const paths = await syncedProject();
    writeFileSync(
      paths.postgresSchema,
      readFileSync(paths.postgresSchema, "utf8").replace("model User {", "model User {\n  nickname String?"),
    );
    const edited = await checkMigrations({ paths, kinds: [kind] });
    assert.deepEqual(
      edited.drifts.map((d) => d.target),
      ["postgres-schema"],
    );

    const stale = copyProject();
    addPhoneField(stale, { derive: false });
    const result = await checkMigrations({ paths: stale, kinds: [] });
    assert.deepEqual(
      result.drifts.map((d) => d.target),
      ["postgres-schema"],
    );
  });

  test("createMigration writes the new column's migration, which then applies", async () => {
    const paths = await syncedProject();
    addPhoneField(paths, { derive: true });
    const previous = migrationNames(migrationsDir(paths));
    // A clock behind the latest migration must still sort the new one last.
    const created = await createMigration({ kind, name: "add_phone", paths, now: new Date(0) });
    assert.ok(created.created);
    assert.match(created.migrationName, /^\d{14}_add_phone$/);
    assert.deepEqual(migrationNames(migrationsDir(paths)), [...previous, created.migrationName]);
    const sql = readFileSync(path.join(created.directory, "migration.sql"), "utf8");
    assert.equal(sql, created.sql);
    assert.match(sql, /ALTER TABLE "User" ADD COLUMN\s+"phone" TEXT/);
    assert.equal(readFileSync(path.join(migrationsDir(paths), "migration_lock.toml"), "utf8"), lockFileContent(kind));
    assert.match(lockFileContent(kind), kind === "postgres" ? /^provider = "postgresql"$/m : /^provider = "sqlite"$/m);

    assert.deepEqual(await checkMigrations({ paths, kinds: [kind] }), { ok: true, drifts: [] });
    assert.deepEqual(await createMigration({ kind, name: "again", paths }), { kind, created: false });

    // On the database that has the repository's migrations, only the newer ones are applied.
    const pending = migrationNames(migrationsDir(paths)).filter((name) => !migrationNames(migrationsDir(repo)).includes(name));
    assert.deepEqual(await applyMigrations(url, { paths }), pending);
    assert.equal(pending.at(-1), created.migrationName);
    assert.ok((await columns(url, "User")).includes("phone"));
    assert.deepEqual(await applyMigrations(url, { paths }), []);
  });

  test("a failing migration comes out as a readable error", async () => {
    const paths = copyProject();
    const broken = path.join(migrationsDir(paths), "99990101000000_broken");
    cpSync(path.join(migrationsDir(paths), migrationNames(migrationsDir(paths))[0] ?? ""), broken, { recursive: true });
    writeFileSync(path.join(broken, "migration.sql"), 'CREATE TABLE "Broken" ("id" TEXT NOT NULL);\nSELECT * FROM "NoSuchTable";\n');
    const db = await freshDatabase();
    await assert.rejects(applyMigrations(db.url, { paths }), (error: Error) => {
      assert.match(error.message, /NoSuchTable/);
      assert.doesNotMatch(error.message, /External error id#/);
      return true;
    });
  });

  test("invalid migration names are refused before anything is written", async () => {
    const paths = copyProject();
    await assert.rejects(createMigration({ kind, name: "Add-Phone", paths }), /Invalid migration name/);
    assert.ok(existsSync(migrationsDir(paths)));
  });
});
