// OpenID Connect RP-Initiated Logout 1.0 §2: the id_token_hint identifies the user and the client.
// It must be an ID token this server signed; an expired one still identifies them, so its
// signature and issuer are checked and its lifetime is not.
import { compactVerify, decodeProtectedHeader } from "jose";
import type { VerificationKeys } from "../keys/keyring.ts";

export interface IdTokenHint {
  readonly sub: string;
  readonly clientId: string;
  readonly sid?: string;
}

const MAX_HINT_LENGTH = 16 * 1024;

/** The hint's identity, or undefined when it is not a genuine ID token of this issuer. */
export async function readIdTokenHint(token: string, keys: VerificationKeys, issuer: string): Promise<IdTokenHint | undefined> {
  if (token.length > MAX_HINT_LENGTH) return undefined;
  try {
    const header = decodeProtectedHeader(token);
    // An access token (RFC 9068 §2.1 typ at+jwt) is not an ID token, though the same keys sign both.
    if (typeof header.kid !== "string" || (header.typ ?? "").toLowerCase().endsWith("at+jwt")) return undefined;
    const key = await keys.verificationKey(header.kid);
    if (!key || header.alg !== key.alg) return undefined;
    const { payload } = await compactVerify(token, key.publicKey, { algorithms: [key.alg] });
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    if (claims.iss !== issuer || typeof claims.sub !== "string") return undefined;
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const clientId = typeof claims.azp === "string" ? claims.azp : audience.length === 1 ? audience[0] : undefined;
    if (typeof clientId !== "string") return undefined;
    return { sub: claims.sub, clientId, ...(typeof claims.sid === "string" ? { sid: claims.sid } : {}) };
  } catch {
    return undefined;
  }
}
