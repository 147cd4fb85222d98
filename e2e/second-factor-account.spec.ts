// A person sets up two-step sign-in on /account: an authenticator app (the QR code and the key in
// text; the codes are computed here from the key the page shows, with tests/support/totp.ts, never
// with the server's generator), the recovery codes shown once, new codes and removal behind
// "Confirm it is you". Every screen passes axe and is photographed at 1280 and 390 px; the set-up,
// the codes and the section in dark mode too.
import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { totpCode } from "../tests/support/totp.ts";
import { checkScreen, expectNoSeriousAxeViolations, screenshotBothWidths } from "./support/admin.ts";
import { ageTotpEnrolment, auditEventsOf, createPerson, spendRecoveryCode } from "./support/portal-db.ts";

const SETUP = "/account/two-step/authenticator";

// The journey looks at eight screens (axe, and screenshots at two widths, some in both modes): more
// than the default minute on a busy machine. A bound on how long a hung step may wait, not a speed test.
test.describe.configure({ timeout: 120_000 });

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login?return_to=%2Faccount");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
}

/** axe and screenshots in light mode, then the same in dark mode; leaves the page light. */
async function lookAtBothModes(page: Page, name: string): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page);
    await screenshotBothWidths(page, colorScheme === "dark" ? `${name}-dark` : name);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** The key the set-up page shows, without the spaces that group it. */
async function shownKey(page: Page): Promise<string> {
  const key = (await page.locator("#totp-key").textContent())?.replace(/\s+/g, "") ?? "";
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  return key;
}

/** A six-digit code that is none of the ones accepted around now. */
function wrongCode(key: string): string {
  const accepted = new Set([-2, -1, 0, 1, 2].map((offset) => totpCode(key, new Date(), offset)));
  for (let candidate = 123456; ; candidate = (candidate + 100_003) % 1_000_000) {
    const code = String(candidate).padStart(6, "0");
    if (!accepted.has(code)) return code;
  }
}

async function recoveryCodesShown(page: Page): Promise<string[]> {
  const items = page.getByRole("list", { name: "Your recovery codes" }).getByRole("listitem");
  await expect(items).toHaveCount(10);
  const codes = (await items.allTextContents()).map((code) => code.trim());
  for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  return codes;
}

