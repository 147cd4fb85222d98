import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { signInWithPassword } from "../../lib/auth/sign-in.ts";
import { LOGIN_WINDOW_SECONDS } from "../../lib/auth/throttle.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createUser } from "../../lib/db/users.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";

describe(`sign-in throttling on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let grace: string;
  const start = new Date("2030-01-01T00:00:00Z");
  const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  const signIn = (email: string, password: string, now: Date, address = "203.0.113.7") =>
    signInWithPassword(db, { email, password, address }, 4, now);

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = createDb(database.url);
    for (const email of ["grace@example.com", "alan@example.com"]) {
      await createUser(db, { email, passwordHash: await hashPassword("the right password", 4) });
    }
    grace = (await db.user.findUniqueOrThrow({ where: { email: "grace@example.com" } })).id;
  });
  after(async () => {
    await db.$disconnect();
    await database.drop();
  });

  test("ten failures lock the account for the window, even against the right password, then it opens", async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await signIn("grace@example.com", `wrong ${attempt}`, later(attempt));
      assert.deepEqual(result, { ok: false, reason: "invalid", userId: grace });
    }
    const blocked = await signIn("Grace@Example.com", "the right password", later(11));
    assert.equal(blocked.ok, false);
    assert.ok(!blocked.ok && blocked.reason === "throttled" && blocked.retryAfterSeconds === LOGIN_WINDOW_SECONDS - 11);
    const reopened = await signIn("grace@example.com", "the right password", later(LOGIN_WINDOW_SECONDS + 1));
    assert.equal(reopened.ok, true);
  });

  test("an unknown account is throttled exactly like a real one", async () => {
    for (let attempt = 0; attempt < 10; attempt++) await signIn("nobody@example.com", "guess", later(attempt), `198.51.100.${attempt}`);
    const blocked = await signIn("nobody@example.com", "guess", later(20), "198.51.100.99");
    assert.ok(!blocked.ok && blocked.reason === "throttled");
  });

  test("a success clears the account's failures", async () => {
    for (let attempt = 0; attempt < 9; attempt++) await signIn("alan@example.com", "wrong", later(attempt), "192.0.2.1");
    assert.equal((await signIn("alan@example.com", "the right password", later(10), "192.0.2.1")).ok, true);
    for (let attempt = 0; attempt < 9; attempt++) await signIn("alan@example.com", "wrong", later(11 + attempt), "192.0.2.1");
    assert.equal((await signIn("alan@example.com", "the right password", later(30), "192.0.2.1")).ok, true);
  });

  test("fifty failures from one address block it for every account", async () => {
    for (let attempt = 0; attempt < 50; attempt++) await signIn(`guess${attempt}@example.com`, "x", later(attempt), "192.0.2.200");
    const blocked = await signIn("alan@example.com", "the right password", later(60), "192.0.2.200");
    assert.ok(!blocked.ok && blocked.reason === "throttled");
    assert.equal((await signIn("alan@example.com", "the right password", later(61), "192.0.2.201")).ok, true);
  });
});
