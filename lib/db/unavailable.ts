// Whether an error means "the database cannot be used right now" (down, unreachable, too slow,
// locked) rather than a bug or a bad request. Such failures are answered with 503
// temporarily_unavailable and Retry-After (RFC 6749 §4.1.2.1 defines the code; RFC 9110 §15.6.4
// and §10.2.3 the status and header), and clear by themselves when the database returns.
//
// The shapes below are the ones observed (tests/unit/db-unavailable.test.ts keeps them):
// - pg, straight from the fast path: Node socket errors (`code` ECONNREFUSED…), the driver's own
//   messages ("Connection terminated due to connection timeout", "Query read timeout"), or the
//   server's SQLSTATE (`code` 57014 statement timeout, 57P01 admin shutdown…).
// - Prisma 7 over a driver adapter: PrismaClientKnownRequestError with P1001/P2010… and
//   `meta.driverAdapterError.cause` = `{ kind: "DatabaseNotReachable" }` or
//   `{ kind: "postgres", code: "57014" }`; or pg's own Error passed through unchanged.
// - better-sqlite3: SqliteError with `code` SQLITE_BUSY, SQLITE_IOERR_…, SQLITE_CANTOPEN…;
//   through Prisma, `{ kind: "sqlite", extendedCode }` or a "SQLITE_BUSY" / "database is locked" message.

/** Prisma's own codes for a database it cannot reach, or a pool it waited too long for. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

/** Driver-adapter error kinds (@prisma/driver-adapter-utils) that say the server is out of reach. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "DatabaseDoesNotExist", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

// PostgreSQL SQLSTATEs: 57014 query canceled (statement_timeout), 57P01–57P03 shutdown / cannot
// connect now, 53300 too many connections, 08xxx connection exceptions.
const PG_STATE = /^(57014|57P0[123]|53300|08\d{3})$/;

const SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|PROTOCOL)/;
// better-sqlite3's primary result codes: 5 BUSY, 6 LOCKED, 10 IOERR, 14 CANTOPEN (low byte).
const SQLITE_PRIMARY = new Set([5, 6, 10, 14]);

const MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection (?:timed out|refused)/i,
  /can't reach database server/i,
  /server closed the connection unexpectedly/i,
  /database is locked/i,
  /\bSQLITE_(BUSY|IOERR|CANTOPEN)/,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  return visit(error, new Set());
}

function visit(value: unknown, seen: Set<unknown>): boolean {
  if (value === null || typeof value !== "object" || seen.has(value) || seen.size > 16) return false;
  seen.add(value);
  const e = value as Record<string, unknown>;
  if (typeof e.code === "string" && matchesCode(e.code)) return true;
  if (typeof e.kind === "string" && (ADAPTER_KINDS.has(e.kind) || matchesDriverCode(e))) return true;
  if (typeof e.message === "string" && MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  const meta = e.meta as Record<string, unknown> | undefined;
  const nested = [e.cause, meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => visit(inner, seen));
}

function matchesCode(code: string): boolean {
  return PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || PG_STATE.test(code) || SQLITE_CODE.test(code);
}

/** `{ kind: "postgres", code }` or `{ kind: "sqlite", extendedCode }` from a driver adapter. */
function matchesDriverCode(e: Record<string, unknown>): boolean {
  if (e.kind === "sqlite" && typeof e.extendedCode === "number") return SQLITE_PRIMARY.has(e.extendedCode & 0xff);
  return false;
}
