// The token endpoint's successful response in the wire's snake_case (RFC 6749 §5.1).

export interface TokenResponse {
  readonly access_token: string;
  /** RFC 6750 §4: bearer tokens. */
  readonly token_type: "Bearer";
  /** Seconds until the access token expires. */
  readonly expires_in: number;
  /** RFC 6749 §5.1: the granted scope, space-delimited (always sent, even when unchanged). */
  readonly scope: string;
  readonly refresh_token?: string;
  /** OpenID Connect Core §3.1.3.3; filled by an IdTokenIssuer (see issue-tokens.ts). */
  readonly id_token?: string;
}

export function buildTokenResponse(tokens: {
  accessToken: string;
  expiresInSeconds: number;
  scopes: readonly string[];
  refreshToken?: string | undefined;
  idToken?: string | undefined;
}): TokenResponse {
  return {
    access_token: tokens.accessToken,
    token_type: "Bearer",
    expires_in: tokens.expiresInSeconds,
    scope: tokens.scopes.join(" "),
    ...(tokens.refreshToken !== undefined ? { refresh_token: tokens.refreshToken } : {}),
    ...(tokens.idToken !== undefined ? { id_token: tokens.idToken } : {}),
  };
}
