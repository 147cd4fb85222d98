// The shared setup of the OAuth HTTP suites (tests/integration/oauth-*-http.test.ts): the real
// portal on a fresh database, the clients every suite uses, and the helpers that send and check
// protocol requests. Each suite file calls oauthHttpSuite() inside its describe.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { createRemoteJWKSet } from "jose";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  REDIRECT_URI,
  startWorld,
  type Pkce,
  type PortalWorld,
  type RegisteredClient,
} from "./oauth-http.ts";

export type Entries = ReadonlyArray<readonly [string, string]>;
export type Method = "GET" | "POST";

export const FORM = "application/x-www-form-urlencoded";
export const LOOPBACK_REDIRECT = "http://127.0.0.1/callback";
/** RFC 6749 §5.2 / §4.1.2.1: error_description is limited to these characters. */
export const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;

export function form(entries: Entries): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) params.append(name, value);
  return params.toString();
}

/** A deterministic state of `length` characters that needs every kind of escaping. */
export function nastyState(length: number): string {
  const alphabet = "abcXYZ019-._~+/=&?#% ;:,!*'()[]@$\"<>\\^`{|}é€😀";
  const chars = [...alphabet];
  let state = "";
  for (let i = 0; state.length < length; i++) state += chars[(i * 7 + Math.floor(i / 3)) % chars.length]!;
  return state.slice(0, length);
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface SuiteState {
  world: PortalWorld;
  issuer: string;
  web: RegisteredClient; // client_secret_basic, skips consent
  post: RegisteredClient; // client_secret_post, skips consent
  spa: RegisteredClient; // public (none), skips consent
  asksConsent: RegisteredClient; // client_secret_basic, consent required
  native: RegisteredClient; // public native app with a loopback redirect URI
  codeOnly: RegisteredClient; // no refresh_token grant
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

/** Starts the world before the describe's tests and stops it after; `state` is filled in `before`. */
export function oauthHttpSuite() {
  const ctx = {} as SuiteState;

  before(async () => {
    const world = await startWorld();
    ctx.world = world;
    ctx.issuer = world.issuer;
    ctx.web = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
    ctx.post = await world.addClient({ tokenEndpointAuthMethod: "client_secret_post", skipConsent: true });
    ctx.spa = await world.addClient({ tokenEndpointAuthMethod: "none", skipConsent: true });
    ctx.asksConsent = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic" });
    ctx.native = await world.addClient({
      tokenEndpointAuthMethod: "none",
      applicationType: "native",
      redirectUris: [LOOPBACK_REDIRECT],
      skipConsent: true,
    });
    ctx.codeOnly = await world.addClient({
      tokenEndpointAuthMethod: "client_secret_basic",
      grantTypes: ["authorization_code"],
      skipConsent: true,
    });
    ctx.jwks = createRemoteJWKSet(new URL(`${world.issuer}/oauth/jwks`));
  });

  after(async () => {
    await ctx.world?.close();
  });

  function authorize(params: URLSearchParams, { method = "GET", cookie }: { method?: Method; cookie?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = cookie ? { cookie } : {};
    if (method === "GET") return fetch(`${ctx.issuer}/oauth/authorize?${params}`, { redirect: "manual", headers });
    return fetch(`${ctx.issuer}/oauth/authorize`, {
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
    assert.equal(params.get("iss"), ctx.issuer);
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
    assert.equal(params.get("iss"), ctx.issuer);
    const code = params.get("code");
    assert.ok(code && code.length >= 43, "a code of at least 256 bits");
    return code;
  }

  /** 303 to the ctx.issuer's login or consent page with an interaction id. */
  async function assertInteraction(response: Response, step: "login" | "consent"): Promise<string> {
    await response.body?.cancel();
    assert.equal(response.status, 303);
    const location = response.headers.get("location") ?? "";
    assert.ok(location.startsWith(`${ctx.issuer}/${step}?interaction=`), `Location ${location}`);
    const interaction = new URL(location).searchParams.get("interaction");
    assert.ok(interaction && interaction.length >= 32);
    return interaction;
  }

  async function codeFor(
    app: RegisteredClient,
    { pkce = newPkce(), scope = "openid offline_access", redirectUri = REDIRECT_URI, cookie = ctx.world.cookie } = {},
  ): Promise<{ code: string; pkce: Pkce; redirectUri: string }> {
    const params = authorizeParams(app.clientId, pkce, { scope, redirect_uri: redirectUri });
    const code = await assertCodeRedirect(await authorize(params, { cookie }), "state-123", redirectUri);
    return { code, pkce, redirectUri };
  }

  function tokenRequest(
    entries: Entries | string,
    { headers = {}, query = "" }: { headers?: Record<string, string>; query?: string } = {},
  ): Promise<Response> {
    return fetch(`${ctx.issuer}/oauth/token${query}`, {
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

  return {
    state: ctx,
    helpers: {
      authorize,
      assertErrorPage,
      assertRedirectError,
      assertCodeRedirect,
      assertInteraction,
      codeFor,
      tokenRequest,
      asClient,
      redeem,
      refresh,
      assertTokens,
      assertTokenError,
    },
  };
}
