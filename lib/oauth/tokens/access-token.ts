// JWT access tokens, RFC 9068. Only these are bearer tokens: verification requires the explicit
// type `at+jwt` (RFC 9068 §4, RFC 8725 §3.11), so an ID token signed by the same key is refused.
//
// `aud` (RFC 9068 §3): without a `resource` parameter the server must use a default resource
// indicator. We have no resource indicators (RFC 8707) yet, so the default is the client_id: the
// resource server of an integrating app is its own backend, which knows its client_id and can
// check `aud` against it; a token issued to client A is then refused by client B's API, which an
// `aud` shared by every token (e.g. the issuer) could not achieve. Our own userinfo endpoint serves
// every client, so it checks typ, iss, signature and revocation but no particular audience.
//
// `alg`: ES256 by default. Signing is the token endpoint's hot path and P-256 signs about five
// times faster than RSA-2048; every JOSE library verifies ES256 (RFC 7518 §3.1: Recommended+),
// and our JWKS publishes the ES256 key next to the RS256 one that OpenID Connect requires.
import { createHash } from "node:crypto";
import { errors as joseErrors, jwtVerify, type JWTHeaderParameters } from "jose";
import { signJwt } from "./jws.ts";
import { InvalidToken } from "../errors.ts";
import { KEY_ALGORITHMS, type KeyAlgorithm, type PublishedKey, type SigningKeys, type VerificationKeys } from "../keys/keyring.ts";
import { epochSeconds } from "../wire-values.ts";

export const ACCESS_TOKEN_TYPE = "at+jwt";
export const DEFAULT_ACCESS_TOKEN_ALG: KeyAlgorithm = "ES256";
const VERIFY_ALGORITHMS: KeyAlgorithm[] = [...KEY_ALGORITHMS];
/** Far above any token we issue; refuses absurd inputs before any parsing. */
const MAX_TOKEN_LENGTH = 16_384;

export interface AccessTokenInput {
  readonly issuer: string;
  readonly subject: string;
  readonly clientId: string;
  /** Defaults to the client_id (see the top of this file). */
  readonly audience?: string | readonly string[];
  readonly scope: string | readonly string[];
  readonly jti: string;
  readonly authTime?: Date;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly alg?: KeyAlgorithm;
}

/** RFC 9068 §2.2, in the wire's snake_case. */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly client_id: string;
  /** Space-delimited (RFC 9068 §2.2.3, RFC 8693 §4.2). */
  readonly scope: string;
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly auth_time?: number;
}

export interface VerifyAccessTokenOptions {
  readonly issuer: string;
  readonly now: Date;
  /** A resource server that knows its own identifier checks it (RFC 9068 §4 step 4). */
  readonly audience?: string;
  /** Default 5 s: instances of one deployment differ by little. */
  readonly clockToleranceSeconds?: number;
}

export async function signAccessToken(keys: SigningKeys, input: AccessTokenInput): Promise<string> {
  const key = keys.signingKey(input.alg ?? DEFAULT_ACCESS_TOKEN_ALG);
  const scope = typeof input.scope === "string" ? input.scope : input.scope.join(" ");
  const audience = input.audience ?? input.clientId;
  return signJwt(
    key,
    { typ: ACCESS_TOKEN_TYPE },
    {
      client_id: input.clientId,
      scope,
      ...(input.authTime ? { auth_time: epochSeconds(input.authTime) } : {}),
      iss: input.issuer,
      sub: input.subject,
      aud: typeof audience === "string" ? audience : [...audience],
      iat: epochSeconds(input.issuedAt),
      exp: epochSeconds(input.expiresAt),
      jti: input.jti,
    },
  );
}

/**
 * RFC 9068 §4: typ, signature by a published key of ours (alg as the key's, never `none` or HMAC),
 * iss byte for byte, exp. Any failure is InvalidToken with a generic description; the precise
 * reason is its `cause`, for logs only.
 */
