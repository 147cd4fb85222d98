// Storage behind the token endpoint, implemented by lib/db/token-store.ts. The methods that decide
// a race (consumeCode, rotateRefreshToken) are atomic: a conditional UPDATE picks the one winner,
// and the winner's tokens are stored in the same transaction, so a loser that revokes the grant
// afterwards always revokes them too. A token is live only while its own row AND its grant are.
import type { Client } from "../types.ts";
import type { UserClaimsRecord } from "../claims/ports.ts";

export interface StoredGrant {
  readonly id: string;
  /** The OIDC `sub`. */
  readonly userId: string;
  readonly userDisabled: boolean;
  /** The client was disabled by an admin: its grants' tokens are no longer active. */
  readonly clientDisabled: boolean;
  readonly clientRef: string;
  readonly scopes: readonly string[];
  /** The browser session (`sid`) it was issued in. */
  readonly sessionId: string | null;
  readonly authTime: Date;
  /** How the person signed in (RFC 8176), for the ID token's amr and acr. */
  readonly amr: readonly string[];
  /** When it was granted: its refresh tokens end at this plus the absolute lifetime. */
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  /** The user's claims, when the store read them with the grant (saves the ID token a query). */
  readonly user?: UserClaimsRecord;
}

export interface StoredCode {
  readonly codeHash: string;
  readonly clientRef: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly nonce: string | null;
  readonly codeChallenge: string;
  readonly authTime: Date;
  readonly sessionId: string | null;
  readonly expiresAt: Date;
  readonly consumedAt: Date | null;
  readonly grant: StoredGrant;
}

export interface StoredRefreshToken {
  readonly id: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly rotatedAt: Date | null;
  readonly revokedAt: Date | null;
  /** The refresh token that replaced this one, if it was rotated: whether it has been used yet. */
  readonly successor: { readonly id: string; readonly rotatedAt: Date | null; readonly revokedAt: Date | null } | null;
  readonly grant: StoredGrant;
}

export interface NewAccessToken {
  readonly jti: string;
  readonly clientRef: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
}

export interface NewRefreshToken {
  readonly tokenHash: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date | null;
}

/** The tokens one successful request issues from one grant. */
export interface IssuedTokens {
  readonly grantId: string;
  readonly now: Date;
  readonly accessToken: NewAccessToken;
  readonly refreshToken?: NewRefreshToken;
}

/** "replayed": another request consumed (or rotated) it first; nothing was stored. */
export type RaceOutcome = { readonly status: "won" } | { readonly status: "replayed" };

export interface TokenStore {
  findClient(clientId: string): Promise<Client | null>;
  findCode(codeHash: string): Promise<StoredCode | null>;
  /** Marks the code consumed (only if it was not) and stores `tokens`, in one transaction. */
  consumeCode(codeHash: string, tokens: IssuedTokens): Promise<RaceOutcome>;
  findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | null>;
  /** Marks the token rotated (only if live and not rotated) and stores its child and `tokens`. */
  rotateRefreshToken(oldId: string, tokens: IssuedTokens & { readonly refreshToken: NewRefreshToken }): Promise<RaceOutcome>;
  /**
   * A retry of the rotated `oldId` within the grace period: revokes its successor (only if still
   * unused and live) and stores a new child of `oldId` and `tokens`, in one transaction.
   */
  replaceSuccessor(
    oldId: string,
    successorId: string,
    tokens: IssuedTokens & { readonly refreshToken: NewRefreshToken },
  ): Promise<RaceOutcome>;
  /** Revokes the grant, its unused codes, refresh tokens and access tokens. Idempotent. */
  revokeGrant(grantId: string, now: Date): Promise<void>;
}
