// acr_values, the claims parameter's acr and a client's requireMfa, through the real authorization
// core and its Prisma store with real browser sessions: when a second factor is asked for before
// the code, and what amr and acr the ID token then carries.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeJwt } from "jose";
import { createSession } from "../../lib/auth/sessions.ts";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { createClient } from "../../lib/db/clients.ts";
import { userClaimsStore } from "../../lib/db/user-claims-store.ts";
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from "../../lib/oauth/authorize/acr.ts";
import {
  completeLogin,
  handleAuthorizeRequest,
  type AuthorizeDeps,
  type AuthorizeOutcome,
} from "../../lib/oauth/authorize/handle-authorize.ts";
import { s256 } from "../../lib/oauth/pkce.ts";
import type { BrowserSession } from "../../lib/oauth/ports.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import { createIdTokenIssuer } from "../../lib/oauth/tokens/id-token.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, REDIRECT, VERIFIER, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

const policy = { idleSeconds: 3600, absoluteSeconds: 86_400 };
const MFA = ["pwd", "otp", "mfa"];

describe(`acr_values, claims acr and requireMfa on ${testDatabaseKind()}`, () => {
  let fx: OAuthFixture;
  let deps: AuthorizeDeps;
  let app: TestApp;
  let strictApp: TestApp;
  let tokenDeps: TokenDeps;

  before(async () => {
    fx = await createOAuthFixture();
    deps = { config: fx.config, runtime: fx.runtime, store: authorizeStore(fx.db) };
    tokenDeps = {
      ...fx.tokenDeps,
      idTokens: createIdTokenIssuer({ config: fx.config, signingKeys: fx.tokenDeps.signingKeys, users: userClaimsStore(fx.db) }),
    };
    app = await fx.app("App", "client_secret_basic");
    // The fixture's keyring holds an ES256 key.
    await fx.db.client.updateMany({ data: { idTokenSignedResponseAlg: "ES256" } });
    const { client, clientSecret } = await createClient(fx.db, {
      name: "Strict app",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: [REDIRECT],
      skipConsent: true,
    });
    await fx.db.client.update({ where: { id: client.ref }, data: { requireMfa: true, idTokenSignedResponseAlg: "ES256" } });
    strictApp = {
      client: { ...client, requireMfa: true },
      credentials: { method: "client_secret_basic", clientId: client.clientId, clientSecret: clientSecret! },
    };
  });
  after(() => fx.close());

  const signIn = async (amr?: string[]): Promise<BrowserSession> =>
    (await createSession(fx.db, fx.userId, policy, fx.now(), amr ? { amr } : {})).session;

  const authorize = (target: TestApp, session: BrowserSession | null, extra: Record<string, string> = {}) =>
    handleAuthorizeRequest(
      rawParams(
        Object.entries({
          response_type: "code",
          client_id: target.client.clientId,
          redirect_uri: REDIRECT,
          scope: "openid",
          state: "st",
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

  function secondFactorStep(outcome: AuthorizeOutcome): string {
    assert.equal(outcome.kind, "interaction", JSON.stringify(outcome));
    assert.ok(outcome.kind === "interaction");
    assert.equal(outcome.step, "second_factor");
    return outcome.interactionId;
  }

  const token = (target: TestApp, entries: Array<[string, string]>) =>
    handleTokenRequest({ body: rawParams(entries), credentials: target.credentials }, tokenDeps);
  const redeem = (target: TestApp, code: string) =>
    token(target, [
      ["grant_type", "authorization_code"],
      ["code", code],
      ["redirect_uri", REDIRECT],
      ["code_verifier", VERIFIER],
    ]);

  async function idToken(target: TestApp, outcome: AuthorizeOutcome) {
    const code = redirectParams(outcome).get("code");
    assert.ok(code, "a code was issued");
    const tokens = await redeem(target, code);
    assert.ok(tokens.id_token);
    return decodeJwt(tokens.id_token);
  }

  const addSecondFactor = () =>
    fx.db.secondFactor.create({ data: { userId: fx.userId, kind: "totp", secretEncrypted: "sealed", confirmedAt: fx.now() } });
  const removeSecondFactors = () => fx.db.secondFactor.deleteMany({ where: { userId: fx.userId } });

  test("without any request, a password session gets its code; the ID token says amr pwd and the single-factor acr", async () => {
    const claims = await idToken(app, await authorize(app, await signIn()));
    assert.deepEqual(claims.amr, ["pwd"]);
    assert.equal(claims.acr, ACR_SINGLE_FACTOR);
  });

  test("a two-factor session's ID token carries its methods and the multi-factor acr, on refresh too", async () => {
    const session = await signIn(MFA);
    const code = redirectParams(await authorize(app, session, { scope: "openid offline_access" })).get("code");
    const tokens = await redeem(app, code!);
    assert.deepEqual(decodeJwt(tokens.id_token!).amr, MFA);
    const refreshed = await token(app, [
      ["grant_type", "refresh_token"],
      ["refresh_token", tokens.refresh_token!],
    ]);
    const claims = decodeJwt(refreshed.id_token!);
    assert.deepEqual(claims.amr, MFA, "OpenID Connect Core §12.2: the refreshed ID token keeps the original authentication");
    assert.equal(claims.acr, ACR_MULTI_FACTOR);
  });

  test("acr_values asking for two factors: voluntary, so a person without a second factor gets a single-factor code", async () => {
    await removeSecondFactors();
    const claims = await idToken(app, await authorize(app, await signIn(), { acr_values: ACR_MULTI_FACTOR }));
    assert.equal(claims.acr, ACR_SINGLE_FACTOR, "the acr says what was met, not what was asked");
  });

  test("acr_values asking for two factors: a person with a second factor is asked for it first", async () => {
    await addSecondFactor();
    try {
      const session = await signIn();
      const interactionId = secondFactorStep(await authorize(app, session, { acr_values: ACR_MULTI_FACTOR }));
      // The second-factor page then signs in again with both factors and resumes the request.
      const stepped = (await createSession(fx.db, fx.userId, policy, fx.now(), { amr: MFA })).session;
      const claims = await idToken(app, await completeLogin(interactionId, stepped, deps));
      assert.deepEqual(claims.amr, MFA);
      assert.equal(claims.acr, ACR_MULTI_FACTOR);
    } finally {
      await removeSecondFactors();
    }
  });

  test("a person whose only second factor is a passkey is asked for it too; a passkey session needs no step-up", async () => {
    await fx.db.passkey.create({
      data: { userId: fx.userId, credentialId: "cred-acr", publicKey: "pk", deviceType: "multiDevice", backedUp: true, name: "Phone" },
    });
    try {
      secondFactorStep(await authorize(app, await signIn(), { acr_values: ACR_MULTI_FACTOR }));
      const passkeySession = await signIn(["swk", "user", "mfa"]);
      const claims = await idToken(app, await authorize(app, passkeySession, { acr_values: ACR_MULTI_FACTOR }));
      assert.deepEqual(claims.amr, ["swk", "user", "mfa"]);
      assert.equal(claims.acr, ACR_MULTI_FACTOR);
    } finally {
      await fx.db.passkey.deleteMany({ where: { userId: fx.userId } });
    }
  });

  test("acr_values that a password meets (single-factor listed) need no step-up", async () => {
    await addSecondFactor();
    try {
      const claims = await idToken(app, await authorize(app, await signIn(), { acr_values: `${ACR_MULTI_FACTOR} ${ACR_SINGLE_FACTOR}` }));
      assert.equal(claims.acr, ACR_SINGLE_FACTOR);
    } finally {
      await removeSecondFactors();
    }
  });

  test("an essential acr in the claims parameter asks even a person without a second factor (who must set one up)", async () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_MULTI_FACTOR] } } });
    secondFactorStep(await authorize(app, await signIn(), { claims }));
  });

  test("a client that requires a second factor asks for one before any code", async () => {
    secondFactorStep(await authorize(strictApp, await signIn()));
    const claims = await idToken(strictApp, await authorize(strictApp, await signIn(MFA)));
    assert.equal(claims.acr, ACR_MULTI_FACTOR);
  });

  test("prompt=login and max_age ask a two-factor session to sign in again; the fresh sign-in's methods reach the ID token", async () => {
    for (const extra of [{ prompt: "login" }, { max_age: "0" }] as Record<string, string>[]) {
      const old = (await createSession(fx.db, fx.userId, policy, new Date(fx.now().getTime() - 5_000), { amr: MFA })).session;
      const outcome = await authorize(app, old, extra);
      assert.equal(outcome.kind, "interaction", JSON.stringify(outcome));
      assert.ok(outcome.kind === "interaction");
      assert.equal(outcome.step, "login", `${JSON.stringify(extra)}: the methods of an earlier sign-in do not count`);
      const passkey = ["hwk", "user", "mfa"];
      const fresh = (await createSession(fx.db, fx.userId, policy, fx.now(), { amr: passkey })).session;
      const claims = await idToken(app, await completeLogin(outcome.interactionId, fresh, deps));
      assert.deepEqual(claims.amr, passkey);
      assert.equal(claims.acr, ACR_MULTI_FACTOR);
    }
  });

  test("with prompt=none a step-up cannot happen: interaction_required at the redirect URI", async () => {
    const params = redirectParams(await authorize(strictApp, await signIn(), { prompt: "none" }));
    assert.equal(params.get("error"), "interaction_required");
    assert.equal(params.get("state"), "st");
  });

  test("an essential acr naming only classes we do not offer is a failed authentication (access_denied)", async () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, value: "urn:example:loa:4" } } });
    assert.equal(redirectParams(await authorize(app, await signIn(MFA), { claims })).get("error"), "access_denied");
    assert.equal(redirectParams(await authorize(app, await signIn(), { claims })).get("error"), "access_denied");
  });

  test("unknown voluntary acr_values are ignored", async () => {
    const claims = await idToken(app, await authorize(app, await signIn(), { acr_values: "urn:example:loa:4" }));
    assert.equal(claims.acr, ACR_SINGLE_FACTOR);
  });

  for (const [claims, why] of [
    ["not json", "claims must be a JSON object"],
    ["[1,2]", "claims must be a JSON object"],
    [`{"id_token":"x"}`, "claims.id_token must be a JSON object"],
    [`{"id_token":{"acr":{"essential":"yes"}}}`, "claims.id_token.acr.essential must be a boolean"],
    [`{"id_token":{"acr":{"values":"urn:portal:acr:mfa"}}}`, "claims.id_token.acr.values must be an array of strings"],
  ] as const) {
    test(`a malformed claims parameter (${claims}) is invalid_request at the redirect URI`, async () => {
      const params = redirectParams(await authorize(app, await signIn(), { claims }));
      assert.equal(params.get("error"), "invalid_request");
      assert.equal(params.get("error_description"), why);
    });
  }
});
