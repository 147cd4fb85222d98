// The admin console's operations pages: the overview's charts, key rotation seen in the JWKS,
// registration tokens that open and then close dynamic client registration, and the audit log
// showing who did it. Each page is checked with axe and photographed at both widths.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectNoSeriousAxeViolations, screenshotBothWidths, signInAsAdmin } from "./support/admin.ts";
import { createDb } from "../lib/db/client.ts";
import { E2E_ADMIN, E2E_DATABASE_URL } from "./support/portal-db.ts";

const jwksKids = async (request: APIRequestContext) =>
  ((await (await request.get("/oauth/jwks")).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);

const register = (request: APIRequestContext, token: string) =>
  request.post("/oauth/register", {
    headers: { authorization: `Bearer ${token}` },
    data: {
      client_name: "Partner app",
      redirect_uris: ["https://partner.example.com/cb"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  });

/** Token and sign-in events as the protocol core records them, for the charts to draw. */
async function seedEvents(now: Date): Promise<void> {
  const db = createDb(E2E_DATABASE_URL);
  const yesterday = new Date(now.getTime() - 86_400_000);
  const event = (type: string, createdAt: Date, clientId: string | null = null) => ({ type, createdAt, clientId, detail: "{}" });
  try {
    await db.auditEvent.createMany({
      data: [
        ...Array.from({ length: 3 }, () => event("token.issued", now, "e2e-shop")),
        ...Array.from({ length: 2 }, () => event("token.issued", yesterday, "e2e-shop")),
        event("token.issued", now, "e2e-crm"),
        event("signin.failed", now),
        event("signin.locked", now),
      ],
    });
  } finally {
    await db.$disconnect();
  }
}

test("an admin runs the portal from the console: overview, keys, registration tokens, audit log", async ({ page, request }) => {
  const now = new Date();
  await seedEvents(now);
  await signInAsAdmin(page);

  await test.step("the overview shows counts and charts", async () => {
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
    const today = now.toISOString().slice(0, 10);
    const tokens = page.getByRole("table", { name: "Tokens issued per application per day" });
    await page.getByText("Show the data as a table").nth(0).click();
    await page.getByText("Show the data as a table").nth(1).click();
    // Other journeys on this server issue tokens and sign people in too: look at the seeded
    // applications' columns, and at least the seeded failures.
    const headers = await tokens.getByRole("columnheader").allTextContents();
    expect(headers[0]).toBe("Day");
    const todayCells = tokens.getByRole("row", { name: today }).getByRole("cell");
    await expect(todayCells.nth(headers.indexOf("e2e-shop") - 1)).toHaveText("3");
    await expect(todayCells.nth(headers.indexOf("e2e-crm") - 1)).toHaveText("1");
    // Failed sign-ins count wrong passwords and throttled attempts alike.
    const failed = page.getByRole("table", { name: "Sign-ins per day" }).getByRole("row", { name: today }).getByRole("cell").last();
    expect(Number(await failed.textContent())).toBeGreaterThanOrEqual(2);
    await expect(page.getByRole("list", { name: "Counts" }).getByRole("listitem").filter({ hasText: "Users" })).toContainText(
      /Users\s*\d+/,
    );
    await expect(page.locator("svg[role=img]").first()).toBeVisible();
    await expect(page.getByRole("img", { name: /Sign-ins per day/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /Tokens issued per application per day/ })).toBeVisible();
    expect(
      await page
        .getByRole("img", { name: /Tokens issued/ })
        .locator("rect")
        .count(),
    ).toBeGreaterThanOrEqual(3);
    await expectNoSeriousAxeViolations(page);
    await screenshotBothWidths(page, "admin-overview");
  });

  let newKids: string[] = [];
  await test.step("rotating every key publishes new active keys in the JWKS", async () => {
    const before = await jwksKids(request);
    await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Signing keys" }).click();
    await expect(page.getByRole("heading", { name: "Signing keys" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await page.getByText("Rotate all keys now").click();
    await page.getByRole("button", { name: "Yes, rotate all keys" }).click();
    const status = page.getByRole("status").filter({ hasText: "New active keys" });
    await expect(status).toBeVisible();
    newKids = [...((await status.textContent()) ?? "").matchAll(/(?:RS256|ES256|EdDSA) ([\w-]+)/g)].map((match) => match[1]!);
    expect(newKids).toHaveLength(3);
    for (const kid of newKids) {
      expect(before).not.toContain(kid);
      await expect(page.getByRole("row").filter({ hasText: kid })).toContainText("Active");
    }
    // The previous keys stay published, retired, until the tokens they signed have expired.
    await expect(page.getByRole("row").filter({ hasText: before[0]! })).toContainText(/Retired.*verifies tokens until/s);
    await expect.poll(() => jwksKids(request), { timeout: 3_000 }).toEqual(expect.arrayContaining([...newKids, ...before]));
    await expectNoSeriousAxeViolations(page);
    await screenshotBothWidths(page, "admin-keys");
  });

  await test.step("a retired key that may have leaked is withdrawn from the JWKS at once", async () => {
    const leaked = (await jwksKids(request)).find((kid) => !newKids.includes(kid))!;
    const row = page.getByRole("row").filter({ hasText: leaked });
    await row.getByText("Withdraw now").click();
    await row.getByRole("button", { name: "Yes, withdraw this key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "is no longer published" })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: leaked })).toHaveCount(0);
    await expect.poll(() => jwksKids(request), { timeout: 3_000 }).not.toContain(leaked);
  });

  await test.step("a registration token opens dynamic registration until it is revoked", async () => {
    await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Registration tokens" }).click();
    await expect(page.getByRole("heading", { name: "Registration tokens" })).toBeVisible();
    await page.getByLabel("Expires in (days)").fill("0");
    await page.getByRole("button", { name: "Create registration token" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("The token was not created: correct the field marked below.");
    const days = page.getByLabel("Expires in (days)");
    await expect(days).toHaveAttribute("aria-invalid", "true");
    await expect(days).toHaveAccessibleDescription(/Expires in must be a whole number of days from 1 to 3650/);

    await page.getByLabel("Description").fill("Partner onboarding");
    await page.getByLabel("Expires in (days)").fill("7");
    await page.getByLabel(/Single use/).uncheck();
    await page.getByRole("button", { name: "Create registration token" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Registration token created" })).toContainText(
      "registers any number of clients",
    );
    const token = await page.getByLabel("Registration token", { exact: true }).inputValue();
    expect(token).toMatch(/^[\w-]{43}$/);
    await expect(page.getByText("Shown only once.")).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await screenshotBothWidths(page, "admin-registration-tokens");

    expect((await register(request, token)).status()).toBe(201);
    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "Partner onboarding" });
    await expect(row).toContainText("Usable");
    expect(await page.content()).not.toContain(token);

    await row.getByRole("button", { name: "Revoke Partner onboarding" }).click();
    await expect(row).toContainText("Revoked");
    const refused = await register(request, token);
    expect(refused.status()).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_token");
  });

  await test.step("the audit log shows the rotation, by the admin", async () => {
    await page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
    await page.getByLabel("Event", { exact: true }).selectOption("key.rotated");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/type=key\.rotated/);
    const rows = page.getByRole("row").filter({ hasText: "key.rotated" });
    await expect(rows).toHaveCount(1);
    await expect(rows).toContainText(E2E_ADMIN.email);
    await expect(rows).toContainText(newKids[0]!);
    await expect(page.getByRole("row").filter({ hasText: "registration_token.created" })).toHaveCount(0);
    await expectNoSeriousAxeViolations(page);
    await screenshotBothWidths(page, "admin-audit");

    await page.goto("/admin/audit?from=yesterday");
    await expect(page.getByText("From must be a date (YYYY-MM-DD)")).toBeVisible();
  });
});
