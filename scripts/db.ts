// Database migrations without Prisma's native engine (see lib/db/migrate):
//   tsx scripts/db.ts apply        pending migrations → DATABASE_URL (default file:$DATA_DIR/portal.db)
//   tsx scripts/db.ts new <name>   derive the PostgreSQL schema, create <name> for both databases
//   tsx scripts/db.ts check        exit 1 if migrations or the derived schema drifted (for CI)
// Run from the repository root (npm scripts do): paths resolve from process.cwd().
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import {
  applyMigrations,
  checkMigrations,
  deriveSchema,
  MIGRATION_NAME,
  planMigration,
  projectPaths,
  writePlannedMigration,
} from "../lib/db/migrate/index.ts";
import { loadEnvFiles } from "../lib/env-files.ts";
import { parseEnv } from "../lib/env.ts";

const USAGE = `Usage:
  npm run db:migrate                 apply pending migrations to DATABASE_URL (default file:$DATA_DIR/portal.db)
  npm run db:migrate:new -- <name>   create migration <name> ([a-z0-9_]+) for SQLite and PostgreSQL
  npm run db:check                   fail if the schema changed without migrations

Creating or checking PostgreSQL migrations needs a PostgreSQL server for a temporary shadow
database: SHADOW_DATABASE_URL, else TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres.`;

class UsageError extends Error {}

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "apply":
      expectArgs(rest, 0);
      return apply();
    case "new":
      expectArgs(rest, 1);
      return create(rest[0] ?? "");
    case "check":
      expectArgs(rest, 0);
      return check();
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : "No command given");
  }
}

function expectArgs(rest: readonly string[], count: number): void {
  if (rest.length !== count) throw new UsageError(`Expected ${count} argument(s), got ${rest.length}`);
}

async function apply(): Promise<number> {
  // The database the server uses: same .env files, same DATA_DIR default.
  loadEnvFiles();
  const url = parseEnv(process.env).databaseUrl;
  const applied = await applyMigrations(url);
  console.log(applied.length ? `Applied: ${applied.join(", ")}` : "The database is up to date.");
  return 0;
}

async function create(name: string): Promise<number> {
  if (!MIGRATION_NAME.test(name)) throw new UsageError(`Invalid migration name "${name}": use [a-z0-9_]+`);
  const paths = projectPaths();
  const derived = deriveSchema(readFileSync(paths.sourceSchema, "utf8"));
  const schemaChanged = readOptional(paths.postgresSchema) !== derived;
  if (schemaChanged) writeFileSync(paths.postgresSchema, derived);
  // Both diffs before any write: a failing PostgreSQL diff must not leave the folders out of step.
  const plans = [await planMigration({ kind: "sqlite", name, paths }), await planMigration({ kind: "postgres", name, paths })];
  const now = new Date();
  let created = 0;
  for (const plan of plans) {
    const result = writePlannedMigration(plan, now);
    if (result.created) {
      created += 1;
      console.log(`Created ${result.directory}/migration.sql`);
    } else {
      console.log(`No ${plan.kind} changes: nothing written to ${plan.migrationsDir}`);
    }
  }
  if (schemaChanged) console.log(`Updated ${paths.postgresSchema}`);
  if (created > 0 || schemaChanged) {
    const run = spawnSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
    if (run.status !== 0) throw new Error("Regenerating the Prisma clients failed (scripts/prisma-generate.mjs)");
  }
  return 0;
}

function readOptional(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

async function check(): Promise<number> {
  const result = await checkMigrations();
  if (result.ok) {
    console.log("Migrations and the derived PostgreSQL schema match prisma/schema.prisma.");
    return 0;
  }
  for (const drift of result.drifts) {
    console.error(`Drift (${drift.target}): ${drift.message}`);
    if ("sql" in drift) console.error(indent(drift.sql));
  }
  console.error("Run `npm run db:migrate:new -- <name>` to create the missing migrations.");
  return 1;
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
