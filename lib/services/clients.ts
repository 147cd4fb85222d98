// OAuth clients ("applications"): every change to them and to their secrets, for the admin
// console and the command line (lib/services/change.ts: validated, audited, counted). A client
// secret is a high-entropy random string shown once; only its SHA-256 hash is stored, and no
// audit entry ever carries either.
import { z } from "zod";
import { getDb, type Db, type Tx } from "../db/index.ts";
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";
import type { Actor } from "./errors.ts";
import { ServiceError, parseInput } from "./errors.ts";
import { change } from "./change.ts";
import {
  createClientSchema,
  parseClientSettings,
  ROTATION_OVERLAP_HOURS,
  updateClientSchema,
  type ClientSettings,
} from "./client-input.ts";
import { toClientView, type ClientView } from "./client-queries.ts";

export { createClientSchema, updateClientSchema, ROTATION_OVERLAP_HOURS, TTL_BOUNDS } from "./client-input.ts";
export {
  getClientDetail,
  listClients,
  listClientActivity,
  type ClientDetail,
  type ClientListItem,
  type ClientView,
} from "./client-queries.ts";

/** The public client_id every operation after creation names its client by. */
export const clientIdSchema = z
  .string({ error: "No application is named" })
  .min(1, "No application is named")
  .max(255, "No such application");
export const revokeClientSecretSchema = z.object({
  credentialId: z.string({ error: "No secret is named" }).min(1, "No secret is named").max(64, "No such secret"),
});
export const setClientDisabledSchema = z.object({ disabled: z.boolean() });
export const deleteClientSchema = z.object({ clientId: clientIdSchema });

/** The columns every admin-set field maps to. */
function columns(settings: ClientSettings) {
  return {
    name: settings.name,
    applicationType: settings.applicationType,
    tokenEndpointAuthMethod: settings.tokenEndpointAuthMethod,
    redirectUris: settings.redirectUris.join(" "),
    postLogoutRedirectUris: settings.postLogoutRedirectUris.join(" "),
    scope: settings.scopes.join(" "),
    grantTypes: settings.grantTypes.join(" "),
    logoUri: settings.logoUri,
    clientUri: settings.clientUri,
    policyUri: settings.policyUri,
    tosUri: settings.tosUri,
    accessTokenTtlSeconds: settings.accessTokenTtlSeconds,
    idTokenTtlSeconds: settings.idTokenTtlSeconds,
    refreshTokenTtlSeconds: settings.refreshTokenTtlSeconds,
    idTokenSignedResponseAlg: settings.idTokenSignedResponseAlg,
    skipConsent: settings.skipConsent,
    requireMfa: settings.requireMfa,
  };
}

/** What an audit entry records of the settings: what an admin would want to see changed. */
function described(settings: ClientSettings) {
  return {
    name: settings.name,
    authMethod: settings.tokenEndpointAuthMethod,
    applicationType: settings.applicationType,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
    scope: settings.scopes.join(" "),
    skipConsent: settings.skipConsent,
    requireMfa: settings.requireMfa,
  };
}

async function findOrRefuse(tx: Tx, clientId: string) {
  const row = await tx.client.findUnique({
    where: { clientId: parseInput(clientIdSchema, clientId) },
    select: { id: true, name: true, type: true, disabled: true },
  });
  if (!row) throw new ServiceError("There is no such application (it may have been deleted).");
  return row;
}

const audited = (actor: Actor, clientId: string, type: string, detail: Record<string, unknown>) => ({
  type,
  actorUserId: actor.userId,
  clientId,
  ipAddress: actor.ipAddress ?? null,
  detail: { via: actor.via, ...detail },
});

/** Registers a client; a confidential one gets a secret, returned here and never again. */
export async function createClient(actor: Actor, input: unknown, db: Db = getDb()): Promise<{ client: ClientView; clientSecret?: string }> {
  const settings = parseClientSettings(createClientSchema, input);
  const confidential = settings.tokenEndpointAuthMethod !== "none";
  const clientSecret = confidential ? randomToken() : undefined;
  const client = await change(async (tx, now) => {
    const row = await tx.client.create({
      data: {
        clientId: randomToken().slice(0, 24),
        ...columns(settings),
        type: confidential ? "confidential" : "public",
        registrationSource: actor.via === "cli" ? "cli" : "admin",
        createdById: actor.userId,
        createdAt: now,
        ...(clientSecret ? { secrets: { create: { secretHash: hashToken(clientSecret), createdAt: now } } } : {}),
      },
    });
    return { result: toClientView(row), audit: [audited(actor, row.clientId, "client.created", described(settings))] };
  }, db);
  return clientSecret ? { client, clientSecret } : { client };
}

/**
 * Replaces a client's settings. Whether it is public or confidential stays as registered: a
 * confidential client may switch between client_secret_basic and client_secret_post only (its
 * secrets stay valid); becoming public or confidential would strand or lack a secret.
 */
