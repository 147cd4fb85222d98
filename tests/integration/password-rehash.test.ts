// At sign-in a stored hash of another bcrypt cost is re-hashed at BCRYPT_COST, and an unknown or
// disabled account is compared against a hash of BCRYPT_COST: the cost, not the clock, is tested.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { checkCredentials, dummyPasswordHash } from "../../lib/auth/credentials.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createUser } from "../../lib/db/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";

const CONFIGURED_COST = 5;

describe(`password re-hash at sign-in on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  const storedHash = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email } })).passwordHash;

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = createDb(database.url);
    await createUser(db, { email: "old@example.com", passwordHash: await hashPassword("the right password", 4) });
    await createUser(db, { email: "current@example.com", passwordHash: await hashPassword("the right password", CONFIGURED_COST) });
  });
  after(async () => {
    await db.$disconnect();
    await database.drop();
  });

  test("a wrong password leaves a hash of another cost alone", async () => {
    const before = await storedHash("old@example.com");
    assert.equal((await checkCredentials(db, "old@example.com", "a wrong password", CONFIGURED_COST)).ok, false);
    assert.equal(await storedHash("old@example.com"), before);
  });

  test("the right password re-hashes a cost-4 hash at the configured cost, and it still opens", async () => {
    assert.equal(bcrypt.getRounds(await storedHash("old@example.com")), 4);
    assert.equal((await checkCredentials(db, "old@example.com", "the right password", CONFIGURED_COST)).ok, true);
    const rehashed = await storedHash("old@example.com");
    assert.equal(bcrypt.getRounds(rehashed), CONFIGURED_COST);
    assert.ok(await bcrypt.compare("the right password", rehashed));
    assert.equal((await checkCredentials(db, "old@example.com", "the right password", CONFIGURED_COST)).ok, true);
    assert.equal((await checkCredentials(db, "old@example.com", "a wrong password", CONFIGURED_COST)).ok, false);
  });

  test("a hash of the configured cost is not rewritten", async () => {
    const before = await storedHash("current@example.com");
    assert.equal((await checkCredentials(db, "current@example.com", "the right password", CONFIGURED_COST)).ok, true);
    assert.equal(await storedHash("current@example.com"), before);
  });

  test("an unknown email is compared against a hash of the configured cost, made once", async () => {
    assert.deepEqual(await checkCredentials(db, "nobody@example.com", "the right password", CONFIGURED_COST), { ok: false });
    const dummy = await dummyPasswordHash(CONFIGURED_COST);
    assert.equal(bcrypt.getRounds(dummy), CONFIGURED_COST);
    assert.equal(await dummyPasswordHash(CONFIGURED_COST), dummy, "one per process, not one per sign-in");
    assert.equal(bcrypt.getRounds(await dummyPasswordHash(6)), 6, "a changed cost gets its own");
  });
});
