// The state between a right password and the second factor: sealed, so it can be neither read nor
// altered by the browser; refused once expired, under another secret, or as any other sealed box.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { openPendingSignIn, PENDING_SIGN_IN_MINUTES, sealPendingSignIn } from "../../lib/auth/pending-sign-in.ts";
import { seal } from "../../lib/crypto/secret-box.ts";

const SECRET = "a-portal-secret-of-at-least-thirty-two-characters";
const NOW = new Date("2030-01-01T12:00:00Z");
const pending = { userId: "user-1", amr: ["pwd"], need: "verify" as const, interaction: "interaction-1" };

describe("the pending sign-in cookie", () => {
  test("opens to what was sealed, with its expiry", () => {
    const opened = openPendingSignIn(sealPendingSignIn(pending, SECRET, NOW), SECRET, NOW);
    assert.deepEqual(opened, { ...pending, expiresAt: new Date(NOW.getTime() + PENDING_SIGN_IN_MINUTES * 60_000) });
  });

  test("does not show who it is for in the clear", () => {
    const value = sealPendingSignIn(pending, SECRET, NOW);
    assert.ok(!value.includes("user-1") && !Buffer.from(value.split(".")[2]!, "base64url").toString("latin1").includes("user-1"));
  });

  test("is refused once expired", () => {
    const value = sealPendingSignIn(pending, SECRET, NOW);
    const later = new Date(NOW.getTime() + PENDING_SIGN_IN_MINUTES * 60_000);
    assert.equal(openPendingSignIn(value, SECRET, later), null);
  });

  test("is refused when altered, sealed under another secret, absent or oversized", () => {
    const value = sealPendingSignIn(pending, SECRET, NOW);
    const flipped = `${value.slice(0, -2)}${value.endsWith("A") ? "B" : "A"}${value.slice(-1)}`;
    assert.equal(openPendingSignIn(flipped, SECRET, NOW), null);
    assert.equal(openPendingSignIn(value, `${SECRET}-other`, NOW), null);
    assert.equal(openPendingSignIn(undefined, SECRET, NOW), null);
    assert.equal(openPendingSignIn("x".repeat(3000), SECRET, NOW), null);
    assert.equal(openPendingSignIn("not a box", SECRET, NOW), null);
  });

  test("another box sealed with the same secret (a TOTP secret, a signing key) does not pass for one", () => {
    const body = JSON.stringify({ u: "user-1", m: ["pwd", "otp", "mfa"], n: "verify", e: NOW.getTime() + 60_000 });
    assert.equal(openPendingSignIn(seal(body, SECRET), SECRET, NOW), null);
  });
});
