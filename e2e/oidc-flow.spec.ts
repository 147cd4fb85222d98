// The OpenID Connect yardstick: a strict certified relying party (oauth4webapi), configured only
// from the discovery document, completes every flow without a workaround — for a confidential
// client of each secret method and for a public client.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { authorizationRequest } from "./support/authorization-request.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { E2E_ADMIN, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/oidc/callback`;
const AFTER_LOGOUT = `${APP_ORIGIN}/oidc/signed-out`;
const insecure = { [oauth.allowInsecureRequests]: true };

async function discover(baseURL: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(baseURL);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oidc" }));
}

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

const methods = [
  { name: "client_secret_basic", auth: (secret?: string) => oauth.ClientSecretBasic(secret!) },
  { name: "client_secret_post", auth: (secret?: string) => oauth.ClientSecretPost(secret!) },
  { name: "none", auth: () => oauth.None() },
] as const;

test("discovery → code flow with PKCE, state and nonce → ID token → userinfo → refresh → revocation → logout → prompt=none", async ({
  page,
  baseURL,
}) => {
  const as = await discover(baseURL!);
  expect(as.issuer).toBe(baseURL);
  expect(as.authorization_response_iss_parameter_supported).toBe(true);
  let lastIdToken = "";
  let lastClient: oauth.Client | undefined;

  for (const [index, method] of methods.entries()) {
    const registered = await registerClient({
      name: `Notes (${method.name})`,
      tokenEndpointAuthMethod: method.name,
      redirectUris: [CALLBACK],
      postLogoutRedirectUris: [AFTER_LOGOUT],
      scopes: ["openid", "profile", "email", "offline_access"],
    });
    const client: oauth.Client = { client_id: registered.clientId };
    const clientAuth = method.auth(registered.clientSecret);

    const nonce = oauth.generateRandomNonce();
    const { url, state, verifier } = await authorizationRequest(as, {
      clientId: client.client_id,
      redirectUri: CALLBACK,
      scope: "openid profile email offline_access",
      nonce,
    });
    await page.goto(url);
    if (index === 0) {
      await page.getByLabel("Email address").fill(E2E_ADMIN.email);
      await page.getByLabel("Password").fill(E2E_ADMIN.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }
    await expect(page.getByText("Keep access while you are not using it")).toBeVisible();
    await page.getByRole("button", { name: /^Allow/ }).click();

    const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), state);
    await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims.email).toBe(E2E_ADMIN.email);
    expect(claims.auth_time).toEqual(expect.any(Number));
    expect(claims.sid).toEqual(expect.any(String));
    // The ID token's signature, against the JWKS the discovery document points to.
    await oauth.validateApplicationLevelSignature(as, response, insecure);
    // The access token, as a resource server checks it (RFC 9068: typ at+jwt, iss, aud, exp).
    const api = new Request(`${APP_ORIGIN}/api`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    const access = await oauth.validateJwtAccessToken(as, api, client.client_id, insecure);
    expect(access).toMatchObject({ sub: claims.sub, client_id: client.client_id, iss: baseURL });

    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      claims.sub,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    expect(userinfo).toMatchObject({ sub: claims.sub, email: E2E_ADMIN.email, email_verified: true });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, insecure));
    const afterRevocation = await oauth.userInfoRequest(as, client, refreshed.access_token, insecure);
    expect(afterRevocation.status).toBe(401);
    expect(afterRevocation.headers.get("www-authenticate")).toContain('error="invalid_token"');

    lastIdToken = tokens.id_token!;
    lastClient = client;
  }

  // RP-initiated logout with a genuine hint: no question asked, back to the app with the state.
  const logout = new URL(as.end_session_endpoint!);
  logout.search = new URLSearchParams({ id_token_hint: lastIdToken, post_logout_redirect_uri: AFTER_LOGOUT, state: "see you" }).toString();
  await page.goto(logout.href);
  const back = await app.next(AFTER_LOGOUT);
  expect(back.origin + back.pathname).toBe(AFTER_LOGOUT);
  expect(back.searchParams.get("state")).toBe("see you");

  const silent = await authorizationRequest(as, {
    clientId: lastClient!.client_id,
    redirectUri: CALLBACK,
    scope: "openid",
    prompt: "none",
  });
  await page.goto(silent.url);
  const answer = await app.next(CALLBACK);
  expect(answer.searchParams.get("error")).toBe("login_required");
  expect(() => oauth.validateAuthResponse(as, lastClient!, answer, silent.state)).toThrow(oauth.AuthorizationResponseError);
});

test("logout without a hint asks first, and an unregistered post-logout URI is not followed", async ({ page, baseURL }) => {
  const as = await discover(baseURL!);
  await page.goto("/login");
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);

  const logout = new URL(as.end_session_endpoint!);
  logout.search = new URLSearchParams({ post_logout_redirect_uri: "https://evil.example.com/", state: "x" }).toString();
  await page.goto(logout.href);
  await expect(page.getByRole("heading", { name: "Sign out?" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/logout-confirm.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(baseURL);
  await page.screenshot({ path: "e2e/screenshots/logout-done.png", fullPage: true });
});
