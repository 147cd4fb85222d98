// ID tokens, OpenID Connect Core §2 and §3.1.3.6. Signed with the algorithm the client registered
// (`id_token_signed_response_alg`, RS256 by default: Core §15.1 makes it the one every RP can
// verify); ES256 and EdDSA on request.
//
// Header `typ: "JWT"` (RFC 7519 §5.1), never `at+jwt`: the two kinds of token must not be
// mistaken for one another, and userinfo and introspection require at+jwt (RFC 9068 §4), so an ID
// token presented as a bearer token is refused even though the same key may sign both.
//
// Claims: iss, sub (the user id: stable, never the email), aud (the client_id alone, so no `azp`
// is needed: Core §2 wants it only with several audiences), exp, iat, auth_time, nonce exactly
// when the authorization request carried one (Core §3.1.3.6; never on refresh, §12.2), at_hash,
// sid (the browser session, OpenID Connect Front-/Back-Channel Logout §2/§3), amr and acr (how the
// person signed in, authorize/acr.ts; Core §2, RFC 8176), and the profile and
// email claims of the granted scopes (docs/protocol.md "Tokens"; claims-for-scopes.ts).
import { createHash } from "node:crypto";
import { acrOf } from "../authorize/acr.ts";
import { signJwt } from "./jws.ts";
import { claimsForScopes, type ScopeClaims } from "../claims/claims-for-scopes.ts";
import type { UserClaimsStore } from "../claims/ports.ts";
import { InvalidGrant, ServerError } from "../errors.ts";
import { isKeyAlgorithm, type KeyAlgorithm, type SigningKeys } from "../keys/keyring.ts";
import type { IdTokenIssuer } from "../token/issue-tokens.ts";
import type { Client, OAuthConfig } from "../types.ts";
import { epochSeconds as epoch } from "../wire-values.ts";

export const ID_TOKEN_TYPE = "JWT";
/** OpenID Connect Registration §2: the default of id_token_signed_response_alg. */
export const DEFAULT_ID_TOKEN_ALG: KeyAlgorithm = "RS256";

/**
 * The hash function behind an algorithm, for at_hash (Core §3.1.3.6: "the hash algorithm used in
 * the alg Header Parameter"). EdDSA names no hash; with Ed25519 keys it is SHA-512, the hash
 * inside Ed25519 (RFC 8032 §5.1), as OpenID Connect Core 1.0 errata set 2 and other providers
 * (node-oidc-provider, Authlib) settle it. Our EdDSA keys are always Ed25519 (lib/keys/generate.ts).
 */
const HASH_OF: Readonly<Record<KeyAlgorithm, "sha256" | "sha512">> = {
  RS256: "sha256",
  ES256: "sha256",
  EdDSA: "sha512",
};

/** Core §3.1.3.6: base64url of the left half of the hash of the access token's ASCII octets. */
export function atHash(accessToken: string, alg: KeyAlgorithm): string {
  const digest = createHash(HASH_OF[alg]).update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

/** The client's registered algorithm; a value we cannot sign with is a configuration fault. */
export function idTokenAlgOf(client: Pick<Client, "clientId" | "idTokenSignedResponseAlg">): KeyAlgorithm {
  const alg = client.idTokenSignedResponseAlg || DEFAULT_ID_TOKEN_ALG;
  if (!isKeyAlgorithm(alg)) throw new ServerError(`client ${client.clientId}: unsupported id_token_signed_response_alg`);
  return alg;
}

export interface IdTokenInput {
  readonly issuer: string;
  readonly subject: string;
  /** The client_id. */
  readonly audience: string;
  readonly alg: KeyAlgorithm;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly authTime: Date;
  readonly nonce?: string | undefined;
  /** The access token issued alongside, for at_hash. */
  readonly accessToken?: string | undefined;
  readonly sessionId?: string | null | undefined;
  /** How the person signed in (RFC 8176); with it, `acr` (authorize/acr.ts). */
  readonly amr?: readonly string[] | undefined;
  readonly claims?: ScopeClaims;
}

export async function signIdToken(keys: SigningKeys, input: IdTokenInput): Promise<string> {
  const key = keys.signingKey(input.alg);
  return signJwt(
    key,
    { typ: ID_TOKEN_TYPE },
    {
      // First, so that no user claim could ever shadow a protocol one.
      ...input.claims,
      auth_time: epoch(input.authTime),
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      ...(input.accessToken !== undefined ? { at_hash: atHash(input.accessToken, key.alg) } : {}),
      ...(input.sessionId ? { sid: input.sessionId } : {}),
      ...(input.amr && input.amr.length > 0 ? { amr: [...input.amr], acr: acrOf(input.amr) } : {}),
      iss: input.issuer,
      sub: input.subject,
      aud: input.audience,
      iat: epoch(input.issuedAt),
      exp: epoch(input.expiresAt),
    },
  );
}

export interface IdTokenIssuerDeps {
  readonly config: OAuthConfig;
  signingKeys(): Promise<SigningKeys>;
  readonly users: UserClaimsStore;
}

/** The token endpoint's IdTokenIssuer (lib/oauth/token/issue-tokens.ts), over the user store. */
export function createIdTokenIssuer(deps: IdTokenIssuerDeps): IdTokenIssuer {
  return {
    async issueIdToken({ client, grant, scopes, nonce, accessToken, now }) {
      const alg = idTokenAlgOf(client);
      const user = grant.user ?? (await deps.users.findUserClaims(grant.userId));
      // The grant was checked a moment ago; a user deleted or disabled since gets nothing.
      if (!user || user.disabled) throw new InvalidGrant("the user is not available");
      const ttlSeconds = client.idTokenTtlSeconds ?? deps.config.idTokenTtlSeconds;
      return signIdToken(await deps.signingKeys(), {
        issuer: deps.config.issuer,
        subject: user.id,
        audience: client.clientId,
        alg,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
        authTime: grant.authTime,
        nonce,
        accessToken,
        sessionId: grant.sessionId,
        amr: grant.amr,
        claims: claimsForScopes(user, scopes),
      });
    },
  };
}
