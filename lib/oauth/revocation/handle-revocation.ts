// The revocation endpoint (RFC 7009 §2), after lib/http has read the form and the client
// credentials. The checks, in order: repeated parameters, client authentication (exactly as at the
// token endpoint), the token parameter; then the token is revoked only if it was issued to the
// requesting client. Whatever the token turns out to be, the answer is the same 200.
//
// Policy choices:
// - token_type_hint is ignored, whatever its value (RFC 7009 §2.1: the server MAY ignore it).
//   The token's shape already tells an access token from a refresh token (token-status/ports.ts),
//   so unsupported_token_type is never answered: both kinds we issue can be revoked.
// - A refresh token ends its whole grant: every refresh token, access token and unused code of it
//   (RFC 7009 §2.1: the server SHOULD invalidate the access tokens of the same grant). Any refresh
//   token of the grant does, even a rotated or expired one: the client asks for the session to
//   end, and honouring that is always the safe side.
// - An access token ends only itself (its jti is marked revoked): RFC 7009 §2.1 leaves the grant
//   to the server, and a client that drops one access token may well keep its refresh token.
import { InvalidRequest, InvalidToken } from "../errors.ts";
import { rejectDuplicates, single } from "../raw-params.ts";
import { authenticateClient, type ClientCredentials } from "../token/client-auth.ts";
import { tokenKind, type TokenStatusDeps } from "../token-status/ports.ts";
import { verifyAccessToken } from "../tokens/access-token.ts";
import { hashToken } from "../tokens/opaque.ts";
import type { Client, RawParams } from "../types.ts";

export type { TokenStatusDeps as RevocationDeps } from "../token-status/ports.ts";

export interface RevocationRequest {
  readonly body: RawParams;
  readonly credentials: ClientCredentials;
}

/** Resolves once the token is revoked or found not to be the client's to revoke (RFC 7009 §2.2). */
export async function handleRevocationRequest({ body, credentials }: RevocationRequest, deps: TokenStatusDeps): Promise<void> {
  // RFC 7009 §2.1 uses the token endpoint's conventions: no parameter more than once.
  rejectDuplicates(body);
  const now = deps.runtime.now();
  // RFC 7009 §2.1: the server first validates the client credentials.
  const client = await authenticateClient(
    credentials,
    (id) => deps.store.findClient(id),
    now,
    deps.events && { events: deps.events, endpoint: "revocation" },
  );
  const token = single(body, "token");
  if (token === undefined) throw new InvalidRequest("token is missing");

  if (tokenKind(token) === "jwt") await revokeAccessToken(token, client, deps, now);
  else await revokeRefreshToken(token, client, deps, now);
}

async function revokeAccessToken(token: string, client: Client, deps: TokenStatusDeps, now: Date): Promise<void> {
  let jti: string;
  try {
    const claims = await verifyAccessToken(deps.verificationKeys, token, { issuer: deps.config.issuer, now });
    // RFC 7009 §2.1: the server verifies that the token was issued to the requesting client.
    if (claims.client_id !== client.clientId) return;
    jti = claims.jti;
  } catch (error) {
    // RFC 7009 §2.2: an invalid token (not ours, an ID token, expired) needs no revoking.
    if (error instanceof InvalidToken) return;
    throw error;
  }
  // The store checks the client again, against the row, in the same statement.
  await deps.store.revokeAccessToken(jti, client.ref, now);
}

async function revokeRefreshToken(token: string, client: Client, deps: TokenStatusDeps, now: Date): Promise<void> {
  const status = await deps.store.findRefreshTokenStatus(hashToken(token));
  // RFC 7009 §2.1: another client's token is left alone, and the answer does not say so.
  if (!status || status.clientRef !== client.ref || status.grantRevoked) return;
  await deps.store.revokeGrant(status.grantId, now);
}
