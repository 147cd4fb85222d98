// How the migration tool reads a DATABASE_URL. Same rules as lib/db/client.ts (not imported from
// there: that module loads the generated clients, which migrations must not depend on).
export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgres" : "sqlite";
}

/** The SQLite file path of a `file:` URL or plain path. */
export function sqlitePath(url: string): string {
  return url.replace(/^file:/, "");
}

/** A URL safe to print: the password, if any, is masked. */
export function redactUrl(url: string): string {
  if (databaseKind(url) === "sqlite") return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable PostgreSQL URL)";
  }
}

/** The same server URL pointed at another database. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
