import { expect, test } from "@playwright/test";

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

test("the health endpoint reports the database as reachable", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  expect(response.headers()["cache-control"]).toBe("no-store");
});

test("the admin placeholder says the dashboard is not there yet and points to the command line", async ({ page }) => {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Admin dashboard");
  await expect(page.getByText("manage users and applications with the command line")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/admin-placeholder.png", fullPage: true });
});