export async function updateClient(actor: Actor, clientId: string, input: unknown, db: Db = getDb()): Promise<ClientView> {
  const settings = parseClientSettings(updateClientSchema, input);
  return change(async (tx) => {
    const current = await findOrRefuse(tx, clientId);
    const wantsPublic = settings.tokenEndpointAuthMethod === "none";
    if (wantsPublic !== (current.type === "public")) {
      throw ServiceError.field(
        "tokenEndpointAuthMethod",
        current.type === "public"
          ? "A public application stays public: register a new application for a confidential one."
          : "A confidential application can switch only between client_secret_basic and client_secret_post.",
      );
    }
    const row = await tx.client.update({ where: { id: current.id }, data: columns(settings) });
    return { result: toClientView(row), audit: [audited(actor, row.clientId, "client.updated", described(settings))] };
  }, db);
}

export const rotateClientSecretSchema = z.object({
  oldSecretExpiresInHours: z.coerce
    .number({ error: "Choose how long the current secret keeps working" })
    .refine((hours) => (ROTATION_OVERLAP_HOURS as readonly number[]).includes(hours), "Choose how long the current secret keeps working"),
});

/**
 * Issues a new secret and lets the live ones work for the chosen overlap only (0: they stop now),
 * so the application can be redeployed with the new one without an outage.
 */
export async function rotateClientSecret(
  actor: Actor,
  clientId: string,
  input: unknown,
  db: Db = getDb(),
): Promise<{ clientSecret: string; oldSecretsExpireAt: Date }> {
  const { oldSecretExpiresInHours } = parseInput(rotateClientSecretSchema, input);
  const clientSecret = randomToken();
  return change(async (tx, now) => {
    const current = await findOrRefuse(tx, clientId);
    if (current.type === "public") throw new ServiceError("A public application has no secret to rotate.");
    const until = new Date(now.getTime() + oldSecretExpiresInHours * 3_600_000);
    // Only secrets still live past `until` are shortened; one that expires sooner keeps its time.
    const { count } = await tx.clientSecret.updateMany({
      where: { clientRef: current.id, OR: [{ expiresAt: null }, { expiresAt: { gt: until } }] },
      data: { expiresAt: until },
    });
    const created = await tx.clientSecret.create({
      data: { clientRef: current.id, secretHash: hashToken(clientSecret), createdAt: now },
      select: { id: true },
    });
    const detail = {
      newCredentialId: created.id,
      replacedCount: count,
      overlapHours: oldSecretExpiresInHours,
      oldExpireAt: until.toISOString(),
    };
    return { result: { clientSecret, oldSecretsExpireAt: until }, audit: [audited(actor, clientId, "client.secret_rotated", detail)] };
  }, db);
}

/** Ends one secret now. The last live secret of a confidential client cannot go: rotate instead. */
export async function revokeClientSecret(actor: Actor, clientId: string, credentialId: string, db: Db = getDb()): Promise<void> {
  const { credentialId: id } = parseInput(revokeClientSecretSchema, { credentialId });
  await change(async (tx, now) => {
    const current = await findOrRefuse(tx, clientId);
    const live = await tx.clientSecret.findMany({
      where: { clientRef: current.id, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true },
    });
    if (!live.some((secret) => secret.id === id)) throw new ServiceError("That secret has already expired or does not exist.");
    if (live.length === 1)
      throw new ServiceError("This is the application's only working secret: rotate it instead, so a new one replaces it.");
    await tx.clientSecret.update({ where: { id }, data: { expiresAt: now } });
    return { result: undefined, audit: [audited(actor, clientId, "client.secret_revoked", { credentialId: id })] };
  }, db);
}

/**
 * A disabled client is refused at authorize, at the token endpoint and at introspection, and the
 * tokens it already holds stop working (introspection and userinfo read the client's flag).
 */
export async function setClientDisabled(actor: Actor, clientId: string, disabled: boolean, db: Db = getDb()): Promise<void> {
  const { disabled: flag } = parseInput(setClientDisabledSchema, { disabled });
  await change(async (tx) => {
    const current = await findOrRefuse(tx, clientId);
    await tx.client.update({ where: { id: current.id }, data: { disabled: flag } });
    return { result: undefined, audit: [audited(actor, clientId, flag ? "client.disabled" : "client.enabled", { name: current.name })] };
  }, db);
}

/** Deletes a client; the schema cascades to its secrets, grants, codes, tokens and consents. */
export async function deleteClient(actor: Actor, clientId: string, db: Db = getDb()): Promise<void> {
  parseInput(deleteClientSchema, { clientId });
  await change(async (tx) => {
    const current = await findOrRefuse(tx, clientId);
    const grants = await tx.grant.count({ where: { clientRef: current.id, revokedAt: null } });
    await tx.client.delete({ where: { id: current.id } });
    return { result: undefined, audit: [audited(actor, clientId, "client.deleted", { name: current.name, activeGrants: grants })] };
  }, db);
}
