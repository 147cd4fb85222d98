// Two-step sign-in through the real screens: a password, then a code from an authenticator app
// (computed here from the secret, RFC 6238, never by the server's own generator) or a recovery
// code; and the step-up an application asks for with acr_values. A strict relying party
// (oauth4webapi) reads amr and acr from the ID token.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { totpCode } from "../tests/support/totp.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { checkScreen, signInAsAdmin } from "./support/admin.ts";
import { createPerson, registerClient } from "./support/portal-db.ts";
import { giveAuthenticatorApp, giveRecoveryCodes, requireMfaOf } from "./support/second-factor.ts";

const CALLBACK = `${APP_ORIGIN}/two-step/callback`;
const PASSWORD = "two-step-password-1";
const MFA = "urn:portal:acr:mfa";
const insecure = { [oauth.allowInsecureRequests]: true };

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

async function discover(baseURL: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(baseURL);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oidc" }));
}

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** A code the server has not seen yet: the next step's, once the current one was used. */
const codeAt = (secret: string, offset = 0) => totpCode(secret, new Date(), offset);

/**
 * Starts an authorization request of a first-party app ("Ledger", or `name`; one that requires
 * two-step sign-in with `requireMfa`) and returns what finishes it.
 */
async function startApp(
  page: Page,
  baseURL: string,
  extra: Record<string, string> = {},
  options: { name?: string; requireMfa?: boolean } = {},
) {
  const as = await discover(baseURL);
  const registered = await registerClient({
    name: options.name ?? "Ledger",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
    scopes: ["openid", "email"],
    skipConsent: true,
  });
  if (options.requireMfa) await requireMfaOf(registered.clientId);
  const client: oauth.Client = { client_id: registered.clientId };
  const nonce = oauth.generateRandomNonce();
  const request = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email",
    nonce,
    extra,
  });
  await page.goto(request.url);
  return {
    /** The ID token's claims once the browser reaches the app. */
    async claims() {
      const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), request.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.ClientSecretBasic(registered.clientSecret!),
        params,
        CALLBACK,
        request.verifier,
        insecure,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
      return oauth.getValidatedIdTokenClaims(tokens)!;
    },
  };
}

