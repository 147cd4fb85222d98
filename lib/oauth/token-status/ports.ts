// What the revocation (RFC 7009) and introspection (RFC 7662) endpoints share: their storage port,
// implemented by lib/db/token-status-store.ts, their dependencies, and how a presented token is
// told apart. A token is live only while its own row AND its grant are unrevoked, its user is
// enabled (as the refresh_token grant requires) and its client is enabled.
import type { EventSink } from "../events.ts";
import type { VerificationKeys } from "../keys/keyring.ts";
import type { Client, OAuthConfig, Runtime } from "../types.ts";
import type { UserClaimsRecord } from "../claims/ports.ts";

/** An issued access token's row (by jti), with the state of its grant: facts, not a verdict. */
export interface AccessTokenStatus {
  readonly clientRef: string;
  readonly revoked: boolean;
  readonly grantRevoked: boolean;
  readonly userDisabled: boolean;
  /** An admin disabled the client: its tokens count as revoked. */
  readonly clientDisabled: boolean;
  /** The grant's user, when the store read it along (saves userinfo a query). */
  readonly user?: UserClaimsRecord;
}

/** A refresh token's row (by hash), with what introspection reports about it. */
export interface RefreshTokenStatus {
  readonly grantId: string;
  readonly clientRef: string;
  /** The OIDC `sub`. */
  readonly userId: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly rotated: boolean;
  readonly revoked: boolean;
  readonly grantRevoked: boolean;
  readonly userDisabled: boolean;
  readonly clientDisabled: boolean;
}

export interface TokenStatusStore {
  findClient(clientId: string): Promise<Client | null>;
  /** One database round trip (the hot path of every resource server that introspects). */
  findAccessTokenStatus(jti: string): Promise<AccessTokenStatus | null>;
  /** One database round trip. */
  findRefreshTokenStatus(tokenHash: string): Promise<RefreshTokenStatus | null>;
  /** Marks the access token revoked only if it was issued to `clientRef`. Idempotent. */
  revokeAccessToken(jti: string, clientRef: string, now: Date): Promise<void>;
  /** Revokes the grant, its unused codes, refresh tokens and access tokens. Idempotent. */
  revokeGrant(grantId: string, now: Date): Promise<void>;
}

export interface TokenStatusDeps {
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  readonly store: TokenStatusStore;
  /** Pass the server's KeyringCache: a kid it has not seen yet makes it reload. */
  readonly verificationKeys: VerificationKeys;
  /** Where client authentication failures are reported (the audit log); nothing when absent. */
  readonly events?: EventSink;
}

/**
 * Which kind a presented token is, by its shape alone: our access tokens are compact JWS (three
 * base64url parts joined by dots, RFC 7515 §7.1), our refresh tokens are one base64url string
 * with no dot. So the endpoints never need token_type_hint to find a token (RFC 7009 §2.1: the
 * server must search every kind anyway when the hint is wrong).
 */
export function tokenKind(token: string): "jwt" | "opaque" {
  return token.split(".").length === 3 ? "jwt" : "opaque";
}
