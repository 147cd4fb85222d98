// What every grant shares: its dependencies, its plugin shape, and the issuing of tokens.
import type { EventSink } from "../events.ts";
import type { SigningKeys } from "../keys/keyring.ts";
import { signAccessToken } from "../tokens/access-token.ts";
import { hashToken } from "../tokens/opaque.ts";
import type { Client, OAuthConfig, RawParams, Runtime } from "../types.ts";
import type { IssuedTokens, NewRefreshToken, StoredGrant, TokenStore } from "./ports.ts";
import { buildTokenResponse, type TokenResponse } from "./wire.ts";

/**
 * The seam for ID tokens (OpenID Connect Core §3.1.3.3): called for requests whose scope includes
 * `openid`, after the access token is signed; its result becomes `id_token`. Not wired yet.
 */
export interface IdTokenIssuer {
  issueIdToken(context: {
    readonly client: Client;
    readonly grant: StoredGrant;
    readonly scopes: readonly string[];
    /** Only on the authorization_code grant; OpenID Connect Core §12.2 omits it on refresh. */
    readonly nonce?: string | undefined;
    readonly accessToken: string;
    readonly now: Date;
  }): Promise<string | undefined>;
}

export interface TokenDeps {
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  readonly store: TokenStore;
  /** The current signing keys (the server's KeyringCache reloads them now and then). */
  signingKeys(): Promise<SigningKeys>;
  readonly idTokens?: IdTokenIssuer;
  /** Where decisions are reported (the audit log); nothing when absent. */
  readonly events?: EventSink;
}

/** A grant type as a plugin (RFC 6749 §4, §6): the endpoint has already authenticated `client`. */
export interface GrantHandler {
  readonly grantType: string;
  handle(params: RawParams, client: Client, deps: TokenDeps): Promise<TokenResponse>;
}

/**
 * RFC 6749 §1.5 leaves refresh tokens to the server; OpenID Connect Core §11 issues them to an
 * OpenID request only with `offline_access`. In both cases the client must be allowed the grant.
 */
export function mayIssueRefreshToken(client: Client, scopes: readonly string[]): boolean {
  if (!client.grantTypes.includes("refresh_token")) return false;
  return scopes.includes("offline_access") || !scopes.includes("openid");
}

/** When the grant's refresh tokens end for good, however often they rotated (RFC 9700 §4.14.2). */
export function grantEnd(grant: StoredGrant, config: OAuthConfig): Date {
  return new Date(grant.createdAt.getTime() + config.refreshTokenAbsoluteTtlSeconds * 1000);
}

/** A refresh token for its lifetime, cut short where the grant's absolute lifetime ends. */
export function newRefreshToken(
  client: Client,
  grant: StoredGrant,
  scopes: readonly string[],
  deps: TokenDeps,
  now: Date,
): { token: string; record: NewRefreshToken } {
  const token = deps.runtime.randomToken();
  const ttlSeconds = client.refreshTokenTtlSeconds ?? deps.config.refreshTokenTtlSeconds;
  const expiresAt = Math.min(now.getTime() + ttlSeconds * 1000, grantEnd(grant, deps.config).getTime());
  return { token, record: { tokenHash: hashToken(token), scopes, expiresAt: new Date(expiresAt) } };
}

/** Signs an RFC 9068 access token; its jti is stored with the tokens so it can be revoked. */
export async function signGrantAccessToken(
  client: Client,
  grant: StoredGrant,
  scopes: readonly string[],
  deps: TokenDeps,
  now: Date,
): Promise<{ jwt: string; ttlSeconds: number; record: IssuedTokens["accessToken"] }> {
  const ttlSeconds = client.accessTokenTtlSeconds ?? deps.config.accessTokenTtlSeconds;
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const jti = deps.runtime.randomToken();
  const jwt = await signAccessToken(await deps.signingKeys(), {
    issuer: deps.config.issuer,
    subject: grant.userId,
    clientId: client.clientId,
    scope: scopes,
    jti,
    authTime: grant.authTime,
    issuedAt: now,
    expiresAt,
  });
  return { jwt, ttlSeconds, record: { jti, clientRef: client.ref, scopes, expiresAt } };
}

/** The response, with an ID token when the hook is wired and the request is an OpenID one. */
export async function respond(
  {
    grantType,
    ...issued
  }: { grantType: string; client: Client; grant: StoredGrant; scopes: readonly string[]; nonce?: string | undefined; now: Date },
  accessToken: { jwt: string; ttlSeconds: number },
  refreshToken: string | undefined,
  deps: TokenDeps,
): Promise<TokenResponse> {
  const idToken =
    deps.idTokens && issued.scopes.includes("openid")
      ? await deps.idTokens.issueIdToken({ ...issued, accessToken: accessToken.jwt })
      : undefined;
  deps.events?.emit({
    type: "token.issued",
    clientId: issued.client.clientId,
    userId: issued.grant.userId,
    grantId: issued.grant.id,
    grantType,
    scope: issued.scopes.join(" "),
  });
  return buildTokenResponse({
    accessToken: accessToken.jwt,
    expiresInSeconds: accessToken.ttlSeconds,
    scopes: issued.scopes,
    refreshToken,
    idToken,
  });
}
