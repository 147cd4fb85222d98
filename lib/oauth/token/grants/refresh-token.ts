// The refresh_token grant (RFC 6749 §6) with rotation and replay detection (RFC 9700 §4.14.2):
// every use issues a new refresh token, and presenting a rotated one revokes the whole grant.
//
// One exception, for a response lost on the way (a timeout, a crash after the commit): within
// `refreshReuseGraceSeconds` of a rotation, while the token it produced (its successor) is still
// unused, the previous token gets a new set whose refresh token replaces that successor. Races
// are decided by the store's conditional writes; a request that lost one reads again and decides
// once more on what the winner committed. So of two concurrent requests with one token, the one
// that writes last holds the live refresh token, and a grant never has more than one: a retry
// ends the unused successor, and a successor used while (or after) its parent is retried counts
// as reuse. Refresh tokens never outlive the grant's creation plus its absolute lifetime.
import { InvalidGrant, InvalidRequest, InvalidScope } from "../../errors.ts";
import { single } from "../../raw-params.ts";
import { isSubset, parseScope } from "../../scope.ts";
import { hashToken } from "../../tokens/opaque.ts";
import type { Client, OAuthConfig, RawParams } from "../../types.ts";
import { grantEnd, newRefreshToken, respond, signGrantAccessToken, type GrantHandler, type TokenDeps } from "../issue-tokens.ts";
import type { StoredRefreshToken } from "../ports.ts";
import type { TokenResponse } from "../wire.ts";

function invalidGrant(reason: string): InvalidGrant {
  const error = new InvalidGrant("the refresh token is invalid, expired or revoked");
  error.cause = reason;
  return error;
}

function checkRefreshToken(token: StoredRefreshToken, config: OAuthConfig, now: Date): void {
  if (token.revokedAt !== null || token.grant.revokedAt !== null) throw invalidGrant("revoked");
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) throw invalidGrant("expired");
  // Tokens issued before the absolute lifetime existed may expire later than the grant's end.
  if (grantEnd(token.grant, config).getTime() <= now.getTime()) throw invalidGrant("grant expired");
  if (token.grant.userDisabled) throw invalidGrant("user disabled");
}

/** A rotated token presented again may be a retry: its successor unused, inside the grace period. */
function isRetry(token: StoredRefreshToken, config: OAuthConfig, now: Date): boolean {
  const { successor, rotatedAt } = token;
  if (rotatedAt === null || config.refreshReuseGraceSeconds <= 0 || token.revokedAt !== null) return false;
  if (successor === null || successor.rotatedAt !== null || successor.revokedAt !== null) return false;
  return now.getTime() < rotatedAt.getTime() + config.refreshReuseGraceSeconds * 1000;
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

function report(
  type: "refresh_token.reused" | "refresh_token.retried",
  token: StoredRefreshToken,
  client: Client,
  reason: string,
  deps: TokenDeps,
): void {
  deps.events?.emit({ type, clientId: client.clientId, userId: token.grant.userId, grantId: token.grant.id, reason });
}

const LOST = Symbol("lost the race");

/** Rotates `token` (or, for a retry, replaces its successor); LOST when another request wrote first. */
async function attempt(
  token: StoredRefreshToken,
  params: RawParams,
  client: Client,
  deps: TokenDeps,
  now: Date,
  afterRace: boolean,
): Promise<TokenResponse | typeof LOST> {
  const retry = token.rotatedAt !== null;
  // RFC 9700 §4.14.2: a rotated token presented again means it leaked; end the grant.
  if (retry && !isRetry(token, deps.config, now)) {
    await deps.store.revokeGrant(token.grant.id, now);
    const reason = afterRace
      ? "the refresh token was used by two requests at the same moment"
      : "a rotated refresh token was presented again";
    report("refresh_token.reused", token, client, reason, deps);
    throw invalidGrant("rotated token replayed");
  }
  checkRefreshToken(token, deps.config, now);
  const scopes = requestedScopes(params, token.scopes);

  const { grant } = token;
  const accessToken = await signGrantAccessToken(client, grant, scopes, deps, now);
  // RFC 6749 §6: the new refresh token keeps the scope of the one it replaces, however narrow
  // this access token is.
  const refresh = newRefreshToken(client, grant, token.scopes, deps, now);
  const tokens = { grantId: grant.id, now, accessToken: accessToken.record, refreshToken: refresh.record };
  const outcome =
    retry && token.successor
      ? await deps.store.replaceSuccessor(token.id, token.successor.id, tokens)
      : await deps.store.rotateRefreshToken(token.id, tokens);
  if (outcome.status === "replayed") return LOST;
  if (retry)
    report(
      "refresh_token.retried",
      token,
      client,
      "the previous refresh token came back within the grace period; its unused successor was replaced",
      deps,
    );
  return respond({ grantType: "refresh_token", client, grant, scopes, now }, accessToken, refresh.token, deps);
}

export const refreshTokenGrant: GrantHandler = {
  grantType: "refresh_token",

  async handle(params: RawParams, client: Client, deps: TokenDeps): Promise<TokenResponse> {
    const presented = single(params, "refresh_token");
    if (presented === undefined) throw new InvalidRequest("refresh_token is missing");
    const now = deps.runtime.now();
    const hash = hashToken(presented);

    const token = await deps.store.findRefreshToken(hash);
    // RFC 6749 §10.4: a refresh token is bound to the client it was issued to.
    if (!token || token.grant.clientRef !== client.ref) throw invalidGrant("unknown or another client's");
    const first = await attempt(token, params, client, deps, now, false);
    if (first !== LOST) return first;
    // Another request rotated this token, or replaced or used its successor, between our read and
    // our write: decide again on what it committed (a retry, or reuse that revokes the grant).
    const again = await deps.store.findRefreshToken(hash);
    if (!again) throw invalidGrant("deleted during the request");
    const second = await attempt(again, params, client, deps, now, true);
    if (second !== LOST) return second;
    // Lost twice to concurrent retries: the last writer holds the one live token; nothing to end.
    throw invalidGrant("lost to concurrent requests twice");
  },
};
