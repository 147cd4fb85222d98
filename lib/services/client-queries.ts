// What the admin console reads about clients: plain objects, never a secret's hash.
import { fastSql } from "../db/client.ts";
import { getDb, type Db } from "../db/index.ts";
import { describeActivity } from "./client-activity.ts";
import { spaceList } from "../oauth/wire-values.ts";

const list = spaceList;

/** A client's settings as the console shows them. */
export interface ClientView {
  readonly clientId: string;
  readonly name: string;
  readonly type: "public" | "confidential";
  readonly tokenEndpointAuthMethod: string;
  readonly applicationType: "web" | "native";
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  readonly scopes: readonly string[];
  readonly logoUri: string | null;
  readonly clientUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
  readonly accessTokenTtlSeconds: number | null;
  readonly idTokenTtlSeconds: number | null;
  readonly refreshTokenTtlSeconds: number | null;
  readonly idTokenSignedResponseAlg: string;
  readonly skipConsent: boolean;
  readonly requireMfa: boolean;
  readonly disabled: boolean;
  readonly registrationSource: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

type ClientRow = NonNullable<Awaited<ReturnType<Db["client"]["findUnique"]>>>;

export function toClientView(row: ClientRow): ClientView {
  return {
    clientId: row.clientId,
    name: row.name,
    type: row.type === "public" ? "public" : "confidential",
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod,
    applicationType: row.applicationType === "native" ? "native" : "web",
    redirectUris: list(row.redirectUris),
    postLogoutRedirectUris: list(row.postLogoutRedirectUris),
    scopes: list(row.scope),
    logoUri: row.logoUri,
    clientUri: row.clientUri,
    policyUri: row.policyUri,
    tosUri: row.tosUri,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    idTokenTtlSeconds: row.idTokenTtlSeconds,
    refreshTokenTtlSeconds: row.refreshTokenTtlSeconds,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    skipConsent: row.skipConsent,
    requireMfa: row.requireMfa,
    disabled: row.disabled,
    registrationSource: row.registrationSource,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export interface ClientListItem {
  readonly clientId: string;
  readonly name: string;
  readonly type: "public" | "confidential";
  readonly tokenEndpointAuthMethod: string;
  readonly disabled: boolean;
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
}

export interface ClientPage {
  readonly items: readonly ClientListItem[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly pages: number;
}

// A LIKE pattern matches the text literally: its own wildcards are escaped.
/**
 * Clients whose name or client_id contains `query` (case-insensitively, for ASCII on SQLite, whose
 * LIKE folds ASCII case; PostgreSQL needs Prisma's insensitive mode, which SQLite's client lacks),
 * newest first.
 */
export async function listClients(
  { query = "", page = 1, pageSize = 20 }: { query?: string; page?: number; pageSize?: number } = {},
  db: Db = getDb(),
): Promise<ClientPage> {
  const size = Math.min(Math.max(Math.trunc(pageSize) || 20, 1), 100);
  const trimmed = query.trim().slice(0, 200);
  let where = {};
  if (trimmed) {
    const insensitive = fastSql(db).kind === "postgres" ? { mode: "insensitive" } : {};
    where = { OR: [{ name: { contains: trimmed, ...insensitive } }, { clientId: { contains: trimmed, ...insensitive } }] };
  }
  const total = await db.client.count({ where });
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(Math.trunc(page) || 1, 1), pages);
  const rows = await db.client.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { clientId: "asc" }],
    skip: (current - 1) * size,
    take: size,
    select: { clientId: true, name: true, type: true, tokenEndpointAuthMethod: true, disabled: true, lastUsedAt: true, createdAt: true },
  });
  const items = rows.map((row) => ({ ...row, type: row.type === "public" ? ("public" as const) : ("confidential" as const) }));
  return { items, total, page: current, pageSize: size, pages };
}

export interface SecretView {
  readonly id: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
  /** Still authenticates at `now`. */
  readonly live: boolean;
}

export interface ClientDetail extends ClientView {
  readonly secrets: readonly SecretView[];
  readonly activeGrants: number;
  readonly activeUsers: number;
}

export async function getClientDetail(clientId: string, db: Db = getDb(), now: Date = new Date()): Promise<ClientDetail | null> {
  if (clientId.length === 0 || clientId.length > 255) return null;
  const row = await db.client.findUnique({
    where: { clientId },
    include: { secrets: { select: { id: true, createdAt: true, expiresAt: true, lastUsedAt: true }, orderBy: { createdAt: "desc" } } },
  });
  if (!row) return null;
  const active = { clientRef: row.id, revokedAt: null };
  const [activeGrants, users] = await Promise.all([db.grant.count({ where: active }), db.grant.groupBy({ by: ["userId"], where: active })]);
  return {
    ...toClientView(row),
    secrets: row.secrets.map((secret) => ({ ...secret, live: secret.expiresAt === null || secret.expiresAt.getTime() > now.getTime() })),
    activeGrants,
    activeUsers: users.length,
  };
}

export interface ActivityItem {
  readonly id: string;
  readonly at: Date;
  readonly type: string;
  /** Who did it, for an admin's change: their email (or "command line"). */
  readonly actor: string | null;
  /** The private reason or the change, in a sentence. */
  readonly summary: string;
}

/** The newest audit events about one client. */
export async function listClientActivity(clientId: string, limit = 20, db: Db = getDb()): Promise<ActivityItem[]> {
  const rows = await db.auditEvent.findMany({
    where: { clientId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(limit, 1), 100),
  });
  const actorIds = [...new Set(rows.map((row) => row.actorUserId).filter((id): id is string => id !== null))];
  const actors = actorIds.length
    ? new Map(
        (await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })).map((user) => [
          user.id,
          user.email,
        ]),
      )
    : new Map<string, string>();
  return rows.map((row) => {
    const detail = parseDetail(row.detail);
    const actor = row.actorUserId ? (actors.get(row.actorUserId) ?? "a deleted user") : detail.via === "cli" ? "command line" : null;
    return { id: row.id, at: row.createdAt, type: row.type, actor, summary: describeActivity(row.type, detail) };
  });
}

function parseDetail(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
