// Storage behind dynamic client registration (RFC 7591) and client configuration (RFC 7592),
// implemented by lib/db/registration-store.ts. Every method that decides a race (consuming an
// initial access token, rotating a registration access token, deleting) is one atomic statement or
// transaction in the adapter: a conditional write whose count says who won.
import type { Client, OAuthConfig, Runtime } from "../types.ts";
import type { RegistrationMetadata } from "./registration-metadata.ts";

/** An initial access token's row (by hash): facts, not a verdict. */
export interface InitialAccessTokenRecord {
  readonly id: string;
  readonly singleUse: boolean;
  readonly expiresAt: Date | null;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
}

/** A dynamically registered client and when its client_id was issued (RFC 7591 §3.2.1). */
export interface DynamicClient {
  readonly client: Client;
  readonly issuedAt: Date;
}

export interface NewDynamicClient {
  readonly clientId: string;
  readonly metadata: RegistrationMetadata;
  /** Hex SHA-256 of the client secret; null for a public client. */
  readonly clientSecretHash: string | null;
  /** Hex SHA-256 of the RFC 7592 registration access token. */
  readonly registrationAccessTokenHash: string;
}

/** What happens to the client's secrets when its metadata is replaced. */
export type SecretChange = { readonly kind: "keep" } | { readonly kind: "remove" } | { readonly kind: "issue"; readonly hash: string };

export interface DynamicClientUpdate {
  readonly metadata: RegistrationMetadata;
  readonly secret: SecretChange;
  /** The rotated registration access token's hash. */
  readonly registrationAccessTokenHash: string;
}

export interface RegistrationStore {
  findInitialAccessToken(tokenHash: string): Promise<InitialAccessTokenRecord | null>;
  /**
   * In one transaction: uses the initial access token (only while unrevoked and unexpired at
   * `now`, and, when single-use, only if still unused: exactly one concurrent caller wins) and
   * creates the client with registrationSource "dynamic" and skipConsent false. Null when the
   * token was no longer usable; nothing is created then.
   */
  registerClient(
    token: { readonly id: string; readonly singleUse: boolean },
    client: NewDynamicClient,
    now: Date,
  ): Promise<DynamicClient | null>;
  /** The dynamically registered client `clientId` whose registration access token has this hash. */
  findDynamicClient(clientId: string, registrationAccessTokenHash: string): Promise<DynamicClient | null>;
  /**
   * Replaces the client's metadata and registration access token, only while its token hash is
   * still `currentTokenHash` (two concurrent updates with one token: one wins). Null when it lost.
   */
  updateDynamicClient(ref: string, currentTokenHash: string, update: DynamicClientUpdate): Promise<DynamicClient | null>;
  /** Deletes the client (its grants, tokens and consents go with it) if its token hash still matches. */
  deleteDynamicClient(ref: string, currentTokenHash: string): Promise<boolean>;
}

export interface RegistrationDeps {
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  readonly store: RegistrationStore;
}
