// An admin registers an application in the console, a real client library (oauth4webapi) signs in
// with the secret the console showed once, and the admin rotates, revokes, disables and deletes.
import { expect, test } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { checkScreen } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { E2E_ADMIN } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/console-app/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

test("an admin registers an application, which signs in with its secret; rotate, revoke, disable, delete", async ({
  page,
  baseURL,
}, testInfo) => {
  // A retry registers another application on the same server: its own name keeps links unique.
  const name = testInfo.retry === 0 ? "Console Shop" : `Console Shop ${testInfo.retry}`;
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));

  await page.goto("/admin/clients");
  await expect(page).toHaveURL(/\/login\?return_to=/);
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  // Back at the page asked for.
  await expect(page).toHaveURL(/\/admin\/clients$/);
  await expect(page.getByRole("heading", { name: "Applications" })).toBeVisible();

  // The form shows each problem next to its field, and keeps what was typed.
  await page.getByRole("link", { name: "New application" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Console\\Shop");
  await page.getByLabel("Redirect URIs", { exact: true }).fill("http://shop.example.com/callback");
  await page.getByLabel("Logo URL (optional)").fill("http://shop.example.com/logo.png");
  await page.getByLabel("Access token lifetime (s)").fill("10");
  await page.getByRole("button", { name: "Register application" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("Correct the 4 fields marked below.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#name-error")).toContainText("backslashes");
  await expect(page.locator("#redirectUris-error")).toContainText("must use https");
  await expect(page.locator("#logoUri-error")).toContainText("https URL");
  await expect(page.locator("#accessTokenTtlSeconds-error")).toContainText("60 to 86400");
  await expect(page.getByLabel("Redirect URIs", { exact: true })).toHaveValue("http://shop.example.com/callback");
  await checkScreen(page, "admin-client-new-errors");

  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Redirect URIs", { exact: true }).fill(CALLBACK);
  await page.getByLabel("Logo URL (optional)").fill("");
  await page.getByLabel("Access token lifetime (s)").fill("");
  await page.getByRole("button", { name: "Register application" }).click();
  await expect(page.getByRole("main").getByRole("status")).toHaveText(`${name} is registered.`);
  const clientId = (await page.getByTestId("created-client-id").textContent())!.trim();
  const firstSecret = await page.getByLabel("Client secret", { exact: true }).inputValue();
  expect(firstSecret.length).toBeGreaterThanOrEqual(43);
  await expect(page.getByText("Shown only once.")).toBeVisible();
  await checkScreen(page, "admin-client-secret-once");

  // The secret works: a certified client library runs the authorization code flow with it.
  const client: oauth.Client = { client_id: clientId };
  const request = await authorizationRequest(as, { clientId, redirectUri: CALLBACK, scope: "openid email offline_access" });
  await page.goto(request.url);
  await page.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), request.state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(firstSecret),
      params,
      CALLBACK,
      request.verifier,
      insecure,
    ),
  );
  const introspect = async (secret: string) =>
    oauth.processIntrospectionResponse(
      as,
      client,
      await oauth.introspectionRequest(as, client, oauth.ClientSecretBasic(secret), tokens.access_token, insecure),
    );
  expect((await introspect(firstSecret)).active).toBe(true);

  await page.goto("/admin/clients");
  await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
  await checkScreen(page, "admin-clients");
  await page.getByLabel("Search by name or client_id").fill(clientId.slice(0, 10));
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=/);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByLabel("Auth.js (NextAuth) configuration (TypeScript)")).toContainText(`clientId: "${clientId}"`);

  // Rotation with an hour of overlap: both secrets authenticate.
  await page.getByLabel("The current secrets").selectOption("1");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "A new secret is issued" })).toContainText(
    "keep working until",
  );
  const secondSecret = await page.getByLabel("New client secret").inputValue();
  expect(secondSecret).not.toBe(firstSecret);
  expect((await introspect(firstSecret)).active).toBe(true);
  expect((await introspect(secondSecret)).active).toBe(true);

  // Revoking the old one: only the new one works.
  await page.reload();
  await expect(page.getByTestId("secret-row")).toHaveCount(2);
  await page
    .getByTestId("secret-row")
    .nth(1)
    .getByRole("button", { name: /^Revoke/ })
    .click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "revoked" })).toHaveText("The secret is revoked.");
  await expect(introspect(firstSecret)).rejects.toBeTruthy();
  expect((await introspect(secondSecret)).active).toBe(true);

  // The last secret cannot be revoked, only rotated.
  await page.reload();
  await page
    .getByTestId("secret-row")
    .first()
    .getByRole("button", { name: /^Revoke/ })
    .click();
  await expect(page.getByRole("main").getByRole("alert").filter({ hasText: "only working secret" })).toBeVisible();

  // The refused attempt is in the activity, with its private reason (the protocol's events are
  // written in batches, a moment later).
  await expect(async () => {
    await page.reload();
    await expect(
      page
        .getByRole("region", { name: "Recent activity" })
        .getByText("wrong or expired client secret at the introspection endpoint")
        .first(),
    ).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await checkScreen(page, "admin-client-detail");
  // The README's picture of the console (docs/images/admin-console.png is a copy of it).
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: "e2e/screenshots/readme-admin-console.png" });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Disabled: the token endpoint refuses it.
  await page.getByRole("button", { name: "Disable application" }).click();
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: "disabled" })).toHaveText("The application is disabled.");
  const refused = await oauth.refreshTokenGrantRequest(as, client, oauth.ClientSecretBasic(secondSecret), tokens.refresh_token!, insecure);
  expect(refused.status).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");

  // Delete asks for a confirmation first.
  await page.getByRole("button", { name: "Delete application" }).click();
  await expect(page.locator("#confirm-error")).toContainText("Tick the box");
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Delete application" }).click();
  await expect(page).toHaveURL(/\/admin\/clients\?deleted=/);
  await expect(page.getByRole("main").getByRole("status")).toContainText(`${name} was deleted`);
});
