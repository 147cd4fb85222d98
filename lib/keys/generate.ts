// New signing key pairs as JWKs. RS256 is mandatory for OpenID Connect (Core §15.1); ES256 and
// EdDSA are offered to clients that register them.
import { randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { KEY_ALGORITHMS } from "../oauth/keys/keyring.ts";

export const SIGNING_ALGORITHMS = KEY_ALGORITHMS;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export interface GeneratedKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "RS256" ? { modulusLength: 2048 } : {}),
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  const kid = randomBytes(12).toString("base64url");
  const meta = { kid, alg, use: "sig" };
  return {
    kid,
    alg,
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
  };
}
