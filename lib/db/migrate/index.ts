// The project's migration tool (Prisma's WebAssembly schema engine; no native engine needed).
// All paths default to the project at process.cwd(); see paths.ts.
export { applyMigrations, type ApplyOptions } from "./apply.ts";
export { checkMigrations, type CheckOptions, type CheckResult, type Drift } from "./check.ts";
export {
  createMigration,
  planMigration,
  writePlannedMigration,
  MIGRATION_NAME,
  type CreateMigrationOptions,
  type CreateMigrationResult,
  type MigrationPlan,
} from "./create.ts";
export { databaseKind, type DatabaseKind } from "./database-url.ts";
export { deriveSchema, DERIVED_HEADER } from "./derive-schema.ts";
export { lockFileContent, migrationNames } from "./folders.ts";
export { projectPaths, type ProjectPaths } from "./paths.ts";
