// The TOTP rules (lib/auth/totp.ts) with a fixed clock: codes are computed by the test, from the
// secret, with RFC 4226's own algorithm (tests/support/totp.ts), not by the code under test.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkTotpCode, newTotpSecret, normalizeTotpCode, totpCodeAt, totpStep, totpUri } from "../../lib/auth/totp.ts";
import { base32Decode as base32Bytes, base32Encode as base32, totpCode as code } from "../support/totp.ts";

// A fixed instant 10 seconds into its step, and fixed secrets: every code below is known, so none
// of the assertions depends on chance.
const NOW = new Date("2026-06-01T12:00:10.000Z");
const STEP = Math.floor(NOW.getTime() / 30_000);
const SECRET = base32(Buffer.from("12345678901234567890", "ascii"));
const OTHER_SECRET = base32(Buffer.from("abcdefghijabcdefghij", "ascii"));
const at = (offset: number) => code(SECRET, NOW, offset);

test("matches RFC 6238's test vectors (SHA-1, the six low digits of the eight)", () => {
  assert.equal(totpCodeAt(SECRET, totpStep(new Date(59_000))), "287082");
  assert.equal(totpCodeAt(SECRET, totpStep(new Date(1_111_111_109_000))), "081804");
  assert.equal(totpCodeAt(SECRET, totpStep(new Date(1_234_567_890_000))), "005924");
  assert.equal(totpCodeAt(SECRET, totpStep(new Date(2_000_000_000_000))), "279037");
  assert.equal(code(SECRET, new Date(59_000)), "287082");
  assert.equal(totpStep(NOW), STEP);
});

test("the codes used below are all different", () => {
  const codes = [-20, -3, -2, -1, 0, 1, 2, 3].map(at);
  assert.equal(new Set(codes).size, codes.length);
  assert.notEqual(code(OTHER_SECRET, NOW), at(0));
});

test("a new secret is 160 random bits in base32, and its URI carries it with the issuer and account", () => {
  const secret = newTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(base32Bytes(secret).length, 20);
  assert.notEqual(newTotpSecret(), secret);
  const uri = new URL(totpUri(secret, "Identity Portal", "ada@example.com"));
  assert.equal(uri.protocol, "otpauth:");
  assert.equal(uri.host, "totp");
  assert.equal(decodeURIComponent(uri.pathname), "/Identity Portal:ada@example.com");
  assert.equal(uri.searchParams.get("secret"), secret);
  assert.equal(uri.searchParams.get("issuer"), "Identity Portal");
  assert.equal(uri.searchParams.get("algorithm"), "SHA1");
  assert.equal(uri.searchParams.get("digits"), "6");
  assert.equal(uri.searchParams.get("period"), "30");
  // A fresh secret's codes are checked like any other.
  assert.deepEqual(checkTotpCode(secret, code(secret, NOW), NOW, null), { ok: true, step: STEP });
});

test("accepts the current step's code and those one step either side, and says which step", () => {
  assert.deepEqual(checkTotpCode(SECRET, at(0), NOW, null), { ok: true, step: STEP });
  assert.deepEqual(checkTotpCode(SECRET, at(-1), NOW, null), { ok: true, step: STEP - 1 });
  assert.deepEqual(checkTotpCode(SECRET, at(1), NOW, null), { ok: true, step: STEP + 1 });
  // Typed with a space or a dash, as some apps show it.
  const current = at(0);
  assert.deepEqual(checkTotpCode(SECRET, `${current.slice(0, 3)} ${current.slice(3)}`, NOW, null), { ok: true, step: STEP });
  assert.deepEqual(checkTotpCode(SECRET, `${current.slice(0, 3)}-${current.slice(3)}`, NOW, null), { ok: true, step: STEP });
  // The window is in whole steps: the previous step's code works to the last millisecond of this step, not after.
  const lastOfStep = new Date((STEP + 1) * 30_000 - 1);
  assert.deepEqual(checkTotpCode(SECRET, at(-1), lastOfStep, null), { ok: true, step: STEP - 1 });
  assert.deepEqual(checkTotpCode(SECRET, at(-1), new Date((STEP + 1) * 30_000), null), { ok: false, reason: "wrong" });
});

test("refuses expired codes (two steps or more old) and codes more than one step ahead", () => {
  for (const offset of [-2, -3, -20, 2, 3]) {
    assert.deepEqual(checkTotpCode(SECRET, at(offset), NOW, null), { ok: false, reason: "wrong" }, `offset ${offset}`);
  }
  // The current code a minute later: its step is out of the window.
  assert.deepEqual(checkTotpCode(SECRET, at(0), new Date(NOW.getTime() + 60_000), null), { ok: false, reason: "wrong" });
});

test("refuses wrong codes, another secret's code and anything that is not six digits", () => {
  const right = at(0);
  const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
  assert.ok(![-1, 0, 1].map(at).includes(wrong));
  assert.deepEqual(checkTotpCode(SECRET, wrong, NOW, null), { ok: false, reason: "wrong" });
  assert.deepEqual(checkTotpCode(OTHER_SECRET, right, NOW, null), { ok: false, reason: "wrong" });
  for (const typed of ["", "12345", "1234567", "12345a", `${right}0`, right.slice(1), "١٢٣٤٥٦"]) {
    assert.deepEqual(checkTotpCode(SECRET, typed, NOW, null), { ok: false, reason: "wrong" }, JSON.stringify(typed));
  }
  assert.equal(normalizeTotpCode(" 123 456 "), "123456");
  assert.equal(normalizeTotpCode("12 34 5"), undefined);
});

test("no replay: a code is refused once its step, or a later one, was used", () => {
  assert.deepEqual(checkTotpCode(SECRET, at(0), NOW, null), { ok: true, step: STEP });
  // The same code again, within the same step or in the next one (still inside the window).
  assert.deepEqual(checkTotpCode(SECRET, at(0), NOW, STEP), { ok: false, reason: "replayed" });
  assert.deepEqual(checkTotpCode(SECRET, at(0), new Date(NOW.getTime() + 30_000), STEP), { ok: false, reason: "replayed" });
  // An earlier step's code, still inside the window, once a later step was used.
  assert.deepEqual(checkTotpCode(SECRET, at(-1), NOW, STEP), { ok: false, reason: "replayed" });
  // Once the next step's code was used (a phone whose clock is ahead), the current one is refused.
  assert.deepEqual(checkTotpCode(SECRET, at(0), NOW, STEP + 1), { ok: false, reason: "replayed" });
  // The next step's code is still good after the current one was used.
  assert.deepEqual(checkTotpCode(SECRET, at(1), NOW, STEP), { ok: true, step: STEP + 1 });
  // The previous step's code is good while only older steps were used.
  assert.deepEqual(checkTotpCode(SECRET, at(-1), NOW, STEP - 2), { ok: true, step: STEP - 1 });
  // A wrong code stays wrong, not replayed, whatever was used.
  assert.deepEqual(checkTotpCode(SECRET, at(-2), NOW, STEP), { ok: false, reason: "wrong" });
});
