import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createDb } from "../../lib/db/client.ts";
import { checkDatabase } from "../../lib/db/health.ts";
import { createTestDatabase, testDatabaseKind } from "../support/db.ts";
import { startPortal } from "../support/portal.ts";

describe(`health reports the signing keys on ${testDatabaseKind()}`, () => {
  test("200 with keys ok; 503 naming the keys when the server runs with a secret that does not open them", async () => {
    const database = await createTestDatabase();
    const secret = "the-secret-the-keys-were-made-with-0123456789";
    try {
      const portal = await startPortal({ databaseUrl: database.url, env: { PORTAL_SECRET: secret } });
      try {
        const response = await fetch(`${portal.url}/api/health`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { status: "ok", database: "ok", keys: "ok" });
      } finally {
        await portal.stop();
      }
      // `npm start` refuses this secret (startup.test.ts); a server started around that check
      // must not look healthy to a load balancer while every token request would fail.
      const wrongSecret = "a-wrong-secret-that-is-long-enough-0123456789";
      const bypassed = await startPortal({ databaseUrl: database.url, env: { PORTAL_SECRET: wrongSecret }, serverOnly: true });
      try {
        const response = await fetch(`${bypassed.url}/api/health`);
        assert.equal(response.status, 503);
        const body = await response.text();
        assert.deepEqual(JSON.parse(body), {
          status: "unavailable",
          database: "ok",
          keys: "the signing keys cannot be decrypted with PORTAL_SECRET",
        });
        assert.ok(!body.includes(wrongSecret) && !body.includes(secret));
        assert.ok((await fetch(`${bypassed.url}/oauth/jwks`)).status >= 500, "what health warns about");
      } finally {
        await bypassed.stop();
      }
    } finally {
      await database.drop();
    }
  });
});

describe(`health on ${testDatabaseKind()}`, () => {
  test("reports an unreachable database with a reason and no connection details", async () => {
    const url =
      testDatabaseKind() === "postgres" ? "postgresql://portal:hunter2@127.0.0.1:1/portal" : "file:/nonexistent-dir/for-sure/portal.db";
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
