// New migrations, the way `prisma migrate dev --create-only` makes them: the diff from the
// migrations folder to the schema, saved as <UTC timestamp>_<name>/migration.sql.
import { readFileSync } from "node:fs";
import type { DatabaseKind } from "./database-url.ts";
import { diffMigrationsToSchema } from "./diff.ts";
import { migrationNames, nextTimestamp, writeMigration } from "./folders.ts";
import { migrationsDirOf, projectPaths, schemaPathOf, type ProjectPaths } from "./paths.ts";

export const MIGRATION_NAME = /^[a-z0-9_]+$/;

export interface CreateMigrationOptions {
  readonly kind: DatabaseKind;
  /** Lower-case letters, digits and underscores: it becomes part of a folder name. */
  readonly name: string;
  readonly paths?: ProjectPaths;
  /** PostgreSQL only: server for the temporary shadow database (see shadowServerUrl). */
  readonly shadowDatabaseUrl?: string;
  /** The migration's timestamp (default: now); pass one Date to give both kinds the same. */
  readonly now?: Date;
}

export interface MigrationPlan {
  readonly kind: DatabaseKind;
  readonly name: string;
  readonly migrationsDir: string;
  /** null: the folder already matches the schema. */
  readonly sql: string | null;
}

export type CreateMigrationResult =
  | { readonly kind: DatabaseKind; readonly created: false }
  | {
      readonly kind: DatabaseKind;
      readonly created: true;
      /** The migration's folder name, e.g. 20250101120000_add_phone. */
      readonly migrationName: string;
      readonly directory: string;
      readonly sql: string;
    };

/** The diff alone, writing nothing: lets a caller compute both kinds before writing either. */
export async function planMigration(options: CreateMigrationOptions): Promise<MigrationPlan> {
  if (!MIGRATION_NAME.test(options.name)) {
    throw new Error(`Invalid migration name "${options.name}": use lower-case letters, digits and _`);
  }
  const paths = options.paths ?? projectPaths();
  const schemaPath = schemaPathOf(paths, options.kind);
  const migrationsDir = migrationsDirOf(paths, options.kind);
  const sql = await diffMigrationsToSchema({
    kind: options.kind,
    schema: { path: schemaPath, content: readFileSync(schemaPath, "utf8") },
    migrationsDir,
    ...(options.shadowDatabaseUrl ? { shadowDatabaseUrl: options.shadowDatabaseUrl } : {}),
  });
  return { kind: options.kind, name: options.name, migrationsDir, sql };
}

export function writePlannedMigration(plan: MigrationPlan, now: Date = new Date()): CreateMigrationResult {
  if (plan.sql === null) return { kind: plan.kind, created: false };
  const migrationName = `${nextTimestamp(migrationNames(plan.migrationsDir), now)}_${plan.name}`;
  const directory = writeMigration(plan.migrationsDir, plan.kind, migrationName, plan.sql);
  return { kind: plan.kind, created: true, migrationName, directory, sql: plan.sql };
}

/** Diffs and writes; with an empty diff nothing is written and `created` is false. */
export async function createMigration(options: CreateMigrationOptions): Promise<CreateMigrationResult> {
  return writePlannedMigration(await planMigration(options), options.now);
}
