// OAuth clients: rows ↔ the core's Client type, and creation with a secret shown once.
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";
import type { Client, TokenEndpointAuthMethod } from "../oauth/types.ts";
import { processState } from "../process-state.ts";
import type { Db } from "./client.ts";
import { spaceList } from "../oauth/wire-values.ts";

const list = spaceList;

const withSecrets = { secrets: { select: { id: true, secretHash: true, expiresAt: true } } } as const;

type ClientRow = NonNullable<Awaited<ReturnType<Db["client"]["findUnique"]>>> & {
  secrets: { id: string; secretHash: string; expiresAt: Date | null }[];
};

export function toClient(row: ClientRow): Client {
  return {
    ref: row.id,
    clientId: row.clientId,
    name: row.name,
    logoUri: row.logoUri,
    clientUri: row.clientUri,
    policyUri: row.policyUri,
    tosUri: row.tosUri,
    type: row.type === "public" ? "public" : "confidential",
    applicationType: row.applicationType === "native" ? "native" : "web",
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
    redirectUris: list(row.redirectUris),
    postLogoutRedirectUris: list(row.postLogoutRedirectUris),
    scopes: list(row.scope),
    grantTypes: list(row.grantTypes),
    skipConsent: row.skipConsent,
    requireMfa: row.requireMfa,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: row.refreshTokenTtlSeconds,
    idTokenTtlSeconds: row.idTokenTtlSeconds,
    disabled: row.disabled,
    secrets: row.secrets.map((secret) => ({ id: secret.id, hash: secret.secretHash, expiresAt: secret.expiresAt })),
  };
}

// Every token, introspection and revocation request starts with its client, and every step of a
// sign-in (authorize, the login and consent pages and forms) reads it by its internal ref: keep
// each one for a few seconds instead of querying it (with its secrets) every time. A change made
// in this process forgets the entry at once (forgetClient); another instance sees it within
// CLIENT_CACHE_MS.
const CLIENT_CACHE_MS = 5_000;
const MAX_CACHED_CLIENTS = 10_000;

type Entry = { readonly client: Client; readonly until: number };
/** Each entry sits in both maps at once (remember): by client_id and by internal ref. */
interface ClientCache {
  readonly byId: Map<string, Entry>;
  readonly byRef: Map<string, Entry>;
}
// Process state, like the database client itself: Next bundles this module more than once (route
// handlers, server components), and forgetClient must reach every copy's entries.
const caches = processState("client-caches", () => new WeakMap<Db, ClientCache>());

function cacheOf(db: Db): ClientCache {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = { byId: new Map(), byRef: new Map() }));
  return cache;
}

function remember(cache: ClientCache, client: Client, now: number): Client {
  if (cache.byId.size >= MAX_CACHED_CLIENTS) {
    cache.byId.clear();
    cache.byRef.clear();
  }
  const entry = { client, until: now + CLIENT_CACHE_MS };
  cache.byId.set(client.clientId, entry);
  cache.byRef.set(client.ref, entry);
  return client;
}

export async function findClientById(db: Db, clientId: string): Promise<Client | null> {
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.byId.get(clientId);
  if (hit && hit.until > now) return hit.client;
  const row = await db.client.findUnique({ where: { clientId }, include: withSecrets });
  return row ? remember(cache, toClient(row), now) : null;
}

export async function findClientByRef(db: Db, ref: string): Promise<Client | null> {
  const cache = cacheOf(db);
  const now = Date.now();
  const hit = cache.byRef.get(ref);
  if (hit && hit.until > now) return hit.client;
  const row = await db.client.findUnique({ where: { id: ref }, include: withSecrets });
  return row ? remember(cache, toClient(row), now) : null;
}

/** Call after changing or deleting a client (or its secrets) in this process. */
export function forgetClient(db: Db, ref: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  const entry = cache.byRef.get(ref);
  if (!entry) return;
  cache.byRef.delete(ref);
  cache.byId.delete(entry.client.clientId);
}

/** Another instance changed something (lib/services/watch-changes.ts): forget every client. */
export function forgetAllClients(db: Db): void {
  const cache = caches.get(db);
  cache?.byId.clear();
  cache?.byRef.clear();
}

export interface NewClient {
  readonly name: string;
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly scopes?: readonly string[];
  readonly grantTypes?: readonly string[];
  readonly applicationType?: "web" | "native";
  readonly skipConsent?: boolean;
  readonly registrationSource?: "admin" | "cli" | "dynamic";
  readonly createdById?: string;
}

/** Creates a client; a confidential one gets a secret, returned here and never again. */
export async function createClient(db: Db, input: NewClient): Promise<{ client: Client; clientSecret?: string }> {
  const confidential = input.tokenEndpointAuthMethod !== "none";
  const clientSecret = confidential ? randomToken() : undefined;
  const row = await db.client.create({
    data: {
      clientId: randomToken().slice(0, 24),
      name: input.name,
      type: confidential ? "confidential" : "public",
      tokenEndpointAuthMethod: input.tokenEndpointAuthMethod,
      applicationType: input.applicationType ?? "web",
      redirectUris: input.redirectUris.join(" "),
      postLogoutRedirectUris: (input.postLogoutRedirectUris ?? []).join(" "),
      ...(input.scopes ? { scope: input.scopes.join(" ") } : {}),
      ...(input.grantTypes ? { grantTypes: input.grantTypes.join(" ") } : {}),
      skipConsent: input.skipConsent ?? false,
      registrationSource: input.registrationSource ?? "admin",
      createdById: input.createdById ?? null,
      ...(clientSecret ? { secrets: { create: { secretHash: hashToken(clientSecret) } } } : {}),
    },
    include: withSecrets,
  });
  return clientSecret ? { client: toClient(row), clientSecret } : { client: toClient(row) };
}