export async function verifyAccessToken(
  keys: VerificationKeys,
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<AccessTokenClaims> {
  const tolerance = options.clockToleranceSeconds ?? 5;
  const cache = typeof token === "string" && token.length <= MAX_TOKEN_LENGTH ? verifiedCacheOf(keys) : undefined;
  const cacheKey =
    cache && `${options.issuer}\n${options.audience ?? ""}\n${createHash("sha256").update(token, "utf8").digest("base64url")}`;
  if (cache && cacheKey) {
    const hit = cache.get(cacheKey);
    // The signature was verified under this very key object: it must still be published (a key
    // withdrawn or a keyring reloaded misses), and the token must not have expired since.
    if (hit && hit.claims.exp > epochSeconds(options.now) - tolerance && (await keys.verificationKey(hit.kid)) === hit.key)
      return hit.claims;
    if (hit) cache.delete(cacheKey);
  }
  try {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) throw new Error("not a compact JWT");
    let usedKey: PublishedKey | undefined;
    const { payload, protectedHeader } = await jwtVerify(
      token,
      async (header: JWTHeaderParameters) => {
        usedKey = await findKey(keys, header);
        return usedKey.publicKey;
      },
      {
        issuer: options.issuer,
        typ: ACCESS_TOKEN_TYPE,
        algorithms: VERIFY_ALGORITHMS,
        currentDate: options.now,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ["sub", "aud", "exp", "iat", "jti", "client_id", "scope"],
        ...(options.audience ? { audience: options.audience } : {}),
      },
    );
    // Frozen: a remembered object is handed to every later caller of the same token.
    const claims = Object.freeze(toClaims(payload));
    // Tokens with nbf are not remembered: only exp is checked again on a hit.
    if (cache && cacheKey && usedKey && payload.nbf === undefined && protectedHeader.kid === usedKey.kid) {
      if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(cacheKey, { claims, kid: usedKey.kid, key: usedKey });
    }
    return claims;
  } catch (error) {
    const invalid = new InvalidToken("the access token is invalid or has expired");
    invalid.cause = error;
    throw invalid;
  }
}

async function findKey(keys: VerificationKeys, header: JWTHeaderParameters): Promise<PublishedKey> {
  if (typeof header.kid !== "string") throw new joseErrors.JWKSNoMatchingKey("no kid");
  const key = await keys.verificationKey(header.kid);
  // RFC 8725 §3.1: the key decides the algorithm, never the token.
  if (!key || key.alg !== header.alg) throw new joseErrors.JWKSNoMatchingKey("unknown kid or alg mismatch");
  return key;
}

/**
 * Access tokens whose signature and claims were verified, by issuer, audience and the token's
 * SHA-256 (never the token itself): resource servers introspect the same token or call userinfo
 * with it many times in its life, and the signature check (WebCrypto, ≈ 0.2 ms of CPU with jose's
 * parsing) was most of an introspection's own work (bench/README.md). A hit is only a memo of
 * "this exact string verifies under this key object with these claims": expiry and the key's
 * publication are checked again every time, and revocation is the caller's database read as before.
 * Bounded; the oldest entry goes first. One cache per key source.
 */
const VERIFIED_CACHE_SIZE = 10_000;
interface VerifiedToken {
  readonly claims: AccessTokenClaims;
  readonly kid: string;
  readonly key: PublishedKey;
}
const verifiedCaches = new WeakMap<VerificationKeys, Map<string, VerifiedToken>>();
function verifiedCacheOf(keys: VerificationKeys): Map<string, VerifiedToken> {
  let cache = verifiedCaches.get(keys);
  if (!cache) verifiedCaches.set(keys, (cache = new Map()));
  return cache;
}

function toClaims(payload: Record<string, unknown>): AccessTokenClaims {
  const text = (name: string, allowEmpty = false): string => {
    const value = payload[name];
    if (typeof value !== "string" || (!allowEmpty && value === "")) throw new Error(`malformed ${name}`);
    return value;
  };
  const { aud, exp, iat, auth_time } = payload;
  if (typeof exp !== "number" || typeof iat !== "number") throw new Error("malformed exp or iat");
  if (auth_time !== undefined && typeof auth_time !== "number") throw new Error("malformed auth_time");
  const audOk = typeof aud === "string" || (Array.isArray(aud) && aud.every((a) => typeof a === "string"));
  if (!audOk) throw new Error("malformed aud");
  return {
    iss: text("iss"),
    sub: text("sub"),
    aud: aud as string | string[],
    client_id: text("client_id"),
    scope: text("scope", true),
    exp,
    iat,
    jti: text("jti"),
    ...(auth_time !== undefined ? { auth_time } : {}),
  };
}
