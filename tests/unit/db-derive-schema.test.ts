// The PostgreSQL schema is derived from the SQLite source; these pin down exactly what changes.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deriveSchema, DERIVED_HEADER } from "../../lib/db/migrate/index.ts";

const SOURCE = `// The one source schema.
// More words.

generator client {
  provider     = "prisma-client"
  output       = "../lib/db/generated/sqlite"
  moduleFormat = "esm"
}

datasource db {
  provider = "sqlite"
}

model User {
  id       String @id
  provider String // a field named like the datasource key stays untouched
}
`;

describe("deriveSchema", () => {
  test("on the repository's source, changes exactly three lines", () => {
    // (Whether prisma/postgres/schema.prisma is up to date is `npm run db:check`'s business.)
    const source = readFileSync("prisma/schema.prisma", "utf8").split("\n");
    const derived = deriveSchema(source.join("\n")).split("\n");
    assert.equal(derived.length, source.length);
    const changed = derived.filter((line, i) => line !== source[i]);
    assert.deepEqual(
      changed.map((line) => line.trim().replace(/\s+/g, " ")),
      [DERIVED_HEADER, 'output = "../../lib/db/generated/postgres"', 'provider = "postgresql"'],
    );
  });

  test("changes only the header, the datasource provider and the client output", () => {
    const derived = deriveSchema(SOURCE);
    const expected = SOURCE.replace("// The one source schema.", DERIVED_HEADER)
      .replace('provider = "sqlite"', 'provider = "postgresql"')
      .replace('"../lib/db/generated/sqlite"', '"../../lib/db/generated/postgres"');
    assert.equal(derived, expected);
    assert.match(derived, /provider {5}= "prisma-client"/, "the generator's provider is not the datasource's");
    assert.match(derived, /provider String \/\/ a field/);
    assert.match(derived, /^\/\/ More words\.$/m, "only the first comment line is replaced");
  });

  test("the header names the command that regenerates the copy", () => {
    assert.equal(DERIVED_HEADER, "// DERIVED from prisma/schema.prisma by `npm run db:migrate:new`: do not edit.");
  });

  test("a source without a leading comment gets the header prepended", () => {
    const derived = deriveSchema(SOURCE.replace(/^\/\/.*\n\/\/.*\n/, ""));
    assert.ok(derived.startsWith(`${DERIVED_HEADER}\n`));
  });

  test("is pure and deterministic", () => {
    assert.equal(deriveSchema(SOURCE), deriveSchema(SOURCE));
  });

  test("refuses a source that is not SQLite (e.g. the derived copy itself)", () => {
    assert.throws(() => deriveSchema(deriveSchema(SOURCE)), /"sqlite"/);
  });

  test("refuses a generator output that does not end in sqlite", () => {
    assert.throws(() => deriveSchema(SOURCE.replace("generated/sqlite", "generated/client")), /should end in "sqlite"/);
  });

  test("refuses a schema without a generator output (the two clients would collide)", () => {
    assert.throws(() => deriveSchema(SOURCE.replace(/^\s*output.*\n/m, "")), /no output/);
  });

  test("refuses a schema without a datasource provider", () => {
    assert.throws(() => deriveSchema(SOURCE.replace(/^\s*provider = "sqlite"\n/m, "")), /found 0/);
  });
});
