// Every admin page and every admin server action refuses whoever is not an admin: a signed-out
// visitor is sent to sign in, a signed-in user gets 403, and a direct POST of an action (the way
// a script would call it, without the page) changes nothing. An admin whose sign-in is older
// than ADMIN_REAUTH_SECONDS must sign in again before an action runs. The pages and forms are
// found by crawling the console as an admin, so a new page or form is covered without a new test.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../../lib/auth/password.ts";
import { createSession } from "../../lib/auth/sessions.ts";
import { createClient } from "../../lib/db/clients.ts";
import { createUser } from "../../lib/db/users.ts";
import { createInitialAccessToken } from "../../lib/services/initial-access-tokens.ts";
import { rotateSigningKeys } from "../../lib/services/keys.ts";
import { parseForms, type ParsedForm } from "../support/browserless.ts";
import { testDatabaseKind } from "../support/db.ts";
import { SESSION_POLICY, startWorld, type PortalWorld } from "../support/oauth-http.ts";

const MAX_PAGES = 40;

describe(`the admin console's guard on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let admin: string;
  let staleAdmin: string;
  let plainUser: string;
  /** Every admin page reached from /admin, and the action forms on it. */
  const pages = new Map<string, ParsedForm[]>();

  before(async () => {
    // The services in this process open the keys with the portal's own secret.
    const secret = "admin-guard-test-portal-secret-of-enough-length";
    process.env.PORTAL_SECRET = secret;
    world = await startWorld({ env: { ADMIN_REAUTH_SECONDS: "600", PORTAL_SECRET: secret } });
    const adminUser = await createUser(world.db, {
      email: "root@example.com",
      passwordHash: await hashPassword("unused password", 4),
      role: "admin",
    });
    const cookieOf = async (userId: string, at = new Date()) =>
      `portal_session=${(await createSession(world.db, userId, SESSION_POLICY, at)).token}`;
    admin = await cookieOf(adminUser.id);
    staleAdmin = await cookieOf(adminUser.id, new Date(Date.now() - 20 * 60_000));
    plainUser = world.cookie;
    // Something for the detail pages to show (and their forms to aim at).
    await createClient(world.db, {
      name: "Guarded App",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: ["https://app.example/cb"],
    });
    await rotateSigningKeys({ userId: null, via: "cli" }, { alg: "ES256" }, world.db); // a retired key to withdraw
    await createInitialAccessToken({ userId: null, via: "cli" }, { description: "to revoke" }, world.db);
    await crawl();
  });
  after(() => world?.close());

  async function crawl(): Promise<void> {
    const queue = ["/admin"];
    while (queue.length > 0 && pages.size < MAX_PAGES) {
      const path = queue.shift()!;
      if (pages.has(path)) continue;
      const response = await fetch(`${world.issuer}${path}`, { headers: { cookie: admin }, redirect: "manual" });
      assert.equal(response.status, 200, `${path} answers the admin`);
      const html = await response.text();
      pages.set(
        path,
        parseForms(html).filter((form) => form.fields.some(([name]) => name.startsWith("$ACTION"))),
      );
      for (const [, href] of html.matchAll(/href="(\/admin[^"#]*)"/g)) {
        const target = href!.replace(/&amp;/g, "&");
        if (!pages.has(target) && !queue.includes(target)) queue.push(target);
      }
    }
  }

  /** What any change leaves behind: the change counter moves and an audit row is written. */
  async function changeMarks(): Promise<string> {
    const [counter, audit] = await Promise.all([
      world.db.changeCounter.findUnique({ where: { id: 1 } }),
      world.db.auditEvent.count({ where: { NOT: { type: { startsWith: "signin." } } } }),
    ]);
    return JSON.stringify({ version: counter?.version, audit });
  }

  function post(path: string, form: ParsedForm, cookie: string | undefined): Promise<Response> {
    const body = form.multipart ? new FormData() : new URLSearchParams();
    for (const [name, value] of form.fields) body.append(name, value);
    const target =
      form.action && !form.action.startsWith("javascript:") ? new URL(form.action, `${world.issuer}${path}`) : new URL(path, world.issuer);
    return fetch(target, { method: "POST", body, redirect: "manual", headers: { origin: world.issuer, ...(cookie ? { cookie } : {}) } });
  }

  test("the crawl found the console's sections and their forms", () => {
    for (const section of ["/admin/clients", "/admin/users", "/admin/keys", "/admin/registration-tokens", "/admin/audit"]) {
      assert.ok(pages.has(section), `${section} is linked from the console`);
    }
    assert.ok(pages.size >= 8, `${pages.size} pages: ${[...pages.keys()].join(" ")}`);
    const forms = [...pages.values()].reduce((sum, found) => sum + found.length, 0);
    assert.ok(forms >= 10, `${forms} action forms`);
    console.log(`crawled ${pages.size} admin pages with ${forms} action forms: ${[...pages.keys()].join(" ")}`);
  });

  test("a signed-out visitor is sent to sign in, and back, from every admin page", async () => {
    for (const path of pages.keys()) {
      const response = await fetch(`${world.issuer}${path}`, { redirect: "manual" });
      assert.ok([303, 307].includes(response.status), `${path}: ${response.status}`);
      const location = new URL(response.headers.get("location")!, world.issuer);
      assert.equal(location.pathname, "/login", path);
      assert.ok(location.searchParams.get("return_to")?.startsWith("/admin"), path);
    }
  });

  test("a signed-in user who is not an admin gets 403 on every admin page", async () => {
    for (const path of pages.keys()) {
      const response = await fetch(`${world.issuer}${path}`, { headers: { cookie: plainUser }, redirect: "manual" });
      assert.equal(response.status, 403, path);
      await response.body?.cancel();
    }
  });

  test("every admin action posted directly, signed out or as a plain user, is refused and changes nothing", async () => {
    const before = await changeMarks();
    let posted = 0;
    for (const [path, forms] of pages) {
      for (const form of forms) {
        const signedOut = await post(path, form, undefined);
        assert.ok(signedOut.status === 303 || signedOut.status === 307, `${path} signed out: ${signedOut.status}`);
        assert.equal(new URL(signedOut.headers.get("location")!, world.issuer).pathname, "/login");
        // The action's guard calls forbidden(); for a form posted without JavaScript Next.js renders
        // that as its 404 page rather than the 403 one. Either way: refused, and nothing changed.
        const user = await post(path, form, plainUser);
        assert.ok(user.status === 403 || user.status === 404, `${path} as a plain user: ${user.status}`);
        await user.body?.cancel();
        posted += 2;
      }
    }
    assert.ok(posted > 0);
    assert.equal(await changeMarks(), before);
  });

  test("an admin whose sign-in is older than ADMIN_REAUTH_SECONDS signs in again before any action runs", async () => {
    const before = await changeMarks();
    for (const [path, forms] of pages) {
      for (const form of forms) {
        const response = await post(path, form, staleAdmin);
        assert.ok(response.status === 303 || response.status === 307, `${path}: ${response.status}`);
        const location = new URL(response.headers.get("location")!, world.issuer);
        assert.equal(location.pathname, "/login");
        assert.equal(location.searchParams.get("reauth"), "1");
      }
    }
    assert.equal(await changeMarks(), before);
  });
});
