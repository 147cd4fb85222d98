// An admin manages people in the console: creates a user (the generated password is shown once),
// that person signs in to an application, and disabling them stops the application's refresh
// token at once. Someone who is not an admin gets 403 in the console.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { checkScreen } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { E2E_ADMIN, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/admin-users-test/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

test("an admin creates a user, who signs in to an application; disabling them revokes its refresh token", async ({
  page,
  browser,
  baseURL,
}) => {
  page.on("dialog", (dialog) => void dialog.accept());
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login\?return_to=%2Fadmin%2Fusers$/);
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Back at the page asked for.
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole("heading", { name: "Users", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: E2E_ADMIN.email })).toBeVisible();

  // The form refuses bad input next to each field, and keeps what was typed.
  await page.getByRole("link", { name: "New user" }).click();
  await page.getByLabel("Email address").fill("not an email");
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Set one").check();
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: "Correct" })).toHaveText("Correct the 2 fields marked below.");
  await expect(page.locator("#email-error")).toHaveText("Enter an email address");
  await expect(page.locator("#password-error")).toContainText("at least 12 characters");
  await expect(page.getByLabel("Name")).toHaveValue("Grace Hopper");
  await checkScreen(page, "admin-users-new-errors");

  const email = `grace-${Date.now()}@example.com`;
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Generate a password").check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created ${email}.`);
  const shown = page.getByLabel(`Initial password of ${email}`);
  const password = await shown.inputValue();
  expect(password.length).toBeGreaterThanOrEqual(12);
  await expect(page.getByText("Shown only once.")).toBeVisible();
  await checkScreen(page, "admin-users-password-once");

  // The person signs in through an application and allows it; the application gets a refresh token.
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registered = await registerClient({
    name: "Compiler Notes",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
  });
  const client: oauth.Client = { client_id: registered.clientId };
  const clientAuth = oauth.ClientSecretBasic(registered.clientSecret!);
  const grace = await browser.newContext();
  const gracePage = await grace.newPage();
  const request = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email offline_access",
  });
  await gracePage.goto(request.url);
  await gracePage.getByLabel("Email address").fill(email);
  await gracePage.getByLabel("Password").fill(password);
  await gracePage.getByRole("button", { name: "Sign in", exact: true }).click();
  await gracePage.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), request.state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, request.verifier, insecure),
  );
  expect(tokens.refresh_token).toBeTruthy();

  // Not an admin: the console answers 403 (once the callback has finished loading).
  await gracePage.waitForURL((url) => url.pathname === new URL(CALLBACK).pathname);
  const forbidden = await gracePage.goto("/admin");
  expect(forbidden?.status()).toBe(403);
  await expect(gracePage.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();

  // The user's page shows the session and the application; the password is not shown again.
  await page.goto(`/admin/users?q=${encodeURIComponent("GRACE")}`);
  // (A retry of this journey adds a second Grace: one or more.)
  await expect(page.getByRole("heading", { name: /^\d+ users? match(es)? “GRACE”$/ })).toBeVisible();
  await page.goto("/admin/users");
  await checkScreen(page, "admin-users-list");
  await page.getByRole("link", { name: email }).click();
  await expect(page.getByRole("heading", { name: "Grace Hopper" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Compiler Notes" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Revoke the session/ })).toHaveCount(1);
  expect(await page.content()).not.toContain(password);
  await checkScreen(page, "admin-users-detail");

  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("status")).toContainText("is disabled");
  await expect(page.getByRole("button", { name: "Enable" })).toBeVisible();
  await expect(page.getByText("No active session.")).toBeVisible();

  const refresh = await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, client, refresh)).rejects.toMatchObject({ error: "invalid_grant" });
  // Signed out as well: the console sends them to sign in.
  await gracePage.goto("/account");
  await expect(gracePage).toHaveURL(/\/login/);
  await grace.close();
  await checkScreen(page, "admin-users-disabled");

  // A reset password is shown once too, and gone after a reload.
  await page.getByRole("button", { name: "Reset password" }).click();
  const reset = page.getByLabel(`New password of ${email}`);
  await expect(reset).toBeVisible();
  const newPassword = await reset.inputValue();
  expect(newPassword).not.toBe(password);
  await checkScreen(page, "admin-users-reset-once");
  await page.reload();
  expect(await page.content()).not.toContain(newPassword);
});
