// The README's integration example, as written: `npm run example:rp` registers itself through
// dynamic registration, signs in through the portal and shows the ID token claims and UserInfo.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_ADMIN, E2E_DATABASE_URL } from "./support/portal-db.ts";

const EXAMPLE_PORT = 39598;
let example: ChildProcess;
let dataDir: string;

test.beforeAll(async ({ baseURL }) => {
  dataDir = mkdtempSync(path.join(tmpdir(), "example-rp-"));
  example = spawn(process.execPath, ["--import", "tsx", "scripts/example-rp/server.ts"], {
    env: { ...process.env, ISSUER_URL: baseURL!, DATABASE_URL: E2E_DATABASE_URL, DATA_DIR: dataDir, EXAMPLE_PORT: String(EXAMPLE_PORT) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    example.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Example app:")) resolve();
    });
    example.on("exit", (code) => reject(new Error(`the example app exited with ${code}`)));
  });
});

test.afterAll(() => {
  example.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the example app signs in through the portal and shows the ID token claims and the UserInfo response", async ({ page, baseURL }) => {
  await page.goto(`http://localhost:${EXAMPLE_PORT}/`);
  await page.getByRole("link", { name: "Sign in with the Identity Portal" }).click();
  await expect(page).toHaveURL(new RegExp(`^${baseURL}/login\\?interaction=`));
  await page.getByLabel("Email address").fill(E2E_ADMIN.email);
  await page.getByLabel("Password").fill(E2E_ADMIN.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: /^Allow/ }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hello, Administrator");
  await expect(page.getByRole("heading", { name: "ID token claims" })).toBeVisible();
  await expect(page.locator("pre").first()).toContainText(`"iss": "${baseURL}"`);
  await expect(page.locator("pre").nth(1)).toContainText(`"email": "${E2E_ADMIN.email}"`);
  await page.screenshot({ path: "e2e/screenshots/example-rp.png", fullPage: true });

  await page.getByRole("link", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in with the Identity Portal" })).toBeVisible();
});
