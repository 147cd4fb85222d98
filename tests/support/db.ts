// Fresh, real databases for tests: a new SQLite file in a temporary folder, or a new PostgreSQL
// database created through TEST_DATABASE_URL (a server URL whose role may CREATE DATABASE).
// Each call returns its own database, so suites never share state.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export type TestDatabaseKind = "sqlite" | "postgres";

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  readonly url: string;
  drop(): Promise<void>;
}

/** The kind the current integration run targets (set by scripts/test.ts), default SQLite. */
export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DB_KIND === "postgres" ? "postgres" : "sqlite";
}

export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-test-"));
    return {
      kind,
      url: `file:${path.join(dir, "portal.db")}`,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set: cannot create a PostgreSQL test database");
  const name = `portal_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      await withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
