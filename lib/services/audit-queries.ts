// Reading the audit trail: the console's audit log (filtered, paginated, with the people's emails)
// and the overview's counts and daily series. Reads only; AuditEvent rows are written by
// audit.ts and security-events.ts.
import { z } from "zod";
import { getDb, type Db } from "../db/index.ts";
import { parseInput } from "./errors.ts";

export interface AuditPerson {
  readonly id: string;
  /** Null when the account was deleted since. */
  readonly email: string | null;
}

export interface AuditEventView {
  readonly id: string;
  readonly createdAt: Date;
  readonly type: string;
  readonly actor: AuditPerson | null;
  readonly subject: AuditPerson | null;
  readonly clientId: string | null;
  readonly ipAddress: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AuditPage {
  readonly events: readonly AuditEventView[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pageCount: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (message: string) =>
  z
    .string()
    .trim()
    .refine((value) => value === "" || (DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))), message)
    .optional();

/** The filters as the audit page's GET form sends them; empty strings mean "any". */
export const auditQueryInput = z
  .object({
    type: z.string().trim().max(100, "The event type is too long").optional(),
    user: z.string().trim().max(320, "The user is too long").optional(),
    clientId: z.string().trim().max(255, "The client_id is too long").optional(),
    from: day("From must be a date (YYYY-MM-DD)"),
    to: day("To must be a date (YYYY-MM-DD)"),
    page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).catch(50).default(50),
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: "From must not be after To", path: ["to"] });

export type AuditQuery = z.input<typeof auditQueryInput>;

const startOfDay = (value: string) => new Date(`${value}T00:00:00Z`);
const DAY_MS = 86_400_000;

/** Newest first. `user` is an email or a user id and matches the actor or the subject. */
export async function listAuditEvents(query: AuditQuery, db: Db = getDb()): Promise<AuditPage> {
  const { type, user, clientId, from, to, page, pageSize } = parseInput(auditQueryInput, query);
  const userId = user ? await resolveUserId(db, user) : undefined;
  const empty = { events: [], total: 0, page, pageSize, pageCount: 0 };
  if (userId === null) return empty;
  const where = {
    ...(type ? { type } : {}),
    ...(clientId ? { clientId } : {}),
    ...(userId ? { OR: [{ actorUserId: userId }, { subjectUserId: userId }] } : {}),
    ...(from || to
      ? { createdAt: { ...(from ? { gte: startOfDay(from) } : {}), ...(to ? { lt: new Date(startOfDay(to).getTime() + DAY_MS) } : {}) } }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  // One query for every person on this page, not one per row.
  const ids = [...new Set(rows.flatMap((row) => [row.actorUserId, row.subjectUserId]).filter((id): id is string => Boolean(id)))];
  const emails = new Map(
    ids.length === 0
      ? []
      : (await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } })).map((row) => [row.id, row.email]),
  );
  const person = (id: string | null): AuditPerson | null => (id ? { id, email: emails.get(id) ?? null } : null);
  return {
    events: rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      type: row.type,
      actor: person(row.actorUserId),
      subject: person(row.subjectUserId),
      clientId: row.clientId,
      ipAddress: row.ipAddress,
      detail: parseDetail(row.detail),
    })),
    total,
    page,
    pageSize,
    pageCount: Math.ceil(total / pageSize),
  };
}

/** The user's id; null when an email names nobody (so nothing matches). */
async function resolveUserId(db: Db, user: string): Promise<string | null> {
  if (!user.includes("@")) return user;
  const row = await db.user.findUnique({ where: { email: user.toLowerCase() }, select: { id: true } });
  return row?.id ?? null;
}

function parseDetail(detail: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(detail);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { value: detail };
  }
}

/** Every event type recorded so far, for the filter's select (GROUP BY in the database). */
export async function auditEventTypes(db: Db = getDb()): Promise<string[]> {
  const groups = await db.auditEvent.groupBy({ by: ["type"], orderBy: { type: "asc" } });
  return groups.map((group) => group.type);
}

export interface OverviewCounts {
  readonly users: number;
  readonly clients: number;
  /** Grants not revoked: a person's standing authorization of an application. */
  readonly activeGrants: number;
  /** Successful sign-ins since midnight UTC. */
  readonly signInsToday: number;
}

const utcMidnight = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

export async function overviewCounts(now: Date = new Date(), db: Db = getDb()): Promise<OverviewCounts> {
  const [users, clients, activeGrants, signInsToday] = await Promise.all([
    db.user.count(),
    db.client.count(),
    db.grant.count({ where: { revokedAt: null } }),
    db.auditEvent.count({ where: { type: "signin.succeeded", createdAt: { gte: utcMidnight(now) } } }),
  ]);
  return { users, clients, activeGrants, signInsToday };
}

export interface ClientSeries {
  readonly clientId: string;
  /** The client's name, or null when it was deleted since. */
  readonly name: string | null;
  readonly counts: readonly number[];
  readonly total: number;
}

export interface DailySeries {
  /** UTC days, oldest first (YYYY-MM-DD), today last. */
  readonly days: readonly string[];
  readonly signIns: readonly number[];
  /** Refused sign-ins: wrong credentials, and attempts turned away by the throttle. */
  readonly failedSignIns: readonly number[];
  /** Tokens issued per client and day, the busiest client first. */
  readonly tokensByClient: readonly ClientSeries[];
}

const SERIES_TYPES = ["signin.succeeded", "signin.failed", "signin.locked", "token.issued"];

/**
 * Per-day counts for the overview's charts. Counted in the database, one GROUP BY (type,
 * clientId) per day over the (type, createdAt) index: no row is loaded, however busy the token
 * endpoint. Grouping by a day expression instead would need SQL per database (SQLite stores
 * DateTime as text or epoch milliseconds depending on the adapter), for at most `days` queries saved.
 */
export async function dailySeries(now: Date = new Date(), days = 30, db: Db = getDb()): Promise<DailySeries> {
  const today = utcMidnight(now).getTime();
  const starts = Array.from({ length: days }, (_, index) => new Date(today - (days - 1 - index) * DAY_MS));
  const perDay = await Promise.all(
    starts.map((start) =>
      db.auditEvent.groupBy({
        by: ["type", "clientId"],
        where: { type: { in: SERIES_TYPES }, createdAt: { gte: start, lt: new Date(start.getTime() + DAY_MS) } },
        _count: { _all: true },
      }),
    ),
  );
  const signIns = new Array<number>(days).fill(0);
  const failedSignIns = new Array<number>(days).fill(0);
  const tokens = new Map<string, number[]>();
  perDay.forEach((groups, index) => {
    for (const group of groups) {
      const count = group._count._all;
      if (group.type === "signin.succeeded") signIns[index]! += count;
      else if (group.type === "signin.failed" || group.type === "signin.locked") failedSignIns[index]! += count;
      else if (group.type === "token.issued" && group.clientId) {
        let counts = tokens.get(group.clientId);
        if (!counts) tokens.set(group.clientId, (counts = new Array<number>(days).fill(0)));
        counts[index]! += count;
      }
    }
  });
  const names = new Map(
    tokens.size === 0
      ? []
      : (await db.client.findMany({ where: { clientId: { in: [...tokens.keys()] } }, select: { clientId: true, name: true } })).map(
          (row) => [row.clientId, row.name],
        ),
  );
  const tokensByClient = [...tokens]
    .map(([clientId, counts]) => ({ clientId, name: names.get(clientId) ?? null, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.clientId.localeCompare(b.clientId));
  return { days: starts.map((start) => start.toISOString().slice(0, 10)), signIns, failedSignIns, tokensByClient };
}
