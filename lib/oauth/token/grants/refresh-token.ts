// The refresh_token grant (RFC 6749 §6) with rotation and replay detection (RFC 9700 §4.14.2):
// every use issues a new refresh token, and presenting a rotated one revokes the whole grant.
import { InvalidGrant, InvalidRequest, InvalidScope } from "../../errors.ts";
import { single } from "../../raw-params.ts";
import { isSubset, parseScope } from "../../scope.ts";
import { hashToken } from "../../tokens/opaque.ts";
import type { Client, RawParams } from "../../types.ts";
import { newRefreshToken, respond, signGrantAccessToken, type GrantHandler, type TokenDeps } from "../issue-tokens.ts";
import type { StoredRefreshToken } from "../ports.ts";
import type { TokenResponse } from "../wire.ts";

function invalidGrant(reason: string): InvalidGrant {
  const error = new InvalidGrant("the refresh token is invalid, expired or revoked");
  error.cause = reason;
  return error;
}

function checkRefreshToken(token: StoredRefreshToken, client: Client, now: Date): void {
  if (token.revokedAt !== null || token.grant.revokedAt !== null) throw invalidGrant("revoked");
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) throw invalidGrant("expired");
  if (token.grant.userDisabled) throw invalidGrant("user disabled");
}

/** RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted. */
function requestedScopes(params: RawParams, granted: readonly string[]): readonly string[] {
  const value = single(params, "scope");
  if (value === undefined) return granted;
  const scopes = parseScope(value);
  if (!scopes || scopes.length === 0) throw new InvalidScope("scope is malformed");
  if (!isSubset(scopes, granted)) throw new InvalidScope("scope exceeds the scope originally granted");
  return scopes;
}

function reportReuse(token: StoredRefreshToken, client: Client, reason: string, deps: TokenDeps): void {
  deps.events?.emit({ type: "refresh_token.reused", clientId: client.clientId, userId: token.grant.userId, grantId: token.grant.id, reason });
}

export const refreshTokenGrant: GrantHandler = {
  grantType: "refresh_token",

  async handle(params: RawParams, client: Client, deps: TokenDeps): Promise<TokenResponse> {
    const presented = single(params, "refresh_token");
    if (presented === undefined) throw new InvalidRequest("refresh_token is missing");
    const now = deps.runtime.now();

    const token = await deps.store.findRefreshToken(hashToken(presented));
    // RFC 6749 §10.4: a refresh token is bound to the client it was issued to.
    if (!token || token.grant.clientRef !== client.ref) throw invalidGrant("unknown or another client's");
    // RFC 9700 §4.14.2: a rotated token presented again means it leaked; end the grant.
    if (token.rotatedAt !== null) {
      await deps.store.revokeGrant(token.grant.id, now);
      reportReuse(token, client, "a rotated refresh token was presented again", deps);
      throw invalidGrant("rotated token replayed");
    }
    checkRefreshToken(token, client, now);
    const scopes = requestedScopes(params, token.scopes);

    const { grant } = token;
    const accessToken = await signGrantAccessToken(client, grant, scopes, deps, now);
    // RFC 6749 §6: the new refresh token keeps the scope of the one it replaces, however narrow
    // this access token is.
    const refresh = newRefreshToken(client, token.scopes, deps, now);
    const outcome = await deps.store.rotateRefreshToken(token.id, {
      grantId: grant.id,
      now,
      accessToken: accessToken.record,
      refreshToken: refresh.record,
    });
    if (outcome.status === "replayed") {
      await deps.store.revokeGrant(grant.id, now);
      reportReuse(token, client, "the refresh token was rotated twice at the same moment", deps);
      throw invalidGrant("rotated concurrently");
    }
    return respond({ grantType: "refresh_token", client, grant, scopes, now }, accessToken, refresh.token, deps);
  },
};
