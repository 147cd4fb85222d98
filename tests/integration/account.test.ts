// The account page over HTTP, as a browser without JavaScript uses it (its forms work without
// script), against the real portal: change the password, see and end sessions, edit the name;
// and what the account service reads (applications' last use) and refuses.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { verifyPassword } from "../../lib/auth/password.ts";
import { getDb } from "../../lib/db/index.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { changePassword, endAccountSession, listAccountApplications, listAccountSessions } from "../../lib/services/account.ts";
import { ServiceError } from "../../lib/services/errors.ts";
import { CookieJar, formWith, submitForm, visit } from "../support/browserless.ts";
import { testDatabaseKind } from "../support/db.ts";
import { startWorld, type PortalWorld } from "../support/oauth-http.ts";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

describe(`account page on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let email: string;
  let password = "correct horse battery staple";

  before(async () => {
    world = await startWorld();
    Object.assign(process.env, { DATABASE_URL: world.database.url, BCRYPT_COST: "4" });
    email = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
  });
  after(async () => {
    await getDb().$disconnect();
    await world?.close();
  });

  /** Signs in through /login with this user agent: a browser of its own (cookie jar). */
  async function browser(userAgent: string): Promise<CookieJar> {
    const jar = new CookieJar();
    const pageUrl = `${world.issuer}/login?return_to=%2Faccount`;
    const html = await (await visit(jar, pageUrl, { headers: { "user-agent": userAgent } })).text();
    const response = await submitForm(
      jar,
      pageUrl,
      html,
      [
        ["email", email],
        ["password", password],
      ],
      { headers: { origin: world.issuer, "user-agent": userAgent } },
      "login",
    );
    assert.equal(response.status, 303, "signed in");
    return jar;
  }
  const accountPage = async (jar: CookieJar, query = "") => {
    const response = await visit(jar, `${world.issuer}/account${query}`);
    return { status: response.status, html: await response.text() };
  };
  /** Posts the account page's form that holds `marker`, with `values`. */
  async function post(jar: CookieJar, marker: string, values: ReadonlyArray<readonly [string, string]> = []): Promise<Response> {
    const { html } = await accountPage(jar);
    return submitForm(jar, `${world.issuer}/account`, formWith(html, marker, marker), values, world.issuer, marker);
  }
  const liveSessions = () => world.db.session.findMany({ where: { userId: world.userId, endedAt: null } });

  test("lists the sessions with browser, system and address, this one marked; signs out one, then everywhere else", async () => {
    await world.db.session.updateMany({ where: { userId: world.userId }, data: { endedAt: new Date() } });
    const firefox = await browser(FIREFOX);
    const iphone = await browser(SAFARI_IPHONE);
    const third = await browser(FIREFOX);

    const { status, html } = await accountPage(firefox);
    assert.equal(status, 200);
    assert.match(html, /Firefox 133 on Windows 10/);
    assert.match(html, /Mobile Safari 17 on Apple iPhone, iOS 17\.5/);
    assert.equal(html.match(/>This browser</g)?.length, 1);
    assert.match(html, /127\.0\.0\.1/);

    // One other browser: the iPhone's session, by the id in its form.
    const iphoneSession = (await liveSessions()).find((session) => session.userAgent === SAFARI_IPHONE)!;
    const ended = await post(firefox, `name="session_id" value="${iphoneSession.id}"`);
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.get("location"), "/account?status=session-ended");
    assert.equal((await accountPage(iphone)).status, 307, "the iPhone is signed out");
    assert.equal((await accountPage(third)).status, 200, "the others are not");

    const everywhere = await post(firefox, "Sign out everywhere else");
    assert.equal(everywhere.headers.get("location"), "/account?status=sessions-ended");
    assert.equal((await accountPage(third)).status, 307);
    const after = await accountPage(firefox, "?status=sessions-ended");
    assert.equal(after.status, 200);
    assert.match(after.html, /You are signed out everywhere else\./);
    assert.match(after.html, /You are not signed in anywhere else\./);
    assert.equal((await liveSessions()).length, 1);

    const audit = await world.db.auditEvent.findMany({
      where: { type: "sessions.ended", actorUserId: world.userId },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      audit.map((event) => JSON.parse(event.detail) as unknown),
      [
        { via: "account", count: 1, sessionId: iphoneSession.id },
        { via: "account", count: 1, everywhereElse: true },
      ],
    );
    assert.ok(audit.every((event) => event.ipAddress === "127.0.0.1" && event.subjectUserId === null));
  });

  test("changing the password: the current one is needed, the rule applies, the other sessions end and this one stays", async () => {
    const here = await browser(FIREFOX);
    const elsewhere = await browser(SAFARI_IPHONE);
    const before = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash;

    // Refusals answer on the page itself (no JavaScript needed), and change nothing.
    for (const [current, next, message] of [
      ["not the password", "a new long passphrase", /That is not your current password/],
      [password, "Password2024!", /too common/],
      [password, "short", /must be at least 12 characters/],
    ] as const) {
      const refused = await post(here, 'name="currentPassword"', [
        ["currentPassword", current],
        ["newPassword", next],
      ]);
      assert.equal(refused.status, 200);
      const html = await refused.text();
      assert.match(html, message);
      assert.ok(!html.includes(`value="${current}"`) && !html.includes(`value="${next}"`), "a password is never sent back");
    }
    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash, before);
    assert.equal((await accountPage(elsewhere)).status, 200);

    const changed = await post(here, 'name="currentPassword"', [
      ["currentPassword", password],
      ["newPassword", "a new long passphrase"],
    ]);
    assert.equal(changed.status, 303);
    assert.equal(changed.headers.get("location"), "/account?status=password-changed");
    password = "a new long passphrase";
    assert.ok(await verifyPassword(password, (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash));
    assert.equal((await accountPage(here)).status, 200, "this browser stays signed in");
    assert.equal((await accountPage(elsewhere)).status, 307, "the other is signed out");
    const [event] = await world.db.auditEvent.findMany({ where: { type: "password.changed", actorUserId: world.userId } });
    const detail = JSON.parse(event!.detail) as { via: string; sessionsEnded: number };
    assert.equal(detail.via, "account");
    assert.ok(detail.sessionsEnded >= 1, "at least the other browser's");
    assert.equal(event!.subjectUserId, null);
    assert.ok(!JSON.stringify(await world.db.auditEvent.findMany()).includes("passphrase"), "no password in the audit log");
    assert.ok(!world.portal.output().includes("a new long passphrase"), "nor in the server's output");
  });

  test("ten wrong current passwords lock changing it for a while, without locking sign-in", async () => {
    const here = await browser(FIREFOX);
    const session = (
      await world.db.session.findMany({ where: { userId: world.userId, endedAt: null }, orderBy: { createdAt: "desc" }, take: 1 })
    )[0]!;
    const actor = { userId: world.userId, via: "account" } as const;
    const attempt = (current: string) =>
      changePassword(actor, {
        userId: world.userId,
        sessionId: session.id,
        currentPassword: current,
        newPassword: "yet another passphrase",
      });
    for (let count = 0; count < 10; count++) {
      await assert.rejects(
        attempt(`wrong guess ${count}`),
        (error: unknown) => error instanceof ServiceError && /not your current password/.test(error.message),
      );
    }
    await assert.rejects(
      attempt(password),
      (error: unknown) => error instanceof ServiceError && /Too many wrong attempts: try again in 15 minutes/.test(error.message),
    );
    assert.equal((await accountPage(here)).status, 200);
    await browser(FIREFOX);
    await world.db.rateLimit.deleteMany({ where: { key: `password-change:${world.userId}` } });
  });

  test("the name: saved, shown, at most 100 characters", async () => {
    const jar = await browser(FIREFOX);
    const saved = await post(jar, 'name="name"', [["name", "  Ada King  "]]);
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/account?status=name-saved");
    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).name, "Ada King");
    assert.match((await accountPage(jar)).html, /Ada King/);

    const tooLong = await post(jar, 'name="name"', [["name", "x".repeat(101)]]);
    assert.equal(tooLong.status, 200);
    assert.match(await tooLong.text(), /Your name must be at most 100 characters/);
    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).name, "Ada King");
    assert.equal(await world.db.auditEvent.count({ where: { type: "user.name_changed", actorUserId: world.userId } }), 1);
  });

  test("notices are the server's texts for known keys only", async () => {
    const jar = await browser(FIREFOX);
    for (const key of ["<script>alert(1)</script>", "Your bank account is closed", "constructor", "__proto__"]) {
      const { html } = await accountPage(jar, `?status=${encodeURIComponent(key)}`);
      assert.doesNotMatch(html, /role="status"/, key);
      assert.ok(!html.includes("Your bank") && !html.includes("<script>alert"), key);
    }
    assert.match((await accountPage(jar, "?status=password-changed")).html, /role="status"[^>]*>Your password is changed\./);
  });

  test("a signed-out browser is sent to sign in; one person cannot end another's session", async () => {
    assert.equal((await accountPage(new CookieJar())).status, 307);
    const other = await world.db.user.create({ data: { email: `other-${Date.now()}@example.com`, passwordHash: "x" } });
    const now = new Date();
    const theirs = await world.db.session.create({
      data: {
        tokenHash: hashToken(`theirs-${now.getTime()}`),
        userId: other.id,
        authTime: now,
        expiresAt: new Date(now.getTime() + 3_600_000),
      },
    });
    const mine = (await world.db.session.findMany({ where: { userId: world.userId, endedAt: null }, take: 1 }))[0]!;
    const result = await endAccountSession(
      { userId: world.userId, via: "account" },
      { userId: world.userId, currentSessionId: mine.id, sessionId: theirs.id },
    );
    assert.equal(result.ended, 0);
    assert.equal((await world.db.session.findUniqueOrThrow({ where: { id: theirs.id } })).endedAt, null);
    await assert.rejects(
      endAccountSession({ userId: world.userId, via: "account" }, { userId: world.userId, currentSessionId: mine.id, sessionId: mine.id }),
      /use Sign out/,
    );
    assert.deepEqual(
      (await listAccountSessions(world.userId, mine.id)).filter((session) => session.current).map((session) => session.id),
      [mine.id],
    );
  });

  test("an application's last use is its latest token for the person: a sign-in or a refresh", async () => {
    const app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic" });
    const other = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic" });
    const ref = async (clientId: string) => (await world.db.client.findUniqueOrThrow({ where: { clientId } })).id;
    const appRef = await ref(app.clientId);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    for (const clientRef of [appRef, await ref(other.clientId)]) {
      await world.db.consent.create({ data: { userId: world.userId, clientRef, scope: "openid email offline_access" } });
    }
    const grant = await world.db.grant.create({
      data: { userId: world.userId, clientRef: appRef, scope: "openid email offline_access", authTime: at(120), createdAt: at(120) },
    });
    await world.db.accessToken.create({
      data: { jti: `jti-${Date.now()}`, grantId: grant.id, clientRef: appRef, scope: "openid", createdAt: at(60), expiresAt: at(-5) },
    });
    await world.db.refreshToken.create({
      data: { tokenHash: hashToken(`refresh-${Date.now()}`), grantId: grant.id, scope: "openid", createdAt: at(30) },
    });
    // Another person's newer token for the same application does not count.
    const someone = await world.db.user.create({ data: { email: `someone-${Date.now()}@example.com`, passwordHash: "x" } });
    const theirGrant = await world.db.grant.create({
      data: { userId: someone.id, clientRef: appRef, scope: "openid", authTime: at(1), createdAt: at(1) },
    });
    await world.db.accessToken.create({
      data: {
        jti: `jti-theirs-${Date.now()}`,
        grantId: theirGrant.id,
        clientRef: appRef,
        scope: "openid",
        createdAt: at(1),
        expiresAt: at(-5),
      },
    });

    const applications = await listAccountApplications(world.userId);
    const mine = applications.find((entry) => entry.clientId === app.clientId)!;
    assert.ok(
      mine.lastUsedAt && Math.abs(mine.lastUsedAt.getTime() - at(30).getTime()) < 5_000,
      `refresh 30 minutes ago, got ${mine.lastUsedAt?.toISOString()}`,
    );
    assert.deepEqual(mine.scopes, ["openid", "email", "offline_access"]);
    assert.equal(applications.find((entry) => entry.clientId === other.clientId)?.lastUsedAt, null, "never used");
  });
});
