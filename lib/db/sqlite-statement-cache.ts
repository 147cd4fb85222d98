// The better-sqlite3 driver adapter prepares every query anew (measured: 0.4 ms of the 5 ms a
// token request cost, in `prepare`). Prisma sends the same few SQL texts over and over, so this
// keeps their prepared statements. better-sqlite3 binds parameters to a statement for good
// (`bind` works once), so the cached statement is handed out behind a view that passes the
// parameters to each call instead.

interface Statement {
  readonly reader: boolean;
  run(params?: unknown): unknown;
  all(params?: unknown): unknown[];
  columns(): unknown[];
  raw(on?: boolean): Statement;
}

interface Database {
  prepare(sql: string): Statement;
}

const MAX_STATEMENTS = 1_000;

/** Replaces `database.prepare` with a cached one; returns the database for chaining. */
export function cacheStatements<T extends object>(database: T): T {
  const db = database as unknown as Database;
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return view(statement);
  };
  return database;
}

function view(statement: Statement): Statement {
  const bound = (params: unknown): Statement => ({
    reader: statement.reader,
    run: () => statement.run(params),
    all: () => statement.all(params),
    columns: () => statement.columns(),
    raw: (on = true) => {
      statement.raw(on);
      return bound(params);
    },
  });
  return { ...bound([]), bind: (params: unknown) => bound(params) } as Statement;
}
