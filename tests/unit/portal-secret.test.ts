import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { resolvePortalSecret } from "../../lib/portal-secret.ts";

const SQLITE = "file:./data/portal.db";

test("generates a secret once, owner-only, and reuses it afterwards", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-"));
  try {
    const dataDir = path.join(dir, "data");
    const first = resolvePortalSecret({ portalSecret: undefined, dataDir, databaseUrl: SQLITE });
    assert.equal(first.source, "generated");
    assert.ok(first.secret.length >= 48);
    assert.equal(statSync(first.file!).mode & 0o777, 0o600);
    const second = resolvePortalSecret({ portalSecret: undefined, dataDir, databaseUrl: SQLITE });
    assert.equal(second.source, "file");
    assert.equal(second.secret, first.secret);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("prefers the configured secret and never writes a file for it", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-"));
  try {
    const configured = resolvePortalSecret({ portalSecret: "x".repeat(40), dataDir: dir, databaseUrl: SQLITE });
    assert.deepEqual(configured, { secret: "x".repeat(40), source: "env" });
    assert.throws(() => readFileSync(path.join(dir, "portal-secret")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("refuses a damaged secret file instead of encrypting under it", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-"));
  try {
    writeFileSync(path.join(dir, "portal-secret"), "tiny\n");
    assert.throws(
      () => resolvePortalSecret({ portalSecret: undefined, dataDir: dir, databaseUrl: SQLITE }),
      /does not hold a valid portal secret/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("on PostgreSQL, never generates one: an unset secret stops with what to set, and no file is written", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "secret-"));
  try {
    for (const databaseUrl of ["postgresql://portal@127.0.0.1/portal", "postgres://portal@db/portal"]) {
      assert.throws(
        () => resolvePortalSecret({ portalSecret: undefined, dataDir: dir, databaseUrl }),
        /PORTAL_SECRET is not set.*PostgreSQL.*same PORTAL_SECRET/s,
      );
    }
    assert.throws(() => readFileSync(path.join(dir, "portal-secret")));
    const configured = resolvePortalSecret({
      portalSecret: "x".repeat(40),
      dataDir: dir,
      databaseUrl: "postgresql://portal@127.0.0.1/portal",
    });
    assert.equal(configured.source, "env");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
