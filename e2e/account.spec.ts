// The user's side of consent: see which applications have access, and take it back.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { E2E_ADMIN, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/account-test/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

test("the account page lists allowed applications, and withdrawing access revokes their tokens", async ({ page, baseURL }) => {
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  // Its own name per attempt: a retry must not find the first attempt's application as well.
  const appName = `Travel Planner ${Math.random().toString(36).slice(2, 7)}`;
  const registered = await registerClient({
    name: appName,
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
  });
  const client: oauth.Client = { client_id: registered.clientId };
  const clientAuth = oauth.ClientSecretBasic(registered.clientSecret!);

  // Signing in from the account page returns there (a path on this site only).
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?return_to=(%2F|\/)account$/);
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();

  const request = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email offline_access",
  });
  await page.goto(request.url);
  await page.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), request.state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, request.verifier, insecure),
  );

  await page.goto("/account");
  const card = page.getByRole("listitem").filter({ hasText: appName });
  await expect(card).toContainText("See your email address and whether it is verified");
  await page.screenshot({ path: "e2e/screenshots/account.png", fullPage: true });
  await page.setViewportSize({ width: 375, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/account-375.png", fullPage: true });

  await card.locator("summary").click();
  await card.getByRole("button", { name: `Yes, withdraw access of ${appName}` }).click();
  await expect(page.getByRole("status")).toHaveText("Access withdrawn: that application can no longer use your account.");
  await expect(page.getByRole("listitem").filter({ hasText: appName })).toHaveCount(0);

  const refresh = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, client, refresh)).rejects.toMatchObject({ error: "invalid_grant" });
  const userinfo = await oauth.userInfoRequest(as, client, tokens.access_token, insecure);
  expect(userinfo.status).toBe(401);
});

test("a return target that is not a path on this site is ignored", async ({ page }) => {
  await page.goto("/login?return_to=%2F%2Fevil.example.com%2F");
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
});

test("repeated failed sign-ins are throttled with a clear message", async ({ page }) => {
  await page.goto("/login");
  const email = `throttled-${Date.now()}@example.com`;
  const button = page.getByRole("button", { name: "Sign in", exact: true });
  // One attempt at a time: wait for each answer, and for the form to settle (React resets it after
  // an action), before typing the next one.
  const attempt = async (password: string) => {
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(password);
    await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), button.click()]);
    await expect(button).toBeEnabled();
    await expect(button).toHaveText("Sign in");
  };
  for (let count = 0; count < 10; count++) {
    await attempt(`guess number ${count}`);
    await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  }
  await attempt("one more guess");
  await expect(page.getByRole("alert").filter({ hasText: "Too many failed attempts" })).toHaveText(
    "Too many failed attempts for this account from unknown browsers. Try again in 15 minutes, or sign in from a browser you used before.",
  );
});
