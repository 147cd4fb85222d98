import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createDb } from "../../lib/db/client.ts";
import { checkDatabase } from "../../lib/db/health.ts";
import { createTestDatabase, testDatabaseKind } from "../support/db.ts";
import { startPortal } from "../support/portal.ts";

describe(`health on ${testDatabaseKind()}`, () => {
  test("reports an unreachable database with a reason and no connection details", async () => {
    const url = testDatabaseKind() === "postgres"
      ? "postgresql://portal:hunter2@127.0.0.1:1/portal"
      : "file:/nonexistent-dir/for-sure/portal.db";
    const db = createDb(url);
    try {
      const health = await checkDatabase(db);
      assert.equal(health.ok, false);
      if (!health.ok) {
        assert.match(health.reason, /^(cannot connect to the database|cannot open the database file|the database does not exist)$/);
        assert.ok(!health.reason.includes("hunter2"));
      }
    } finally {
      await db.$disconnect().catch(() => undefined);
    }
  });

  test(
    "GET /api/health answers 503 with a reason when the database goes away",
    { skip: testDatabaseKind() === "sqlite" ? "an open SQLite file cannot be taken away from its process" : false },
    async () => {
      const database = await createTestDatabase();
      const portal = await startPortal({ databaseUrl: database.url });
      try {
        assert.equal((await fetch(`${portal.url}/api/health`)).status, 200);
        await database.drop();
        const response = await fetch(`${portal.url}/api/health`);
        assert.equal(response.status, 503);
        const body = (await response.json()) as { status: string; database: string };
        assert.equal(body.status, "unavailable");
        assert.match(body.database, /database/);
        assert.ok(!JSON.stringify(body).includes(database.url));
      } finally {
        await portal.stop();
        await database.drop();
      }
    },
  );
});
