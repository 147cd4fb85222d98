import assert from "node:assert/strict";
import { describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { dictionary } from "@zxcvbn-ts/language-common";
import { bcryptInput, hashPassword, verifyPassword } from "../../lib/auth/password.ts";
import { commonPasswordSet, isCommonPassword, passwordSchema, passwordSchemaFor } from "../../lib/auth/password-policy.ts";

const problems = (password: unknown) => {
  const parsed = passwordSchema.safeParse(password);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe("the password rule", () => {
  test("12 to 256 characters, of any kind, are accepted", () => {
    for (const password of [
      "twelve chars",
      "alllowercaseletters",
      "x".repeat(63) + "y",
      "Ünïcödé pass wörd",
      "🔑🗝🔒🔓🔑🗝🔒🔓🔑🗝🔒🔓",
      "plain words!",
      "e2e-admin-password",
      "€uro sign €€€ and more words, well past seventy-two bytes in all",
      "a long passphrase ".repeat(14) + "tail",
    ]) {
      assert.deepEqual(problems(password), [], password);
    }
  });

  test("fewer than 12 or more than 256 characters are refused, counted as a person counts them", () => {
    assert.deepEqual(problems("eleven char"), ["The password must be at least 12 characters"]);
    assert.deepEqual(
      problems("🔑".repeat(11)),
      ["The password must be at least 12 characters"],
      "11 emoji are 22 UTF-16 units, still 11 characters",
    );
    const long = "the quick brown fox jumps over the lazy dog. ".repeat(6).slice(0, 256);
    assert.deepEqual(problems(long), [], "256 characters");
    assert.deepEqual(problems(long + "s"), ["The password must be at most 256 characters"]);
    assert.deepEqual(problems("🔑🗝".repeat(128) + "x"), ["The password must be at most 256 characters"]);
  });

  test("common passwords are refused: the dictionary, lower-cased, and their obvious variations", () => {
    for (const password of [
      "Password1234",
      "QWERTYUIOP123",
      "1Qaz2Wsx3Edc",
      "123456789012",
      "administrator",
      "P@ssw0rd2024!",
      "sunshine123456",
      "!!dragon!!2024",
      "adminadminadmin",
      "123412341234",
      "aaaaaaaaaaaa",
      "abababababab",
      "🔑".repeat(12),
    ]) {
      assert.ok(isCommonPassword(password), password);
      assert.match(problems(password).join(), /too common/, password);
    }
    for (const password of ["plain words!", "correct horse battery staple", "alice-password-1", "8273!940#1-2", "the right password"]) {
      assert.ok(!isCommonPassword(password), password);
    }
  });

  test("the dictionary is the maintained package's, loaded once per process", () => {
    const set = commonPasswordSet();
    assert.ok(set.size > 40_000, `${set.size} entries`);
    assert.ok(set.has("password") && set.has(dictionary["passwords-common"][1000]!.toLowerCase()));
    // The same object on every call: the set is built on first use and kept (processState), so
    // a check costs one to a dozen lookups, not a rebuild of 49,000 entries.
    assert.equal(commonPasswordSet(), set);
    isCommonPassword("some password");
    assert.equal(commonPasswordSet(), set);
  });

  test("messages start with the subject asked for", () => {
    const parsed = passwordSchemaFor("--password").safeParse(undefined);
    assert.equal(parsed.error?.issues[0]?.message, "--password is required");
    assert.equal(passwordSchemaFor().safeParse("short").error?.issues[0]?.message, "must be at least 12 characters");
  });
});

describe("hashing long passwords", () => {
  test("up to 72 bytes bcrypt hashes the password itself, as before", async () => {
    const password = "é".repeat(36);
    assert.equal(bcryptInput(password), password);
    assert.ok(await bcrypt.compare(password, await hashPassword(password, 4)));
  });

  test("past 72 bytes every character counts (bcrypt alone would ignore the rest)", async () => {
    const long = "a long passphrase ".repeat(5);
    const hash = await hashPassword(long, 4);
    assert.ok(await verifyPassword(long, hash));
    assert.ok(!(await verifyPassword(long.slice(0, -1) + "!", hash)), "the last character matters");
    assert.ok(!(await verifyPassword(long.slice(0, 72), hash)), "the first 72 bytes alone do not sign in");
    assert.ok(bcryptInput(long).length < 72);
  });
});
