// The hot paths' statements bypass Prisma (lib/db/fast-sql.ts) but share its connection and its
// rows: what one writes the other must read back identically, in any time zone, and a token write
// must never land inside someone else's open Prisma transaction on the shared SQLite connection.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { insertAuditEvents } from "../../lib/db/audit-events.ts";
import { adapterDatabase, createDb, fastSql, sqlitePath, type Db } from "../../lib/db/client.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { allStatements } from "../../lib/db/sql/index.ts";
import { withdrawConsent } from "../../lib/db/consents.ts";
import { revokeGrants } from "../../lib/db/grants.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { createTestDatabase, testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

describe(`the hot paths' own statements on ${testDatabaseKind()}`, () => {
  let fixture: OAuthFixture;
  let db: Db;
  let app: TestApp;
  const zone = process.env.TZ;

  before(async () => {
    // Not UTC, not a whole hour, and on the other side of midnight from UTC for part of the day.
    process.env.TZ = "Pacific/Chatham";
    fixture = await createOAuthFixture();
    db = fixture.db;
    app = await fixture.app("Fast path", "client_secret_basic");
  });

  after(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await fixture?.close();
  });

  test("dates written by Prisma read back through the fast path, and the other way round", async () => {
    const now = new Date("2026-03-04T05:06:07.089Z");
    fixture.setNow(now);
    const code = await fixture.authorize(app);
    // Written by Prisma (the authorization endpoint), read by the fast path (the token endpoint).
    const stored = await fixture.tokenDeps.store.findCode(hashToken(code));
    assert.ok(stored);
    assert.equal(stored.authTime.toISOString(), now.toISOString());
    assert.equal(stored.expiresAt.toISOString(), new Date(now.getTime() + fixture.config.codeTtlSeconds * 1000).toISOString());
    assert.ok(stored.grant.user?.updatedAt instanceof Date);
    // Written by the fast path (the token response), read by Prisma.
    const response = await fixture.redeem(app, code);
    assert.ok(response.refresh_token);
    const refresh = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(response.refresh_token) } });
    assert.equal(refresh.createdAt.toISOString(), now.toISOString());
    assert.equal(refresh.expiresAt?.toISOString(), new Date(now.getTime() + fixture.config.refreshTokenTtlSeconds * 1000).toISOString());
    const consumed = await db.authorizationCode.findUniqueOrThrow({ where: { codeHash: hashToken(code) } });
    assert.equal(consumed.consumedAt?.toISOString(), now.toISOString());
    // Prisma's own comparisons see the fast path's values as the same instants.
    assert.equal(await db.accessToken.count({ where: { grantId: stored.grant.id, createdAt: now } }), 1);
    assert.equal(await db.accessToken.count({ where: { grantId: stored.grant.id, expiresAt: { gt: now } } }), 1);
  });

  test("revoking grants reaches every code and token of exactly those grants", async () => {
    fixture.setNow(new Date());
    const other = await fixture.app("Other app", "client_secret_basic");
    const issue = async (target: TestApp) => {
      const response = await fixture.redeem(target, await fixture.authorize(target));
      const pending = hashToken(await fixture.authorize(target));
      return { response, pending };
    };
    const [first, second, untouched] = [await issue(app), await issue(app), await issue(other)];
    const state = async ({ response, pending }: Awaited<ReturnType<typeof issue>>) => {
      const refresh = await db.refreshToken.findUniqueOrThrow({
        where: { tokenHash: hashToken(response.refresh_token!) },
        include: { grant: true },
      });
      const access = await db.accessToken.findMany({ where: { grantId: refresh.grantId } });
      const code = await db.authorizationCode.findUniqueOrThrow({ where: { codeHash: pending }, include: { grant: true } });
      return {
        grantRevoked: refresh.grant.revokedAt !== null,
        refreshRevoked: refresh.revokedAt !== null,
        accessRevoked: access.length > 0 && access.every((row) => row.revokedAt !== null),
        // Each authorization makes a grant of its own: the pending code is another grant's.
        pendingGrantRevoked: code.grant.revokedAt !== null,
        pendingCodeUsed: code.consumedAt !== null,
      };
    };
    const all = { grantRevoked: true, refreshRevoked: true, accessRevoked: true, pendingGrantRevoked: true, pendingCodeUsed: true };
    const none = { grantRevoked: false, refreshRevoked: false, accessRevoked: false, pendingGrantRevoked: false, pendingCodeUsed: false };
    // One grant by id (a replay, a revoked refresh token): the pending code's grant is another.
    const firstGrant = (await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(first.response.refresh_token!) } }))
      .grantId;
    await revokeGrants(db, { id: firstGrant }, fixture.now());
    assert.deepEqual(await state(first), { ...all, pendingGrantRevoked: false, pendingCodeUsed: false });
    assert.deepEqual(await state(second), none);
    // Every grant of the user to one app (consent withdrawn), and nothing of another app.
    assert.ok(await withdrawConsent(db, fixture.userId, app.client.clientId, fixture.now()));
    assert.deepEqual(await state(first), all);
    assert.deepEqual(await state(second), all);
    assert.deepEqual(await state(untouched), none);
  });

  test("a query error is a database error, not a wrong answer", async () => {
    await assert.rejects(fastSql(db).query(`SELECT "nope" FROM "AccessToken" WHERE "jti" = $1`, ["x"]));
  });

  test(
    "a broken idle connection of the pool is replaced, and does not take the process down",
    { skip: testDatabaseKind() !== "postgres" && "PostgreSQL only" },
    async () => {
      // A client that only the fast path has used yet: Prisma has not attached its own listeners.
      const fresh = createDb(fixture.database.url);
      try {
        const sql = fastSql(fresh);
        assert.deepEqual(await sql.query(`SELECT 1 AS "one"`, []), [{ one: 1 }]);
        // The server ends every connection of this database (as a restart would).
        const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await admin.connect();
        try {
          const name = new URL(fixture.database.url).pathname.slice(1);
          await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [name]);
        } finally {
          await admin.end();
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.deepEqual(await sql.query(`SELECT 1 AS "one"`, []), [{ one: 1 }]);
      } finally {
        await fresh.$disconnect();
      }
    },
  );

  test(
    "a token write waits for an open Prisma transaction instead of joining it",
    { skip: testDatabaseKind() !== "sqlite" && "SQLite shares one connection; PostgreSQL's pool does not" },
    async () => {
      fixture.setNow(new Date());
      const code = await fixture.authorize(app);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      // A Prisma transaction holds the connection (BEGIN issued) across an await, then rolls back.
      const rolledBack = db
        .$transaction(async (tx) => {
          await tx.user.count();
          opened();
          await held;
          throw new Error("roll back");
        })
        .catch((error: unknown) => error);
      await open;
      const redeemed = fixture.redeem(app, code);
      // Give the redemption every chance to run inside the open transaction.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      assert.match(String(await rolledBack), /roll back/);
      const response = await redeemed;
      // Had it joined the rolled-back transaction, the code would be unused and the tokens gone.
      const consumed = await db.authorizationCode.findUniqueOrThrow({ where: { codeHash: hashToken(code) } });
      assert.ok(consumed.consumedAt);
      assert.ok(response.refresh_token);
      assert.ok(await db.refreshToken.findUnique({ where: { tokenHash: hashToken(response.refresh_token) } }));
    },
  );

  test(
    "the server's SQLite connection commits without an fsync per transaction (WAL, synchronous=NORMAL)",
    { skip: testDatabaseKind() !== "sqlite" && "SQLite only" },
    async () => {
      const sql = fastSql(db);
      assert.equal(sql.kind, "sqlite");
      assert.deepEqual(await sql.query("PRAGMA journal_mode", []), [{ journal_mode: "wal" }]);
      const [mode] = await sql.query("PRAGMA synchronous", []);
      assert.equal(Number(mode?.synchronous), 1, "1 is NORMAL (SQLite's default, 2, is FULL)");
    },
  );

  test(
    "the server's SQLite connection never checkpoints inside a commit; a background thread copies the WAL into the file",
    { skip: testDatabaseKind() !== "sqlite" && "SQLite only" },
    async () => {
      const sql = fastSql(db);
      const [setting] = await sql.query("PRAGMA wal_autocheckpoint", []);
      assert.equal(Number(setting?.wal_autocheckpoint), 0);
      const file = sqlitePath(fixture.database.url);
      const before = statSync(file).size;
      // About 2,000 pages of rows: the database file grows only when a checkpoint copies them in.
      const detail = JSON.stringify({ padding: "x".repeat(3000) });
      const at = new Date();
      for (let batch = 0; batch < 20; batch += 1) {
        const rows = Array.from({ length: 100 }, () => ({
          type: "test.padding",
          createdAt: at,
          actorUserId: null,
          subjectUserId: null,
          clientId: null,
          ipAddress: null,
          detail,
        }));
        await insertAuditEvents(db, rows);
      }
      const deadline = Date.now() + 5_000;
      while (statSync(file).size < before + 4_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(statSync(file).size >= before + 4_000_000, `the database file grew from ${before} to ${statSync(file).size} bytes`);
      assert.equal(await db.auditEvent.count({ where: { type: "test.padding" } }), 2_000);
    },
  );

  test("audit rows written in a batch on the driver read back through Prisma, nulls, quotes and instants intact", async () => {
    const at = new Date("2026-03-04T23:59:58.123Z");
    const rows = [
      {
        type: "token.issued",
        createdAt: at,
        actorUserId: null,
        subjectUserId: "user-1",
        clientId: "client 'a'",
        ipAddress: null,
        detail: '{"grant_type":"authorization_code"}',
      },
      {
        type: "code.replayed",
        createdAt: new Date(at.getTime() + 1),
        actorUserId: null,
        subjectUserId: null,
        clientId: null,
        ipAddress: "::1",
        detail: "{}",
      },
    ];
    await insertAuditEvents(db, rows);
    await insertAuditEvents(db, []);
    const stored = await db.auditEvent.findMany({
      where: { createdAt: { gte: at, lte: new Date(at.getTime() + 1) } },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      stored.map(({ id, ...row }) => (assert.match(id, /^[0-9a-f-]{36}$/), row)),
      rows,
    );
    assert.notEqual(stored[0]!.id, stored[1]!.id);
  });
});

