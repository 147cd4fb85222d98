import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { COMMON_PASSWORDS } from "../../lib/auth/common-passwords.ts";
import { isCommonPassword, passwordSchema, passwordSchemaFor } from "../../lib/auth/password-policy.ts";

const problems = (password: unknown) => {
  const parsed = passwordSchema.safeParse(password);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe("the password rule", () => {
  test("12 to 64 characters, of any kind, are accepted", () => {
    for (const password of ["twelve chars", "alllowercaseletters", "x".repeat(63) + "y", "Ünïcödé pass wörd", "🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑"]) {
      assert.deepEqual(problems(password), [], password);
    }
  });

  test("fewer than 12 or more than 64 characters are refused, counted as a person counts them", () => {
    assert.deepEqual(problems("eleven char"), ["The password must be at least 12 characters"]);
    assert.deepEqual(problems("🔑".repeat(11)), ["The password must be at least 12 characters"], "11 emoji are 22 UTF-16 units, still 11 characters");
    assert.deepEqual(problems("a".repeat(65)), ["The password must be at most 64 characters"]);
  });

  test("more than 72 bytes is refused (bcrypt would ignore the rest)", () => {
    assert.deepEqual(problems("é".repeat(36)), []);
    assert.match(problems("é".repeat(37)).join(), /at most 72 bytes/);
    assert.match(problems("🔑".repeat(19)).join(), /at most 72 bytes/);
  });

  test("a common password is refused whatever its case; the list is lower-case and long enough to matter", () => {
    assert.ok(isCommonPassword("Password1234"));
    assert.ok(isCommonPassword("QWERTYUIOP123"));
    assert.match(problems("1Qaz2Wsx3Edc").join(), /most common passwords/);
    assert.ok(!isCommonPassword("plain words!"));
    for (const password of COMMON_PASSWORDS) {
      assert.equal(password, password.toLowerCase());
      assert.ok([...password].length >= 12, `${password} would fail the length rule anyway`);
    }
  });

  test("messages start with the subject asked for", () => {
    const parsed = passwordSchemaFor("--password").safeParse(undefined);
    assert.equal(parsed.error?.issues[0]?.message, "--password is required");
    assert.equal(passwordSchemaFor().safeParse("short").error?.issues[0]?.message, "must be at least 12 characters");
  });
});
