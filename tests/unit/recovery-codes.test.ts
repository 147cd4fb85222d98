import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import {
  newRecoveryCode,
  newRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeHash,
  RECOVERY_CODE_COUNT,
} from "../../lib/auth/recovery-codes.ts";

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

test("ten distinct codes in four groups of four, from an alphabet without I, L, O or U", () => {
  const codes = newRecoveryCodes();
  assert.equal(codes.length, RECOVERY_CODE_COUNT);
  assert.equal(RECOVERY_CODE_COUNT, 10);
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, FORMAT);
  // Every character of the alphabet turns up, and nothing else (32 symbols: 5 bits each, 80 per code).
  const seen = new Set(Array.from({ length: 200 }, newRecoveryCode).join("").replaceAll("-", ""));
  assert.equal(seen.size, 32);
});

test("what a person types is normalised: case, spaces, dashes, and I, L, O for 1, 1, 0", () => {
  const code = "7KQ2-M9XD-4TNB-R8WE";
  assert.equal(normalizeRecoveryCode(code), "7KQ2M9XD4TNBR8WE");
  assert.equal(normalizeRecoveryCode(" 7kq2 m9xd 4tnb r8we "), "7KQ2M9XD4TNBR8WE");
  assert.equal(normalizeRecoveryCode("7kq2m9xd4tnbr8we"), "7KQ2M9XD4TNBR8WE");
  assert.equal(normalizeRecoveryCode("10ab-cdef-ghjk-mnpq"), normalizeRecoveryCode("lOAB-CDEF-GHJK-MNPQ"));
  assert.equal(normalizeRecoveryCode("IOAB-CDEF-GHJK-MNPQ"), "10ABCDEFGHJKMNPQ");
  assert.equal(recoveryCodeHash(" 7kq2-m9xd-4tnb-r8we"), recoveryCodeHash(code));
});

test("refuses what cannot be a code: wrong length, U, or other characters", () => {
  for (const typed of [
    "",
    "7KQ2-M9XD-4TNB",
    "7KQ2-M9XD-4TNB-R8WE-AAAA",
    "7KQ2-M9XD-4TNB-R8WU",
    "7KQ2-M9XD-4TNB-R8W!",
    "7KQ2_M9XD_4TNB_R8WE",
  ]) {
    assert.equal(normalizeRecoveryCode(typed), undefined, typed);
    assert.equal(recoveryCodeHash(typed), undefined, typed);
  }
});

test("the stored form is a SHA-256 that does not contain the code", () => {
  const code = newRecoveryCode();
  const hash = recoveryCodeHash(code)!;
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.notEqual(hash, createHash("sha256").update(code).digest("hex"));
  assert.ok(!hash.includes(normalizeRecoveryCode(code)!.toLowerCase()));
  assert.notEqual(recoveryCodeHash(newRecoveryCode()), hash);
});
