// Forgot password, email verification and self-service sign-up (lib/services/account-recovery.ts,
// email-verification.ts, signup.ts) against a real database, the real portal running on it, and a
// real SMTP server on loopback that receives the mail: what each step changes and audits, that the
// answer never depends on whether an account exists, that every unusable link changes nothing,
// and that an unverified self-registered account gets no code. A second portal runs as installed
// by default: sign-up off, no SMTP_URL (mail written to its output).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { createSession } from "../../lib/auth/sessions.ts";
import { getDb } from "../../lib/db/index.ts";
import { findUsableLink, UnusableLink } from "../../lib/services/account-links.ts";
import { completePasswordReset, requestPasswordReset } from "../../lib/services/account-recovery.ts";
import { settleDeferred } from "../../lib/services/deferred.ts";
import { requestEmailVerification, verifyEmail } from "../../lib/services/email-verification.ts";
import { ServiceError } from "../../lib/services/errors.ts";
import { signIn } from "../../lib/services/sign-in.ts";
import { signUp } from "../../lib/services/signup.ts";
import { CookieJar, submitForm, visit } from "../support/browserless.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  authorizeParams,
  newPkce,
  REDIRECT_URI,
  SESSION_POLICY,
  startWorld,
  type PortalWorld,
  type RegisteredClient,
} from "../support/oauth-http.ts";
import { defaultPortalSecret } from "../support/portal.ts";
import { linkIn, startMailbox, type TestMailbox } from "../support/smtp.ts";

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe(`account recovery, verification and sign-up on ${testDatabaseKind()}`, () => {
  let mailbox: TestMailbox;
  let world: PortalWorld;
  let app: RegisteredClient;
  let adaEmail: string;
  let address = 0;
  /** A client address of its own for each request, so the per-address limit stays out of the way. */
  const ip = () => `198.51.100.${++address}`;
  const PASSWORD = "correct horse battery staple";

  before(async () => {
    mailbox = await startMailbox();
    const env = { SMTP_URL: mailbox.url, SIGNUP_ENABLED: "true", MAIL_FROM: "Portal <no-reply@example.com>" };
    world = await startWorld({ env });
    // The services of this process use the portal's database and settings (read on first use).
    // Sign-in (known-device cookies) needs the portal's secret: its file on SQLite, the test one on PostgreSQL.
    Object.assign(process.env, {
      DATABASE_URL: world.database.url,
      DATA_DIR: world.portal.dataDir,
      ...defaultPortalSecret(world.database.url),
      BCRYPT_COST: "4",
      ISSUER_URL: world.issuer,
      AUDIT_LOG: "off",
      ...env,
    });
    app = await world.addClient({
      tokenEndpointAuthMethod: "client_secret_basic",
      skipConsent: true,
      scopes: ["openid", "email", "offline_access"],
    });
    adaEmail = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
  });
  after(async () => {
    await settleDeferred();
    await getDb().$disconnect();
    await world?.close();
    await mailbox?.close();
  });

  async function tokenRequest(
    entries: Array<[string, string]>,
  ): Promise<{ refresh_token?: string; id_token?: string; access_token?: string; error?: string }> {
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
  /** The authorization endpoint's answer for a browser with this cookie: a code, or where it sends the person. */
  async function authorize(cookie: string, overrides: Record<string, string> = {}) {
    const pkce = newPkce();
    const params = authorizeParams(app.clientId, pkce, { scope: "openid email offline_access", ...overrides });
    const response = await fetch(`${world.issuer}/oauth/authorize?${params}`, { headers: { cookie }, redirect: "manual" });
    const location = new URL(response.headers.get("location") ?? "", world.issuer);
    return { location, code: location.searchParams.get("code"), pkce };
  }
  async function tokensFor(cookie: string) {
    const { code, pkce, location } = await authorize(cookie);
    assert.ok(code, `no code: ${location}`);
    const body = await tokenRequest([
      ["grant_type", "authorization_code"],
      ["code", code],
      ["redirect_uri", REDIRECT_URI],
      ["code_verifier", pkce.verifier],
    ]);
    assert.ok(body.refresh_token && body.id_token && body.access_token, JSON.stringify(body));
    return body as { refresh_token: string; id_token: string; access_token: string };
  }
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
  async function userinfo(accessToken: string): Promise<Record<string, unknown>> {
    return (await (
      await fetch(`${world.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })
    ).json()) as Record<string, unknown>;
  }
  async function cookieFor(userId: string): Promise<string> {
    const { token } = await createSession(world.db, userId, SESSION_POLICY, new Date());
    return `portal_session=${token}`;
  }
  async function resetLinkFor(email: string): Promise<string> {
    assert.deepEqual(await requestPasswordReset({ email, ipAddress: ip() }), { ok: true });
    await settleDeferred();
    return linkIn(await mailbox.next(email, /Reset your/), "/reset-password");
  }
  const events = (type: string) => world.db.auditEvent.findMany({ where: { type }, orderBy: { createdAt: "asc" } });
  async function unusable(work: () => Promise<unknown>): Promise<void> {
    await assert.rejects(work, (error: unknown) => error instanceof UnusableLink);
  }

  test("a reset request answers the same for an unknown address, mails only an account, and stores only the link's hash", async () => {
    const unknown = await requestPasswordReset({ email: "nobody@example.com", ipAddress: ip() });
    const known = await requestPasswordReset({ email: ` ${adaEmail.toUpperCase()} `, ipAddress: ip() });
    assert.deepEqual(unknown, known);
    await settleDeferred();
    const mail = await mailbox.next(adaEmail, /Reset your/);
    assert.match(mail.from, /no-reply@example\.com/);
    assert.deepEqual(mailbox.unread("nobody@example.com"), []);
    const token = tokenOf(linkIn(mail, "/reset-password"));
    assert.ok(new URL(linkIn(mail, "/reset-password")).href.startsWith(`${world.issuer}/reset-password?token=`));
    const rows = await world.db.accountLink.findMany({ where: { userId: world.userId } });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.tokenHash, createHash("sha256").update(token).digest("hex"));
    assert.ok(!JSON.stringify(rows).includes(token), "the link's secret is not stored");
    const requested = await events("password_reset.requested");
    // Both requests, in either order: the unknown address's answer waits as long as a mailing does.
    assert.deepEqual(
      requested.map((event) => JSON.parse(event.detail) as { email: string }).sort((a, b) => a.email.localeCompare(b.email)),
      [
        { email: adaEmail, sent: true },
        { email: "nobody@example.com", sent: false },
      ].sort((a, b) => a.email.localeCompare(b.email)),
    );
    assert.ok(!JSON.stringify(await world.db.auditEvent.findMany()).includes(token), "nor audited");
    // 30 minutes.
    assert.equal(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime(), 30 * 60_000);
  });

  test("the link sets a new password once: every session ends, the refresh token fails, the account's sign-in lock goes", async () => {
    const refresh = (await tokensFor(await world.newSessionCookie())).refresh_token;
    for (let attempt = 0; attempt < 10; attempt++) await signIn({ email: adaEmail, password: `wrong ${attempt}`, ipAddress: ip() });
    assert.equal((await signIn({ email: adaEmail, password: PASSWORD, ipAddress: ip() })).ok, false, "locked");
    const link = await resetLinkFor(adaEmail);
    const { email } = await completePasswordReset({ token: tokenOf(link), password: "a new passphrase for ada", ipAddress: "192.0.2.9" });
    assert.equal(email, adaEmail);

    const ada = await world.db.user.findUniqueOrThrow({ where: { id: world.userId } });
    assert.ok(await bcrypt.compare("a new passphrase for ada", ada.passwordHash));
    assert.equal(await world.db.session.count({ where: { userId: world.userId, endedAt: null } }), 0);
    assert.equal(
      (
        await tokenRequest([
          ["grant_type", "refresh_token"],
          ["refresh_token", refresh],
        ])
      ).error,
      "invalid_grant",
    );
    const [completed] = await events("password_reset.completed");
    assert.equal(completed?.actorUserId, world.userId);
    assert.equal(completed?.ipAddress, "192.0.2.9");
    assert.ok(!completed?.detail.includes("passphrase"));
    assert.equal((await signIn({ email: adaEmail, password: "a new passphrase for ada", ipAddress: ip() })).ok, true, "no longer locked");

    // Used: the second time changes nothing.
    await unusable(() => completePasswordReset({ token: tokenOf(link), password: "yet another passphrase", ipAddress: undefined }));
    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash, ada.passwordHash);
    assert.equal((await events("password_reset.completed")).length, 1);
  });

  test("forged, expired and replaced links, and links ended by a sign-in, change nothing; a bad password keeps the link", async () => {
    const hashBefore = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash;
    const attempt = (token: string) => completePasswordReset({ token, password: "a password nobody sets", ipAddress: undefined });
    await unusable(() => attempt("A".repeat(43)));
    await unusable(() => attempt("not a token"));
    await unusable(() => attempt(""));

    const first = tokenOf(await resetLinkFor(adaEmail));
    const second = tokenOf(await resetLinkFor(adaEmail));
    assert.equal(await findUsableLink(first, "password_reset"), null, "replaced by the newer link");
    await unusable(() => attempt(first));

    await assert.rejects(
      () => completePasswordReset({ token: second, password: "short", ipAddress: undefined }),
      (error: unknown) =>
        error instanceof ServiceError && !(error instanceof UnusableLink) && /at least 12/.test(error.fieldErrors.password?.[0] ?? ""),
    );
    assert.ok(await findUsableLink(second, "password_reset"), "a refused password leaves the link usable");
    // Signing in with the password proves it was not forgotten: the link ends.
    assert.equal((await signIn({ email: adaEmail, password: "a new passphrase for ada", ipAddress: ip() })).ok, true);
    await unusable(() => attempt(second));

    const third = tokenOf(await resetLinkFor(adaEmail));
    await world.db.accountLink.updateMany({
      where: { tokenHash: createHash("sha256").update(third).digest("hex") },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await unusable(() => attempt(third));
    // A verification link is not a reset link.
    assert.deepEqual(await requestEmailVerification({ userId: world.userId, via: "account" }, world.userId), { ok: true });
    await settleDeferred();
    const verification = tokenOf(linkIn(await mailbox.next(adaEmail, /Confirm your email/), "/verify-email"));
    await unusable(() => attempt(verification));

    assert.equal((await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).passwordHash, hashBefore);
  });

  test("reset requests are limited per address typed (known or not) and per client address", async () => {
    for (const email of ["limit@example.com", "Limit@example.com ", "limit@example.com", "limit@example.com", "limit@example.com"]) {
      assert.deepEqual(await requestPasswordReset({ email, ipAddress: ip() }), { ok: true });
    }
    const refused = await requestPasswordReset({ email: "limit@example.com", ipAddress: ip() });
    assert.ok(!refused.ok && refused.retryAfterSeconds > 0 && refused.retryAfterSeconds <= 15 * 60);
    for (let index = 0; index < 20; index++)
      assert.equal((await requestPasswordReset({ email: `someone-${index}@example.com`, ipAddress: "203.0.113.50" })).ok, true);
    assert.equal((await requestPasswordReset({ email: "someone-else@example.com", ipAddress: "203.0.113.50" })).ok, false);
    await assert.rejects(
      () => requestPasswordReset({ email: "not an address", ipAddress: ip() }),
      (error: unknown) => error instanceof ServiceError && Boolean(error.fieldErrors.email),
    );
    await settleDeferred();
  });

  test("verification on demand sets email_verified in the ID token and at UserInfo; the link works once", async () => {
    const before = await tokensFor(await world.newSessionCookie());
    assert.equal(claimsOf(before.id_token).email_verified, false);
    assert.equal((await userinfo(before.access_token)).email_verified, false);
    assert.deepEqual(await requestEmailVerification({ userId: world.userId, via: "account" }, world.userId), { ok: true });
    await settleDeferred();
    const token = tokenOf(linkIn(await mailbox.next(adaEmail, /Confirm your email/), "/verify-email"));
    assert.deepEqual(await verifyEmail({ token, ipAddress: undefined }), { userId: world.userId, email: adaEmail });
    const after = await tokensFor(await world.newSessionCookie());
    assert.equal(claimsOf(after.id_token).email_verified, true);
    assert.equal((await userinfo(after.access_token)).email_verified, true);
    assert.equal((await events("email.verified")).length, 1);
    await unusable(() => verifyEmail({ token, ipAddress: undefined }));
  });

  test("sign-up: a new address must verify before any code; an address with an account gets the same answer and another mail", async () => {
    const email = "katherine@example.com";
    const answer = await signUp({
      email: " Katherine@Example.com",
      name: "Katherine",
      password: "orbital mechanics by hand",
      ipAddress: ip(),
    });
    assert.deepEqual(answer, { ok: true });
    await settleDeferred();
    const user = await world.db.user.findUniqueOrThrow({ where: { email } });
    assert.equal(user.selfSignedUp, true);
    assert.equal(user.emailVerified, false);
    assert.equal(user.name, "Katherine");
    const [signedUp] = await events("user.signed_up");
    assert.equal(signedUp?.actorUserId, user.id);
    const link = linkIn(await mailbox.next(email, /Confirm your email/), "/verify-email");

    // Unverified: even a first-party (skip-consent) application gets no code, but the consent step.
    const cookie = await cookieFor(user.id);
    const held = await authorize(cookie);
    assert.equal(held.code, null);
    assert.equal(held.location.pathname, "/consent");
    const silent = await authorize(cookie, { prompt: "none" });
    assert.equal(silent.location.searchParams.get("error"), "consent_required");

    await verifyEmail({ token: tokenOf(link), ipAddress: undefined });
    const tokens = await tokensFor(cookie);
    assert.deepEqual([claimsOf(tokens.id_token).email, claimsOf(tokens.id_token).email_verified], [email, true]);

    // The same address again, and one with an admin-made account: the same answer, no change.
    const users = await world.db.user.count();
    const hashes = await world.db.user.findMany({ select: { passwordHash: true }, orderBy: { id: "asc" } });
    for (const again of [email, adaEmail]) {
      assert.deepEqual(await signUp({ email: again, password: "an attacker's passphrase", ipAddress: ip() }), answer);
    }
    await settleDeferred();
    assert.equal(await world.db.user.count(), users);
    assert.deepEqual(await world.db.user.findMany({ select: { passwordHash: true }, orderBy: { id: "asc" } }), hashes);
    for (const again of [email, adaEmail]) assert.match((await mailbox.next(again, /already have/)).text, /\/forgot-password/);
    assert.equal((await events("user.signed_up")).length, 1);

    await assert.rejects(
      () => signUp({ email: "grace@example.com", password: "password1234", ipAddress: ip() }),
      (error: unknown) => error instanceof ServiceError && /common/.test(error.fieldErrors.password?.[0] ?? ""),
    );
    assert.equal(await world.db.user.count({ where: { email: "grace@example.com" } }), 0);
  });

  test("the pages: sign-up is linked from sign-in and served; unusable links get a page that offers a new one", async () => {
    const login = await (await fetch(`${world.issuer}/login`)).text();
    assert.match(login, /href="\/forgot-password"/);
    assert.match(login, /href="\/signup"/);
    assert.equal((await fetch(`${world.issuer}/signup`)).status, 200);
    for (const path of ["/reset-password?token=forged", "/reset-password", `/reset-password?token=${"A".repeat(43)}`]) {
      const html = await (await fetch(`${world.issuer}${path}`)).text();
      assert.match(html, /This link cannot be used/, path);
      assert.match(html, /href="\/forgot-password"/, path);
    }
    assert.match(await (await fetch(`${world.issuer}/verify-email?token=forged`)).text(), /This link cannot be used/);
  });
});

describe(`as installed by default on ${testDatabaseKind()}: sign-up off, no SMTP_URL`, () => {
  let world: PortalWorld;
  let email: string;
  before(async () => {
    // Empty is unset (lib/env.ts): this process's own settings (the suite above) must not leak in.
    world = await startWorld({ env: { SMTP_URL: "", SIGNUP_ENABLED: "", MAIL_FROM: "" } });
    email = (await world.db.user.findUniqueOrThrow({ where: { id: world.userId } })).email;
  });
  after(() => world?.close());

  test("/signup is not found and not linked", async () => {
    assert.equal((await fetch(`${world.issuer}/signup`)).status, 404);
    const login = await (await fetch(`${world.issuer}/login`)).text();
    assert.doesNotMatch(login, /href="\/signup"/);
    assert.match(login, /Forgot your password\?/);
  });

  test("a reset request without SMTP_URL writes the message, link included, to the server's output", async () => {
    const ask = async (address: string) => {
      const jar = new CookieJar();
      const pageUrl = `${world.issuer}/forgot-password`;
      const page = await visit(jar, pageUrl);
      const response = await submitForm(jar, pageUrl, await page.text(), [["email", address]], world.issuer, "forgot password");
      assert.equal(response.status, 200);
      return (await response.text()).includes(`belongs to an account`);
    };
    assert.equal(await ask("nobody@example.com"), true);
    assert.equal(await ask(email), true);
    const deadline = Date.now() + 15_000;
    while (!world.portal.output().includes(`/reset-password?token=`) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const output = world.portal.output();
    assert.match(
      output,
      new RegExp(
        `mail not sent \\(SMTP_URL is not set\\): to ${email.replace(/[.]/g, "\\.")}, subject "Reset your Identity Portal password"`,
      ),
    );
    assert.match(output, /\| http:\/\/127\.0\.0\.1:\d+\/reset-password\?token=[A-Za-z0-9_-]{43}/);
    assert.doesNotMatch(output, /mail not sent[^\n]*nobody@example\.com/);
  });
});
