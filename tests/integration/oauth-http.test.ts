// The OAuth endpoints of the running portal over HTTP (docs/protocol.md: "Authorization endpoint",
// "Token endpoint", "Tokens", "UserInfo, revocation, introspection"): the real server
// started as `npm start` does, a signed-in browser session made directly in its database.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { createSession } from "../../lib/auth/sessions.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  nodeRequest,
  REDIRECT_URI,
  SESSION_POLICY,
  startWorld,
  type Pkce,
  type PortalWorld,
  type RegisteredClient,
} from "../support/oauth-http.ts";

type Entries = ReadonlyArray<readonly [string, string]>;
type Method = "GET" | "POST";

const FORM = "application/x-www-form-urlencoded";
const LOOPBACK_REDIRECT = "http://127.0.0.1/callback";
/** RFC 6749 §5.2 / §4.1.2.1: error_description is limited to these characters. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;

function form(entries: Entries): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) params.append(name, value);
  return params.toString();
}

/** A deterministic state of `length` characters that needs every kind of escaping. */
function nastyState(length: number): string {
  const alphabet = "abcXYZ019-._~+/=&?#% ;:,!*'()[]@$\"<>\\^`{|}é€😀";
  const chars = [...alphabet];
  let state = "";
  for (let i = 0; state.length < length; i++) state += chars[(i * 7 + Math.floor(i / 3)) % chars.length]!;
  return state.slice(0, length);
}

