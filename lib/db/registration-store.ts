// Dynamic client registration's storage (lib/oauth/registration/ports.ts) on Prisma, and the
// creation of initial access tokens for the admin command line. Races are decided by conditional
// writes (count 1 wins): on PostgreSQL the loser's UPDATE waits for the winner's row lock and then
// matches nothing; SQLite serialises writers. Tokens are stored only as SHA-256 hashes.
import type { DynamicClient, NewDynamicClient, RegistrationStore } from "../oauth/registration/ports.ts";
import type { RegistrationMetadata } from "../oauth/registration/registration-metadata.ts";
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";
import type { Db, Tx } from "./client.ts";
import { forgetClient, toClient } from "./clients.ts";

const withSecrets = { secrets: { select: { id: true, secretHash: true, expiresAt: true } } } as const;

type ClientRow = Parameters<typeof toClient>[0];

function toDynamicClient(row: ClientRow): DynamicClient {
  return { client: toClient(row), issuedAt: row.createdAt };
}

/** The metadata columns, as every registration path stores them (see lib/db/clients.ts). */
function metadataColumns(metadata: RegistrationMetadata) {
  return {
    name: metadata.name,
    applicationType: metadata.applicationType,
    type: metadata.tokenEndpointAuthMethod === "none" ? "public" : "confidential",
    tokenEndpointAuthMethod: metadata.tokenEndpointAuthMethod,
    redirectUris: metadata.redirectUris.join(" "),
    postLogoutRedirectUris: metadata.postLogoutRedirectUris.join(" "),
    scope: metadata.scopes.join(" "),
    grantTypes: metadata.grantTypes.join(" "),
    logoUri: metadata.logoUri,
    clientUri: metadata.clientUri,
    policyUri: metadata.policyUri,
    tosUri: metadata.tosUri,
    idTokenSignedResponseAlg: metadata.idTokenSignedResponseAlg,
  };
}

/** What a registration write did, for the audit log (lib/services/registration-store.ts). */
export interface RegistrationChange {
  readonly type: "client.registered" | "client.registration_updated" | "client.registration_deleted";
  readonly clientId: string;
  readonly name: string;
}

/**
 * `recorded` runs inside each write's own transaction, after the write that won: the service layer
 * audits there, so a registration and its audit row commit together or not at all (lib/db does not
 * depend on lib/services, which is why it is passed in).
 */
export function registrationStore(db: Db, recorded?: (tx: Tx, change: RegistrationChange) => Promise<void>): RegistrationStore {
  const record = (tx: Tx, change: RegistrationChange) => (recorded ? recorded(tx, change) : Promise.resolve());
  return {
    async findInitialAccessToken(tokenHash) {
      return db.initialAccessToken.findUnique({
        where: { tokenHash },
        select: { id: true, singleUse: true, expiresAt: true, usedAt: true, revokedAt: true },
      });
    },

    registerClient(token, client: NewDynamicClient, now) {
      return db.$transaction(async (tx) => {
        const { count } = await tx.initialAccessToken.updateMany({
          where: {
            id: token.id,
            revokedAt: null,
            OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
            ...(token.singleUse ? { usedAt: null } : {}),
          },
          // For a reusable token usedAt records the last use.
          data: { usedAt: now },
        });
        if (count !== 1) return null;
        const row = await tx.client.create({
          data: {
            clientId: client.clientId,
            ...metadataColumns(client.metadata),
            skipConsent: false,
            registrationSource: "dynamic",
            registrationAccessTokenHash: client.registrationAccessTokenHash,
            createdAt: now,
            ...(client.clientSecretHash ? { secrets: { create: { secretHash: client.clientSecretHash } } } : {}),
          },
          include: withSecrets,
        });
        await record(tx, { type: "client.registered", clientId: row.clientId, name: row.name });
        return toDynamicClient(row);
      });
    },

    async findDynamicClient(clientId, registrationAccessTokenHash) {
      const row = await db.client.findFirst({
        where: { clientId, registrationAccessTokenHash, registrationSource: "dynamic" },
        include: withSecrets,
      });
      return row ? toDynamicClient(row) : null;
    },

    updateDynamicClient(ref, currentTokenHash, update) {
      const updated = db.$transaction(async (tx) => {
        const { count } = await tx.client.updateMany({
          where: { id: ref, registrationAccessTokenHash: currentTokenHash, registrationSource: "dynamic" },
          data: { ...metadataColumns(update.metadata), registrationAccessTokenHash: update.registrationAccessTokenHash },
        });
        if (count !== 1) return null;
        if (update.secret.kind === "remove") await tx.clientSecret.deleteMany({ where: { clientRef: ref } });
        if (update.secret.kind === "issue") await tx.clientSecret.create({ data: { clientRef: ref, secretHash: update.secret.hash } });
        const row = await tx.client.findUniqueOrThrow({ where: { id: ref }, include: withSecrets });
        await record(tx, { type: "client.registration_updated", clientId: row.clientId, name: row.name });
        return toDynamicClient(row);
      });
      return updated.finally(() => forgetClient(db, ref));
    },

    async deleteDynamicClient(ref, currentTokenHash) {
      // The schema cascades the delete to secrets, grants (and their codes and tokens), consents
      // and interactions.
      const deleted = await db.$transaction(async (tx) => {
        const row = await tx.client.findUnique({ where: { id: ref }, select: { clientId: true, name: true } });
        const { count } = await tx.client.deleteMany({
          where: { id: ref, registrationAccessTokenHash: currentTokenHash, registrationSource: "dynamic" },
        });
        if (count === 1 && row) await record(tx, { type: "client.registration_deleted", clientId: row.clientId, name: row.name });
        return count === 1;
      });
      forgetClient(db, ref);
      return deleted;
    },
  };
}

export interface NewInitialAccessToken {
  readonly description?: string;
  readonly singleUse?: boolean;
  /** Null or absent: the token does not expire (it can still be revoked). */
  readonly expiresAt?: Date | null;
  readonly createdById?: string;
}

/** Creates an initial access token (RFC 7591 §1.2); the token is returned here and never again. */
export async function createInitialAccessToken(db: Db, input: NewInitialAccessToken = {}): Promise<{ id: string; token: string }> {
  const token = randomToken();
  const row = await db.initialAccessToken.create({
    data: {
      tokenHash: hashToken(token),
      description: input.description ?? "",
      singleUse: input.singleUse ?? false,
      expiresAt: input.expiresAt ?? null,
      createdById: input.createdById ?? null,
    },
    select: { id: true },
  });
  return { id: row.id, token };
}
