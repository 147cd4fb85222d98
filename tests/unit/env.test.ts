import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { readFileSync } from "node:fs";
import { parseEnv as parseDotenv } from "node:util";
import { ConfigError, parseEnv } from "../../lib/env.ts";

describe("parseEnv", () => {
  test("needs no configuration at all", () => {
    const config = parseEnv({});
    assert.equal(config.port, 3000);
    assert.equal(config.issuer, "http://localhost:3000");
    assert.equal(config.databaseUrl, "file:./data/portal.db");
    assert.equal(config.portalSecret, undefined);
    assert.equal(config.bcryptCost, 12);
    assert.equal(config.codeTtlSeconds, 60);
    assert.equal(config.accessTokenTtlSeconds, 600);
  });

  test("derives the default issuer from PORT and the database from DATA_DIR", () => {
    const config = parseEnv({ PORT: "4100", DATA_DIR: "/var/lib/portal/" });
    assert.equal(config.issuer, "http://localhost:4100");
    assert.equal(config.databaseUrl, "file:/var/lib/portal/portal.db");
  });

  test("keeps a configured issuer byte for byte, less a trailing slash", () => {
    assert.equal(parseEnv({ ISSUER_URL: "https://id.example.com/tenant" }).issuer, "https://id.example.com/tenant");
    assert.equal(parseEnv({ ISSUER_URL: "https://id.example.com/" }).issuer, "https://id.example.com");
  });

  test("accepts .env.example as it is documented, and it names every variable", () => {
    const example = parseDotenv(readFileSync(".env.example", "utf8"));
    const config = parseEnv(example);
    assert.equal(config.issuer, "http://localhost:3000");
    assert.equal(config.keyReloadSeconds, 60);
    const source = readFileSync("lib/env.ts", "utf8");
    const declared = [...source.matchAll(/^  ([A-Z_]+):/gm)].map((match) => match[1]);
    assert.deepEqual(
      declared.filter((name) => !(name! in example)),
      [],
    );
  });

  test("refresh tokens: a 30-second grace period for a lost response, which 0 turns off, and a 90-day grant", () => {
    assert.equal(parseEnv({}).refreshReuseGraceSeconds, 30);
    assert.equal(parseEnv({ REFRESH_REUSE_GRACE_SECONDS: "0" }).refreshReuseGraceSeconds, 0);
    assert.equal(parseEnv({}).refreshTokenAbsoluteTtlSeconds, 90 * 86_400);
  });

  test("treats an empty variable as unset", () => {
    assert.equal(parseEnv({ PORTAL_SECRET: "", PORT: "" }).port, 3000);
  });

  test("accepts PostgreSQL and SQLite URLs", () => {
    assert.equal(parseEnv({ DATABASE_URL: "postgresql://u@db:5432/portal" }).databaseUrl, "postgresql://u@db:5432/portal");
    assert.equal(parseEnv({ DATABASE_URL: "file:/tmp/x.db" }).databaseUrl, "file:/tmp/x.db");
  });

  test("the portal's name and logo: Identity Portal and none by default; an https URL or a path here", () => {
    assert.equal(parseEnv({}).portalName, "Identity Portal");
    assert.equal(parseEnv({}).portalLogoUrl, undefined);
    assert.equal(parseEnv({ PORTAL_NAME: "  Acme ID " }).portalName, "Acme ID");
    assert.equal(parseEnv({ PORTAL_LOGO_URL: "https://cdn.example.com/logo.svg" }).portalLogoUrl, "https://cdn.example.com/logo.svg");
    assert.equal(parseEnv({ PORTAL_LOGO_URL: "/logo.svg" }).portalLogoUrl, "/logo.svg");
  });

  const bad: ReadonlyArray<readonly [string, Record<string, string>, RegExp]> = [
    ["a port that is not a number", { PORT: "http" }, /PORT: must be a port number/],
    ["a port out of range", { PORT: "70000" }, /PORT: must be between 1 and 65535/],
    ["an issuer that is not a URL", { ISSUER_URL: "id.example.com" }, /ISSUER_URL: must be an absolute URL/],
    ["a plain-http issuer on a public host", { ISSUER_URL: "http://id.example.com" }, /ISSUER_URL: must use https/],
    ["an issuer with a query", { ISSUER_URL: "https://id.example.com/?a=b" }, /ISSUER_URL: must not have a query string/],
    ["an issuer with a fragment", { ISSUER_URL: "https://id.example.com/#x" }, /ISSUER_URL: must not have a fragment/],
    ["an issuer with another scheme", { ISSUER_URL: "ftp://id.example.com" }, /ISSUER_URL: must be an https URL/],
    [
      "an unknown database scheme",
      { DATABASE_URL: "mysql://db/portal" },
      /DATABASE_URL: must start with file: \(SQLite\) or postgresql:\/\//,
    ],
    ["a short portal secret", { PORTAL_SECRET: "short" }, /PORTAL_SECRET: must be at least 32 characters/],
    ["an admin email that is not one", { ADMIN_EMAIL: "admin" }, /ADMIN_EMAIL: must be an email address/],
    ["a short admin password", { ADMIN_PASSWORD: "hunter2" }, /ADMIN_PASSWORD: must be at least 12 characters/],
    ["a bcrypt cost out of range", { BCRYPT_COST: "31" }, /BCRYPT_COST: must be between 4 and 15/],
    ["a code lifetime over ten minutes", { CODE_TTL_SECONDS: "601" }, /CODE_TTL_SECONDS: must be at most 600 seconds/],
    ["a fractional lifetime", { ACCESS_TOKEN_TTL_SECONDS: "1.5" }, /ACCESS_TOKEN_TTL_SECONDS: must be a whole number of seconds/],
    ["a grace period over five minutes", { REFRESH_REUSE_GRACE_SECONDS: "301" }, /REFRESH_REUSE_GRACE_SECONDS: must be between 0 and 300/],
    ["a negative grace period", { REFRESH_REUSE_GRACE_SECONDS: "-1" }, /REFRESH_REUSE_GRACE_SECONDS: must be between 0 and 300/],
    ["a zero grant lifetime", { REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: "0" }, /REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: must be at least 1 second/],
    [
      "a portal name with a bidi override",
      { PORTAL_NAME: "Acme\u202eDI" },
      /PORTAL_NAME: must not contain backslashes, control or bidirectional/,
    ],
    ["a portal name too long to show", { PORTAL_NAME: "x".repeat(61) }, /PORTAL_NAME: must be at most 60 characters/],
    [
      "a logo over plain http",
      { PORTAL_LOGO_URL: "http://cdn.example.com/logo.svg" },
      /PORTAL_LOGO_URL: must be an https URL, or a path on this site/,
    ],
    ["a logo on another host without a scheme", { PORTAL_LOGO_URL: "//cdn.example.com/logo.svg" }, /PORTAL_LOGO_URL: must be an https URL/],
    ["a javascript: logo", { PORTAL_LOGO_URL: "javascript:alert(1)" }, /PORTAL_LOGO_URL: must be an https URL/],
    [
      "an idle limit above the absolute one",
      { SESSION_IDLE_SECONDS: "100", SESSION_ABSOLUTE_SECONDS: "50" },
      /SESSION_IDLE_SECONDS: must not exceed/,
    ],
  ];
  for (const [name, env, message] of bad) {
    test(`rejects ${name}, naming the variable and the reason`, () => {
      assert.throws(
        () => parseEnv(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test("reports every bad variable at once", () => {
    assert.throws(
      () => parseEnv({ PORT: "x", PORTAL_SECRET: "short" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 2);
        return true;
      },
    );
  });
});
