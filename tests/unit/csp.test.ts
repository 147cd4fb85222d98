import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newNonce, pagePolicy, pageWithoutScriptsPolicy } from "../../lib/http/csp.ts";

describe("Content-Security-Policy", () => {
  test("nonces are 128 random bits in base64, never the same twice", () => {
    const nonces = new Set(Array.from({ length: 1000 }, newNonce));
    assert.equal(nonces.size, 1000);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });

  test("a page's scripts need the nonce; nothing inline runs without it, nothing frames the page", () => {
    const policy = pagePolicy("abc", false);
    assert.match(policy, /(^|; )script-src 'self' 'nonce-abc' 'strict-dynamic'(;|$)/);
    assert.doesNotMatch(
      policy.split("; ").find((d) => d.startsWith("script-src"))!,
      /unsafe/,
    );
    for (const directive of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "img-src 'self' data: https:",
    ]) {
      assert.ok(policy.split("; ").includes(directive), directive);
    }
    assert.ok(policy.split("; ").includes("style-src 'self' 'nonce-abc'"));
    assert.ok(policy.split("; ").includes("style-src-attr 'unsafe-inline'"));
    // form-action would block the redirect to the application after a native form post.
    assert.doesNotMatch(policy, /form-action/);
  });

  test("the development server gets eval and inline styles, which React's dev tools need; production never", () => {
    assert.match(pagePolicy("abc", true), /script-src 'self' 'nonce-abc' 'strict-dynamic' 'unsafe-eval'; style-src 'self' 'unsafe-inline'/);
    assert.doesNotMatch(pagePolicy("abc", false), /unsafe-eval|style-src 'self' 'unsafe-inline'/);
  });

  test("a page without scripts allows nothing but its stylesheet and images", () => {
    const policy = pageWithoutScriptsPolicy("'sha256-xyz'");
    assert.match(
      policy,
      /^default-src 'none'; style-src 'sha256-xyz'; img-src 'self' data: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'/,
    );
    assert.doesNotMatch(policy, /script-src/);
  });
});
