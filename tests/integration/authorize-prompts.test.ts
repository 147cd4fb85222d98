// prompt, max_age and consent through the real authorization core and its Prisma store, with real
// browser sessions: what forces a sign-in or a consent screen, and what auth_time then says.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeJwt } from "jose";
import { createSession } from "../../lib/auth/sessions.ts";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { createClient } from "../../lib/db/clients.ts";
import {
  completeLogin,
  continueAsSignedIn,
  handleAuthorizeRequest,
  submitConsent,
  type AuthorizeDeps,
  type AuthorizeOutcome,
} from "../../lib/oauth/authorize/handle-authorize.ts";
import { s256 } from "../../lib/oauth/pkce.ts";
import type { BrowserSession } from "../../lib/oauth/ports.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, REDIRECT, VERIFIER, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

const policy = { idleSeconds: 3600, absoluteSeconds: 86_400 };

describe(`prompt, max_age and consent on ${testDatabaseKind()}`, () => {
  let fx: OAuthFixture;
  let deps: AuthorizeDeps;
  let firstParty: TestApp;
  let thirdParty: TestApp;

  before(async () => {
    fx = await createOAuthFixture();
    deps = { config: fx.config, runtime: fx.runtime, store: authorizeStore(fx.db) };
    firstParty = await fx.app("First party", "client_secret_basic");
    const { client, clientSecret } = await createClient(fx.db, {
      name: "Third party",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: [REDIRECT],
    });
    thirdParty = { client, credentials: { method: "client_secret_basic", clientId: client.clientId, clientSecret: clientSecret! } };
  });
  after(() => fx.close());

  const signIn = async (at: Date): Promise<BrowserSession> => (await createSession(fx.db, fx.userId, policy, at)).session;

  const authorize = (app: TestApp, session: BrowserSession | null, extra: Record<string, string> = {}) =>
    handleAuthorizeRequest(
      rawParams(
        Object.entries({
          response_type: "code",
          client_id: app.client.clientId,
          redirect_uri: REDIRECT,
          scope: "openid profile",
          state: "st",
          nonce: "n-0",
          code_challenge: s256(VERIFIER),
          code_challenge_method: "S256",
          ...extra,
        }),
      ),
      session,
      deps,
    );

  function redirectParams(outcome: AuthorizeOutcome): URLSearchParams {
    assert.equal(outcome.kind, "redirect", JSON.stringify(outcome));
    return outcome.kind === "redirect" ? new URL(outcome.location).searchParams : new URLSearchParams();
  }

  function interaction(outcome: AuthorizeOutcome, step: "login" | "consent"): string {
    assert.equal(outcome.kind, "interaction", JSON.stringify(outcome));
    assert.ok(outcome.kind === "interaction");
    assert.equal(outcome.step, step);
    return outcome.interactionId;
  }

  async function tokenAuthTime(app: TestApp, code: string): Promise<number> {
    const tokens = await fx.redeem(app, code);
    // The access token carries auth_time too (RFC 9068 §2.2.1); ID tokens are covered in oidc-core.
    return decodeJwt(tokens.access_token).auth_time as number;
  }

  test("a signed-in user within max_age gets a code at once; auth_time is the session's sign-in", async () => {
    const signedInAt = new Date(fx.now().getTime() - 30_000);
    const session = await signIn(signedInAt);
    const params = redirectParams(await authorize(firstParty, session, { max_age: "60" }));
    assert.equal(await tokenAuthTime(firstParty, params.get("code")!), Math.floor(signedInAt.getTime() / 1000));
  });

  for (const [name, extra] of [
    ["max_age exceeded", { max_age: "10" }],
    ["max_age=0", { max_age: "0" }],
    ["prompt=login", { prompt: "login" }],
  ] as const) {
    test(`${name} demands a fresh sign-in, and auth_time then reflects it`, async () => {
      const old = await signIn(new Date(fx.now().getTime() - 30_000));
      const id = interaction(await authorize(firstParty, old, extra), "login");
      const fresh = await signIn(fx.now());
      const params = redirectParams(await completeLogin(id, fresh, deps));
      assert.equal(params.get("state"), "st");
      assert.equal(await tokenAuthTime(firstParty, params.get("code")!), Math.floor(fx.now().getTime() / 1000));
    });

    if (!("max_age" in extra)) continue; // prompt=login with prompt=none is invalid_request (request tests)
    test(`${name} with prompt=none is login_required, never a page`, async () => {
      const old = await signIn(new Date(fx.now().getTime() - 30_000));
      const params = redirectParams(await authorize(firstParty, old, { ...extra, prompt: "none" }));
      assert.equal(params.get("error"), "login_required");
      assert.equal(params.get("iss"), fx.config.issuer);
    });
  }

  test("prompt=select_account: Continue as the signed-in person completes it, with the session's auth_time", async () => {
    const signedInAt = new Date(fx.now().getTime() - 30_000);
    const session = await signIn(signedInAt);
    const id = interaction(await authorize(firstParty, session, { prompt: "select_account" }), "login");
    const params = redirectParams(await continueAsSignedIn(id, session, deps));
    assert.equal(params.get("state"), "st");
    assert.equal(await tokenAuthTime(firstParty, params.get("code")!), Math.floor(signedInAt.getTime() / 1000));
    // Once only.
    assert.equal((await continueAsSignedIn(id, session, deps)).kind, "error_page");
  });

  for (const [name, extra] of [
    ["prompt=login", { prompt: "login" }],
    ["prompt=select_account with max_age exceeded", { prompt: "select_account", max_age: "10" }],
  ] as const) {
    test(`${name}: Continue as without the password is refused, and the request still waits for a sign-in`, async () => {
      const old = await signIn(new Date(fx.now().getTime() - 30_000));
      const id = interaction(await authorize(firstParty, old, extra), "login");
      const refused = await continueAsSignedIn(id, old, deps);
      assert.equal(refused.kind, "error_page");
      const fresh = await signIn(fx.now());
      assert.ok(redirectParams(await completeLogin(id, fresh, deps)).get("code"));
    });
  }

  test("an unregistered redirect URI: the error page gets what was sent, never what is registered", async () => {
    const outcome = await authorize(thirdParty, null, { redirect_uri: "https://elsewhere.example/cb" });
    assert.equal(outcome.kind, "error_page");
    assert.ok(outcome.kind === "error_page");
    assert.deepEqual(outcome.details, { clientId: thirdParty.client.clientId, redirectUri: "https://elsewhere.example/cb" });
  });

  test("prompt=none without a session is login_required", async () => {
    const params = redirectParams(await authorize(firstParty, null, { prompt: "none" }));
    assert.equal(params.get("error"), "login_required");
    assert.equal(params.get("state"), "st");
  });

  test("a third-party client needs consent once; it is remembered for the same scopes, asked again for more", async () => {
    const session = await signIn(fx.now());
    assert.equal(redirectParams(await authorize(thirdParty, session, { prompt: "none" })).get("error"), "consent_required");
    const id = interaction(await authorize(thirdParty, session), "consent");
    const params = redirectParams(await submitConsent(id, session, "allow", deps));
    assert.ok(params.get("code"));
    assert.ok(redirectParams(await authorize(thirdParty, session, { prompt: "none" })).get("code"));
    interaction(await authorize(thirdParty, session, { scope: "openid profile email" }), "consent");
  });

  test("prompt=consent shows the consent screen even to a first-party client", async () => {
    const session = await signIn(fx.now());
    const id = interaction(await authorize(firstParty, session, { prompt: "consent" }), "consent");
    assert.ok(redirectParams(await submitConsent(id, session, "allow", deps)).get("code"));
  });

  test("denying consent is access_denied at the redirect URI with state and iss", async () => {
    const session = await signIn(fx.now());
    const id = interaction(await authorize(thirdParty, session, { scope: "openid email" }), "consent");
    const params = redirectParams(await submitConsent(id, session, "deny", deps));
    assert.equal(params.get("error"), "access_denied");
    assert.equal(params.get("state"), "st");
    assert.equal(params.get("iss"), fx.config.issuer);
  });

  test("an interaction continues only once, only in its own session, only before it expires", async () => {
    const session = await signIn(fx.now());
    const other = await signIn(fx.now());
    const id = interaction(await authorize(thirdParty, session, { scope: "openid profile email offline_access" }), "consent");
    assert.equal((await submitConsent(id, other, "allow", deps)).kind, "error_page");
    assert.equal((await submitConsent(id, null, "allow", deps)).kind, "error_page");
    assert.equal((await submitConsent(id, session, "allow", deps)).kind, "redirect");
    assert.equal((await submitConsent(id, session, "allow", deps)).kind, "error_page");

    const later = interaction(await authorize(thirdParty, null), "login");
    fx.setNow(new Date(fx.now().getTime() + (fx.config.interactionTtlSeconds + 1) * 1000));
    try {
      assert.equal((await completeLogin(later, await signIn(fx.now()), deps)).kind, "error_page");
    } finally {
      fx.setNow(new Date());
    }
  });

  test("OpenID requests get a refresh token only when offline_access was granted", async () => {
    const session = await signIn(fx.now());
    const without = redirectParams(await authorize(firstParty, session)).get("code")!;
    assert.equal((await fx.redeem(firstParty, without)).refresh_token, undefined);
    const withOffline = redirectParams(await authorize(firstParty, session, { scope: "openid offline_access" })).get("code")!;
    assert.ok((await fx.redeem(firstParty, withOffline)).refresh_token);
  });
});