test("password, then the authenticator app's code: a wrong code is refused at its field, the right one signs in with amr pwd otp mfa", async ({
  page,
  baseURL,
}) => {
  const person = await createPerson("two-step", PASSWORD);
  const secret = await giveAuthenticatorApp(person.id);
  const flow = await startApp(page, baseURL!);
  await signInWithPassword(page, person.email);

  await expect(page).toHaveURL(/\/login\/second-factor\?interaction=/);
  await expect(page.getByRole("heading", { name: "Two-step sign-in" })).toBeVisible();
  await expect(page.getByText("to continue to Ledger")).toBeVisible();
  await expect(page.getByText(`Signing in as ${person.email}`)).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
  await page.screenshot({ path: "test-results/screens/two-step-code.png", fullPage: true });

  // Not signed in yet: the account page still asks for a password.
  const other = await page.context().newPage();
  await other.goto("/account");
  await expect(other).toHaveURL(/\/login/);
  await other.close();

  const field = page.getByLabel("Authentication code");
  const wrong = String((Number(codeAt(secret)) + 1) % 1_000_000).padStart(6, "0");
  await field.fill(wrong);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#totp-error")).toContainText("That code is not right");
  await expect(page.getByLabel("Authentication code")).toHaveAttribute("aria-invalid", "true");
  const describedBy = await page.getByLabel("Authentication code").getAttribute("aria-describedby");
  expect(describedBy).toContain("totp-error");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screens/two-step-code-error-390.png", fullPage: true });

  await page.getByLabel("Authentication code").fill(codeAt(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  const claims = await flow.claims();
  expect(claims.email).toBe(person.email);
  expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
  expect(claims.acr).toBe(MFA);
});

test("a recovery code stands in for the app, once; the same code again is refused", async ({ page }) => {
  const person = await createPerson("recovery-step", PASSWORD);
  await giveAuthenticatorApp(person.id);
  const [first] = await giveRecoveryCodes(person.id);

  await page.goto("/login");
  await signInWithPassword(page, person.email);
  await page.getByRole("link", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(first!.toLowerCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/account$/);

  // Signed out, the same code no longer works.
  await page.context().clearCookies();
  await page.goto("/login");
  await signInWithPassword(page, person.email);
  await page.getByRole("link", { name: "Use a recovery code instead" }).click();
  await page.getByLabel("Recovery code").fill(first!);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.locator("#recovery-error")).toHaveText("That recovery code was used already");
  await expect(page).toHaveURL(/\/login\/second-factor/);
});

test("acr_values asks a password-only session for the second factor before the code; the ID token then says mfa", async ({
  page,
  baseURL,
}) => {
  const person = await createPerson("step-up", PASSWORD);
  await page.goto("/login");
  await signInWithPassword(page, person.email);
  await expect(page).toHaveURL(/\/account$/);
  // The person sets up an app later (elsewhere); this session was signed in with the password only.
  const secret = await giveAuthenticatorApp(person.id);

  const flow = await startApp(page, baseURL!, { acr_values: MFA });
  await expect(page).toHaveURL(/\/login\/second-factor\?interaction=/);
  await page.getByLabel("Authentication code").fill(codeAt(secret));
  await page.getByRole("button", { name: "Continue" }).click();
  const claims = await flow.claims();
  expect(claims.acr).toBe(MFA);
  expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
});

test("cancelling the second step leaves nobody signed in", async ({ page }) => {
  const person = await createPerson("cancel-step", PASSWORD);
  await giveAuthenticatorApp(person.id);
  await page.goto("/login");
  await signInWithPassword(page, person.email);
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/login/second-factor");
  await expect(page.getByText("This sign-in has expired or was already finished.")).toBeVisible();
});

test("an admin the console requires two-step sign-in of sets up an app at their next sign-in, then needs its code", async ({
  page,
  browser,
}) => {
  const person = await createPerson("new-admin", PASSWORD);
  await signInAsAdmin(page);
  await page.goto(`/admin/users/${person.id}`);
  await page.getByRole("button", { name: "Make admin" }).click();
  await expect(page.getByText(`${person.email} is now an admin.`)).toBeVisible();
  await page.getByRole("button", { name: "Require two-step sign-in" }).click();
  await expect(page.getByText(`${person.email} must use two-step sign-in`)).toBeVisible();
  await expect(page.getByText("Yes: they set up a second factor at their next sign-in")).toBeVisible();
  await checkScreen(page, "admin-user-two-step");

  // The new admin, in a browser of their own.
  const context = await browser.newContext();
  const them = await context.newPage();
  await them.goto("/login?return_to=%2Fadmin");
  await signInWithPassword(them, person.email);
  await expect(them).toHaveURL(/\/login\/second-factor$/);
  await expect(them.getByText("Your account requires two-step sign-in")).toBeVisible();
  await expect(them.getByRole("img", { name: `QR code to add ${person.email} to your authenticator app` })).toBeVisible();
  expect((await new AxeBuilder({ page: them }).analyze()).violations).toEqual([]);
  await them.screenshot({ path: "test-results/screens/two-step-enrol.png", fullPage: true });
  // Not signed in while setting up.
  const probe = await context.newPage();
  await probe.goto("/account");
  await expect(probe).toHaveURL(/\/login/);
  await probe.close();

  const secret = (await them.locator("#totp-key").innerText()).replace(/\s+/g, "");
  await them.getByLabel("6-digit code").fill(codeAt(secret));
  await them.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(them.getByRole("list", { name: "Your recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await them.getByRole("link", { name: "Continue" }).click();
  await expect(them).toHaveURL(/\/admin$/);
  await context.close();

  // From now on the password alone is not enough.
  const again = await browser.newContext();
  const later = await again.newPage();
  await later.goto("/login");
  await signInWithPassword(later, person.email);
  await expect(later).toHaveURL(/\/login\/second-factor$/);
  await expect(later.getByLabel("Authentication code")).toBeVisible();
  await again.close();

  // The console shows the app, and can reset it.
  await page.reload();
  await expect(page.getByText("Authenticator app (since")).toBeVisible();
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Reset two-step sign-in" }).click();
  await expect(page.getByText("Two-step sign-in was reset")).toBeVisible();
});

test("an application that requires two-step sign-in has a person without a second factor set one up before it gets a code", async ({
  page,
  baseURL,
}) => {
  const person = await createPerson("strict-app", PASSWORD);
  const flow = await startApp(page, baseURL!, {}, { name: "Vault", requireMfa: true });
  await signInWithPassword(page, person.email);
  await expect(page).toHaveURL(/\/login\/second-factor\?interaction=/);
  await expect(page.getByText("to continue to Vault")).toBeVisible();
  const secret = (await page.locator("#totp-key").innerText()).replace(/\s+/g, "");
  await page.getByLabel("6-digit code").fill(codeAt(secret));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await page.getByRole("link", { name: "Continue to Vault" }).click();
  const claims = await flow.claims();
  expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
  expect(claims.acr).toBe(MFA);
});
