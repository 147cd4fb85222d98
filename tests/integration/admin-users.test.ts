// The users service (lib/services/users.ts) against a real database, with the real portal running
// on it: what each operation changes and audits, what it refuses (changing nothing), the
// last-admin guards, and that disabling someone stops their applications at the token endpoint.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { getDb } from "../../lib/db/index.ts";
import { ServiceError, type Actor } from "../../lib/services/errors.ts";
import * as users from "../../lib/services/users.ts";
import { CookieJar, formWith, submitForm, visit } from "../support/browserless.ts";
import { testDatabaseKind } from "../support/db.ts";
import { authorizeParams, newPkce, REDIRECT_URI, startWorld, type PortalWorld, type RegisteredClient } from "../support/oauth-http.ts";

describe(`admin users service on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let app: RegisteredClient;
  let adaEmail: string;
  let printed = "";
  const write = process.stdout.write.bind(process.stdout);
  const cli: Actor = { userId: null, via: "cli" };
  const passwords: string[] = [];
  const SERVICE_EVENTS = [
    "user.created",
    "user.disabled",
    "user.enabled",
    "user.password_reset",
    "user.role_changed",
    "session.revoked",
    "grant.revoked",
  ];

  before(async () => {
    world = await startWorld();
    // The services open the database of this process's configuration (read on first use): the portal's own.
    Object.assign(process.env, { DATABASE_URL: world.database.url, BCRYPT_COST: "4" });
    app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
    adaEmail = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
    // Audit log lines of this process, to check that no password is ever printed.
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed += String(chunk);
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
  });
  after(async () => {
    process.stdout.write = write;
    await getDb().$disconnect();
    await world?.close();
  });

  const snapshot = async () => ({
    users: await world.db.user.findMany({ orderBy: { id: "asc" } }),
    sessions: await world.db.session.findMany({ orderBy: { id: "asc" } }),
    // The service's own events: the portal writes the token endpoint's events in batches, whenever.
    audit: await world.db.auditEvent.count({ where: { type: { in: SERVICE_EVENTS } } }),
  });
  async function refuses(work: () => Promise<unknown>, field: string | null, message: RegExp): Promise<void> {
    const before = await snapshot();
    await assert.rejects(work, (error: unknown) => {
      assert.ok(error instanceof ServiceError, String(error));
      assert.match(error.message, message);
      if (field) assert.match(error.fieldErrors[field]?.join(" ") ?? "", message);
      return true;
    });
    assert.deepEqual(await snapshot(), before, "a refusal changes nothing");
  }
  const events = (type: string, subjectUserId?: string) =>
    world.db.auditEvent.findMany({ where: { type, ...(subjectUserId ? { subjectUserId } : {}) }, orderBy: { createdAt: "asc" } });

  /** A refresh token for the app, through the real authorization and token endpoints. */
  async function refreshTokenFor(cookie: string): Promise<string> {
    const pkce = newPkce();
    const authorize = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(app.clientId, pkce)}`, {
      headers: { cookie },
      redirect: "manual",
    });
    const code = new URL(authorize.headers.get("location") ?? "").searchParams.get("code");
    assert.ok(code, `no code: ${authorize.status} ${authorize.headers.get("location")}`);
    const body = await tokenRequest([
      ["grant_type", "authorization_code"],
      ["code", code],
      ["redirect_uri", REDIRECT_URI],
      ["code_verifier", pkce.verifier],
    ]);
    assert.ok(body.refresh_token, JSON.stringify(body));
    return body.refresh_token;
  }
  async function tokenRequest(entries: Array<[string, string]>): Promise<{ refresh_token?: string; error?: string }> {
    const response = await fetch(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams(entries),
    });
    return (await response.json()) as { refresh_token?: string; error?: string };
  }
  const refresh = (token: string) =>
    tokenRequest([
      ["grant_type", "refresh_token"],
      ["refresh_token", token],
    ]);

  test("createUser generates a password when none is given, hashes it, and audits without it", async () => {
    const { user, generatedPassword } = await users.createUser(cli, { email: " Root@Example.com ", name: "Root", role: "admin" });
    assert.ok(generatedPassword && generatedPassword.length >= 12);
    passwords.push(generatedPassword);
    assert.deepEqual(
      { email: user.email, name: user.name, role: user.role, disabled: user.disabled },
      { email: "root@example.com", name: "Root", role: "admin", disabled: false },
    );
    const row = await world.db.user.findUniqueOrThrow({ where: { id: user.id } });
    assert.ok(await bcrypt.compare(generatedPassword, row.passwordHash));
    const [created] = await events("user.created", user.id);
    assert.equal(created?.actorUserId, null);
    assert.deepEqual(JSON.parse(created!.detail), { email: "root@example.com", role: "admin", via: "cli", generated: true });

    const chosen = "a long enough passphrase";
    passwords.push(chosen);
    const second = await users.createUser(
      { userId: user.id, ipAddress: "127.0.0.1", via: "console" },
      { email: "bob@example.com", password: chosen },
    );
    assert.equal(second.generatedPassword, undefined);
    assert.equal(second.user.role, "user");
    assert.ok(await bcrypt.compare(chosen, (await world.db.user.findUniqueOrThrow({ where: { id: second.user.id } })).passwordHash));
    const [audited] = await events("user.created", second.user.id);
    assert.deepEqual({ actor: audited?.actorUserId, ip: audited?.ipAddress }, { actor: user.id, ip: "127.0.0.1" });
  });

  test("createUser refuses bad input with a message on its field, changing nothing", async () => {
    await refuses(
      () => users.createUser(cli, { email: "BOB@example.com", password: "another passphrase" }),
      "email",
      /A user with this email exists already/,
    );
    await refuses(() => users.createUser(cli, { email: "not an email" }), "email", /Enter an email address/);
    await refuses(
      () => users.createUser(cli, { email: "short@example.com", password: "elevenchars" }),
      "password",
      /at least 12 characters/,
    );
    await refuses(
      () => users.createUser(cli, { email: "long@example.com", password: "xy".repeat(128) + "z" }),
      "password",
      /at most 256 characters/,
    );
    await refuses(() => users.createUser(cli, { email: "common@example.com", password: "QwertyUiop123" }), "password", /too common/);
    await refuses(() => users.createUser(cli, { email: "role@example.com", role: "root" }), "role", /Choose user or admin/);
  });

  test("listUsers searches email and name in any case, and pages", async () => {
    const found = await users.listUsers({ query: "ROOT" });
    assert.deepEqual(
      found.users.map((user) => user.email),
      ["root@example.com"],
    );
    const byName = await users.listUsers({ query: "ada love" });
    assert.deepEqual(
      byName.users.map((user) => user.email),
      [adaEmail],
    );
    // Ada, Root, Bob and the admin the portal made on its first start.
    const first = await users.listUsers({ page: 1, pageSize: 3 });
    const second = await users.listUsers({ page: 2, pageSize: 3 });
    assert.equal(first.total, 4);
    assert.equal(first.pages, 2);
    assert.equal(new Set([...first.users, ...second.users].map((user) => user.id)).size, 4);
    assert.equal((await users.listUsers({ page: 99, pageSize: 3 })).page, 2, "a page past the end shows the last");
  });

  test("the last enabled admin can be neither disabled nor demoted; nobody disables themself", async () => {
    const root = (await users.listUsers({ query: "root@" })).users[0]!;
    const bob = (await users.listUsers({ query: "bob@" })).users[0]!;
    const asRoot: Actor = { userId: root.id, via: "console" };
    const asBob: Actor = { userId: bob.id, via: "console" };
    // The admin made on the first start steps down: Root is the only admin.
    const seeded = (await world.db.user.findFirstOrThrow({ where: { role: "admin", NOT: { id: root.id } } })).id;
    await users.setUserRole(asRoot, seeded, "user");
    await refuses(() => users.setUserRole(asRoot, root.id, "user"), null, /The last admin cannot be demoted/);
    await refuses(() => users.setUserDisabled(asBob, root.id, true), null, /The last enabled admin cannot be disabled/);
    await refuses(() => users.setUserDisabled(asRoot, root.id, true), null, /You cannot disable your own account/);

    await users.setUserRole(asRoot, bob.id, "admin");
    assert.deepEqual(JSON.parse((await events("user.role_changed", bob.id))[0]!.detail), {
      email: "bob@example.com",
      from: "user",
      to: "admin",
    });
    await users.setUserDisabled(asBob, root.id, true);
    // Root is disabled: Bob is the last enabled admin now.
    await refuses(() => users.setUserRole(asBob, bob.id, "user"), null, /The last admin cannot be demoted/);
    await users.setUserDisabled(asBob, root.id, false);
    assert.equal((await events("user.enabled", root.id)).length, 1);
    await users.setUserRole(asRoot, bob.id, "user");
    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: bob.id } })).role, "user");
  });

  test("disabling ends every session and revokes every grant: the refresh token then fails with invalid_grant", async () => {
    const root = (await users.listUsers({ query: "root@" })).users[0]!;
    const token = await refreshTokenFor(world.cookie);
    assert.ok((await refresh(token)).refresh_token, "the token works before");
    const liveToken = await refreshTokenFor(await world.newSessionCookie());

    const disabled = await users.setUserDisabled({ userId: root.id, ipAddress: "127.0.0.1", via: "console" }, world.userId, true);
    assert.equal(disabled.disabled, true);
    assert.equal(await world.db.session.count({ where: { userId: world.userId, endedAt: null } }), 0);
    assert.equal(await world.db.grant.count({ where: { userId: world.userId, revokedAt: null } }), 0);
    assert.equal(await world.db.refreshToken.count({ where: { grant: { userId: world.userId }, revokedAt: null } }), 0);
    assert.equal((await refresh(liveToken)).error, "invalid_grant");
    const [audited] = await events("user.disabled", world.userId);
    assert.deepEqual(JSON.parse(audited!.detail), { email: adaEmail, sessionsEnded: 2 });

    // Enabled again, they sign in anew: the old tokens and sessions stay dead.
    await users.setUserDisabled({ userId: root.id, via: "console" }, world.userId, false);
    assert.equal((await refresh(liveToken)).error, "invalid_grant");
    const account = await visit(new CookieJar(), `${world.issuer}/account`, { headers: { cookie: world.cookie } });
    assert.equal(account.status, 307);
    assert.match(account.headers.get("location") ?? "", /\/login/);
  });

  test("revoking one session or one application's access", async () => {
    const root = (await users.listUsers({ query: "root@" })).users[0]!;
    const actor: Actor = { userId: root.id, via: "console" };
    const cookie = await world.newSessionCookie();
    const token = await refreshTokenFor(cookie);
    const detail = await users.getUserDetail(world.userId);
    assert.equal(detail?.sessions.length, 1);
    assert.deepEqual(
      detail?.applications.map((a) => ({ id: a.clientId, grants: a.activeGrants })),
      [{ id: app.clientId, grants: 1 }],
    );

    await users.revokeUserGrant(actor, world.userId, app.clientId);
    assert.equal((await refresh(token)).error, "invalid_grant");
    assert.equal((await events("grant.revoked", world.userId))[0]?.clientId, app.clientId);
    assert.equal((await users.getUserDetail(world.userId))?.applications.length, 0);

    const sessionId = detail!.sessions[0]!.id;
    await users.revokeUserSession(actor, world.userId, sessionId);
    assert.ok((await world.db.session.findUniqueOrThrow({ where: { id: sessionId } })).endedAt);
    await refuses(() => users.revokeUserSession(actor, world.userId, sessionId), null, /has ended already/);
    await refuses(() => users.revokeUserGrant(actor, world.userId, "no-such-client"), null, /does not exist/);
    assert.deepEqual(JSON.parse((await events("session.revoked", world.userId))[0]!.detail), { sessionId });
  });

  test("resetPassword returns a new password once and ends the sessions", async () => {
    const cookie = await world.newSessionCookie();
    const { generatedPassword } = await users.resetPassword({ userId: null, via: "cli" }, world.userId);
    passwords.push(generatedPassword);
    assert.ok(
      await bcrypt.compare(generatedPassword, (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash),
    );
    assert.equal(await world.db.session.count({ where: { userId: world.userId, endedAt: null } }), 0);
    const account = await visit(new CookieJar(), `${world.issuer}/account`, { headers: { cookie } });
    assert.equal(account.status, 307);
    assert.equal((await events("user.password_reset", world.userId)).length, 1);
  });

  test("sign-in attempts are audited: the account or the attempted email, never the password", async () => {
    const password = passwords.at(-1)!;
    const attempt = async (email: string, secret: string) => {
      const jar = new CookieJar();
      const pageUrl = `${world.issuer}/login?return_to=%2Faccount`;
      const html = await (await visit(jar, pageUrl)).text();
      return submitForm(
        jar,
        pageUrl,
        html,
        [
          ["email", email],
          ["password", secret],
        ],
        world.issuer,
        "login",
      );
    };
    await attempt("nobody@example.com", "wrong password one");
    await attempt(adaEmail, "wrong password two");
    const signedIn = await attempt(adaEmail, password);
    assert.equal(signedIn.status, 303);

    const failed = await events("signin.failed");
    assert.deepEqual(
      failed.map((row) => ({ subject: row.subjectUserId, detail: JSON.parse(row.detail) as unknown })),
      [
        { subject: null, detail: { email: "nobody@example.com" } },
        { subject: world.userId, detail: {} },
      ],
    );
    const [succeeded] = await events("signin.succeeded");
    assert.equal(succeeded?.actorUserId, world.userId);
    assert.ok(succeeded?.ipAddress, "the address is recorded");
    assert.ok((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).lastLoginAt);
    passwords.push("wrong password one", "wrong password two");
  });

  test("consenting, signing out and withdrawing are audited; the withdrawal notice names only a real application", async () => {
    const asking = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic" });
    const jar = new CookieJar();
    const cookie = await world.newSessionCookie();
    jar.store(new Response(null, { headers: { "set-cookie": cookie } }));
    const authorize = await visit(
      jar,
      `${world.issuer}/oauth/authorize?${authorizeParams(asking.clientId, newPkce(), { scope: "openid email" })}`,
    );
    const consentUrl = new URL(authorize.headers.get("location") ?? "", world.issuer).toString();
    assert.match(consentUrl, /\/consent\?interaction=/);
    const consentPage = await (await visit(jar, consentUrl)).text();
    const allowed = await submitForm(
      jar,
      consentUrl,
      formWith(consentPage, 'name="decision"', "consent"),
      [["decision", "allow"]],
      world.issuer,
      "consent",
    );
    assert.equal(allowed.status, 303);
    const [granted] = await events("consent.granted");
    assert.deepEqual(
      { actor: granted?.actorUserId, client: granted?.clientId, detail: JSON.parse(granted!.detail) as unknown },
      { actor: world.userId, client: asking.clientId, detail: { scopes: "openid email" } },
    );

    // The notice after a withdrawal is one of the server's own texts, chosen by a key.
    const account = (query: string) =>
      visit(jar, `${world.issuer}/account?status=${encodeURIComponent(query)}`).then((response) => response.text());
    assert.doesNotMatch(await account("Your bank"), /Your bank|Access withdrawn/);
    const form = formWith(await account(""), 'name="client_id"', "withdraw");
    const withdrawal = await submitForm(jar, `${world.issuer}/account`, form, [], world.issuer, "withdraw");
    assert.equal(withdrawal.status, 303);
    assert.equal(withdrawal.headers.get("location"), "/account?status=withdrawn");
    assert.match(await account("withdrawn"), /Access withdrawn: that application can no longer use your account\./);
    const [withdrawn] = await events("consent.withdrawn");
    assert.deepEqual(
      { actor: withdrawn?.actorUserId, subject: withdrawn?.subjectUserId, client: withdrawn?.clientId },
      { actor: world.userId, subject: null, client: asking.clientId },
    );

    const logoutPage = await (await visit(jar, `${world.issuer}/logout`)).text();
    const out = await submitForm(jar, `${world.issuer}/logout`, logoutPage, [], world.issuer, "logout");
    assert.equal(out.status, 303);
    const [ended] = await events("session.ended");
    assert.equal(ended?.actorUserId, world.userId);
    const { sessionId } = JSON.parse(ended!.detail) as { sessionId: string };
    assert.ok((await world.db.session.findUniqueOrThrow({ where: { id: sessionId } })).endedAt, "that session is over");
  });

  test("no password appears in any audit row, log line or server output", async () => {
    const rows = JSON.stringify(await world.db.auditEvent.findMany());
    const output = world.portal.output() + printed;
    assert.match(output, /"event":"user.created"/, "the log lines were captured");
    for (const password of passwords) {
      assert.ok(!rows.includes(password), `an audit row holds ${password}`);
      assert.ok(!output.includes(password), `the output holds ${password}`);
    }
  });
});
