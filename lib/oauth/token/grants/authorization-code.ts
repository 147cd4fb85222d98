// The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). Every check runs before the code
// is consumed, so a request that fails them cannot burn a code the client will still redeem.
import { InvalidGrant, InvalidRequest } from "../../errors.ts";
import { verifyCodeVerifier } from "../../pkce.ts";
import { single } from "../../raw-params.ts";
import { hashToken } from "../../tokens/opaque.ts";
import type { Client, RawParams } from "../../types.ts";
import {
  mayIssueRefreshToken,
  newRefreshToken,
  respond,
  signGrantAccessToken,
  type GrantHandler,
  type TokenDeps,
} from "../issue-tokens.ts";
import type { StoredCode } from "../ports.ts";
import type { TokenResponse } from "../wire.ts";

/** The public description stays generic; the precise reason is the `cause` (docs/protocol.md "Errors"). */
function invalidGrant(reason: string): InvalidGrant {
  const error = new InvalidGrant("the authorization code is invalid, expired, or was issued to another client");
  error.cause = reason;
  return error;
}

function required(params: RawParams, name: string): string {
  const value = single(params, name);
  // RFC 6749 §5.2: a missing required parameter is invalid_request.
  if (value === undefined) throw new InvalidRequest(`${name} is missing`);
  return value;
}

/**
 * What binds the code to the caller. Checked before anything else, a replay included: only the
 * code's own client, with its redirect URI and PKCE verifier, may trigger the revocation a replay
 * causes, or anyone who saw a used code (in a log, a Referer) could end the user's grant.
 */
function checkBinding(code: StoredCode, client: Client, redirectUri: string, verifier: string): void {
  if (code.clientRef !== client.ref) throw invalidGrant("issued to another client");
  // RFC 6749 §4.1.3: identical to the redirect_uri of the authorization request, byte for byte.
  if (code.redirectUri !== redirectUri) throw invalidGrant("redirect_uri mismatch");
  // RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the stored code_challenge.
  if (!verifyCodeVerifier(verifier, code.codeChallenge)) throw invalidGrant("PKCE verification failed");
}

function checkCode(code: StoredCode, now: Date): void {
  if (code.expiresAt.getTime() <= now.getTime()) throw invalidGrant("expired");
  if (code.grant.revokedAt !== null) throw invalidGrant("grant revoked");
  if (code.grant.userDisabled) throw invalidGrant("user disabled");
}

function reportReplay(code: StoredCode, client: Client, reason: string, deps: TokenDeps): void {
  deps.events?.emit({ type: "code.replayed", clientId: client.clientId, userId: code.grant.userId, grantId: code.grant.id, reason });
}

export const authorizationCodeGrant: GrantHandler = {
  grantType: "authorization_code",

  async handle(params: RawParams, client: Client, deps: TokenDeps): Promise<TokenResponse> {
    const presented = required(params, "code");
    const redirectUri = required(params, "redirect_uri");
    const verifier = required(params, "code_verifier");
    const now = deps.runtime.now();

    const code = await deps.store.findCode(hashToken(presented));
    if (!code) throw invalidGrant("unknown code");
    checkBinding(code, client, redirectUri, verifier);
    // RFC 6749 §4.1.2 / §10.5: a code used twice is denied and every token issued from it revoked.
    if (code.consumedAt !== null) {
      await deps.store.revokeGrant(code.grant.id, now);
      reportReplay(code, client, "code presented again after it was redeemed", deps);
      throw invalidGrant("code replayed");
    }
    checkCode(code, now);

    const { grant, scopes } = code;
    const accessToken = await signGrantAccessToken(client, grant, scopes, deps, now);
    const refresh = mayIssueRefreshToken(client, scopes) ? newRefreshToken(client, grant, scopes, deps, now) : undefined;
    const outcome = await deps.store.consumeCode(code.codeHash, {
      grantId: grant.id,
      now,
      accessToken: accessToken.record,
      ...(refresh ? { refreshToken: refresh.record } : {}),
    });
    // The conditional update decided: another redemption won, so this one is a replay (§4.1.2).
    if (outcome.status === "replayed") {
      await deps.store.revokeGrant(grant.id, now);
      reportReplay(code, client, "code redeemed twice at the same moment", deps);
      throw invalidGrant("code replayed concurrently");
    }
    return respond(
      { grantType: "authorization_code", client, grant, scopes, nonce: code.nonce ?? undefined, now },
      accessToken,
      refresh?.token,
      deps,
    );
  },
};
