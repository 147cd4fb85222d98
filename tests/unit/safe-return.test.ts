import assert from "node:assert/strict";
import { test } from "node:test";
import { safeReturnPath } from "../../lib/safe-return.ts";

test("a return target is only ever a path on this site", () => {
  for (const ok of ["/", "/account", "/account?tab=apps"]) assert.equal(safeReturnPath(ok), ok);
  for (const bad of [
    "//evil.example.com",
    "https://evil.example.com",
    "/\\evil.example.com",
    "\\\\evil",
    "account",
    "",
    "/\u0000x",
    "/a\nb",
    42,
    undefined,
    `/${"a".repeat(600)}`,
  ]) {
    assert.equal(safeReturnPath(bad), undefined, String(bad));
  }
});
