import { defineConfig } from "@playwright/test";
import { E2E_SMTP_PORT } from "./e2e/support/mail.ts";
import { E2E_POSTGRES_PORTAL_SECRET } from "./e2e/support/server-secret.ts";

// End-to-end tests drive Debian's Chromium (Playwright's own browser downloads are unreachable
// here) against the production server, started exactly as `npm start` does, on a fresh SQLite
// database in test-results/e2e-data, or on the database E2E_DATABASE_URL names (npm test passes a
// fresh PostgreSQL database there for its second run).
// The portal is addressed as localhost (it still listens on 127.0.0.1 only): WebAuthn refuses an IP
// address as a relying party id, and localhost is a secure context, so the passkey journeys run
// in Chromium's virtual authenticator with the issuer every other journey uses.
const port = Number(process.env.E2E_PORT ?? 39517);
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "e2e",
  // One folder per database, so the PostgreSQL run does not wipe the SQLite run's traces.
  outputDir: process.env.E2E_DATABASE_URL ? "test-results/e2e-postgres" : "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  // One retry, and the trace of that retry: Debian's Chromium (newer than Playwright's own) once
  // hung for a minute closing a browser context after a test that had passed every step. A test
  // that passes only on its retry counts as passed, and both Playwright and npm test say it was
  // flaky.
  retries: 1,
  timeout: 60_000,
  use: {
    baseURL,
    trace: "on-first-retry",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "rm -rf test-results/e2e-data && node scripts/start.mjs",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      ISSUER_URL: baseURL,
      DATA_DIR: "test-results/e2e-data",
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "file:test-results/e2e-data/portal.db",
      ADMIN_EMAIL: "admin@example.com",
      ADMIN_PASSWORD: "e2e-admin-password",
      BCRYPT_COST: "4",
      NEXT_TELEMETRY_DISABLED: "1",
      // Mail goes to the SMTP server the account-recovery journeys run (e2e/support/mail.ts), and
      // sign-up is open so that they can use it; the sign-up-off case is an integration test.
      SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
      MAIL_FROM: "Identity Portal <no-reply@example.com>",
      SIGNUP_ENABLED: "true",
      // The journeys sign in as the seeded admin with a password alone; e2e/two-step-sign-in.spec.ts
      // requires a second factor of one admin through the console, as an admin would.
      ADMIN_SECOND_FACTOR: "optional",
      // PostgreSQL needs it set (it is never generated there); SQLite generates one in DATA_DIR.
      ...(process.env.E2E_DATABASE_URL ? { PORTAL_SECRET: E2E_POSTGRES_PORTAL_SECRET } : {}),
    },
  },
});
