// What people see of the portal, and why they can trust it: the consent screen shows who asks (the
// logo, home page, privacy policy and terms a dynamically registered client gave) and who is
// signed in, with "Not you?" to switch; the sign-in page offers "Continue as"; a 404 and a refused
// authorization request look like the portal and say what happened. Every page runs under the
// nonce-based Content-Security-Policy with no violation at all, passes axe in light and dark mode,
// and is photographed at 1280 and 390 px in both.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import * as oauth from "oauth4webapi";
import { expectNoSeriousAxeViolations, screenshotBothWidths, signInAsAdmin } from "./support/admin.ts";
import { APP_ORIGIN, startAppServer, type AppServer } from "./support/app-server.ts";
import { authorizationRequest } from "./support/authorization-request.ts";
import { E2E_ADMIN, createPersonWithEmail, createRegistrationToken, registerClient } from "./support/portal-db.ts";

const CALLBACK = `${APP_ORIGIN}/trust/callback`;
const insecure = { [oauth.allowInsecureRequests]: true };
const LOGO_ORIGIN = "https://recipes.example.test";
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#c2410c"/><circle cx="24" cy="24" r="12" fill="#fff7ed"/></svg>`;

let app: AppServer;
test.beforeAll(async () => {
  app = await startAppServer();
});
test.afterAll(() => app.close());

/**
 * Every Content-Security-Policy violation the page reports, from Chromium's console and from the
 * securitypolicyviolation event (Playwright's init script is not subject to the page's policy).
 */
async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|securitypolicyviolation/i.test(message.text())) seen.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`securitypolicyviolation: ${event.effectiveDirective} blocked ${event.blockedURI}`);
    });
  });
  return seen;
}

/** axe and screenshots in light mode, then the same in dark mode; leaves the page light. */
async function lookAtBothModes(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: "light" });
  await expectNoSeriousAxeViolations(page);
  await screenshotBothWidths(page, name);
  await page.emulateMedia({ colorScheme: "dark" });
  expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
  await expectNoSeriousAxeViolations(page);
  await screenshotBothWidths(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: "light" });
}

/**
 * Tabs through the page from its top and checks that focus moves in reading order: each next
 * element is on the same line further right, or lower down. Returns what got focus, in order.
 */
