// The introspection endpoint (RFC 7662 §2), after lib/http has read the form and the client
// credentials. The checks, in order: repeated parameters, client authentication, the token
// parameter; then the token's state. Anything not currently valid is `{"active": false}` and
// nothing more (RFC 7662 §2.2), so the answer never says why.
//
// Policy choices:
// - Only confidential clients may introspect (RFC 7662 §2.1: the endpoint MUST require some form
//   of authorization to prevent token scanning; a public client's client_id proves nothing).
// - A client introspects only tokens issued to itself; another client's token is active:false
//   (RFC 7662 §2.1 leaves this to policy; answering would let any client probe any token).
// - token_type_hint is ignored, whatever its value (RFC 7662 §2.1: the server MAY ignore it);
//   the token's shape tells the kinds apart.
// - token_type: "Bearer" for access tokens (RFC 7662 §2.2 takes it from RFC 6749 §7.1). A refresh
//   token is no access token type, so its answer carries none: a resource server that requires
//   token_type "Bearer" can never mistake a refresh token for an access token.
// - The issuer's clock is the truth here: an access token is inactive from its exp on, without
//   the few seconds of leeway a resource server allows itself.
import { InvalidRequest, InvalidToken } from "../errors.ts";
import { rejectDuplicates, single } from "../raw-params.ts";
import { authenticateClient, clientAuthenticationFailed, type ClientCredentials } from "../token/client-auth.ts";
import { tokenKind, type TokenStatusDeps } from "../token-status/ports.ts";
import { verifyAccessToken, type AccessTokenClaims } from "../tokens/access-token.ts";
import { hashToken } from "../tokens/opaque.ts";
import type { Client, RawParams } from "../types.ts";
import { epochSeconds as epoch } from "../wire-values.ts";

export type { TokenStatusDeps as IntrospectionDeps } from "../token-status/ports.ts";

export interface IntrospectionRequest {
  readonly body: RawParams;
  readonly credentials: ClientCredentials;
}

/** RFC 7662 §2.2, in the wire's snake_case. */
export interface InactiveTokenResponse {
  readonly active: false;
}

export interface ActiveAccessTokenResponse extends AccessTokenClaims {
  readonly active: true;
  readonly token_type: "Bearer";
}

export interface ActiveRefreshTokenResponse {
  readonly active: true;
  readonly scope: string;
  readonly client_id: string;
  readonly sub: string;
  readonly iss: string;
  readonly iat: number;
  /** Absent when the refresh token does not expire. */
  readonly exp?: number;
}

export type IntrospectionResponse = InactiveTokenResponse | ActiveAccessTokenResponse | ActiveRefreshTokenResponse;

const INACTIVE: InactiveTokenResponse = Object.freeze({ active: false });

export async function handleIntrospectionRequest(
  { body, credentials }: IntrospectionRequest,
  deps: TokenStatusDeps,
): Promise<IntrospectionResponse> {
  rejectDuplicates(body);
  const now = deps.runtime.now();
  const client = await authenticateClient(
    credentials,
    (id) => deps.store.findClient(id),
    now,
    deps.events && { events: deps.events, endpoint: "introspection" },
  );
  if (client.tokenEndpointAuthMethod === "none") throw clientAuthenticationFailed();
  const token = single(body, "token");
  if (token === undefined) throw new InvalidRequest("token is missing");

  return tokenKind(token) === "jwt" ? introspectAccessToken(token, client, deps, now) : introspectRefreshToken(token, client, deps, now);
}

async function introspectAccessToken(token: string, client: Client, deps: TokenStatusDeps, now: Date): Promise<IntrospectionResponse> {
  let claims: AccessTokenClaims;
  try {
    // Refuses an ID token (typ is not at+jwt), another issuer's token, a bad signature, exp.
    claims = await verifyAccessToken(deps.verificationKeys, token, { issuer: deps.config.issuer, now, clockToleranceSeconds: 0 });
  } catch (error) {
    if (error instanceof InvalidToken) return INACTIVE;
    throw error;
  }
  if (claims.client_id !== client.clientId) return INACTIVE;
  // RFC 7009 §2: a token revoked, or whose grant was, is no longer active, however young.
  const status = await deps.store.findAccessTokenStatus(claims.jti);
  if (!status || status.clientRef !== client.ref) return INACTIVE;
  if (status.revoked || status.grantRevoked || status.userDisabled || status.clientDisabled) return INACTIVE;
  return { active: true, token_type: "Bearer", ...claims };
}

async function introspectRefreshToken(token: string, client: Client, deps: TokenStatusDeps, now: Date): Promise<IntrospectionResponse> {
  const status = await deps.store.findRefreshTokenStatus(hashToken(token));
  if (!status || status.clientRef !== client.ref) return INACTIVE;
  // RFC 9700 §4.14.2: a rotated refresh token can no longer be used, so it is not active.
  if (status.rotated || status.revoked || status.grantRevoked || status.userDisabled || status.clientDisabled) return INACTIVE;
  if (status.expiresAt !== null && status.expiresAt.getTime() <= now.getTime()) return INACTIVE;
  return {
    active: true,
    scope: status.scopes.join(" "),
    client_id: client.clientId,
    sub: status.userId,
    iss: deps.config.issuer,
    iat: epoch(status.createdAt),
    ...(status.expiresAt !== null ? { exp: epoch(status.expiresAt) } : {}),
  };
}
