// The drift check for CI: every schema change must come with its migrations, and the derived
// PostgreSQL schema must be exactly what deriveSchema makes of the source.
import { existsSync, readFileSync } from "node:fs";
import type { DatabaseKind } from "./database-url.ts";
import { deriveSchema } from "./derive-schema.ts";
import { diffMigrationsToSchema } from "./diff.ts";
import { migrationsDirOf, projectPaths, type ProjectPaths } from "./paths.ts";

export type Drift =
  | { readonly target: "postgres-schema"; readonly message: string }
  | { readonly target: DatabaseKind; readonly message: string; readonly sql: string };

export interface CheckResult {
  readonly ok: boolean;
  readonly drifts: readonly Drift[];
}

export interface CheckOptions {
  readonly paths?: ProjectPaths;
  /** Which migration folders to diff (default both; PostgreSQL needs a server for its shadow). */
  readonly kinds?: readonly DatabaseKind[];
  readonly shadowDatabaseUrl?: string;
}

export async function checkMigrations(options: CheckOptions = {}): Promise<CheckResult> {
  const paths = options.paths ?? projectPaths();
  const source = readFileSync(paths.sourceSchema, "utf8");
  const derived = deriveSchema(source);
  const drifts: Drift[] = [];

  const copy = existsSync(paths.postgresSchema) ? readFileSync(paths.postgresSchema, "utf8") : null;
  if (copy !== derived) {
    drifts.push({
      target: "postgres-schema",
      message: `${paths.postgresSchema} ${copy === null ? "is missing" : "differs from its derivation"}: it is generated from ${paths.sourceSchema}, never edited by hand`,
    });
  }

  for (const kind of options.kinds ?? (["sqlite", "postgres"] as const)) {
    // Both kinds are diffed against the source of truth, not the on-disk copy, so a stale copy
    // is reported once (above) instead of also hiding or faking a migration drift.
    const schema = kind === "postgres" ? { path: paths.postgresSchema, content: derived } : { path: paths.sourceSchema, content: source };
    const migrationsDir = migrationsDirOf(paths, kind);
    const sql = await diffMigrationsToSchema({
      kind,
      schema,
      migrationsDir,
      ...(options.shadowDatabaseUrl ? { shadowDatabaseUrl: options.shadowDatabaseUrl } : {}),
    });
    if (sql !== null) {
      drifts.push({ target: kind, message: `${migrationsDir} does not match the schema: a migration is missing`, sql });
    }
  }
  return { ok: drifts.length === 0, drifts };
}
