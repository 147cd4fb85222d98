// What the admin console and the guards read about people: plain objects, no database rows.
import { getDb } from "../db/index.ts";
import { databaseKind } from "../db/client.ts";
import { getConfig } from "../env.ts";
import { spaceList } from "../oauth/wire-values.ts";

export type Role = "user" | "admin";

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
}

export interface UserSummary extends Account {
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

export interface UserPage {
  readonly users: readonly UserSummary[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
}

export interface ActiveSession {
  readonly id: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly userAgent: string | null;
  readonly ipAddress: string | null;
}

/** One application's access to the user: what they consented to, and the grants it holds. */
export interface UserApplication {
  readonly clientId: string;
  readonly clientName: string;
  readonly consentScopes: readonly string[] | null;
  readonly consentedAt: Date | null;
  readonly activeGrants: number;
  readonly grantScopes: readonly string[];
  readonly lastGrantAt: Date | null;
}

export interface UserDetail {
  readonly user: UserSummary;
  /** Must sign in with a second factor (ADMIN_SECOND_FACTOR, or the console's choice). */
  readonly secondFactorRequired: boolean;
  readonly sessions: readonly ActiveSession[];
  readonly applications: readonly UserApplication[];
}

const role = (value: string): Role => (value === "admin" ? "admin" : "user");
const SUMMARY = { id: true, email: true, name: true, role: true, disabled: true, createdAt: true, lastLoginAt: true } as const;

export async function findAccount(userId: string): Promise<Account | null> {
  const row = await getDb().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  return row ? { ...row, role: role(row.role) } : null;
}

/** The account with this email address (any case), or null. */
export async function findAccountByEmail(email: string): Promise<Account | null> {
  const row = await getDb().user.findUnique({
    where: { email: email.trim().toLowerCase().slice(0, 254) },
    select: { id: true, email: true, name: true, role: true, disabled: true },
  });
  return row ? { ...row, role: role(row.role) } : null;
}

export const MAX_PAGE_SIZE = 100;

/** People whose email or name contains `query` (any case), newest first. */
export async function listUsers({
  query = "",
  page = 1,
  pageSize = 25,
}: {
  query?: string;
  page?: number;
  pageSize?: number;
}): Promise<UserPage> {
  const size = Math.min(Math.max(Math.trunc(pageSize) || 25, 1), MAX_PAGE_SIZE);
  const text = query.trim().slice(0, 254);
  // Emails are stored lower-cased; names are not, and only PostgreSQL needs to be told to ignore
  // case (SQLite's LIKE ignores ASCII case already, and its client knows no `mode`).
  const insensitive = databaseKind(getConfig().databaseUrl) === "postgres" ? { mode: "insensitive" as const } : {};
  const where = text ? { OR: [{ email: { contains: text.toLowerCase() } }, { name: { contains: text, ...insensitive } }] } : {};
  const db = getDb();
  const total = await db.user.count({ where });
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(Math.trunc(page) || 1, 1), pages);
  const rows = await db.user.findMany({
    where,
    select: SUMMARY,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (current - 1) * size,
    take: size,
  });
  return { users: rows.map((row) => ({ ...row, role: role(row.role) })), total, page: current, pageSize: size, pages };
}

const scopesOf = spaceList;

/** The person, their live browser sessions and the applications that have access; null if unknown. */
export async function getUserDetail(userId: string, now = new Date()): Promise<UserDetail | null> {
  const db = getDb();
  const row = await db.user.findUnique({ where: { id: userId }, select: { ...SUMMARY, secondFactorRequired: true } });
  if (!row) return null;
  const idleSince = new Date(now.getTime() - getConfig().sessionIdleSeconds * 1000);
  const [sessions, consents, grants] = await Promise.all([
    db.session.findMany({
      where: { userId, endedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: idleSince } },
      select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true, ipAddress: true },
      orderBy: { lastSeenAt: "desc" },
    }),
    db.consent.findMany({ where: { userId }, include: { client: { select: { clientId: true, name: true } } } }),
    db.grant.findMany({
      where: { userId, revokedAt: null },
      select: { scope: true, createdAt: true, client: { select: { clientId: true, name: true } } },
    }),
  ]);
  const byClient = new Map<
    string,
    {
      clientId: string;
      clientName: string;
      consentScopes: string[] | null;
      consentedAt: Date | null;
      activeGrants: number;
      grantScopes: Set<string>;
      lastGrantAt: Date | null;
    }
  >();
  const entry = (client: { clientId: string; name: string }) => {
    let found = byClient.get(client.clientId);
    if (!found) {
      found = {
        clientId: client.clientId,
        clientName: client.name,
        consentScopes: null,
        consentedAt: null,
        activeGrants: 0,
        grantScopes: new Set(),
        lastGrantAt: null,
      };
      byClient.set(client.clientId, found);
    }
    return found;
  };
  for (const consent of consents)
    Object.assign(entry(consent.client), { consentScopes: scopesOf(consent.scope), consentedAt: consent.updatedAt });
  for (const grant of grants) {
    const found = entry(grant.client);
    found.activeGrants += 1;
    for (const scope of scopesOf(grant.scope)) found.grantScopes.add(scope);
    if (!found.lastGrantAt || grant.createdAt > found.lastGrantAt) found.lastGrantAt = grant.createdAt;
  }
  const applications = [...byClient.values()]
    .map((found) => ({ ...found, grantScopes: [...found.grantScopes] }))
    .sort((a, b) => a.clientName.localeCompare(b.clientName));
  const { secondFactorRequired, ...user } = row;
  return { user: { ...user, role: role(user.role) }, secondFactorRequired, sessions, applications };
}
