// `npm start` on a fresh database, twice: migrations, signing keys, the initial admin, health.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { runCommand, startPortal } from "../support/portal.ts";

describe(`start-up on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let dataDir: string;

  before(async () => {
    database = await createTestDatabase();
    db = createDb(database.url);
    dataDir = mkdtempSync(path.join(tmpdir(), "portal-data-"));
  });
  after(async () => {
    await db.$disconnect();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a first start migrates, creates keys and an admin with a password shown once, and serves", async () => {
    const portal = await startPortal({ databaseUrl: database.url, dataDir });
    try {
      const health = await fetch(`${portal.url}/api/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: "ok", database: "ok", keys: "ok" });

      const output = portal.output();
      // SQLite makes up a secret on a first start; PostgreSQL never does (the harness sets one).
      if (testDatabaseKind() === "sqlite") {
        assert.match(output, /WARNING: PORTAL_SECRET is not set/);
        assert.ok(existsSync(path.join(dataDir, "portal-secret")));
      } else {
        assert.ok(!existsSync(path.join(dataDir, "portal-secret")));
      }
      const password = output.match(/with the password:\s+(\S+)/)?.[1];
      assert.ok(password, `no generated password in:\n${output}`);

      const admins = await db.user.findMany({ where: { role: "admin" } });
      assert.equal(admins.length, 1);
      assert.equal(admins[0]!.email, "admin@localhost");
      assert.ok(await bcrypt.compare(password, admins[0]!.passwordHash));
      assert.ok(!output.includes(admins[0]!.passwordHash));

      const keys = await db.signingKey.findMany({ orderBy: { alg: "asc" } });
      // Sorted here, not by the database: collations order "EdDSA" and "ES256" differently.
      assert.deepEqual(keys.map((key) => [key.alg, key.state]).sort(), [
        ["ES256", "active"],
        ["EdDSA", "active"],
        ["RS256", "active"],
      ]);
      for (const key of keys) {
        assert.ok(!("d" in JSON.parse(key.publicJwk)), "the public JWK has no private member");
        assert.match(key.privateJwkEncrypted, /^v1\./);
        assert.ok(!key.privateJwkEncrypted.includes('"d"'));
      }
    } finally {
      await portal.stop();
    }
  });

  test("a second start changes nothing: one admin, the same keys, no password printed", async () => {
    const kidsBefore = (await db.signingKey.findMany()).map((key) => key.kid).sort();
    const portal = await startPortal({ databaseUrl: database.url, dataDir });
    try {
      assert.equal((await fetch(`${portal.url}/api/health`)).status, 200);
      assert.doesNotMatch(portal.output(), /Created the admin|with the password|WARNING: PORTAL_SECRET/);
      assert.equal(await db.user.count(), 1);
      assert.deepEqual((await db.signingKey.findMany()).map((key) => key.kid).sort(), kidsBefore);
    } finally {
      await portal.stop();
    }
  });

  test("a PORTAL_SECRET that does not open the keys stops the start, says what to set, and changes nothing", async () => {
    const keysBefore = (await db.signingKey.findMany()).map((key) => [key.kid, key.privateJwkEncrypted]).sort();
    // One fewer active key: a start with the right secret would create it, a wrong one must not.
    const dropped = await db.signingKey.findFirstOrThrow({ where: { alg: "ES256" } });
    await db.signingKey.delete({ where: { kid: dropped.kid } });
    const otherDataDir = mkdtempSync(path.join(tmpdir(), "portal-data-"));
    const wrongSecret = "a-wrong-secret-that-is-long-enough-0123456789";
    try {
      const result = await runCommand(["scripts/start.mjs"], {
        DATABASE_URL: database.url,
        DATA_DIR: otherDataDir,
        PORTAL_SECRET: wrongSecret,
        PORT: "1",
        HOST: "127.0.0.1",
        BCRYPT_COST: "4",
      });
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(
        result.stderr,
        /Start-up failed: 2 of the 2 active signing keys .* cannot be decrypted with the configured PORTAL_SECRET/,
      );
      assert.match(result.stderr, /Set PORTAL_SECRET to that secret/);
      assert.ok(!(result.stdout + result.stderr).includes(wrongSecret), "the secret is never printed");
      assert.equal(await db.signingKey.count(), 2, "no key was created under the wrong secret");
    } finally {
      rmSync(otherDataDir, { recursive: true, force: true });
      await db.signingKey.create({ data: dropped });
    }
    assert.deepEqual((await db.signingKey.findMany()).map((key) => [key.kid, key.privateJwkEncrypted]).sort(), keysBefore);
  });

  test(
    "on PostgreSQL, an instance without PORTAL_SECRET refuses to start instead of making one up",
    { skip: testDatabaseKind() === "sqlite" ? "SQLite generates the secret into DATA_DIR" : false },
    async () => {
      const otherDataDir = mkdtempSync(path.join(tmpdir(), "portal-data-"));
      try {
        const result = await runCommand(["scripts/start.mjs"], {
          DATABASE_URL: database.url,
          DATA_DIR: otherDataDir,
          PORTAL_SECRET: "",
          PORT: "1",
          HOST: "127.0.0.1",
        });
        assert.equal(result.code, 1, result.stdout + result.stderr);
        assert.match(
          result.stderr,
          /Start-up failed: PORTAL_SECRET is not set\. With PostgreSQL.*every instance must be given the same PORTAL_SECRET/,
        );
        assert.ok(!existsSync(path.join(otherDataDir, "portal-secret")));
      } finally {
        rmSync(otherDataDir, { recursive: true, force: true });
      }
    },
  );
});

describe(`configured admin on ${testDatabaseKind()}`, () => {
  test("ADMIN_EMAIL and ADMIN_PASSWORD create that admin once, and the password is never printed", async () => {
    const database = await createTestDatabase();
    const db = createDb(database.url);
    const env = { ADMIN_EMAIL: "Ops@Example.com", ADMIN_PASSWORD: "correct horse battery", PORTAL_SECRET: "s".repeat(40) };
    try {
      for (let round = 0; round < 2; round++) {
        const portal = await startPortal({ databaseUrl: database.url, env });
        await portal.stop();
        assert.ok(!portal.output().includes(env.ADMIN_PASSWORD));
        assert.doesNotMatch(portal.output(), /WARNING: PORTAL_SECRET/);
        assert.ok(!existsSync(path.join(portal.dataDir, "portal-secret")));
      }
      const users = await db.user.findMany();
      assert.equal(users.length, 1);
      assert.equal(users[0]!.email, "ops@example.com");
      assert.equal(users[0]!.role, "admin");
      assert.ok(await bcrypt.compare(env.ADMIN_PASSWORD, users[0]!.passwordHash));
    } finally {
      await db.$disconnect();
      await database.drop();
    }
  });
});

describe("invalid configuration", () => {
  test("stops the start with the variable and the reason, before touching anything", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "portal-data-"));
    try {
      const result = await runCommand(["scripts/start.mjs"], {
        DATA_DIR: dataDir,
        PORT: "99999",
        ISSUER_URL: "http://id.example.com",
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /PORT: must be between 1 and 65535/);
      assert.match(result.stderr, /ISSUER_URL: must use https/);
      assert.ok(!existsSync(path.join(dataDir, "portal.db")));
      assert.ok(!existsSync(path.join(dataDir, "portal-secret")));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
