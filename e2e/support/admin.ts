// Shared steps of the admin console's e2e tests: sign in as the e2e admin through the real
// /login page, check a page with axe, and take its screenshots at desktop and phone widths.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./portal-db.ts";

/** Signs in through /login as the admin playwright.config.ts creates, and lands on /admin. */
export async function signInAsAdmin(page: Page): Promise<void> {
  await page.goto("/login?return_to=%2Fadmin");
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("navigation", { name: "Admin console" })).toBeVisible();
}

/** Zero serious or critical axe violations (WCAG 2.x A and AA rules) on the page as it is now. */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  // After a server action Next re-renders the page and its <head> streams in a moment later: wait
  // for the title (a page without one still fails here).
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    }));
  expect(serious, `axe found serious violations on ${page.url()}`).toEqual([]);
}

/**
 * Full-page screenshots at 1280 px and 390 px wide into e2e/screenshots/<name>-1280.png and
 * <name>-390.png, and no horizontal scrolling at 390 px. Leaves the viewport at 1280 px.
 */
/** What every admin screen gets looked at for: axe, then both widths (see below). */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await expectNoSeriousAxeViolations(page);
  await screenshotBothWidths(page, name);
}

export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `e2e/screenshots/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/${name}-390.png`, fullPage: true });
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Name what sticks out, to say what to fix. What a scroll box (a wide table, a code block)
    // clips is fine, unless it is positioned outside that box (absolutely positioned
    // screen-reader text widens the page all the same).
    const clipped = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== "visible") return getComputedStyle(element).position !== "absolute";
      }
      return false;
    };
    const wide = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !clipped(element))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].slice(0, 4).join(".")}`);
    return { by: document.documentElement.scrollWidth - width, wide };
  });
  expect(overflow, `${page.url()} scrolls sideways at 390 px`).toEqual({ by: 0, wide: [] });
  await page.setViewportSize({ width: 1280, height: 800 });
}
