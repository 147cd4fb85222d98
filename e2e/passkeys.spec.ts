// Passkeys in a real browser: Chromium's virtual authenticator (the DevTools protocol's WebAuthn
// domain, through a CDP session) stands in for the device's platform authenticator, with a
// discoverable credential and user verification. A person adds a passkey on /account, renames it,
// signs out, signs in with the passkey alone, then through an application's authorization request,
// whose ID token (validated by oauth4webapi) says how: amr hwk or swk, user and mfa. Removing the
// passkey asks for the password; afterwards the authenticator's credential signs no one in.
import { expect, test, type CDPSession, type Page } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { checkScreen } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { auditEventsOf, createPerson, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/passkeys/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

/** A platform authenticator in this page's browser: resident keys, user verification, always verified. */
async function addVirtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function signOut(page: Page): Promise<void> {
  await page.goto("/logout");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
}

test("add a passkey on /account, sign in with it alone and through an app (amr), remove it with the password", async ({
  page,
  baseURL,
}) => {
  const password = "passkey journey passphrase";
  const person = await createPerson("passkey", password);
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

  // Signed in with the password, the person has no passkey yet.
  await page.goto("/login?return_to=%2Faccount");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  const section = page.getByRole("region", { name: "Passkeys" });
  await expect(section).toContainText("You have no passkey yet.");

  // Adding one: the virtual authenticator makes the credential.
  await section.getByLabel("Name (optional)").fill("Work laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("status")).toHaveText("Your passkey is added. You can sign in with it instead of your password.");
  await expect(section.getByRole("listitem")).toHaveCount(1);
  await expect(section.getByRole("listitem")).toContainText("Work laptop");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);
  expect(credentials[0]!.rpId).toBe(new URL(baseURL!).hostname);
  expect(await auditEventsOf(person.id, "passkey.added")).toHaveLength(1);

  // Renaming it.
  await section.locator("summary", { hasText: "Rename" }).click();
  await section.getByLabel("New name").fill("Phone");
  await section.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("status")).toHaveText("Your passkey is renamed.");
  await expect(section.getByRole("listitem")).toContainText("Phone");
  await section.locator("summary", { hasText: "Remove" }).click();
  await checkScreen(page, "account-passkeys");
  await page.emulateMedia({ colorScheme: "dark" });
  await section.screenshot({ path: "e2e/screenshots/account-passkeys-dark-1280.png" });
  await page.emulateMedia({ colorScheme: "light" });

  // Signed out, the passkey alone signs in, first as the browser offers it in the email field
  // (conditional UI: the virtual authenticator answers that request at once, as if chosen).
  await signOut(page);
  await page.goto("/login?return_to=%2Faccount");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("listitem")).toContainText(/Last used\s*\d/);
  expect(await auditEventsOf(person.id, "passkey.signin")).toHaveLength(1);

  // Then in a browser without conditional UI: the button.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await signOut(page);
  await page.goto("/login?return_to=%2Faccount");
  await expect(page.getByLabel("Email address")).toHaveAttribute("autocomplete", "username webauthn");
  await checkScreen(page, "login-passkey");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: "e2e/screenshots/login-passkey-dark-1280.png" });
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  expect(await auditEventsOf(person.id, "passkey.signin")).toHaveLength(2);

  // Through an application's authorization request: the ID token says a passkey was used.
  await signOut(page);
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oidc" }));
  const registered = await registerClient({
    name: "Passkey Notes",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
    scopes: ["openid", "email"],
  });
  const client: oauth.Client = { client_id: registered.clientId };
  const nonce = oauth.generateRandomNonce();
  const { url, state, verifier } = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email",
    nonce,
  });
  await page.goto(url);
  await expect(page.getByText("to continue to")).toContainText("Passkey Notes");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.ClientSecretBasic(registered.clientSecret!),
    params,
    CALLBACK,
    verifier,
    insecure,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  expect(claims.email).toBe(person.email);
  const amr = claims.amr as string[];
  expect(amr.filter((method) => method === "hwk" || method === "swk")).toHaveLength(1);
  expect(amr).toEqual(expect.arrayContaining(["user", "mfa"]));
  expect(amr).not.toContain("pwd");
  expect(claims.acr).toBe("urn:portal:acr:mfa");

  // Removing it asks for the password; a wrong one changes nothing.
  await page.goto("/account");
  const passkeys = page.getByRole("region", { name: "Passkeys" });
  await passkeys.locator("summary", { hasText: "Remove" }).click();
  await passkeys.getByLabel("Current password").fill("not my password");
  await passkeys.getByRole("button", { name: "Remove passkey" }).click();
  await expect(passkeys.getByText("That is not your current password")).toBeVisible();
  await expect(passkeys.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");
  await expect(passkeys.getByRole("listitem")).toHaveCount(1);
  await passkeys.getByLabel("Current password").fill(password);
  await passkeys.getByRole("button", { name: "Remove passkey" }).click();
  await expect(page.getByRole("status")).toHaveText("That passkey is removed: it no longer signs you in.");
  await expect(passkeys).toContainText("You have no passkey yet.");

  // The authenticator still holds the credential; the portal no longer knows it.
  await signOut(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.locator("#passkey-error")).toHaveText("This passkey is not registered for an account here.");
  await expect(page).toHaveURL(/\/login$/);
});

test("a passkey as the second factor after a password: the sign-in waits for it, then says pwd and the passkey's methods", async ({
  page,
}) => {
  const password = "passkey second factor passphrase";
  const person = await createPerson("passkey-2fa", password);
  await addVirtualAuthenticator(page);
  // No conditional UI: the email field would otherwise sign in with the passkey alone at once.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await page.goto("/login?return_to=%2Faccount");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const section = page.getByRole("region", { name: "Passkeys" });
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("listitem")).toHaveCount(1);
  await signOut(page);

  await page.goto("/login?return_to=%2Faccount");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/login\/second-factor$/);
  await checkScreen(page, "two-step-passkey");
  await page.getByRole("button", { name: "Use your passkey" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  const completed = (await auditEventsOf(person.id, "signin.succeeded")).at(-1);
  expect((completed!.detail as { methods: string }).methods).toMatch(/^pwd (hwk|swk) user mfa$/);
});