describe(`OAuth endpoints over HTTP on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let issuer: string;
  let web: RegisteredClient; // client_secret_basic, skips consent
  let post: RegisteredClient; // client_secret_post, skips consent
  let spa: RegisteredClient; // public (none), skips consent
  let asksConsent: RegisteredClient; // client_secret_basic, consent required
  let native: RegisteredClient; // public native app with a loopback redirect URI
  let codeOnly: RegisteredClient; // no refresh_token grant
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  before(async () => {
    world = await startWorld();
    issuer = world.issuer;
    web = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
    post = await world.addClient({ tokenEndpointAuthMethod: "client_secret_post", skipConsent: true });
    spa = await world.addClient({ tokenEndpointAuthMethod: "none", skipConsent: true });
    asksConsent = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic" });
    native = await world.addClient({
      tokenEndpointAuthMethod: "none",
      applicationType: "native",
      redirectUris: [LOOPBACK_REDIRECT],
      skipConsent: true,
    });
    codeOnly = await world.addClient({
      tokenEndpointAuthMethod: "client_secret_basic",
      grantTypes: ["authorization_code"],
      skipConsent: true,
    });
    jwks = createRemoteJWKSet(new URL(`${issuer}/oauth/jwks`));
  });

  after(async () => {
    await world?.close();
  });

  // ── helpers ────────────────────────────────────────────────────────────────────────────────

  function authorize(params: URLSearchParams, { method = "GET", cookie }: { method?: Method; cookie?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (method === "GET") return fetch(`${issuer}/oauth/authorize?${params}`, { redirect: "manual", headers });
    return fetch(`${issuer}/oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { ...headers, "content-type": FORM },
      body: params.toString(),
    });
  }

  /** 4xx HTML, and above all no redirect (RFC 6749 §4.1.2.1). */
  async function assertErrorPage(response: Response): Promise<void> {
    const body = await response.text();
    assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
    assert.equal(response.headers.get("location"), null);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(body, /cannot continue/i);
  }

  /** 303 to the redirect URI with error, error_description, exactly this state (or none), and iss. */
  async function assertRedirectError(
    response: Response,
    error: string,
    state: string | undefined,
    redirectUri = REDIRECT_URI,
  ): Promise<URLSearchParams> {
    await response.body?.cancel();
    assert.equal(response.status, 303);
    const location = response.headers.get("location") ?? "";
    assert.ok(location.startsWith(`${redirectUri}${redirectUri.includes("?") ? "&" : "?"}`), `Location ${location}`);
    const params = new URL(location).searchParams;
    assert.equal(params.get("error"), error, `error_description: ${params.get("error_description")}`);
    assert.match(params.get("error_description") ?? "", DESCRIPTION_CHARSET);
    assert.equal(params.get("state"), state ?? null);
    assert.equal(params.get("iss"), issuer);
    assert.equal(params.get("code"), null);
    return params;
  }

  /** 303 to the redirect URI with a code, exactly this state, and iss (RFC 9207). */
  async function assertCodeRedirect(response: Response, state: string | undefined, redirectUri = REDIRECT_URI): Promise<string> {
    await response.body?.cancel();
    assert.equal(response.status, 303, `status ${response.status}`);
    const location = response.headers.get("location") ?? "";
    assert.ok(location.startsWith(`${redirectUri}?`), `Location ${location}`);
    const params = new URL(location).searchParams;
    assert.equal(params.get("error"), null, `error: ${params.get("error")} ${params.get("error_description")}`);
    assert.equal(params.get("state"), state ?? null);
    assert.equal(params.get("iss"), issuer);
    const code = params.get("code");
    assert.ok(code && code.length >= 43, "a code of at least 256 bits");
    return code;
  }

  /** 303 to the issuer's login or consent page with an interaction id. */
  async function assertInteraction(response: Response, step: "login" | "consent"): Promise<string> {
    await response.body?.cancel();
    assert.equal(response.status, 303);
    const location = response.headers.get("location") ?? "";
    assert.ok(location.startsWith(`${issuer}/${step}?interaction=`), `Location ${location}`);
    const interaction = new URL(location).searchParams.get("interaction");
    assert.ok(interaction && interaction.length >= 32);
    return interaction;
  }

  async function codeFor(
    app: RegisteredClient,
    { pkce = newPkce(), scope = "openid offline_access", redirectUri = REDIRECT_URI, cookie = world.cookie } = {},
  ): Promise<{ code: string; pkce: Pkce; redirectUri: string }> {
    const params = authorizeParams(app.clientId, pkce, { scope, redirect_uri: redirectUri });
    const code = await assertCodeRedirect(await authorize(params, { cookie }), "state-123", redirectUri);
    return { code, pkce, redirectUri };
  }

  function tokenRequest(
    entries: Entries | string,
    { headers = {}, query = "" }: { headers?: Record<string, string>; query?: string } = {},
  ): Promise<Response> {
    return fetch(`${issuer}/oauth/token${query}`, {
      method: "POST",
      headers: { "content-type": FORM, ...headers },
      body: typeof entries === "string" ? entries : form(entries),
    });
  }

  /** The request with this client's registered authentication method. */
  function asClient(app: RegisteredClient, entries: Entries): Promise<Response> {
    switch (app.client.tokenEndpointAuthMethod) {
      case "client_secret_basic":
        return tokenRequest(entries, { headers: { authorization: basicAuth(app.clientId, app.clientSecret!) } });
      case "client_secret_post":
        return tokenRequest([...entries, ["client_id", app.clientId], ["client_secret", app.clientSecret!]]);
      case "none":
        return tokenRequest([...entries, ["client_id", app.clientId]]);
    }
  }

  function redeem(
    app: RegisteredClient,
    issued: { code: string; pkce: Pkce; redirectUri: string },
    extra: Entries = [],
  ): Promise<Response> {
    return asClient(app, [
      ["grant_type", "authorization_code"],
      ["code", issued.code],
      ["redirect_uri", issued.redirectUri],
      ["code_verifier", issued.pkce.verifier],
      ...extra,
    ]);
  }

  function refresh(app: RegisteredClient, refreshToken: string, extra: Entries = []): Promise<Response> {
    return asClient(app, [["grant_type", "refresh_token"], ["refresh_token", refreshToken], ...extra]);
  }

  interface TokenBody {
    access_token: string;
    token_type: string;
    expires_in: number;
    scope: string;
    refresh_token?: string;
    id_token?: string;
  }

  async function assertTokens(response: Response): Promise<TokenBody> {
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("pragma"), "no-cache");
    const body = JSON.parse(text) as TokenBody;
    assert.equal(body.token_type, "Bearer");
    assert.equal(typeof body.access_token, "string");
    assert.ok(Number.isInteger(body.expires_in) && body.expires_in > 0);
    return body;
  }

  /** RFC 6749 §5.2: JSON only, {error, error_description}, uncacheable. */
  async function assertTokenError(response: Response, status: number, error: string): Promise<void> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("pragma"), "no-cache");
    const body = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ["error", "error_description"]);
    assert.equal(body.error, error, `error_description: ${String(body.error_description)}`);
    assert.match(String(body.error_description), DESCRIPTION_CHARSET);
  }

  // ── authorization endpoint ─────────────────────────────────────────────────────────────────

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

  describe("token endpoint: authorization_code", () => {
    for (const app of ["client_secret_basic", "client_secret_post", "none"] as const) {
      test(`a full exchange with ${app} issues uncacheable tokens`, async () => {
        const client = { client_secret_basic: web, client_secret_post: post, none: spa }[app];
        const tokens = await assertTokens(await redeem(client, await codeFor(client)));
        assert.equal(tokens.scope, "openid offline_access");
        assert.equal(typeof tokens.refresh_token, "string");
        const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: client.clientId, typ: "at+jwt" });
        assert.equal(payload.client_id, client.clientId);
      });
    }

    test("Basic with a matching client_id in the body is accepted", async () => {
      const issued = await codeFor(web);
      await assertTokens(await redeem(web, issued, [["client_id", web.clientId]]));
    });

    test("the access token is an RFC 9068 JWT: typ at+jwt, a kid from the JWKS, every claim, iss byte for byte", async () => {
      const before = Math.floor(Date.now() / 1000);
      const tokens = await assertTokens(await redeem(web, await codeFor(web, { scope: "openid profile" })));
      const header = decodeProtectedHeader(tokens.access_token);
      assert.equal(header.typ, "at+jwt");
      assert.equal(typeof header.kid, "string");
      const keys = (await (await fetch(`${issuer}/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
      assert.ok(
        keys.keys.some((key) => key.kid === header.kid),
        "the kid is published in the JWKS",
      );

      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(protectedHeader.kid, header.kid);
      assert.equal(payload.iss, issuer, "iss is the configured issuer, byte for byte");
      assert.equal(payload.sub, world.userId);
      assert.equal(payload.aud, web.clientId);
      assert.equal(payload.client_id, web.clientId);
      assert.equal(payload.scope, "openid profile");
      assert.equal(typeof payload.jti, "string");
      assert.ok((payload.jti ?? "").length >= 16);
      assert.ok(typeof payload.iat === "number" && payload.iat >= before - 5 && payload.iat <= Date.now() / 1000 + 5);
      assert.equal(payload.exp, payload.iat + tokens.expires_in);
      assert.ok(tokens.expires_in <= 3600, "short-lived");
      assert.equal(typeof payload.auth_time, "number");
      assert.ok((payload.auth_time as number) <= payload.iat);
      assert.equal(tokens.refresh_token, undefined, "no refresh token for OpenID without offline_access");
    });

    test("every access token has its own jti", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const second = await assertTokens(await redeem(web, await codeFor(web)));
      const jti = async (token: string) => (await jwtVerify(token, jwks, { issuer })).payload.jti;
      assert.notEqual(await jti(first.access_token), await jti(second.access_token));
    });

    test("rejects a replayed code with invalid_grant and revokes the grant: the first refresh token is dead", async () => {
      const issued = await codeFor(web);
      const first = await assertTokens(await redeem(web, issued));
      assert.ok(first.refresh_token);
      await assertTokenError(await redeem(web, issued), 400, "invalid_grant");
      await assertTokenError(await refresh(web, first.refresh_token), 400, "invalid_grant");
    });

    test("two concurrent redemptions of one code: exactly one wins", async () => {
      const issued = await codeFor(web);
      const responses = await Promise.all(Array.from({ length: 5 }, () => redeem(web, issued)));
      const statuses = responses.map((response) => response.status);
      await Promise.all(responses.map((response) => response.body?.cancel()));
      assert.equal(statuses.filter((status) => status === 200).length, 1, `statuses ${statuses.join(",")}`);
      assert.ok(
        statuses.every((status) => status === 200 || status === 400),
        `statuses ${statuses.join(",")}`,
      );
    });

    test("a code of another client is invalid_grant", async () => {
      const issued = await codeFor(web);
      await assertTokenError(await redeem(post, issued), 400, "invalid_grant");
    });
  });

  describe("token endpoint: refresh_token", () => {
    test("rotates the refresh token on every use, and a narrower scope is allowed", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web, { scope: "openid profile offline_access" })));
      const second = await assertTokens(await refresh(web, first.refresh_token!));
      assert.ok(second.refresh_token);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal(second.scope, "openid profile offline_access");
      const narrow = await assertTokens(await refresh(web, second.refresh_token, [["scope", "openid"]]));
      assert.equal(narrow.scope, "openid");
      const { payload } = await jwtVerify(narrow.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(payload.scope, "openid");
      // The rotated token keeps the original scope.
      const wide = await assertTokens(await refresh(web, narrow.refresh_token!));
      assert.equal(wide.scope, "openid profile offline_access");
    });

    test("presenting a rotated refresh token whose successor was used is invalid_grant and revokes the grant", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const second = await assertTokens(await refresh(web, first.refresh_token!));
      const third = await assertTokens(await refresh(web, second.refresh_token!));
      await assertTokenError(await refresh(web, first.refresh_token!), 400, "invalid_grant");
      await assertTokenError(await refresh(web, third.refresh_token!), 400, "invalid_grant");
    });

    test("a client that lost a refresh response and presents the old token again keeps working", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      const lost = await refresh(web, first.refresh_token!);
      assert.equal(lost.status, 200);
      await lost.body?.cancel(); // the client never reads it: a timeout, a dropped connection
      const retried = await assertTokens(await refresh(web, first.refresh_token!));
      const again = await assertTokens(await refresh(web, retried.refresh_token!));
      const { payload } = await jwtVerify(again.access_token, jwks, { issuer, audience: web.clientId, typ: "at+jwt" });
      assert.equal(payload.client_id, web.clientId);
      assert.ok(again.refresh_token);
    });

    test("a wider scope than granted is invalid_scope", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokenError(await refresh(web, first.refresh_token!, [["scope", "openid offline_access email"]]), 400, "invalid_scope");
      // A refused request does not use the token up.
      await assertTokens(await refresh(web, first.refresh_token!));
    });

    test("another client's refresh token is invalid_grant", async () => {
      const first = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokenError(await refresh(post, first.refresh_token!), 400, "invalid_grant");
    });

    test("a public client refreshes with its client_id only", async () => {
      const first = await assertTokens(await redeem(spa, await codeFor(spa)));
      const second = await assertTokens(await refresh(spa, first.refresh_token!));
      assert.ok(second.refresh_token);
    });

    test("a client without the refresh_token grant gets no refresh token and unauthorized_client", async () => {
      const tokens = await assertTokens(await redeem(codeOnly, await codeFor(codeOnly)));
      assert.equal(tokens.refresh_token, undefined);
      await assertTokenError(await refresh(codeOnly, "whatever"), 400, "unauthorized_client");
    });
  });

  describe("token endpoint: errors are JSON with the RFC 6749 §5.2 codes and statuses", () => {
    interface ErrorCase {
      readonly name: string;
      readonly status: number;
      readonly error: string;
      /** Whether a Basic challenge must be present (true), absent (false), or either (undefined). */
      readonly basicChallenge?: boolean;
      readonly send: () => Promise<Response>;
    }
    const code = (extra: Entries = []): Entries => [
      ["grant_type", "authorization_code"],
      ["code", "not-a-real-code-but-long-enough-to-look-real-000"],
      ["redirect_uri", REDIRECT_URI],
      ["code_verifier", "v".repeat(43)],
      ...extra,
    ];
    const basic = (id: string, secret: string) => ({ headers: { authorization: basicAuth(id, secret) } });
    const raw = (value: string) => ({ headers: { authorization: value } });

    const cases: ErrorCase[] = [
      {
        name: "a wrong secret with Basic",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(web.clientId, "wrong")),
      },
      {
        name: "an unknown client with Basic",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic("nobody", "secret")),
      },
      {
        name: "Basic with invalid base64",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw("Basic !!!not-base64!!!")),
      },
      {
        name: "Basic without a colon",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`Basic ${Buffer.from(web.clientId).toString("base64")}`)),
      },
      {
        name: "Basic with an empty secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`Basic ${Buffer.from(`${web.clientId}:`).toString("base64")}`)),
      },
      {
        name: "Basic with no credentials at all",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw("Basic")),
      },
      {
        name: "lower-case basic scheme with a wrong secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), raw(`basic ${Buffer.from(`${web.clientId}:nope`).toString("base64")}`)),
      },
      {
        name: "a Basic client that authenticates in the body instead",
        status: 401,
        error: "invalid_client",
        send: () =>
          tokenRequest(
            code([
              ["client_id", web.clientId],
              ["client_secret", web.clientSecret!],
            ]),
          ),
      },
      {
        name: "a client_secret_post client that uses Basic instead",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(post.clientId, post.clientSecret!)),
      },
      {
        name: "a wrong secret in the body",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () =>
          tokenRequest(
            code([
              ["client_id", post.clientId],
              ["client_secret", "wrong"],
            ]),
          ),
      },
      {
        name: "a confidential client that sends no secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code([["client_id", web.clientId]])),
      },
      {
        name: "a public client that sends a secret",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () =>
          tokenRequest(
            code([
              ["client_id", spa.clientId],
              ["client_secret", "x"],
            ]),
          ),
      },
      {
        name: "no client authentication at all",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code()),
      },
      {
        name: "an unknown public client_id",
        status: 401,
        error: "invalid_client",
        basicChallenge: false,
        send: () => tokenRequest(code([["client_id", "nobody"]])),
      },
      {
        name: "a NUL byte in the body's client_id",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", `${spa.clientId}\u0000`]])),
      },
      {
        name: "a NUL byte in the Basic client_id",
        status: 401,
        error: "invalid_client",
        basicChallenge: true,
        send: () => tokenRequest(code(), basic(`${web.clientId}\u0000`, web.clientSecret!)),
      },
      {
        name: "a 300-character client_id",
        status: 401,
        error: "invalid_client",
        send: () => tokenRequest(code([["client_id", "c".repeat(300)]])),
      },
      {
        name: "Basic and client_secret in the body (two methods)",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_secret", web.clientSecret!]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "Basic and another client_id in the body",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", post.clientId]]), basic(web.clientId, web.clientSecret!)),
      },
      { name: "a Bearer Authorization header", status: 400, error: "invalid_request", send: () => tokenRequest(code(), raw("Bearer abc")) },
      {
        name: "client_id in the URL query",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code(), { ...basic(web.clientId, web.clientSecret!), query: `?client_id=${web.clientId}` }),
      },
      {
        name: "client_secret in the URL query",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["client_id", post.clientId]]), { query: `?client_secret=${post.clientSecret!}` }),
      },
      {
        name: "a repeated grant_type",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["grant_type", "authorization_code"]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated code",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["code", "another"]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated code_verifier",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest(code([["code_verifier", "w".repeat(43)]]), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a repeated client_id",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["client_id", spa.clientId],
              ["client_id", spa.clientId],
            ]),
          ),
      },
      {
        name: "a repeated client_secret",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["client_id", post.clientId],
              ["client_secret", post.clientSecret!],
              ["client_secret", post.clientSecret!],
            ]),
          ),
      },
      {
        name: "a repeated unknown parameter",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code([
              ["foo", "1"],
              ["foo", "2"],
            ]),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a JSON body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(JSON.stringify(Object.fromEntries(code())), {
            headers: { "content-type": "application/json", authorization: basicAuth(web.clientId, web.clientSecret!) },
          }),
      },
      {
        name: "a text/plain body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(code(), { headers: { "content-type": "text/plain", authorization: basicAuth(web.clientId, web.clientSecret!) } }),
      },
      {
        name: "a multipart/form-data body",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(code(), {
            headers: { "content-type": "multipart/form-data; boundary=x", authorization: basicAuth(web.clientId, web.clientSecret!) },
          }),
      },
      {
        name: "a missing grant_type",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest([["code", "x"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "grant_type=password",
        status: 400,
        error: "unsupported_grant_type",
        send: () =>
          tokenRequest(
            [
              ["grant_type", "password"],
              ["username", "a"],
              ["password", "b"],
            ],
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "grant_type=client_credentials",
        status: 400,
        error: "unsupported_grant_type",
        send: () => tokenRequest([["grant_type", "client_credentials"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "an implicit-style grant_type=token",
        status: 400,
        error: "unsupported_grant_type",
        send: () => tokenRequest([["grant_type", "token"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a missing code",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "code"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a missing redirect_uri",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "redirect_uri"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "a missing code_verifier (no PKCE)",
        status: 400,
        error: "invalid_request",
        send: () =>
          tokenRequest(
            code().filter(([name]) => name !== "code_verifier"),
            basic(web.clientId, web.clientSecret!),
          ),
      },
      {
        name: "an unknown code",
        status: 400,
        error: "invalid_grant",
        send: () => tokenRequest(code(), basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "a missing refresh_token",
        status: 400,
        error: "invalid_request",
        send: () => tokenRequest([["grant_type", "refresh_token"]], basic(web.clientId, web.clientSecret!)),
      },
      {
        name: "an unknown refresh_token",
        status: 400,
        error: "invalid_grant",
        send: () =>
          tokenRequest(
            [
              ["grant_type", "refresh_token"],
              ["refresh_token", "nope"],
            ],
            basic(web.clientId, web.clientSecret!),
          ),
      },
    ];
    for (const row of cases) {
      test(`${row.name} → ${row.status} ${row.error}`, async () => {
        const response = await row.send();
        const challenge = response.headers.get("www-authenticate");
        await assertTokenError(response, row.status, row.error);
        if (row.basicChallenge === true) assert.match(challenge ?? "", /^Basic\b/);
        if (row.basicChallenge === false) assert.doesNotMatch(challenge ?? "", /^Basic\b/);
      });
    }

    const pkceCases: ReadonlyArray<{ name: string; mutate: (issued: { code: string; pkce: Pkce; redirectUri: string }) => Entries }> = [
      {
        name: "a wrong code_verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", newPkce().verifier],
        ],
      },
      {
        name: "the code_challenge sent as verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", issued.pkce.challenge],
        ],
      },
      {
        name: "a too-short code_verifier",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", issued.pkce.verifier.slice(0, 42)],
        ],
      },
      {
        name: "a code_verifier with invalid characters",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", REDIRECT_URI],
          ["code_verifier", `${issued.pkce.verifier}!`],
        ],
      },
      {
        name: "another redirect_uri",
        mutate: (issued) => [
          ["code", issued.code],
          ["redirect_uri", `${REDIRECT_URI}/x`],
          ["code_verifier", issued.pkce.verifier],
        ],
      },
    ];
    for (const row of pkceCases) {
      test(`${row.name} → 400 invalid_grant`, async () => {
        const issued = await codeFor(web);
        await assertTokenError(await asClient(web, [["grant_type", "authorization_code"], ...row.mutate(issued)]), 400, "invalid_grant");
      });
    }

    for (const method of ["GET", "PUT", "DELETE", "PATCH"] as const) {
      test(`${method} /oauth/token → 405, not 5xx`, async () => {
        const response = await fetch(`${issuer}/oauth/token`, { method });
        await response.body?.cancel();
        assert.equal(response.status, 405);
      });
    }

    test("a body over 64 KiB → 400 invalid_request", async () => {
      await assertTokenError(
        await tokenRequest(code([["padding", "p".repeat(70 * 1024)]]), basic(web.clientId, web.clientSecret!)),
        400,
        "invalid_request",
      );
    });

    test("invalid UTF-8 in the body → 400 invalid_request", async () => {
      await assertTokenError(await tokenRequest(`${form(code())}&x=%ff`, basic(web.clientId, web.clientSecret!)), 400, "invalid_request");
    });
  });

  // ── JWKS ───────────────────────────────────────────────────────────────────────────────────

  describe("JWKS", () => {
    test("publishes only public members, each key with a kid, and a Cache-Control header", async () => {
      const response = await fetch(`${issuer}/oauth/jwks`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /json/);
      assert.ok(response.headers.get("cache-control"), "a Cache-Control header");
      assert.doesNotMatch(response.headers.get("cache-control") ?? "", /no-store/);
      const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
      assert.ok(keys.length >= 1);
      assert.ok(
        keys.some((key) => key.alg === "RS256"),
        "RS256 is always available",
      );
      const kids = keys.map((key) => key.kid);
      assert.equal(new Set(kids).size, kids.length, "kids are unique");
      for (const key of keys) {
        assert.equal(typeof key.kid, "string");
        assert.equal(typeof key.kty, "string");
        for (const member of ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]) {
          assert.ok(!(member in key), `no private member ${member} in ${String(key.kid)}`);
        }
      }
    });
  });

  // ── revocation and introspection (RFC 7009, RFC 7662) ──────────────────────────────────────

  describe("revocation endpoint (RFC 7009)", () => {
    function revoke(app: RegisteredClient | undefined, entries: Entries, headers: Record<string, string> = {}): Promise<Response> {
      const auth: Record<string, string> =
        app?.clientSecret !== undefined && app.client.tokenEndpointAuthMethod === "client_secret_basic"
          ? { authorization: basicAuth(app.clientId, app.clientSecret) }
          : {};
      const bodyAuth: Entries =
        app === undefined || app.client.tokenEndpointAuthMethod === "client_secret_basic"
          ? []
          : app.client.tokenEndpointAuthMethod === "client_secret_post"
            ? [
                ["client_id", app.clientId],
                ["client_secret", app.clientSecret!],
              ]
            : [["client_id", app.clientId]];
      return fetch(`${issuer}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": FORM, ...auth, ...headers },
        body: form([...entries, ...bodyAuth]),
      });
    }

    test("revoking a refresh token → 200, and the grant's refresh token stops working", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(web, [
        ["token", tokens.refresh_token!],
        ["token_type_hint", "refresh_token"],
      ]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      await assertTokenError(await refresh(web, tokens.refresh_token!), 400, "invalid_grant");
    });

    test("an unknown token, or one with a wrong hint → 200", async () => {
      for (const entries of [
        [["token", "unknown"]],
        [
          ["token", "unknown"],
          ["token_type_hint", "access_token"],
        ],
      ] as Entries[]) {
        const response = await revoke(web, entries);
        await response.body?.cancel();
        assert.equal(response.status, 200);
      }
    });

    test("a public client revokes its own refresh token with client_id only", async () => {
      const tokens = await assertTokens(await redeem(spa, await codeFor(spa)));
      const response = await revoke(spa, [["token", tokens.refresh_token!]]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      await assertTokenError(await refresh(spa, tokens.refresh_token!), 400, "invalid_grant");
    });

    test("another client cannot revoke a client's token", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(post, [["token", tokens.refresh_token!]]);
      await response.body?.cancel();
      assert.ok(response.status === 200 || response.status === 400, `status ${response.status}`);
      await assertTokens(await refresh(web, tokens.refresh_token!));
    });

    test("an unauthenticated or wrongly authenticated caller → 401 invalid_client", async () => {
      await assertTokenError(await revoke(undefined, [["token", "x"]]), 401, "invalid_client");
      const wrong = await revoke(undefined, [["token", "x"]], { authorization: basicAuth(web.clientId, "wrong") });
      const challenge = wrong.headers.get("www-authenticate");
      await assertTokenError(wrong, 401, "invalid_client");
      assert.match(challenge ?? "", /^Basic\b/);
    });

    test("a missing token or a repeated parameter → 400 invalid_request", async () => {
      await assertTokenError(await revoke(web, []), 400, "invalid_request");
      await assertTokenError(
        await revoke(web, [
          ["token", "a"],
          ["token", "b"],
        ]),
        400,
        "invalid_request",
      );
    });

    test("revoking an access token ends only that token: introspection says inactive, the refresh token still works", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const response = await revoke(web, [
        ["token", tokens.access_token],
        ["token_type_hint", "access_token"],
      ]);
      await response.body?.cancel();
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      const introspected = await fetch(`${issuer}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", tokens.access_token]]),
      });
      assert.deepEqual(await introspected.json(), { active: false });
      await assertTokens(await refresh(web, tokens.refresh_token!));
    });

    test("client credentials in the URL query → 400 invalid_request", async () => {
      const response = await fetch(`${issuer}/oauth/revoke?client_id=${web.clientId}`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", "x"]]),
      });
      await assertTokenError(response, 400, "invalid_request");
    });

    test("GET /oauth/revoke → 405", async () => {
      const response = await fetch(`${issuer}/oauth/revoke`);
      await response.body?.cancel();
      assert.equal(response.status, 405);
    });
  });

  describe("introspection endpoint (RFC 7662)", () => {
    function introspect(
      entries: Entries,
      headers: Record<string, string> = { authorization: basicAuth(web.clientId, web.clientSecret!) },
    ): Promise<Response> {
      return fetch(`${issuer}/oauth/introspect`, { method: "POST", headers: { "content-type": FORM, ...headers }, body: form(entries) });
    }
    async function introspection(response: Response): Promise<Record<string, unknown>> {
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.equal(response.headers.get("cache-control"), "no-store");
      return JSON.parse(text) as Record<string, unknown>;
    }

    test("an access token and a refresh token are active, with their client, subject and scope", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const access = await introspection(await introspect([["token", tokens.access_token]]));
      assert.equal(access.active, true);
      assert.equal(access.client_id, web.clientId);
      assert.equal(access.sub, world.userId);
      assert.equal(access.scope, "openid offline_access");
      assert.equal(access.iss, issuer);
      const refreshed = await introspection(
        await introspect([
          ["token", tokens.refresh_token!],
          ["token_type_hint", "refresh_token"],
        ]),
      );
      assert.equal(refreshed.active, true);
    });

    test("an access token's answer has token_type Bearer and the RFC 9068 claims", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const access = await introspection(await introspect([["token", tokens.access_token]]));
      assert.equal(access.token_type, "Bearer");
      assert.equal(access.aud, web.clientId);
      for (const claim of ["exp", "iat", "auth_time"]) assert.equal(typeof access[claim], "number", claim);
      assert.equal(typeof access.jti, "string");
    });

    test("another client's tokens and a rotated refresh token are {active: false}", async () => {
      const tokens = await assertTokens(await redeem(post, await codeFor(post)));
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
      assert.deepEqual(await introspection(await introspect([["token", tokens.refresh_token!]])), { active: false });
      const mine = await assertTokens(await redeem(web, await codeFor(web)));
      await assertTokens(await refresh(web, mine.refresh_token!));
      assert.deepEqual(await introspection(await introspect([["token", mine.refresh_token!]])), { active: false });
    });

    test("a public client may not introspect → 401 invalid_client", async () => {
      await assertTokenError(
        await introspect(
          [
            ["token", "x"],
            ["client_id", spa.clientId],
          ],
          {},
        ),
        401,
        "invalid_client",
      );
    });

    test("GET /oauth/introspect → 405", async () => {
      const response = await fetch(`${issuer}/oauth/introspect`);
      await response.body?.cancel();
      assert.equal(response.status, 405);
    });

    test("anything not valid is exactly {active: false}", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;
      for (const token of ["garbage", tampered, "a.b.c", "x".repeat(20_000)]) {
        assert.deepEqual(await introspection(await introspect([["token", token]])), { active: false });
      }
    });

    test("after a replayed code the grant's access token is inactive", async () => {
      const issued = await codeFor(web);
      const tokens = await assertTokens(await redeem(web, issued));
      await assertTokenError(await redeem(web, issued), 400, "invalid_grant");
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
    });

    test("after revoking the refresh token the grant's access token is inactive", async () => {
      const tokens = await assertTokens(await redeem(web, await codeFor(web)));
      const revoked = await fetch(`${issuer}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: form([["token", tokens.refresh_token!]]),
      });
      await revoked.body?.cancel();
      assert.equal(revoked.status, 200);
      assert.deepEqual(await introspection(await introspect([["token", tokens.access_token]])), { active: false });
      assert.deepEqual(await introspection(await introspect([["token", tokens.refresh_token!]])), { active: false });
    });

    test("an unauthenticated caller → 401 invalid_client", async () => {
      await assertTokenError(await introspect([["token", "x"]], {}), 401, "invalid_client");
      const wrong = await introspect([["token", "x"]], { authorization: basicAuth(web.clientId, "wrong") });
      const challenge = wrong.headers.get("www-authenticate");
      await assertTokenError(wrong, 401, "invalid_client");
      assert.match(challenge ?? "", /^Basic\b/);
    });

    test("a missing token or a repeated parameter → 400 invalid_request", async () => {
      await assertTokenError(await introspect([]), 400, "invalid_request");
      await assertTokenError(
        await introspect([
          ["token", "a"],
          ["token", "b"],
        ]),
        400,
        "invalid_request",
      );
    });
  });
});
