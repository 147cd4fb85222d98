// Runs Prisma's WebAssembly schema engine (the native one cannot be downloaded here): one engine
// per operation, bound to a driver-adapter factory, with its errors made readable.
import type { SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { Connections } from "./connections.ts";
import { bindings, engineStarted, engineStopped, loadEngine } from "./wasm.ts";

export type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

/** No externally managed tables or enums: the engine owns the whole schema. */
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export interface EngineSchema {
  readonly path: string;
  readonly content: string;
}

/**
 * Runs `work` with a fresh engine bound to `factory`, then frees the engine. Errors come out
 * readable: the engine reports driver errors as `External error id#N`, and the real error
 * waits in the bound factory's error registry.
 */
export async function withEngine<T>(
  schema: EngineSchema,
  factory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  loadEngine();
  const connections = new Connections(factory);
  const bound = bindMigrationAwareSqlAdapterFactory(connections.factory);
  let engine: SchemaEngine | undefined;
  engineStarted();
  try {
    engine = await bindings.SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, ignoreLog, bound);
    return await work(engine);
  } catch (error) {
    throw explain(error, bound.errorRegistry);
  } finally {
    try {
      engine?.free();
      await connections.disposeAll();
    } finally {
      engineStopped();
    }
  }
}

/** The engine logs JSON lines (tracing); only errors matter and those are thrown. */
function ignoreLog(): void {}

interface Registry {
  consumeError(id: number): { error: unknown } | undefined;
}

function explain(error: unknown, registry: Registry): Error {
  const message = error instanceof Error ? error.message : String(error);
  const replaced = message.replace(/External error id#(\d+)/g, (whole, id: string) => {
    const record = registry.consumeError(Number(id));
    return record ? describeDriverError(record.error) : whole;
  });
  // Noise for users: the Rust span trace ("   0: schema_engine_wasm::...") the engine appends,
  // and the JS stack of an error the engine wrapped into its own message.
  const trimmed = (replaced.split(/\n\s+0: /)[0] ?? replaced)
    .split("\n")
    .filter((line) => !/^\s+at /.test(line))
    .join("\n")
    .trim();
  return new Error(trimmed, { cause: error });
}

/** Driver adapter errors keep the driver's own message in `cause`. */
function describeDriverError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause && typeof cause === "object") {
    const fields = cause as Record<string, unknown>;
    for (const key of ["originalMessage", "message"]) {
      if (typeof fields[key] === "string" && fields[key]) return fields[key];
    }
    if (typeof fields.kind === "string") return `${error.message} (${JSON.stringify(cause)})`;
  }
  return error.message;
}
