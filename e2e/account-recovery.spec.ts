// People who recover, verify and create their own account, through the real pages and a real SMTP
// server (tests/support/smtp.ts on E2E_SMTP_PORT, where playwright.config.ts sends the portal's
// mail): forgot password end to end (an application's refresh token stops working), a reset link
// used twice, sign-up with email verification before any consent, `email_verified` in the ID
// token and at UserInfo, and sign-up with an address that has an account.
import { expect, test, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import { randomBytes } from "node:crypto";
import * as oauth from "oauth4webapi";
import { createDb } from "../lib/db/client.ts";
import { createUser } from "../lib/db/users.ts";
import { linkIn, startMailbox, type TestMailbox } from "../tests/support/smtp.ts";
import { checkScreen } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { E2E_SMTP_PORT } from "./support/mail.ts";
import { E2E_DATABASE_URL, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/recovery/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };

let mailbox: TestMailbox;
let app: AppServer;
test.beforeAll(async () => {
  mailbox = await startMailbox(E2E_SMTP_PORT);
  app = await startAppServer();
});
test.afterAll(async () => {
  await app.close();
  await mailbox.close();
});

async function discover(baseURL: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(baseURL);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oidc" }));
}

const unique = (name: string) => `${name}-${randomBytes(4).toString("hex")}@example.com`;

async function createPerson(email: string, password: string): Promise<void> {
  const db = createDb(E2E_DATABASE_URL);
  try {
    await createUser(db, { email, passwordHash: await bcrypt.hash(password, 4), name: "Grace Hopper" });
  } finally {
    await db.$disconnect();
  }
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** An authorization through the browser (sign-in if asked, consent) and the code exchange. */
async function authorize(page: Page, as: oauth.AuthorizationServer, clientId: string, credentials?: { email: string; password: string }) {
  const client: oauth.Client = { client_id: clientId };
  const nonce = oauth.generateRandomNonce();
  const { url, state, verifier } = await authorizationRequest(as, {
    clientId,
    redirectUri: CALLBACK,
    scope: "openid email offline_access",
    nonce,
  });
  await page.goto(url);
  if (credentials) await signIn(page, credentials.email, credentials.password);
  await page.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, CALLBACK, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
}

async function publicClient(name: string): Promise<string> {
  const { clientId } = await registerClient({
    name,
    tokenEndpointAuthMethod: "none",
    redirectUris: [CALLBACK],
    scopes: ["openid", "email", "offline_access"],
  });
  return clientId;
}

test("forgot password end to end: the mailed link sets a new password, ends the sessions and the app's refresh token", async ({
  page,
  baseURL,
}) => {
  const email = unique("grace");
  await createPerson(email, "the old passphrase of grace");
  const as = await discover(baseURL!);
  const clientId = await publicClient("Compiler Notes");
  const tokens = await authorize(page, as, clientId, { email, password: "the old passphrase of grace" });
  expect(tokens.refresh_token).toEqual(expect.any(String));

  // Signed out (a forgotten password): from the sign-in page.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await checkScreen(page, "forgot-password");

  // A malformed address: the error is tied to the field, which keeps the text and has focus.
  await page.getByLabel("Email address").fill("grace at example");
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  const field = page.getByLabel("Email address");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toBeFocused();
  await expect(field).toHaveValue("grace at example");
  await expect(field).toHaveAccessibleDescription(/Enter an email address/);

  await field.fill(email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByRole("status")).toContainText(`If ${email} belongs to an account`);
  await checkScreen(page, "forgot-password-sent");
  await page.getByRole("link", { name: "ask again" }).click();
  await expect(page.getByLabel("Email address")).toHaveValue("");

  const mail = await mailbox.next(email, /Reset your/);
  expect(mail.from).toContain("no-reply@example.com");
  const link = linkIn(mail, "/reset-password");
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await checkScreen(page, "reset-password");

  // Two different passwords: refused, focus on the confirmation; nothing is kept of either.
  await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await page.getByLabel("Type it again").fill("a brand new passphrasE");
  await page.getByRole("button", { name: "Set my new password" }).click();
  await expect(page.getByLabel("Type it again")).toBeFocused();
  await expect(page.getByLabel("Type it again")).toHaveAccessibleDescription(/not the same/);
  await expect(page.getByLabel("New password", { exact: true })).toHaveValue("");
  // Too short: the rule's message, on the password.
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByLabel("Type it again").fill("short");
  await page.getByRole("button", { name: "Set my new password" }).click();
  await expect(page.getByLabel("New password", { exact: true })).toBeFocused();
  await expect(page.getByLabel("New password", { exact: true })).toHaveAccessibleDescription(/at least 12 characters/);
  await checkScreen(page, "reset-password-refused");

  await page.getByLabel("New password", { exact: true }).fill("a brand new passphrase");
  await page.getByLabel("Type it again").fill("a brand new passphrase");
  await page.getByRole("button", { name: "Set my new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your new password is set");
  await checkScreen(page, "reset-password-done");

  // The application's refresh token (issued before the reset) is refused now.
  const refresh = await oauth.refreshTokenGrantRequest(as, { client_id: clientId }, oauth.None(), tokens.refresh_token!, insecure);
  await expect(oauth.processRefreshTokenResponse(as, { client_id: clientId }, refresh)).rejects.toMatchObject({ error: "invalid_grant" });

  // The old password no longer works, the new one does.
  await page.goto("/login");
  await signIn(page, email, "the old passphrase of grace");
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await signIn(page, email, "a brand new passphrase");
  await expect(page).toHaveURL(/\/account$/);

  // The same link a second time: a clear page, a way to a new link, and nothing changed.
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: "This link cannot be used" })).toBeVisible();
  await checkScreen(page, "reset-password-unusable");
  await page.getByRole("link", { name: "Ask for a new reset link" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test("a reset link used twice: the second use changes nothing", async ({ page }) => {
  const email = unique("alan");
  await createPerson(email, "alan's first passphrase");
  await page.goto("/forgot-password");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  const link = linkIn(await mailbox.next(email, /Reset your/), "/reset-password");

  // The form is open in two tabs; the first to send wins.
  const second = await page.context().newPage();
  await page.goto(link);
  await second.goto(link);
  await page.getByLabel("New password", { exact: true }).fill("alan's second passphrase");
  await page.getByLabel("Type it again").fill("alan's second passphrase");
  await page.getByRole("button", { name: "Set my new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your new password is set");
  await second.getByLabel("New password", { exact: true }).fill("alan's third passphrase");
  await second.getByLabel("Type it again").fill("alan's third passphrase");
  await second.getByRole("button", { name: "Set my new password" }).click();
  await expect(second.getByRole("alert").filter({ hasText: "This link cannot be used" })).toBeVisible();
  await expect(second.getByRole("link", { name: "Ask for a new reset link" })).toBeVisible();
  await second.close();

  await page.goto("/login");
  await signIn(page, email, "alan's third passphrase");
  await expect(page.getByRole("alert").filter({ hasText: "do not match" })).toBeVisible();
  await signIn(page, email, "alan's second passphrase");
  await expect(page).toHaveURL(/\/account$/);
});

test("sign-up, consent held until the address is verified, then email_verified in the ID token and at UserInfo", async ({
  page,
  baseURL,
}) => {
  const email = unique("katherine");
  await page.goto("/login");
  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await checkScreen(page, "signup");

  // A common password: refused on its field, the other fields keep what was typed.
  await page.getByLabel("Name").fill("Katherine Johnson");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByLabel("Password")).toBeFocused();
  await expect(page.getByLabel("Password")).toHaveAccessibleDescription(/common/);
  await expect(page.getByLabel("Email address")).toHaveValue(email);
  await expect(page.getByLabel("Name")).toHaveValue("Katherine Johnson");
  await checkScreen(page, "signup-refused");

  await page.getByLabel("Password").fill("orbital mechanics by hand");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("status")).toContainText(`Check your email: we sent a message to ${email}`);
  await checkScreen(page, "signup-sent");
  const firstLink = linkIn(await mailbox.next(email, /Confirm your email/), "/verify-email");

  // Signed in, but unverified: the consent step says so and issues no code.
  const as = await discover(baseURL!);
  const clientId = await publicClient("Trajectory Tables");
  const client: oauth.Client = { client_id: clientId };
  const nonce = oauth.generateRandomNonce();
  const { url, state, verifier } = await authorizationRequest(as, {
    clientId,
    redirectUri: CALLBACK,
    scope: "openid email offline_access",
    nonce,
  });
  await page.goto(url);
  await signIn(page, email, "orbital mechanics by hand");
  await expect(page.getByRole("heading", { name: "Verify your email address first" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Allow/ })).toHaveCount(0);
  await checkScreen(page, "consent-verify-first");
  // A new link replaces the first one.
  await page.getByRole("button", { name: "Send me a verification link" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a link to ${email}`);
  const link = linkIn(await mailbox.next(email, /Confirm your email/), "/verify-email");
  expect(link).not.toBe(firstLink);

  const other = await page.context().newPage();
  await other.goto(firstLink);
  await expect(other.getByRole("alert").filter({ hasText: "This link cannot be used" })).toBeVisible();
  await checkScreen(other, "verify-email-unusable");
  await other.goto(link);
  await expect(other.getByText(`Confirm that ${email} is your address`)).toBeVisible();
  await checkScreen(other, "verify-email");
  await other.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(other.getByRole("status")).toContainText(`${email} is verified`);
  await checkScreen(other, "verify-email-done");
  await other.close();

  await page.getByRole("link", { name: "I have confirmed it: continue" }).click();
  await page.getByRole("button", { name: /^Allow/ }).click();
  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, CALLBACK, verifier, insecure);
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(tokens)!;
  expect(claims).toMatchObject({ email, email_verified: true });
  const userinfo = await oauth.processUserInfoResponse(
    as,
    client,
    claims.sub,
    await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
  );
  expect(userinfo).toMatchObject({ email, email_verified: true });

  // The account page no longer asks for verification.
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your email address is not verified" })).toHaveCount(0);
});

test("an unverified account asks for a link from its account page; signing up again with its address answers the same and mails 'you already have an account'", async ({
  page,
}) => {
  const email = unique("dorothy");
  await createPerson(email, "dorothy's long passphrase");
  await page.goto("/login?return_to=%2Faccount");
  await signIn(page, email, "dorothy's long passphrase");
  await expect(page.getByRole("heading", { name: "Your email address is not verified" })).toBeVisible();
  await checkScreen(page, "account-unverified");
  await page.getByRole("button", { name: "Send me a verification link" }).click();
  await expect(page.getByRole("status")).toContainText(`We sent a link to ${email}`);
  await page.goto(linkIn(await mailbox.next(email, /Confirm your email/), "/verify-email"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("status")).toContainText("is verified");
  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your email address is not verified" })).toHaveCount(0);

  await page.context().clearCookies();
  await page.goto("/signup");
  await page.getByLabel("Email address").fill(email.toUpperCase());
  await page.getByLabel("Password").fill("an attacker's passphrase");
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("status")).toContainText(`Check your email: we sent a message to ${email}`);
  const mail = await mailbox.next(email, /already have/);
  expect(mail.text).toContain("/forgot-password");
  // Nothing changed: the old password still signs in.
  await page.goto("/login");
  await signIn(page, email, "dorothy's long passphrase");
  await expect(page).toHaveURL(/\/account$/);
});
