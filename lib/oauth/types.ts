// Domain types of the protocol core, in the core's own terms (camelCase). Storage adapters in
// lib/db map database rows to these; wire formats (snake_case) live in wire.ts.

export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface ClientSecretRecord {
  /** The secret's row id (to record when it was last used); absent in unit tests. */
  readonly id?: string;
  /** Hex SHA-256 of the secret. */
  readonly hash: string;
  readonly expiresAt: Date | null;
}

export interface Client {
  /** Internal row id; never shown on the wire. */
  readonly ref: string;
  readonly clientId: string;
  readonly name: string;
  readonly logoUri: string | null;
  readonly clientUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
  readonly type: "public" | "confidential";
  readonly applicationType: "web" | "native";
  readonly tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  /** The scopes this client may ask for. */
  readonly scopes: readonly string[];
  readonly grantTypes: readonly string[];
  readonly skipConsent: boolean;
  /** Its users must have signed in with a second factor (essential, like acr essential). */
  readonly requireMfa: boolean;
  readonly idTokenSignedResponseAlg: string;
  readonly accessTokenTtlSeconds: number | null;
  readonly refreshTokenTtlSeconds: number | null;
  readonly idTokenTtlSeconds: number | null;
  readonly disabled: boolean;
  readonly secrets: readonly ClientSecretRecord[];
}

/** Lifetimes and identity of this server, injected into every handler. */
export interface OAuthConfig {
  readonly issuer: string;
  readonly codeTtlSeconds: number;
  readonly accessTokenTtlSeconds: number;
  readonly idTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** No refresh token outlives its grant's creation plus this (rotation does not extend a grant). */
  readonly refreshTokenAbsoluteTtlSeconds: number;
  /**
   * How long after a rotation the previous refresh token may come back, while its successor is
   * unused, and still get a new token set (a response lost on the way); 0: never.
   */
  readonly refreshReuseGraceSeconds: number;
  readonly interactionTtlSeconds: number;
}

/** Time and randomness come from here, so tests are deterministic. */
export interface Runtime {
  now(): Date;
  /** A fresh opaque token: at least 256 bits of randomness, base64url. */
  randomToken(): string;
}

/** A request's parameters with every occurrence kept, so duplicates can be refused. */
export type RawParams = ReadonlyMap<string, readonly string[]>;
