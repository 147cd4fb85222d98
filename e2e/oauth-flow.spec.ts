// A certified client library (oauth4webapi, the strictest relying party there is) plays the app:
// it builds the authorization URL with PKCE and state, the browser signs in and consents, and the
// library validates the callback (including iss), exchanges the code, refreshes, introspects and
// revokes.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { authorizationRequest } from "./support/authorization-request.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { E2E_ADMIN, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/callback`;

function authorizationServer(baseURL: string): oauth.AuthorizationServer {
  return {
    issuer: baseURL,
    authorization_endpoint: `${baseURL}/oauth/authorize`,
    token_endpoint: `${baseURL}/oauth/token`,
    revocation_endpoint: `${baseURL}/oauth/revoke`,
    introspection_endpoint: `${baseURL}/oauth/introspect`,
    authorization_response_iss_parameter_supported: true,
  };
}

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

test("authorization code flow with PKCE through the browser, then refresh, introspection and revocation", async ({ page, baseURL }) => {
  const as = authorizationServer(baseURL!);
  const registered = await registerClient({
    name: "Photo Album",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
    scopes: ["openid", "profile", "email", "offline_access"],
  });
  const client: oauth.Client = { client_id: registered.clientId };
  const clientAuth = oauth.ClientSecretBasic(registered.clientSecret!);
  const options = { [oauth.allowInsecureRequests]: true };

  const request = await authorizationRequest(as, { clientId: client.client_id, redirectUri: CALLBACK, scope: "profile email" });

  await page.goto(request.url);

  await expect(page).toHaveURL(/\/login\?interaction=/);
  await expect(page.getByText("to continue to Photo Album")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/login.png", fullPage: true });
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: /match/ })).toHaveText("That email address and password do not match an account.");
  await page.screenshot({ path: "e2e/screenshots/login-error.png", fullPage: true });
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  await expect(page).toHaveURL(/\/consent\?interaction=/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Allow Photo Album to access your account?");
  await expect(page.getByText("See your email address and whether it is verified")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/consent.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/consent-375.png", fullPage: true });
  await page.getByRole("button", { name: "Allow Photo Album" }).click();

  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), request.state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, request.verifier, options),
  );
  expect(tokens.token_type).toBe("bearer");
  expect(tokens.scope).toBe("profile email");
  expect(tokens.refresh_token).toBeTruthy();

  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, options),
  );
  expect(refreshed.refresh_token).toBeTruthy();
  expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

  const active = await oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, options),
  );
  expect(active.active).toBe(true);
  expect(active.client_id).toBe(client.client_id);

  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, options));
  const revoked = await oauth.processIntrospectionResponse(
    as,
    client,
    await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, options),
  );
  expect(revoked).toEqual({ active: false });
});

test("denying consent sends access_denied back to the app, with state and iss", async ({ page, baseURL }) => {
  const as = authorizationServer(baseURL!);
  const registered = await registerClient({ name: "Nosy App", tokenEndpointAuthMethod: "none", redirectUris: [CALLBACK] });
  const client: oauth.Client = { client_id: registered.clientId };
  const { url, state } = await authorizationRequest(as, { clientId: client.client_id, redirectUri: CALLBACK, scope: "email" });

  await page.goto(url);
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Deny" }).click();

  const returned = await app.next(CALLBACK);
  expect(returned.searchParams.get("error")).toBe("access_denied");
  expect(returned.searchParams.get("state")).toBe(state);
  expect(returned.searchParams.get("iss")).toBe(baseURL);
  expect(() => oauth.validateAuthResponse(as, client, returned, state)).toThrow(oauth.AuthorizationResponseError);
});
