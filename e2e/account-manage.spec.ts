// A person manages their own account: where they are signed in, their password, their name and
// the applications they allowed. Two browser contexts are two browsers of the same person.
import { expect, test, type Browser, type Page } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { checkScreen } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { auditEventsOf, createPerson, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/account-manage/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };
const FIREFOX_ON_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login?return_to=%2Faccount");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
}

/** A second browser of the same person: another context, with another user agent. */
async function otherBrowser(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ userAgent: FIREFOX_ON_WINDOWS });
  const page = await context.newPage();
  await signIn(page, email, password);
  return { context, page };
}

async function expectSignedOut(page: Page): Promise<void> {
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?return_to=/);
}

test("the sessions list shows both browsers, and “Sign out everywhere else” ends the other", async ({ page, browser }) => {
  const password = "sessions journey passphrase";
  const person = await createPerson("sessions", password);
  await signIn(page, person.email, password);
  const other = await otherBrowser(browser, person.email, password);
  try {
    await page.reload();
    const sessions = page.getByRole("region", { name: "Where you are signed in" });
    const items = sessions.getByRole("listitem");
    await expect(items).toHaveCount(2);
    await expect(items.first()).toContainText("This browser");
    await expect(items.first()).toContainText(/Chrome/);
    await expect(items.nth(1)).toContainText("Firefox 133 on Windows 10");
    await expect(items.nth(1)).not.toContainText("This browser");
    await expect(items.nth(1)).toContainText("127.0.0.1");
    await checkScreen(page, "account-sessions");

    await sessions.getByRole("button", { name: "Sign out everywhere else" }).click();
    await expect(page.getByRole("status")).toHaveText("You are signed out everywhere else.");
    await expect(items).toHaveCount(1);
    await expect(sessions).toContainText("You are not signed in anywhere else.");
    await expectSignedOut(other.page);

    // One browser at a time, too.
    await signIn(other.page, person.email, password);
    await page.reload();
    await sessions.getByRole("button", { name: /^Sign out of Firefox 133 on Windows 10/ }).click();
    await expect(page.getByRole("status")).toHaveText("That browser is signed out.");
    await expectSignedOut(other.page);
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    const expected: unknown[] = [
      { via: "account", count: 1, everywhereElse: true },
      { via: "account", count: 1, sessionId: expect.any(String) },
    ];
    expect((await auditEventsOf(person.id, "sessions.ended")).map((event) => event.detail)).toEqual(expected);
  } finally {
    await other.context.close();
  }
});