test("set up an authenticator app, see the recovery codes once, get new ones and remove it, each after confirming", async ({ page }) => {
  const password = "two-step journey passphrase";
  const person = await createPerson("two-step", password);
  await signIn(page, person.email, password);
  const section = page.getByRole("region", { name: "Two-step sign-in" });
  await expect(section).toContainText("Two-step sign-in is off");
  await checkScreen(page, "account-two-step-off");

  // The set-up: a QR code with a name, the key in groups of four, and a field for the first code.
  await section.getByRole("link", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Set up an authenticator app" })).toBeVisible();
  await expect(page.getByRole("img", { name: `QR code to add ${person.email} to your authenticator app` })).toBeVisible();
  await expect(page.locator("#totp-key")).toHaveText(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
  const key = await shownKey(page);
  const field = page.getByLabel("6-digit code");
  await expect(field).toHaveAttribute("inputmode", "numeric");
  await expect(field).toHaveAttribute("autocomplete", "one-time-code");
  await expect(field).toHaveAttribute("aria-describedby", "code-hint");
  await lookAtBothModes(page, "two-step-setup");

  // A wrong code: the field says so, has focus, and the same key is still on the page.
  await field.fill(wrongCode(key));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.locator("#code-error")).toHaveText("That code is not right: check your app and try again");
  await expect(field).toHaveAttribute("aria-describedby", "code-error code-hint");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(field).toBeFocused();
  expect(await shownKey(page)).toBe(key);
  await checkScreen(page, "two-step-setup-error");

  // The right code, typed as the app shows it ("123 456"): on, with ten recovery codes shown once.
  const code = totpCode(key, new Date());
  await field.fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("status")).toContainText("Your authenticator app is set up");
  await expect(page.getByRole("status")).toBeFocused();
  const codes = await recoveryCodesShown(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download as text" }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toBe("recovery-codes.txt");
  const text = await readFile((await saved.path())!, "utf8");
  for (const each of codes) expect(text).toContain(each);
  await lookAtBothModes(page, "two-step-recovery-codes");

  // Once: a reload (or coming back to the set-up) shows the account page, and no code.
  await page.reload();
  await expect(page).toHaveURL(/\/account$/);
  await page.goto(SETUP);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator("body")).not.toContainText(codes[0]!);
  await expect(section).toContainText("Authenticator app");
  await expect(section).toContainText("Added");
  await expect(section).toContainText("10 of 10 left");
  expect((await auditEventsOf(person.id, "second_factor.enrolled")).map((event) => event.detail)).toEqual([
    { kind: "totp", factorId: expect.any(String), via: "account", recoveryCodesIssued: 10 },
  ]);

  // A recovery code spent at sign-in: a warning saying when, and how many are left.
  expect(await spendRecoveryCode(person.id, codes[0]!)).toEqual({ remaining: 9 });
  await page.reload();
  await expect(section).toContainText("A recovery code was used to sign in on");
  await expect(section).toContainText("9 of 10 codes are left");
  await lookAtBothModes(page, "account-two-step-on");

  // New codes: a wrong password is refused on its field; a code from the app is enough.
  await section.getByRole("link", { name: "Get new codes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Get new recovery codes" })).toBeVisible();
  await expect(page.getByText("Your 9 unused codes will stop working at once")).toBeVisible();
  await checkScreen(page, "two-step-new-codes");
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByRole("button", { name: "Replace my recovery codes" }).click();
  await expect(page.locator("#currentPassword-error")).toHaveText("That is not your current password");
  await expect(page.getByLabel("Current password")).toHaveAttribute("aria-describedby", "currentPassword-error");
  await expect(page.getByLabel("Current password")).toBeFocused();
  const reauthCode = totpCode(key, new Date(), 1);
  await page.getByLabel("Or a 6-digit code from your authenticator app").fill(reauthCode);
  await page.getByRole("button", { name: "Replace my recovery codes" }).click();
  await expect(page.getByRole("status")).toHaveText("You have new recovery codes. The old ones no longer work.");
  await expect(page.getByRole("status")).toBeFocused();
  const fresh = await recoveryCodesShown(page);
  for (const old of codes) expect(fresh).not.toContain(old);
  await page.getByRole("link", { name: "Back to your account" }).last().click();
  await expect(section).toContainText("10 of 10 left");
  await expect(section).not.toContainText("A recovery code was used");
  await expect(page.locator("body")).not.toContainText(fresh[0]!);

  // Removal: the code just used is refused as used; the password removes the app and its codes.
  await section.getByRole("link", { name: "Remove authenticator app" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Remove your authenticator app?" })).toBeVisible();
  await expect(page.getByText("your 10 unused recovery codes will be deleted")).toBeVisible();
  const codeField = page.getByLabel("Or a 6-digit code from your authenticator app");
  await codeField.fill(reauthCode);
  await page.getByRole("button", { name: "Remove authenticator app" }).click();
  await expect(page.locator("#code-error")).toHaveText("That code was used already: wait for the next one");
  await expect(codeField).toHaveAttribute("aria-describedby", "code-error code-hint");
  await expect(codeField).toBeFocused();
  await checkScreen(page, "two-step-remove-error");
  await page.getByLabel("Current password").fill(password);
  await page.getByRole("button", { name: "Remove authenticator app" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "Your authenticator app is removed, and your recovery codes with it. Signing in asks only for your password now.",
  );
  await expect(section).toContainText("Two-step sign-in is off");
  expect((await auditEventsOf(person.id, "recovery_codes.regenerated")).map((event) => event.detail)).toEqual([
    { via: "account", count: 10, unusedReplaced: 9 },
  ]);
  expect((await auditEventsOf(person.id, "second_factor.removed")).map((event) => event.detail)).toEqual([
    { kind: "totp", factorId: expect.any(String), confirmed: true, via: "account", recoveryCodesDeleted: 10 },
  ]);
});

test("a set-up left too long says it ended and starts again with a new key", async ({ page }) => {
  const password = "two-step expiry passphrase";
  const person = await createPerson("two-step-late", password);
  await signIn(page, person.email, password);
  // The page holds a secret: no cache may keep it.
  const response = await page.goto(SETUP);
  expect(response?.headers()["cache-control"]).toContain("no-store");
  const key = await shownKey(page);
  expect(await ageTotpEnrolment(person.id, 16)).toBe(1);
  await page.getByLabel("6-digit code").fill(totpCode(key, new Date()));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "set-up" })).toHaveText("This set-up has ended: start again");
  await expect(page.getByRole("alert").filter({ hasText: "set-up" })).toBeFocused();
  await checkScreen(page, "two-step-setup-ended");
  await page.getByRole("link", { name: "Start again" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Set up an authenticator app" })).toBeVisible();
  const again = await shownKey(page);
  expect(again).not.toBe(key);
  await page.getByLabel("6-digit code").fill(totpCode(again, new Date()));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await recoveryCodesShown(page);
});
