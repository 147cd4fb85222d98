import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./support/portal-db.ts";

test("the landing page says what the server is and links to sign-in and the dashboard", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(response?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("One sign-in for all your applications");
  await expect(page.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/login");
  await expect(page.getByRole("link", { name: "Admin dashboard" })).toHaveAttribute("href", "/admin");
  await expect(page.getByText(/\/\.well-known\/openid-configuration$/)).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/landing-desktop.png", fullPage: true });

  await page.setViewportSize({ width: 375, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "e2e/screenshots/landing-375.png", fullPage: true });
});

test("the health endpoint reports the database as reachable and the signing keys as usable", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "ok", keys: "ok" });
  expect(response.headers()["cache-control"]).toBe("no-store");
});

test("the admin console asks a signed-out visitor to sign in, and comes back after", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?return_to=(%2F|\/)admin$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
});
