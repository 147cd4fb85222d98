// The mail and sign-up settings (SMTP_URL, MAIL_FROM, SIGNUP_ENABLED): defaults and refusals.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, parseEnv } from "../../lib/env.ts";

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe("mail and sign-up settings", () => {
  test("by default: no relay (mail goes to the output), a From at the issuer's host, sign-up closed", () => {
    const config = parseEnv({ ISSUER_URL: "https://id.example.com" });
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.mailFrom, "Identity Portal <no-reply@id.example.com>");
    assert.equal(config.signupEnabled, false);
    // Empty is unset, as for every variable.
    assert.equal(parseEnv({ SMTP_URL: "", SIGNUP_ENABLED: "" }).smtpUrl, undefined);
  });

  test("takes smtp:// and smtps:// URLs, a From, and true/false/1/0", () => {
    const config = parseEnv({
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      MAIL_FROM: "Example ID <id@example.com>",
      SIGNUP_ENABLED: "true",
    });
    assert.equal(config.smtpUrl, "smtps://user:pass@mail.example.com:465");
    assert.equal(config.mailFrom, "Example ID <id@example.com>");
    assert.equal(config.signupEnabled, true);
    assert.equal(parseEnv({ SIGNUP_ENABLED: "1" }).signupEnabled, true);
    assert.equal(parseEnv({ SIGNUP_ENABLED: "0" }).signupEnabled, false);
  });

  test("refuses anything else, naming the variable (and never echoing the URL, which may hold a password)", () => {
    for (const value of ["http://mail.example.com", "mail.example.com:25", "smtp://"]) {
      const found = problems({ SMTP_URL: value });
      assert.equal(found.length, 1, value);
      assert.match(found[0]!, /^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    }
    assert.match(problems({ SMTP_URL: "http://user:hunter2@mail" })[0]!, /^(?!.*hunter2)/);
    assert.match(problems({ SIGNUP_ENABLED: "yes" })[0]!, /^SIGNUP_ENABLED: must be true or false/);
    assert.match(problems({ MAIL_FROM: "nobody" })[0]!, /^MAIL_FROM: must be an address/);
  });
});
