// `npm run keys:rotate` against a running portal: new tokens carry the new kid, and tokens signed
// before still validate through the JWKS (and at userinfo) until they expire.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { testDatabaseKind } from "../support/db.ts";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  REDIRECT_URI,
  startWorld,
  type PortalWorld,
  type RegisteredClient,
} from "../support/oauth-http.ts";
import { defaultPortalSecret, runCommand } from "../support/portal.ts";

describe(`signing key rotation on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let app: RegisteredClient;

  before(async () => {
    world = await startWorld({ env: { KEY_RELOAD_SECONDS: "1" } });
    app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
  });
  after(() => world.close());

  async function issueTokens(): Promise<{ access_token: string; id_token: string }> {
    const pkce = newPkce();
    const authorize = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(app.clientId, pkce, { scope: "openid email" })}`, {
      headers: { cookie: world.cookie },
      redirect: "manual",
    });
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code");
    assert.ok(code, `no code: ${authorize.status} ${authorize.headers.get("location")}`);
    const token = await fetch(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(app.clientId, app.clientSecret!) },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier }),
    });
    assert.equal(token.status, 200);
    return (await token.json()) as { access_token: string; id_token: string };
  }

  const jwks = async () => (await (await fetch(`${world.issuer}/oauth/jwks`)).json()) as JSONWebKeySet;
  const kid = (jwt: string) => decodeProtectedHeader(jwt).kid;

  test("after keys:rotate new tokens carry new kids, and earlier tokens still verify", async () => {
    const earlier = await issueTokens();
    const rotated = await runCommand(["scripts/keys.ts", "rotate"], {
      DATABASE_URL: world.database.url,
      DATA_DIR: world.portal.dataDir,
      ...defaultPortalSecret(world.database.url),
    });
    assert.equal(rotated.code, 0, rotated.stderr);

    // The server reloads its keys within KEY_RELOAD_SECONDS.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await issueTokens();
    assert.notEqual(kid(later.access_token), kid(earlier.access_token));
    assert.notEqual(kid(later.id_token), kid(earlier.id_token));

    const published = await jwks();
    const kids = new Set(published.keys.map((key) => key.kid));
    for (const token of [earlier.access_token, earlier.id_token, later.access_token, later.id_token]) {
      assert.ok(kids.has(kid(token)), `kid ${kid(token)} is published`);
      await jwtVerify(token, createLocalJWKSet(published), { issuer: world.issuer });
    }
    for (const token of [earlier.access_token, later.access_token]) {
      const userinfo = await fetch(`${world.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(userinfo.status, 200);
    }
  });
});