async function tabOrder(page: Page, stops: number): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const seen: { name: string; top: number; bottom: number; left: number }[] = [];
  // The first Tab may land on the document itself before its first control.
  for (let presses = 0; seen.length < stops && presses < stops + 2; presses += 1) {
    await page.keyboard.press("Tab");
    const stop = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return null;
      const box = element.getBoundingClientRect();
      return {
        name: (element.textContent ?? "").replace(/\s+/g, " ").trim(),
        top: box.top + scrollY,
        bottom: box.bottom + scrollY,
        left: box.left,
      };
    });
    if (stop) seen.push(stop);
  }
  for (let i = 1; i < seen.length; i += 1) {
    const [before, next] = [seen[i - 1]!, seen[i]!];
    const sameLine = next.top < before.bottom && before.top < next.bottom;
    expect(
      sameLine ? next.left > before.left : next.top >= before.bottom - 1,
      `focus goes from "${before.name}" to "${next.name}" out of visual order`,
    ).toBe(true);
  }
  return seen.map((stop) => stop.name);
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function registerDynamically(request: APIRequestContext, name: string): Promise<{ clientId: string; clientSecret: string }> {
  const response = await request.post("/oauth/register", {
    headers: { authorization: `Bearer ${await createRegistrationToken()}` },
    data: {
      client_name: name,
      redirect_uris: [CALLBACK],
      token_endpoint_auth_method: "client_secret_basic",
      scope: "openid profile email",
      logo_uri: `${LOGO_ORIGIN}/logo.svg`,
      client_uri: `${LOGO_ORIGIN}/`,
      policy_uri: `${LOGO_ORIGIN}/privacy`,
      tos_uri: `${LOGO_ORIGIN}/terms`,
    },
  });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { client_id: string; client_secret: string };
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

test("consent shows a registered client's logo and pages; Not you? completes the authorization as another person", async ({
  page,
  request,
  baseURL,
}, testInfo) => {
  const violations = await watchCsp(page);
  await page.route(`${LOGO_ORIGIN}/**`, (route) => route.fulfill({ contentType: "image/svg+xml", body: LOGO }));
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registered = await registerDynamically(request, "Recipe Box");
  const client: oauth.Client = { client_id: registered.clientId };
  const bea = { email: `bea-${testInfo.retry}-${Date.now()}@example.com`, password: "bea's long passphrase" };
  await createPersonWithEmail(bea.email, bea.password);

  const authorization = await authorizationRequest(as, { clientId: client.client_id, redirectUri: CALLBACK, scope: "openid email" });
  await page.goto(authorization.url);
  await expect(page.getByText("to continue to Recipe Box")).toBeVisible();
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);

  await expect(page).toHaveURL(/\/consent\?interaction=/);
  const consentUrl = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Allow Recipe Box to access your account?");
  const logo = page.getByRole("img", { name: "Recipe Box logo" });
  await expect(logo).toHaveAttribute("src", `${LOGO_ORIGIN}/logo.svg`);
  await expect.poll(() => logo.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
  expect(await logo.boundingBox()).toMatchObject({ width: 48, height: 48 });
  const about = page.getByRole("navigation", { name: "About Recipe Box" });
  for (const [name, href] of [
    ["Home page", `${LOGO_ORIGIN}/`],
    ["Privacy policy", `${LOGO_ORIGIN}/privacy`],
    ["Terms of service", `${LOGO_ORIGIN}/terms`],
  ] as const) {
    const link = about.getByRole("link", { name: `${name} of Recipe Box (opens in a new tab)` });
    await expect(link).toHaveAttribute("href", href);
    await expect(link).toHaveAttribute("rel", "noopener noreferrer");
    await expect(link).toHaveAttribute("target", "_blank");
  }
  await expect(page.getByText(`Signed in as ${E2E_ADMIN.email}`)).toBeVisible();

  // Focus follows what is seen, wide and narrow: the portal, Not you?, the app's pages, Deny, Allow.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await tabOrder(page, 7)).toEqual([
      "Identity Portal",
      "Not you?",
      "Home page of Recipe Box (opens in a new tab)",
      "Privacy policy of Recipe Box (opens in a new tab)",
      "Terms of service of Recipe Box (opens in a new tab)",
      "Deny",
      "Allow",
    ]);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await lookAtBothModes(page, "consent-trust");

  // Not you? signs out and comes back to the same request, which completes as the other person.
  await page.getByRole("button", { name: "Not you?" }).click();
  await expect(page).toHaveURL(/\/login\?interaction=/);
  await expect(page.getByText("to continue to Recipe Box")).toBeVisible();
  await signIn(page, bea.email, bea.password);
  await expect(page).toHaveURL(consentUrl);
  await expect(page.getByText(`Signed in as ${bea.email}`)).toBeVisible();
  await page.getByRole("button", { name: "Allow Recipe Box" }).click();

  const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), authorization.state);
  await page.waitForURL((url) => url.href.startsWith(CALLBACK)); // the browser, too, has arrived
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(registered.clientSecret),
      params,
      CALLBACK,
      authorization.verifier,
      insecure,
    ),
    { requireIdToken: true },
  );
  expect(oauth.getValidatedIdTokenClaims(tokens)!.email).toBe(bea.email);
  expect(violations).toEqual([]);
});

test("a person already signed in may continue as themselves or use another account", async ({ page, baseURL }, testInfo) => {
  const violations = await watchCsp(page);
  const issuer = new URL(baseURL!);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const registered = await registerClient({
    name: "Garden Planner",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
    skipConsent: true,
  });
  const client: oauth.Client = { client_id: registered.clientId };
  const clientAuth = oauth.ClientSecretBasic(registered.clientSecret!);
  const cal = { email: `cal-${testInfo.retry}-${Date.now()}@example.com`, password: "cal's long passphrase" };
  await createPersonWithEmail(cal.email, cal.password);
  const exchange = async (authorization: Awaited<ReturnType<typeof authorizationRequest>>) => {
    const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), authorization.state);
    // The browser is back at the app before it goes anywhere else.
    await page.waitForURL(`${CALLBACK}?**`);
    const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, CALLBACK, authorization.verifier, insecure);
    return oauth.getValidatedIdTokenClaims(await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true }))!;
  };

  await page.goto("/login");
  await lookAtBothModes(page, "login");
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page).toHaveURL(/\/account$/);
  await lookAtBothModes(page, "account");

  // The sign-in page, signed in: Continue goes on as this person.
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Choose an account" })).toBeVisible();
  await page.getByRole("link", { name: `Continue as ${E2E_ADMIN.email}` }).click();
  await expect(page).toHaveURL(/\/account$/);

  // An application asks to choose (prompt=select_account): Continue completes it without a password.
  const first = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email",
    prompt: "select_account",
  });
  await page.goto(first.url);
  await expect(page.getByText("to continue to Garden Planner")).toBeVisible();
  await lookAtBothModes(page, "login-continue-as");
  await page.getByRole("button", { name: `Continue as ${E2E_ADMIN.email}` }).click();
  expect((await exchange(first)).email).toBe(E2E_ADMIN.email);

  // Use another account: signed out, the same request, completed as the other person.
  const second = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email",
    prompt: "select_account",
  });
  await page.goto(second.url);
  await page.getByRole("button", { name: "Use another account" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByText("to continue to Garden Planner")).toBeVisible();
  await expect(page.getByLabel("Email address")).toHaveValue("");
  await signIn(page, cal.email, cal.password);
  expect((await exchange(second)).email).toBe(cal.email);

  // prompt=login still wants the password, even with "Continue" at hand.
  const third = await authorizationRequest(as, {
    clientId: client.client_id,
    redirectUri: CALLBACK,
    scope: "openid email",
    prompt: "login",
  });
  await page.goto(third.url);
  await expect(page.getByText(`Garden Planner asks you to sign in again. You are signed in as ${cal.email}.`)).toBeVisible();
  await expect(page.getByRole("button", { name: /^Continue as/ })).toHaveCount(0);
  await expect(page.getByLabel("Email address")).toHaveValue(cal.email);
  await page.getByLabel("Password").fill(cal.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  expect((await exchange(third)).email).toBe(cal.email);
  expect(violations).toEqual([]);
});

