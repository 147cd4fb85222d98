// The authorization endpoint of the running portal over HTTP (docs/protocol.md, "Authorization
// endpoint"): the real server started as `npm start` does, a
// signed-in browser session made directly in its database. Setup and helpers:
// tests/support/oauth-http-suite.ts.
import assert from "node:assert/strict";
import { describe, test, before } from "node:test";
import { jwtVerify } from "jose";
import { createSession } from "../../lib/auth/sessions.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  nodeRequest,
  REDIRECT_URI,
  SESSION_POLICY,
  type Pkce,
  type PortalWorld,
  type RegisteredClient,
} from "../support/oauth-http.ts";
import {
  FORM,
  LOOPBACK_REDIRECT,
  form,
  nastyState,
  type TokenBody,
  type Entries,
  oauthHttpSuite,
  type SuiteState,
} from "../support/oauth-http-suite.ts";

describe(`The authorization endpoint over HTTP on ${testDatabaseKind()}`, () => {
  const suite = oauthHttpSuite();
  const {
    authorize,
    assertErrorPage,
    assertRedirectError,
    assertCodeRedirect,
    assertInteraction,
    codeFor,
    redeem,
    assertTokens,
    assertTokenError,
  } = suite.helpers;
  let world: PortalWorld;
  let issuer: string;
  let web: RegisteredClient;
  let asksConsent: RegisteredClient;
  let native: RegisteredClient;
  let jwks: SuiteState["jwks"];
  before(() => {
    ({ world, issuer, web, asksConsent, native, jwks } = suite.state);
  });

  describe("authorization endpoint: client and redirect URI failures show a page and never redirect", () => {
    const cases: ReadonlyArray<{ name: string; params: (pkce: Pkce) => URLSearchParams }> = [
      { name: "missing client_id", params: (pkce) => authorizeParams(web.clientId, pkce, { client_id: undefined }) },
      { name: "empty client_id", params: (pkce) => authorizeParams(web.clientId, pkce, { client_id: "" }) },
      { name: "unknown client_id", params: (pkce) => authorizeParams("no-such-client", pkce) },
      { name: "a 300-character client_id", params: (pkce) => authorizeParams("c".repeat(300), pkce) },
      {
        name: "repeated client_id",
        params: (pkce) => {
          const params = authorizeParams(web.clientId, pkce);
          params.append("client_id", web.clientId);
          return params;
        },
      },
      // PostgreSQL text cannot hold U+0000: the lookup must not reach the database with it.
      { name: "a NUL byte in client_id", params: (pkce) => authorizeParams(`${web.clientId}\u0000`, pkce) },
      { name: "missing redirect_uri", params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: undefined }) },
      {
        name: "a NUL byte in redirect_uri",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: `${REDIRECT_URI}\u0000` }),
      },
      {
        name: "unregistered redirect_uri",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: "https://evil.example.com/callback" }),
      },
      {
        name: "redirect_uri with an extra path segment",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: `${REDIRECT_URI}/more` }),
      },
      {
        name: "redirect_uri with a trailing slash",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: `${REDIRECT_URI}/` }),
      },
      {
        name: "redirect_uri with an added query",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: `${REDIRECT_URI}?next=/x` }),
      },
      {
        name: "redirect_uri with a fragment",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: `${REDIRECT_URI}#x` }),
      },
      {
        name: "redirect_uri in another case",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: REDIRECT_URI.toUpperCase() }),
      },
      {
        name: "redirect_uri over http",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: REDIRECT_URI.replace("https:", "http:") }),
      },
      {
        name: "redirect_uri with an explicit port",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: "https://app.example.com:443/callback" }),
      },
      {
        name: "redirect_uri with userinfo",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: "https://app.example.com@evil.example.com/callback" }),
      },
      {
        name: "repeated redirect_uri",
        params: (pkce) => {
          const params = authorizeParams(web.clientId, pkce);
          params.append("redirect_uri", REDIRECT_URI);
          return params;
        },
      },
      {
        name: "a web client's loopback redirect with another port",
        params: (pkce) => authorizeParams(web.clientId, pkce, { redirect_uri: "http://127.0.0.1:8080/callback" }),
      },
      {
        name: "a native client's loopback redirect with another path",
        params: (pkce) => authorizeParams(native.clientId, pkce, { redirect_uri: "http://127.0.0.1:8080/other" }),
      },
      {
        name: "a native client's loopback redirect on [::1] when 127.0.0.1 is registered",
        params: (pkce) => authorizeParams(native.clientId, pkce, { redirect_uri: "http://[::1]:8080/callback" }),
      },
      {
        name: "a native client's redirect to localhost",
        params: (pkce) => authorizeParams(native.clientId, pkce, { redirect_uri: "http://localhost:8080/callback" }),
      },
      {
        name: "a native client's loopback redirect with a port above 65535",
        params: (pkce) => authorizeParams(native.clientId, pkce, { redirect_uri: "http://127.0.0.1:70000/callback" }),
      },
    ];
    for (const method of ["GET", "POST"] as const) {
      for (const row of cases) {
        test(`${method}: ${row.name} → 4xx error page without Location`, async () => {
          await assertErrorPage(await authorize(row.params(newPkce()), { method, cookie: world.cookie }));
        });
      }
    }

    test("POST with a body that is not a form → 4xx error page without Location", async () => {
      const response = await fetch(`${issuer}/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/json", cookie: world.cookie },
        body: JSON.stringify(Object.fromEntries(authorizeParams(web.clientId, newPkce()))),
      });
      await assertErrorPage(response);
    });
  });

  describe("authorization endpoint: later errors redirect with error, error_description, state and iss", () => {
    const cases: ReadonlyArray<{
      name: string;
      overrides?: Record<string, string | undefined>;
      extra?: Entries;
      error: string;
      keepsState?: boolean;
    }> = [
      { name: "response_type=token", overrides: { response_type: "token" }, error: "unsupported_response_type" },
      { name: "response_type=id_token", overrides: { response_type: "id_token" }, error: "unsupported_response_type" },
      { name: "response_type=code id_token", overrides: { response_type: "code id_token" }, error: "unsupported_response_type" },
      { name: "response_type=CODE", overrides: { response_type: "CODE" }, error: "unsupported_response_type" },
      { name: "missing response_type", overrides: { response_type: undefined }, error: "invalid_request" },
      { name: "missing code_challenge (no PKCE)", overrides: { code_challenge: undefined }, error: "invalid_request" },
      { name: "missing code_challenge_method", overrides: { code_challenge_method: undefined }, error: "invalid_request" },
      { name: "code_challenge_method=plain", overrides: { code_challenge_method: "plain" }, error: "invalid_request" },
      { name: "code_challenge_method=s256 (lower case)", overrides: { code_challenge_method: "s256" }, error: "invalid_request" },
      { name: "a code_challenge that is not a SHA-256 hash", overrides: { code_challenge: "short" }, error: "invalid_request" },
      {
        name: "a 43-character code_challenge with invalid characters",
        overrides: { code_challenge: `${"a".repeat(42)}=` },
        error: "invalid_request",
      },
      { name: "a scope the client may not ask for", overrides: { scope: "openid admin" }, error: "invalid_scope" },
      { name: "a malformed scope", overrides: { scope: 'openid "profile"' }, error: "invalid_scope" },
      { name: "missing scope", overrides: { scope: undefined }, error: "invalid_scope" },
      { name: "repeated scope", extra: [["scope", "openid"]], error: "invalid_request" },
      { name: "repeated code_challenge", extra: [["code_challenge", "x".repeat(43)]], error: "invalid_request" },
      { name: "repeated state (reported without a state)", extra: [["state", "other"]], error: "invalid_request", keepsState: false },
      { name: "prompt=none combined with login", overrides: { prompt: "none login" }, error: "invalid_request" },
      { name: "an unknown prompt value", overrides: { prompt: "sideways" }, error: "invalid_request" },
      { name: "a negative max_age", overrides: { max_age: "-1" }, error: "invalid_request" },
      { name: "response_mode=fragment", overrides: { response_mode: "fragment" }, error: "invalid_request" },
      { name: "a request object", overrides: { request: "eyJhbGciOiJub25lIn0.e30." }, error: "request_not_supported" },
      { name: "a request_uri", overrides: { request_uri: "https://app.example.com/request.jwt" }, error: "request_uri_not_supported" },
      { name: "a nonce over 8 KiB", overrides: { nonce: "n".repeat(8193) }, error: "invalid_request" },
    ];
    for (const method of ["GET", "POST"] as const) {
      for (const row of cases) {
        test(`${method}: ${row.name} → ${row.error}`, async () => {
          const params = authorizeParams(web.clientId, newPkce(), row.overrides ?? {});
          for (const [name, value] of row.extra ?? []) params.append(name, value);
          // Without a session, so that a wrong order (login before validation) would show.
          const response = await authorize(params, { method });
          await assertRedirectError(response, row.error, row.keepsState === false ? undefined : "state-123");
        });
      }
    }

    test("an error for a request without state carries no state", async () => {
      const response = await authorize(authorizeParams(web.clientId, newPkce(), { state: undefined, response_type: "token" }));
      await assertRedirectError(response, "unsupported_response_type", undefined);
    });

    test("a redirect URI with its own query keeps it byte for byte and gets the error appended", async () => {
      const registered = "https://app.example.com/cb?tenant=a%20b&x=1";
      const app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", redirectUris: [registered], skipConsent: true });
      const response = await authorize(authorizeParams(app.clientId, newPkce(), { redirect_uri: registered, response_type: "token" }));
      const location = response.headers.get("location") ?? "";
      assert.ok(location.startsWith(`${registered}&`), location);
      await assertRedirectError(response, "unsupported_response_type", "state-123", registered);
    });
  });

  describe("authorization endpoint: state", () => {
    // Longer ones are accepted too (up to 8 KiB), but their percent-encoded Location outgrows
    // the 16 KiB header limit of Node's HTTP client, so they cannot be checked from here.
    for (const length of [2048, 4096]) {
      test(`a state of ${length} characters needing every escape is echoed exactly with the code (POST)`, async () => {
        const state = nastyState(length);
        const response = await authorize(authorizeParams(web.clientId, newPkce(), { state }), { method: "POST", cookie: world.cookie });
        await assertCodeRedirect(response, state);
      });
    }

    test("a 2,048-character state is echoed exactly with the code over GET", async () => {
      const state = nastyState(2048).replace(/[^\x20-\x7e]/g, "x");
      const response = await authorize(authorizeParams(web.clientId, newPkce(), { state }), { cookie: world.cookie });
      await assertCodeRedirect(response, state);
    });

    test("a 2,048-character state is echoed exactly with an error", async () => {
      const state = nastyState(2048).replace(/[^\x20-\x7e]/g, "y");
      const response = await authorize(authorizeParams(web.clientId, newPkce(), { state, code_challenge_method: "plain" }));
      await assertRedirectError(response, "invalid_request", state);
    });
  });

  describe("authorization endpoint: sessions, prompt and consent", () => {
    for (const method of ["GET", "POST"] as const) {
      test(`${method}: no session → 303 to the issuer's login page with an interaction`, async () => {
        await assertInteraction(await authorize(authorizeParams(web.clientId, newPkce()), { method }), "login");
      });

      test(`${method}: prompt=none without a session → login_required`, async () => {
        const response = await authorize(authorizeParams(web.clientId, newPkce(), { prompt: "none" }), { method });
        await assertRedirectError(response, "login_required", "state-123");
      });

      test(`${method}: a session and a skip-consent client → a code with state and iss`, async () => {
        const response = await authorize(authorizeParams(web.clientId, newPkce()), { method, cookie: world.cookie });
        const location = response.headers.get("location") ?? "";
        await assertCodeRedirect(response, "state-123");
        assert.deepEqual([...new URL(location).searchParams.keys()].sort(), ["code", "iss", "state"]);
      });

      test(`${method}: a session, no consent yet and no skip-consent → 303 to the issuer's consent page`, async () => {
        await assertInteraction(
          await authorize(authorizeParams(asksConsent.clientId, newPkce()), { method, cookie: world.cookie }),
          "consent",
        );
      });

      test(`${method}: prompt=none with a session but without consent → consent_required`, async () => {
        const response = await authorize(authorizeParams(asksConsent.clientId, newPkce(), { prompt: "none" }), {
          method,
          cookie: world.cookie,
        });
        await assertRedirectError(response, "consent_required", "state-123");
      });
    }

    for (const name of ["nonce", "login_hint", "state", "ui_locales"]) {
      // No OAuth value holds a NUL and PostgreSQL text cannot store one: the request is refused as
      // unreadable, before anything is looked up, so it is an error page and never a redirect.
      test(`a NUL byte in ${name} with a session → 400 error page, no Location, never 5xx`, async () => {
        const params = authorizeParams(web.clientId, newPkce(), { [name]: "before\u0000after" });
        const response = await authorize(params, { cookie: world.cookie });
        const text = await response.text();
        assert.equal(response.status, 400, `status ${response.status}: ${text}`);
        assert.equal(response.headers.get("location"), null);
        assert.match(text, /invalid_request/);
      });
    }

    test("prompt=none with a session and a skip-consent client → a code", async () => {
      await assertCodeRedirect(
        await authorize(authorizeParams(web.clientId, newPkce(), { prompt: "none" }), { cookie: world.cookie }),
        "state-123",
      );
    });

    test("prompt=consent forces the consent page even for a skip-consent client", async () => {
      await assertInteraction(
        await authorize(authorizeParams(web.clientId, newPkce(), { prompt: "consent" }), { cookie: world.cookie }),
        "consent",
      );
    });

    test("prompt=login forces the login page despite a session", async () => {
      await assertInteraction(
        await authorize(authorizeParams(web.clientId, newPkce(), { prompt: "login" }), { cookie: world.cookie }),
        "login",
      );
    });

    test("max_age shorter than the session's age forces login, and with prompt=none gives login_required", async () => {
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      const { token } = await createSession(world.db, world.userId, SESSION_POLICY, tenMinutesAgo);
      const cookie = `portal_session=${token}`;
      await assertInteraction(await authorize(authorizeParams(web.clientId, newPkce(), { max_age: "60" }), { cookie }), "login");
      const none = await authorize(authorizeParams(web.clientId, newPkce(), { max_age: "60", prompt: "none" }), { cookie });
      await assertRedirectError(none, "login_required", "state-123");
      await assertCodeRedirect(await authorize(authorizeParams(web.clientId, newPkce(), { max_age: "3600" }), { cookie }), "state-123");
    });

    test("an unknown, ended or oversized session cookie counts as no session", async () => {
      for (const cookie of ["portal_session=not-a-session", `portal_session=${"a".repeat(200)}`, "__Host-portal_session=x"]) {
        await assertInteraction(await authorize(authorizeParams(web.clientId, newPkce()), { cookie }), "login");
      }
    });

    test("a native client's loopback redirect may use another port (RFC 8252 §7.3), and the code redeems with it", async () => {
      const redirectUri = "http://127.0.0.1:51234/callback";
      const issued = await codeFor(native, { redirectUri });
      const tokens = await assertTokens(await redeem(native, issued));
      assert.ok(tokens.refresh_token);
      const portless = await codeFor(native, { redirectUri: LOOPBACK_REDIRECT });
      await assertTokens(await redeem(native, portless));
    });

    test("a native client's loopback code cannot be redeemed with another port than it was issued for", async () => {
      const issued = await codeFor(native, { redirectUri: "http://127.0.0.1:51234/callback" });
      await assertTokenError(await redeem(native, { ...issued, redirectUri: "http://127.0.0.1:51235/callback" }), 400, "invalid_grant");
    });
  });

  describe("absolute URLs come from the configured issuer, never from the Host header", () => {
    // A Host the front accepts that is not the issuer's (any other is answered 400 before
    // routing: tests/integration/front.test.ts), and forwarded headers naming another site.
    const spoofed = () => ({
      host: `localhost:${new URL(issuer).port}`,
      "x-forwarded-host": "evil.example.com",
      "x-forwarded-proto": "https",
      forwarded: "host=evil.example.com;proto=https",
    });

    test("the login redirect uses ISSUER_URL whatever Host says", async () => {
      const path = `/oauth/authorize?${authorizeParams(web.clientId, newPkce())}`;
      const response = await nodeRequest(issuer, { path, headers: spoofed() });
      assert.equal(response.status, 303);
      assert.ok(String(response.headers.location).startsWith(`${issuer}/login?interaction=`), String(response.headers.location));
    });

    test("the consent redirect uses ISSUER_URL whatever Host says", async () => {
      const path = `/oauth/authorize?${authorizeParams(asksConsent.clientId, newPkce())}`;
      const response = await nodeRequest(issuer, { path, headers: { ...spoofed(), cookie: world.cookie } });
      assert.equal(response.status, 303);
      assert.ok(String(response.headers.location).startsWith(`${issuer}/consent?interaction=`), String(response.headers.location));
    });

    test("iss in code and error redirects is ISSUER_URL whatever Host says", async () => {
      for (const overrides of [{}, { response_type: "token" }]) {
        const path = `/oauth/authorize?${authorizeParams(web.clientId, newPkce(), overrides)}`;
        const response = await nodeRequest(issuer, { path, headers: { ...spoofed(), cookie: world.cookie } });
        assert.equal(response.status, 303);
        const location = String(response.headers.location);
        assert.ok(location.startsWith(`${REDIRECT_URI}?`), location);
        assert.equal(new URL(location).searchParams.get("iss"), issuer);
      }
    });

    test("the access token's iss is ISSUER_URL whatever Host says", async () => {
      const issued = await codeFor(web);
      const response = await nodeRequest(`${issuer}/oauth/token`, {
        method: "POST",
        headers: { ...spoofed(), "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([
          ["grant_type", "authorization_code"],
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", issued.pkce.verifier],
        ]),
      });
      assert.equal(response.status, 200, response.body);
      const { access_token: accessToken } = JSON.parse(response.body) as TokenBody;
      const { payload } = await jwtVerify(accessToken, jwks, { issuer, typ: "at+jwt" });
      assert.equal(payload.iss, issuer);
    });
  });

  // ── token endpoint ─────────────────────────────────────────────────────────────────────────
});