test("changing the password needs the current one, ends the other browser's session and keeps this one", async ({ page, browser }) => {
  const password = "password journey passphrase";
  const person = await createPerson("password", password);
  await signIn(page, person.email, password);
  const other = await otherBrowser(browser, person.email, password);
  try {
    await page.reload();
    const form = page.getByRole("region", { name: "Password" });
    // A wrong current password: the field says so and has focus; nothing changed.
    await form.getByLabel("Current password").fill("not my password at all");
    await form.getByLabel("New password").fill("a brand new passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText("That is not your current password")).toBeVisible();
    await expect(form.getByLabel("Current password")).toBeFocused();
    await expect(form.getByLabel("Current password")).toHaveAttribute("aria-describedby", "currentPassword-error");
    // A new password against the rule: that field.
    await form.getByLabel("Current password").fill(password);
    await form.getByLabel("New password").fill("Password2024!");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(form.getByText(/too common/)).toBeVisible();
    await expect(form.getByLabel("New password")).toBeFocused();
    await expect(form.getByLabel("Current password")).toHaveValue("");
    await checkScreen(page, "account-password-error");

    await form.getByLabel("Current password").fill(password);
    await form.getByLabel("New password").fill("a brand new passphrase");
    await form.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Your password is changed. You are still signed in here, and signed out everywhere else.",
    );
    await expect(page.getByRole("region", { name: "Where you are signed in" }).getByRole("listitem")).toHaveCount(1);
    await expectSignedOut(other.page);

    // The old password no longer signs in; the new one does.
    await other.page.getByLabel("Email address").fill(person.email);
    await other.page.getByLabel("Password").fill(password);
    await other.page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(other.page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
    await signIn(other.page, person.email, "a brand new passphrase");
    expect((await auditEventsOf(person.id, "password.changed")).map((event) => event.detail)).toEqual([
      { via: "account", sessionsEnded: 1 },
    ]);
  } finally {
    await other.context.close();
  }
});

test("a new name reaches applications, and withdrawing access asks first", async ({ page, baseURL }) => {
  const password = "applications journey passphrase";
  const person = await createPerson("apps", password, "Ada");
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registered = await registerClient({ name: "Notes App", tokenEndpointAuthMethod: "client_secret_basic", redirectUris: [CALLBACK] });
  const client: oauth.Client = { client_id: registered.clientId };
  const clientAuth = oauth.ClientSecretBasic(registered.clientSecret!);

  await signIn(page, person.email, password);
  await expect(page.getByRole("region", { name: "Applications you allowed" })).toContainText("You have not allowed any application");
  const request = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid profile offline_access",
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
  const userinfo = async (accessToken: string) =>
    (await (await oauth.userInfoRequest(as, client, accessToken, insecure)).json()) as { name?: string };
  expect((await userinfo(tokens.access_token)).name).toBe("Ada");

  // The name: edited here, seen by the application.
  await page.goto("/account");
  const profile = page.getByRole("region", { name: "Your name" });
  await profile.getByLabel("Name").fill("Ada Lovelace");
  await profile.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status")).toHaveText("Your name is saved. Applications see it the next time they ask.");
  await expect(page.locator("main header")).toContainText(`Ada Lovelace · ${person.email}`);
  expect((await userinfo(tokens.access_token)).name).toBe("Ada Lovelace");
  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, insecure),
  );
  expect(oauth.getValidatedIdTokenClaims(refreshed)?.name).toBe("Ada Lovelace");

  // The application: its scopes, when allowed and last used (the refresh just now).
  await page.reload();
  const card = page
    .getByRole("region", { name: "Applications you allowed" })
    .getByRole("listitem")
    .filter({ hasText: "Notes App" })
    .first();
  await expect(card).toContainText("See your name and basic profile details");
  await expect(card).toContainText(/Last used\s*\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
  await checkScreen(page, "account");

  // Withdrawing opens a confirmation first; nothing is withdrawn until it is confirmed.
  await card.locator("summary").click();
  const confirm = card.getByRole("button", { name: "Yes, withdraw access of Notes App" });
  await expect(confirm).toBeVisible();
  await expect(card).toContainText("Notes App will lose access to your account at once");
  await checkScreen(page, "account-withdraw-confirm");
  await confirm.click();
  await expect(page.getByRole("status")).toHaveText("Access withdrawn: that application can no longer use your account.");
  await expect(page.getByRole("listitem").filter({ hasText: "Notes App" })).toHaveCount(0);
  const refresh = await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, client, refresh)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("the notice comes from the server's own texts, never from the address", async ({ page }) => {
  const password = "status journey passphrase";
  const person = await createPerson("status", password);
  await signIn(page, person.email, password);
  for (const status of ["<b>Your account is suspended: call +1 555 0100</b>", "constructor", "__proto__", "toString"]) {
    await page.goto(`/account?status=${encodeURIComponent(status)}`);
    await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
    await expect(page.getByRole("status")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("suspended");
  }
  await page.goto("/account?status=withdrawn&status=name-saved");
  await expect(page.getByRole("status")).toHaveCount(0);
  await page.goto("/account?status=name-saved");
  await expect(page.getByRole("status")).toHaveText("Your name is saved. Applications see it the next time they ask.");
});
