// The one diff all operations share: from the schema the migrations folder produces (replayed
// on a shadow database) to the schema file. Empty means the folder is up to date.
import { postgresFactory, sqliteFactory } from "./adapters.ts";
import { redactUrl, type DatabaseKind } from "./database-url.ts";
import { NO_FILTERS, withEngine, type EngineSchema } from "./engine.ts";
import { readMigrationList } from "./folders.ts";
import { shadowServerUrl } from "./paths.ts";

export interface DiffInput {
  readonly kind: DatabaseKind;
  readonly schema: EngineSchema;
  readonly migrationsDir: string;
  /** PostgreSQL only: server for the temporary shadow database (see shadowServerUrl). */
  readonly shadowDatabaseUrl?: string;
}

/** The SQL that would bring the migrations up to the schema; null when there is nothing to do. */
export async function diffMigrationsToSchema(input: DiffInput): Promise<string | null> {
  // SQLite replays the folder in memory. PostgreSQL has no such thing: the engine asks for a
  // shadow database even for this diff (measured), so a server is needed; the engine's main
  // connection goes to the same server and is not written to.
  const server = shadowServerUrl(input.shadowDatabaseUrl);
  const factory = input.kind === "postgres" ? postgresFactory(server, server) : sqliteFactory(":memory:");
  const diff = withEngine(input.schema, factory, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...readMigrationList(input.migrationsDir, input.kind) },
      to: { tag: "schemaDatamodel", files: [{ path: input.schema.path, content: input.schema.content }] },
      script: true,
      // With exitCode set, the engine answers 2 for a non-empty diff: no need to parse the script.
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  const result = await diff.catch((error: unknown) => {
    if (input.kind !== "postgres") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The PostgreSQL diff replays the migrations on a temporary database on ${redactUrl(server)} ` +
        `(set SHADOW_DATABASE_URL to a server where this role may CREATE DATABASE): ${reason}`,
      { cause: error },
    );
  });
  return result.exitCode === 2 ? (result.stdout ?? "") : null;
}
