// Every document the portal serves (screens, the authorization endpoint's error page and redirects,
// end-session) carries the security headers of next.config.mjs; the JSON endpoints, which that rule
// leaves out for speed, still say nosniff themselves. The JSON endpoints go first: the database is
// then opened by a route handler before any page uses it. With an https issuer, everything says
// Strict-Transport-Security as well.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDatabase, testDatabaseKind } from "../support/db.ts";
import { authorizeParams, newPkce, REDIRECT_URI, startWorld, type PortalWorld, type RegisteredClient } from "../support/oauth-http.ts";
import { startPortal } from "../support/portal.ts";

const FORM = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=nope" };

/** A page, a refused form post, the protocol's documents and JSON endpoints, and a 404. */
const SAMPLES: ReadonlyArray<readonly [string, RequestInit]> = [
  ["/", {}],
  ["/login", {}],
  ["/login", { method: "POST", body: "x=1", headers: { "content-type": "application/x-www-form-urlencoded" } }],
  ["/no-such-page", {}],
  ["/oauth/authorize?client_id=unknown", {}],
  ["/oauth/end-session", {}],
  ["/.well-known/openid-configuration", {}],
  ["/oauth/jwks", {}],
  ["/oauth/token", FORM],
  ["/oauth/introspect", FORM],
  ["/oauth/userinfo", { headers: { authorization: "Bearer nope" } }],
  ["/api/health", {}],
];

function assertDocumentHeaders(response: Response, what: string): void {
  assert.match(response.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/, what);
  assert.equal(response.headers.get("x-frame-options"), "DENY", what);
  assert.equal(response.headers.get("referrer-policy"), "no-referrer", what);
  assert.equal(response.headers.get("x-content-type-options"), "nosniff", what);
}

describe(`security headers on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let app: RegisteredClient;

  before(async () => {
    world = await startWorld();
    app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", redirectUris: [REDIRECT_URI], skipConsent: true });
  });
  after(() => world.close());

  const get = (path: string, init: RequestInit = {}) => fetch(`${world.issuer}${path}`, { redirect: "manual", ...init });

  test("JSON endpoints say nosniff", async () => {
    const form = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=nope" };
    for (const [path, init] of [
      ["/.well-known/openid-configuration", {}],
      ["/.well-known/oauth-authorization-server", {}],
      ["/oauth/jwks", {}],
      ["/oauth/token", form],
      ["/oauth/introspect", form],
      ["/oauth/userinfo", { headers: { authorization: "Bearer nope" } }],
      ["/oauth/register", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }],
      ["/api/health", {}],
    ] as const) {
      const response = await get(path, init);
      assert.match(response.headers.get("content-type") ?? "", /json/, path);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", path);
    }
  });

  test("screens", async () => {
    for (const path of ["/", "/login", "/consent", "/logout", "/account", "/no-such-page"]) {
      assertDocumentHeaders(await get(path), path);
    }
  });

  test("the authorization endpoint's error page and its redirects", async () => {
    const page = await get("/oauth/authorize?client_id=unknown");
    assert.equal(page.status, 400);
    assertDocumentHeaders(page, "error page");
    const params = authorizeParams(app.clientId, newPkce());
    const toLogin = await get(`/oauth/authorize?${params}`);
    assert.ok(toLogin.status >= 300 && toLogin.status < 400);
    assertDocumentHeaders(toLogin, "redirect to sign-in");
    // The sign-in page of that interaction renders (server components share the database client
    // and its fast path with the route handlers, which opened it first: /api/health above).
    const loginUrl = new URL(toLogin.headers.get("location") ?? "/", world.issuer);
    const login = await get(`${loginUrl.pathname}${loginUrl.search}`);
    assert.equal(login.status, 200);
    assertDocumentHeaders(login, "sign-in page of an interaction");
    const toApp = await get(`/oauth/authorize?${params}`, { headers: { cookie: world.cookie } });
    assert.ok(toApp.headers.get("location")?.startsWith(REDIRECT_URI));
    // The redirect carries the code: no Referer from it.
    assertDocumentHeaders(toApp, "redirect to the app");
    assertDocumentHeaders(await get("/oauth/end-session"), "end-session");
  });

  test("no HSTS while the issuer is http (a browser would not keep it anyway: RFC 6797 §8.1)", async () => {
    for (const [path, init] of SAMPLES) {
      assert.equal((await get(path, init)).headers.get("strict-transport-security"), null, `${init.method ?? "GET"} ${path}`);
    }
  });
});

describe(`HSTS with an https issuer on ${testDatabaseKind()}`, () => {
  test("every page and endpoint says Strict-Transport-Security, read from ISSUER_URL at run time; pages upgrade insecure requests", async () => {
    // The server listens on http, as behind a TLS-terminating proxy; the issuer is what browsers see.
    const database = await createTestDatabase();
    const portal = await startPortal({ databaseUrl: database.url, env: { ISSUER_URL: "https://id.example.test" } });
    try {
      for (const [path, init] of SAMPLES) {
        const response = await fetch(`${portal.url}${path}`, { redirect: "manual", ...init });
        const what = `${init.method ?? "GET"} ${path} (${response.status})`;
        assert.ok(response.status < 500, what);
        assert.equal(response.headers.get("strict-transport-security"), "max-age=63072000; includeSubDomains", what);
      }
      // Documents of an https issuer never load anything over plain http.
      for (const path of ["/login", "/oauth/authorize?client_id=unknown"]) {
        const response = await fetch(`${portal.url}${path}`, { redirect: "manual" });
        assert.match(response.headers.get("content-security-policy") ?? "", /; upgrade-insecure-requests$/, path);
        await response.body?.cancel();
      }
    } finally {
      await portal.stop();
      await database.drop();
    }
  });
});
