// The userinfo endpoint (OpenID Connect Core §5.3), after lib/http has read the bearer token
// (RFC 6750 §2: header, or a POST form body; never the query). The checks, in order:
// 1. a token was sent, else 401 with a bare `WWW-Authenticate: Bearer` (RFC 6750 §3.1);
// 2. it is one of our access tokens: typ at+jwt, so an ID token signed by the same key is refused
//    (RFC 9068 §4), our key by kid, our issuer byte for byte, not expired; else invalid_token;
// 3. neither the token nor its grant was revoked, and its user and its client are enabled
//    (RFC 7009 §2, as at introspection), else invalid_token;
// 4. its scope includes openid (Core §5.3.1), else 403 insufficient_scope (RFC 6750 §3.1);
// 5. the user still exists, else invalid_token.
// The answer is `sub` (the ID token's: the user id) and the claims of the token's scopes, which
// may be narrower than the grant's after a refresh. Plain JSON: no userinfo signing is offered.
import { claimsForScopes, type ScopeClaims } from "../claims/claims-for-scopes.ts";
import type { UserClaimsStore } from "../claims/ports.ts";
import { InsufficientScope, InvalidToken } from "../errors.ts";
import type { VerificationKeys } from "../keys/keyring.ts";
import type { TokenStatusStore } from "../token-status/ports.ts";
import { verifyAccessToken } from "../tokens/access-token.ts";
import type { OAuthConfig, Runtime } from "../types.ts";
import { spaceList } from "../wire-values.ts";

export interface UserInfoDeps {
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  /** Pass the server's KeyringCache: a kid it has not seen yet makes it reload. */
  readonly verificationKeys: VerificationKeys;
  readonly tokens: Pick<TokenStatusStore, "findAccessTokenStatus">;
  readonly users: UserClaimsStore;
}

export interface UserInfoRequest {
  /** undefined when the request carried no token. */
  readonly accessToken: string | undefined;
}

/** Core §5.3.2, in the wire's snake_case. */
export interface UserInfoResponse extends ScopeClaims {
  readonly sub: string;
}

export type UserInfoOutcome = { readonly kind: "token_required" } | { readonly kind: "claims"; readonly claims: UserInfoResponse };

const invalidToken = () => new InvalidToken("the access token is invalid or has expired");

export async function handleUserInfoRequest({ accessToken }: UserInfoRequest, deps: UserInfoDeps): Promise<UserInfoOutcome> {
  if (accessToken === undefined) return { kind: "token_required" };
  // The issuer's clock is the truth here, as at introspection: no leeway past exp.
  const claims = await verifyAccessToken(deps.verificationKeys, accessToken, {
    issuer: deps.config.issuer,
    now: deps.runtime.now(),
    clockToleranceSeconds: 0,
  });
  const status = await deps.tokens.findAccessTokenStatus(claims.jti);
  if (!status || status.revoked || status.grantRevoked || status.userDisabled || status.clientDisabled) throw invalidToken();

  const scopes = spaceList(claims.scope);
  if (!scopes.includes("openid")) throw new InsufficientScope("the access token was not issued for openid");

  const user = status.user?.id === claims.sub ? status.user : await deps.users.findUserClaims(claims.sub);
  if (!user || user.disabled) throw invalidToken();
  return { kind: "claims", claims: { sub: user.id, ...claimsForScopes(user, scopes) } };
}
