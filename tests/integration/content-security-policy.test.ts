// The Content-Security-Policy of every document (lib/http/csp.ts), and what the authorization
// error page says (lib/http/error-page.ts). Screens get a fresh nonce per response, and every
// script of the page carries exactly that nonce; no 'unsafe-inline' for scripts. The pages the
// route handlers write run no script at all, and their one stylesheet is allowed by its hash.
// The portal runs with PORTAL_NAME and PORTAL_LOGO_URL set, which the pages show.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { testDatabaseKind } from "../support/db.ts";
import { authorizeParams, newPkce, REDIRECT_URI, startWorld, type PortalWorld, type RegisteredClient } from "../support/oauth-http.ts";

const PORTAL_NAME = "Acme Sign-in";
const PORTAL_LOGO_URL = "https://cdn.acme.example/logo.svg";

/** The policy's directives by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function nonceOf(policy: string): string {
  const match = /'nonce-([^']+)'/.exec(directives(policy).get("script-src")?.join(" ") ?? "");
  assert.ok(match, `no nonce in ${policy}`);
  return match[1]!;
}

/** Every <script> tag's nonce attribute (null when it has none). */
function scriptNonces(html: string): (string | null)[] {
  return [...html.matchAll(/<script\b[^>]*>/g)].map((tag) => /\snonce="([^"]*)"/.exec(tag[0])?.[1] ?? null);
}

