// Where the schemas and migration folders live. Every operation takes these as a parameter so
// tests can work on temporary copies; the default is the project at process.cwd(), which is the
// repository root for `npm run ...`, `tsx scripts/db.ts` and `next start`.
import path from "node:path";
import type { DatabaseKind } from "./database-url.ts";

export interface ProjectPaths {
  /** The one source schema (SQLite). */
  readonly sourceSchema: string;
  /** The PostgreSQL copy derived from it. */
  readonly postgresSchema: string;
  readonly sqliteMigrations: string;
  readonly postgresMigrations: string;
}

export function projectPaths(root: string = process.cwd()): ProjectPaths {
  return {
    sourceSchema: path.join(root, "prisma/schema.prisma"),
    postgresSchema: path.join(root, "prisma/postgres/schema.prisma"),
    sqliteMigrations: path.join(root, "prisma/migrations"),
    postgresMigrations: path.join(root, "prisma/postgres/migrations"),
  };
}

export function schemaPathOf(paths: ProjectPaths, kind: DatabaseKind): string {
  return kind === "postgres" ? paths.postgresSchema : paths.sourceSchema;
}

export function migrationsDirOf(paths: ProjectPaths, kind: DatabaseKind): string {
  return kind === "postgres" ? paths.postgresMigrations : paths.sqliteMigrations;
}

/**
 * The server on which a temporary PostgreSQL shadow database is created when a diff needs one
 * (needs CREATEDB). The database in the URL is only used to connect; it is never modified.
 */
export function shadowServerUrl(explicit?: string): string {
  return explicit ?? process.env.SHADOW_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}
