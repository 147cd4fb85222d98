import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { signInWithPassword } from "../../lib/auth/sign-in.ts";
import { LOGIN_WINDOW_SECONDS } from "../../lib/auth/throttle.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createUser } from "../../lib/db/users.ts";
import { CookieJar, submitForm, visit } from "../support/browserless.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { startWorld, type PortalWorld } from "../support/oauth-http.ts";

describe(`sign-in throttling on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let grace: string;
  const start = new Date("2030-01-01T00:00:00Z");
  const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);
  const signIn = (email: string, password: string, now: Date, address = "203.0.113.7", deviceId?: string) =>
    signInWithPassword(db, { email, password, address, deviceId }, 4, now);

  before(async () => {
    database = await createTestDatabase();
    await applyMigrations(database.url);
    db = createDb(database.url);
    for (const email of ["grace@example.com", "alan@example.com", "edsger@example.com", "barbara@example.com"]) {
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
    assert.equal(blocked.scope, "account");
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

  test("a known browser signs in during the account lock; its own failures have their own limit", async () => {
    for (let attempt = 0; attempt < 10; attempt++) await signIn("edsger@example.com", "wrong", later(attempt), `198.51.100.${attempt}`);
    const unknown = await signIn("edsger@example.com", "the right password", later(20), "192.0.2.50");
    assert.ok(!unknown.ok && unknown.reason === "throttled" && unknown.scope === "account");
    assert.equal((await signIn("edsger@example.com", "the right password", later(21), "192.0.2.50", "device-one")).ok, true);
    // The owner's success leaves the account-wide lock in place for unknown browsers.
    const still = await signIn("edsger@example.com", "the right password", later(22), "192.0.2.51");
    assert.ok(!still.ok && still.reason === "throttled" && still.scope === "account");
    // Ten wrong guesses from the known browser lock that browser, not another known one.
    for (let attempt = 0; attempt < 10; attempt++) {
      const result = await signIn("edsger@example.com", "wrong", later(30 + attempt), "192.0.2.50", "device-one");
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.reason === "invalid");
    }
    const device = await signIn("edsger@example.com", "the right password", later(45), "192.0.2.50", "device-one");
    assert.ok(!device.ok && device.reason === "throttled" && device.scope === "device");
    assert.equal((await signIn("edsger@example.com", "the right password", later(46), "192.0.2.52", "device-two")).ok, true);
  });

  test("the address limit binds a known browser too", async () => {
    for (let attempt = 0; attempt < 50; attempt++) await signIn(`spray${attempt}@example.com`, "x", later(attempt), "192.0.2.210");
    const blocked = await signIn("barbara@example.com", "the right password", later(60), "192.0.2.210", "device-three");
    assert.ok(!blocked.ok && blocked.reason === "throttled" && blocked.scope === "address");
  });
});

/** A jar that also sends a cookie the portal never set (a forged or borrowed one). */
class SeededJar extends CookieJar {
  constructor(private readonly extra: string) {
    super();
  }
  override header(): string {
    return [super.header(), this.extra].filter(Boolean).join("; ");
  }
}

describe(`known-device cookies through the sign-in form on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let email: string;
  const PASSWORD = "correct horse battery staple";
  const ACCOUNT_LOCKED =
    "Too many failed attempts for this account from unknown browsers. Try again in 15 minutes, or sign in from a browser you used before.";
  const NO_MATCH = "That email address and password do not match an account.";

  before(async () => {
    world = await startWorld();
    email = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
    await createUser(world.db, { email: "other@example.com", passwordHash: await hashPassword(PASSWORD, 4) });
  });
  after(() => world.close());

  async function attempt(jar: CookieJar, account: string, password: string): Promise<{ response: Response; text: string }> {
    const pageUrl = `${world.issuer}/login?return_to=%2Faccount`;
    const page = await visit(jar, pageUrl);
    assert.equal(page.status, 200);
    const response = await submitForm(
      jar,
      pageUrl,
      await page.text(),
      [
        ["email", account],
        ["password", password],
      ],
      world.issuer,
      "login",
    );
    // Signed in, then signed out again: the session ends, the known-device cookie stays (a signed-in
    // browser would be offered "Continue as" instead of the password form).
    if (response.status === 303) jar.forget("portal_session");
    return { response, text: response.status === 303 ? "" : await response.text() };
  }
  const signedIn = (outcome: { response: Response }) => outcome.response.status === 303;

  test("the owner's browser keeps working while the account is locked for everyone else", async () => {
    const known = new CookieJar();
    const first = await attempt(known, email, PASSWORD);
    assert.ok(signedIn(first));
    const setCookie = first.response.headers.getSetCookie().find((line) => line.startsWith("portal_device="));
    assert.ok(setCookie, "a known-device cookie is set");
    assert.match(setCookie, /; HttpOnly/i);
    assert.match(setCookie, /; SameSite=lax/i);
    assert.match(setCookie, /; Path=\//i);
    assert.match(setCookie, new RegExp(`; Max-Age=${180 * 24 * 60 * 60}`, "i"));
    assert.doesNotMatch(setCookie, /@|example/i);
    const otherAccount = new CookieJar();
    assert.ok(signedIn(await attempt(otherAccount, "other@example.com", PASSWORD)));

    const attacker = new CookieJar();
    for (let index = 0; index < 10; index++) assert.ok((await attempt(attacker, email, `guess ${index}`)).text.includes(NO_MATCH));
    const fresh = await attempt(new CookieJar(), email, PASSWORD);
    assert.ok(!signedIn(fresh) && fresh.text.includes(ACCOUNT_LOCKED), fresh.text.slice(0, 200));

    // A forged cookie and one that is valid for another account give no way around the lock.
    const value = setCookie.split(";", 1)[0]!;
    const at = value.lastIndexOf(".") + 1; // the signature's first character carries six whole bits
    const forgedValue = `${value.slice(0, at)}${value[at] === "A" ? "B" : "A"}${value.slice(at + 1)}`;
    const forged = await attempt(new SeededJar(forgedValue), email, PASSWORD);
    assert.ok(!signedIn(forged) && forged.text.includes(ACCOUNT_LOCKED));
    const borrowed = await attempt(otherAccount, email, PASSWORD);
    assert.ok(!signedIn(borrowed) && borrowed.text.includes(ACCOUNT_LOCKED));

    assert.ok(signedIn(await attempt(known, email, PASSWORD)), "the known browser signs in during the lock");

    // The known browser's own wrong guesses are limited separately.
    for (let index = 0; index < 10; index++) assert.ok((await attempt(known, email, `typo ${index}`)).text.includes(NO_MATCH));
    const limited = await attempt(known, email, PASSWORD);
    assert.ok(
      !signedIn(limited) && limited.text.includes("Too many failed attempts from this browser. Try again in 15 minutes."),
      limited.text.slice(0, 200),
    );

    const locked = await world.db.auditEvent.findMany({ where: { type: "signin.locked" } });
    const details = locked.map((row) => JSON.parse(row.detail) as { knownDevice: boolean; limit: string });
    assert.deepEqual(details.map((detail) => `${detail.limit}:${detail.knownDevice}`).sort(), [
      "account:false",
      "account:false",
      "account:false",
      "device:true",
    ]);
    for (const row of locked) assert.doesNotMatch(row.detail, /d1\./);
  });
});

describe(`the known-device cookie with an https issuer on ${testDatabaseKind()}`, () => {
  test("is __Host- prefixed and Secure, like the session cookie", async () => {
    // The server listens on http, as behind a TLS-terminating proxy; the issuer is what browsers see.
    const world = await startWorld({ env: { ISSUER_URL: "https://id.example.test" } });
    try {
      const email = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
      const jar = new CookieJar();
      const pageUrl = `${world.portal.url}/login?return_to=%2Faccount`;
      const page = await visit(jar, pageUrl);
      const response = await submitForm(
        jar,
        pageUrl,
        await page.text(),
        [
          ["email", email],
          ["password", "correct horse battery staple"],
        ],
        world.portal.url,
        "login",
      );
      assert.equal(response.status, 303);
      const setCookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-portal_device="));
      assert.ok(setCookie, response.headers.getSetCookie().join("\n"));
      for (const attribute of [/; Secure/i, /; HttpOnly/i, /; SameSite=lax/i, /; Path=\/(;|$)/i]) assert.match(setCookie, attribute);
      assert.doesNotMatch(setCookie, /; Domain=/i);
    } finally {
      await world.close();
    }
  });
});
