import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadEnvFiles } from "../../lib/env-files.ts";

test(".env files load as Next.js loads them: .env.production.local, .env.local, .env.production, .env; the shell wins", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-env-"));
  const names = ["PORTAL_ENV_TEST_A", "PORTAL_ENV_TEST_B", "PORTAL_ENV_TEST_C", "PORTAL_ENV_TEST_D"] as const;
  try {
    writeFileSync(path.join(dir, ".env"), "PORTAL_ENV_TEST_A=env\nPORTAL_ENV_TEST_B=env\nPORTAL_ENV_TEST_C=env\nPORTAL_ENV_TEST_D=env\n");
    writeFileSync(path.join(dir, ".env.production"), "PORTAL_ENV_TEST_B=production\nPORTAL_ENV_TEST_C=production\n");
    writeFileSync(path.join(dir, ".env.production.local"), "PORTAL_ENV_TEST_C=production-local\n");
    process.env.PORTAL_ENV_TEST_D = "shell";
    loadEnvFiles("production", dir);
    assert.deepEqual(
      names.map((name) => process.env[name]),
      ["env", "production", "production-local", "shell"],
    );
  } finally {
    for (const name of names) delete process.env[name];
    rmSync(dir, { recursive: true, force: true });
  }
});