test("without scripts, the sign-in and consent forms still end at the application (why the policy has no form-action)", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const issuer = new URL(baseURL!);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const registered = await registerClient({
      name: "Plain Forms",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: [CALLBACK],
    });
    const client: oauth.Client = { client_id: registered.clientId };
    const authorization = await authorizationRequest(as, { clientId: client.client_id, redirectUri: CALLBACK, scope: "openid email" });
    await page.goto(authorization.url);
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await expect(page).toHaveURL(/\/consent\?interaction=/);
    await page.getByRole("button", { name: "Allow Plain Forms" }).click();
    // The form's post is answered with a redirect to the application's origin, which a
    // form-action 'self' would make Chromium block.
    const params = oauth.validateAuthResponse(as, client, await app.next(CALLBACK), authorization.state);
    expect(params.get("code")).toBeTruthy();
    await page.waitForURL(`${CALLBACK}?**`);
  } finally {
    await context.close();
  }
});

test("an address the portal does not serve gets the portal's 404 page", async ({ page }) => {
  const violations = await watchCsp(page);
  const response = await page.goto("/no-such-page");
  expect(response!.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This page does not exist");
  await expect(page).toHaveTitle("Page not found · Identity Portal");
  await expect(page.getByRole("link", { name: "Go to your account" })).toBeVisible();
  await lookAtBothModes(page, "not-found");
  expect(violations).toEqual([]);
});

test("an authorization request with an unregistered redirect URI gets a page in plain words, with the cause for the developer", async ({
  page,
}) => {
  const violations = await watchCsp(page);
  const registered = await registerClient({
    name: "Photo Frame",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [CALLBACK],
  });
  const query = new URLSearchParams({
    response_type: "code",
    client_id: registered.clientId,
    redirect_uri: "https://attacker.example/cb",
    scope: "openid",
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
  });
  const response = await page.goto(`/oauth/authorize?${query}`);
  expect(response!.status()).toBe(400);
  expect(response!.headers()["location"]).toBeUndefined();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This application sent you here with an address it has not registered");
  const developer = page.getByRole("region", { name: "For the application's developer" });
  await expect(developer).toContainText("https://attacker.example/cb");
  await expect(developer).toContainText(registered.clientId);
  const text = await page.locator("body").innerText();
  expect(text).not.toContain(CALLBACK);
  expect(text).not.toContain(registered.clientSecret!);
  await lookAtBothModes(page, "authorize-error");
  expect(violations).toEqual([]);
});

test("admin screens with client components work under the policy, in light and dark mode", async ({ page }) => {
  const violations = await watchCsp(page);
  await signInAsAdmin(page);
  await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Registration tokens" }).click();
  await page.getByLabel("Description").fill("Policy check");
  await page.getByLabel("Expires in (days)").fill("1");
  await page.getByRole("button", { name: "Create registration token" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Registration token created" })).toBeVisible();
  await expect(page.getByLabel("Registration token", { exact: true })).toHaveValue(/^[\w-]{43}$/);
  // The console turns dark with the rest of the portal.
  await lookAtBothModes(page, "admin-registration-tokens-modes");
  await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await lookAtBothModes(page, "admin-overview-modes");
  expect(violations).toEqual([]);
});