describe(`the hand-written statements on a freshly migrated ${testDatabaseKind()} database`, () => {
  test("every statement of lib/db/sql prepares: its tables and columns exist", async () => {
    const kind = testDatabaseKind();
    const database = await createTestDatabase(kind);
    try {
      await applyMigrations(database.url);
      const statements = Object.entries(allStatements(kind));
      assert.ok(statements.length >= 15, `${statements.length} statements`);
      const failures: string[] = [];
      if (kind === "sqlite") {
        const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => {
          prepare(sql: string): unknown;
          close(): void;
        };
        const handle = new Sqlite(database.url.slice("file:".length));
        try {
          for (const [name, sql] of statements) {
            try {
              handle.prepare(sql.replace(/\$\d+/g, "?"));
            } catch (error) {
              failures.push(`${name}: ${(error as Error).message}`);
            }
          }
        } finally {
          handle.close();
        }
      } else {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        try {
          for (const [index, [name, sql]] of statements.entries()) {
            try {
              await client.query(`PREPARE check_${index} AS ${sql}`);
            } catch (error) {
              failures.push(`${name}: ${(error as Error).message}`);
            }
          }
        } finally {
          await client.end();
        }
      }
      assert.deepEqual(failures, []);
    } finally {
      await database.drop();
    }
  });

  test(
    "Prisma's SQLite adapter still gives the fast path its driver",
    { skip: testDatabaseKind() !== "sqlite" && "the PostgreSQL pool is the portal's own" },
    async () => {
      const database = await createTestDatabase("sqlite");
      try {
        const opened = await new PrismaBetterSqlite3({ url: database.url.slice("file:".length) }).connect();
        try {
          // Throws with what to change when a new version of the adapter keeps it elsewhere.
          const driver = adapterDatabase(opened);
          assert.equal(typeof driver.prepare, "function");
        } finally {
          await opened.dispose();
        }
      } finally {
        await database.drop();
      }
    },
  );
});