describe(`Content-Security-Policy and the error page on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let app: RegisteredClient;

  before(async () => {
    world = await startWorld({ env: { PORTAL_NAME, PORTAL_LOGO_URL } });
    app = await world.addClient({ name: "Seed Catalogue", tokenEndpointAuthMethod: "client_secret_basic", redirectUris: [REDIRECT_URI] });
  });
  after(() => world.close());

  const get = (path: string, init: RequestInit = {}) => fetch(`${world.issuer}${path}`, { redirect: "manual", ...init });

  test("a page's policy has a nonce of its own, and every script of the page carries it", async () => {
    const seen = new Set<string>();
    for (const [path, cookie] of [
      ["/login", undefined],
      ["/login", undefined],
      ["/account", world.cookie],
      ["/no-such-page", undefined],
      ["/", undefined],
    ] as const) {
      const response = await get(path, cookie ? { headers: { cookie } } : {});
      const policy = response.headers.get("content-security-policy") ?? "";
      const nonce = nonceOf(policy);
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/, "128 random bits, base64");
      assert.ok(!seen.has(nonce), `${path}: a nonce used before`);
      seen.add(nonce);

      const parsed = directives(policy);
      assert.deepEqual(parsed.get("script-src"), ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"], path);
      assert.ok(!policy.includes("unsafe-eval"), path);
      assert.deepEqual(parsed.get("style-src"), ["'self'", `'nonce-${nonce}'`], path);
      assert.deepEqual(parsed.get("style-src-attr"), ["'unsafe-inline'"], path);
      assert.deepEqual(parsed.get("default-src"), ["'self'"]);
      assert.deepEqual(parsed.get("object-src"), ["'none'"]);
      assert.deepEqual(parsed.get("base-uri"), ["'none'"]);
      assert.deepEqual(parsed.get("frame-ancestors"), ["'none'"]);
      assert.ok(parsed.get("img-src")?.includes("https:"), "applications' logos are https URLs");
      assert.equal(parsed.has("upgrade-insecure-requests"), false, "an http issuer's pages load from http");

      const html = await response.text();
      const nonces = scriptNonces(html);
      assert.ok(nonces.length >= 3, `${path}: Next.js's scripts`);
      assert.deepEqual(new Set(nonces), new Set([nonce]), `${path}: every script has the response's nonce`);
      const sheets = [...html.matchAll(/<(?:style\b|link\b[^>]*rel="stylesheet")[^>]*>/g)].map((tag) => tag[0]);
      assert.ok(sheets.length >= 1, `${path}: the portal's stylesheet`);
      for (const tag of sheets) assert.ok(tag.includes(`nonce="${nonce}"`), `${path}: ${tag}`);
      assert.match(html, new RegExp(`<title>[^<]*${PORTAL_NAME}</title>`), path);
    }
  });

  test("the sign-in page shows the configured name and logo", async () => {
    const html = await (await get("/login")).text();
    assert.match(html, /<img src="https:\/\/cdn\.acme\.example\/logo\.svg" alt=""/);
    assert.match(html, new RegExp(`<span>${PORTAL_NAME}</span>`));
    assert.match(html, new RegExp(`to your ${PORTAL_NAME} account`));
  });

  test("an unregistered redirect URI: plain words, the cause for the developer, no script, nothing registered", async () => {
    const sent = "https://attacker.example/cb?<b>x</b>";
    const response = await get(`/oauth/authorize?${authorizeParams(app.clientId, newPkce(), { redirect_uri: sent })}`);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("location"), null);
    const html = await response.text();
    assert.match(html, /<h1>This application sent you here with an address it has not registered<\/h1>/);
    assert.match(html, /<h2 id="developer">For the application's developer<\/h2>/);
    assert.ok(html.includes(`<dt>client_id</dt><dd><code>${app.clientId}</code></dd>`));
    assert.ok(html.includes("<dt>redirect_uri received</dt><dd><code>https://attacker.example/cb?&lt;b&gt;x&lt;/b&gt;</code></dd>"));
    assert.ok(html.includes("invalid_request: redirect_uri is not registered for this client"));
    assert.ok(!html.includes(REDIRECT_URI), "the registered redirect URI is not shown");
    assert.ok(!html.includes(app.clientSecret!));
    assert.ok(!html.includes("<b>"), "what was sent is escaped");
    assert.match(html, new RegExp(`<title>Cannot continue · ${PORTAL_NAME}</title>`));
    assert.ok(html.includes(`<img src="${PORTAL_LOGO_URL}" alt=""`));
    assert.ok(!/<script/i.test(html));

    const policy = directives(response.headers.get("content-security-policy") ?? "");
    assert.deepEqual(policy.get("default-src"), ["'none'"]);
    assert.equal(policy.has("script-src"), false, "default-src 'none' refuses every script");
    assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(policy.get("form-action"), ["'none'"]);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    assert.deepEqual(policy.get("style-src"), [`'sha256-${createHash("sha256").update(style).digest("base64")}'`]);
  });

  test("an unknown client and a missing redirect URI, in their own words", async () => {
    const unknown = await get("/oauth/authorize?client_id=no-such-app&redirect_uri=https%3A%2F%2Fsomewhere.example%2F");
    assert.equal(unknown.status, 400);
    const unknownHtml = await unknown.text();
    assert.match(unknownHtml, /<h1>This application is not known to this portal<\/h1>/);
    assert.ok(unknownHtml.includes("<dt>client_id</dt><dd><code>no-such-app</code></dd>"), "the client_id as received");

    const missing = await get(`/oauth/authorize?${authorizeParams(app.clientId, newPkce(), { redirect_uri: undefined })}`);
    const missingHtml = await missing.text();
    assert.match(missingHtml, /<h1>This application did not say where to send you back<\/h1>/);
    assert.ok(!missingHtml.includes("redirect_uri received"));

    const expired = await get("/consent?interaction=nope", { headers: { cookie: world.cookie } });
    assert.match(await expired.text(), /This request cannot continue/);
  });

  test("the endpoints' redirects carry a policy that renders nothing; end-session's error page is the same page", async () => {
    const toLogin = await get(`/oauth/authorize?${authorizeParams(app.clientId, newPkce())}`);
    assert.equal(toLogin.status, 303);
    assert.equal(
      toLogin.headers.get("content-security-policy"),
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const endSession = await get("/oauth/end-session");
    assert.equal(endSession.status, 303);
    assert.equal(
      endSession.headers.get("content-security-policy"),
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const repeated = await get("/oauth/end-session?state=a&state=b");
    assert.equal(repeated.status, 400);
    assert.match(repeated.headers.get("content-security-policy") ?? "", /^default-src 'none'; style-src 'sha256-/);
    assert.match(await repeated.text(), /<h1>This request cannot continue<\/h1>/);
  });

  test("a 404 under the protocol's prefixes runs no script", async () => {
    for (const path of ["/oauth/no-such-endpoint", "/api/nope", "/.well-known/nope"]) {
      const response = await get(path);
      assert.equal(response.status, 404, path);
      const policy = directives(response.headers.get("content-security-policy") ?? "");
      assert.deepEqual(policy.get("script-src"), ["'none'"], path);
      assert.deepEqual(policy.get("frame-ancestors"), ["'none'"], path);
      await response.body?.cancel();
    }
  });

  test("the JSON endpoints carry no page policy (they are not documents)", async () => {
    for (const path of ["/.well-known/openid-configuration", "/oauth/jwks", "/api/health"]) {
      const response = await get(path);
      assert.equal(response.headers.get("content-security-policy"), null, path);
      await response.body?.cancel();
    }
  });
});
