// The signing keys of this server, parsed once into memory. Every token is signed and verified
// against a Keyring; nothing parses a JWK per request. The keys come through the KeyStore port,
// implemented by lib/db/signing-keys.ts, which decrypts the private parts.
import type { KeyObject } from "node:crypto";
import { importJWK, type CryptoKey, type JWK } from "jose";
import { ServerError } from "../errors.ts";
import { privateKeyObject } from "../tokens/jws.ts";
import type { KeyAlgorithm } from "./algorithms.ts";

export { KEY_ALGORITHMS, isKeyAlgorithm, type KeyAlgorithm } from "./algorithms.ts";
export type KeyState = "active" | "retired";

/** A published key as the store hands it over: `privateJwk` only for active keys. */
export interface StoredKey {
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly state: KeyState;
  readonly activatedAt: Date;
  readonly publicJwk: JWK;
  readonly privateJwk?: JWK;
}

/** The port: active keys, plus retired keys still within their publication window at `now`. */
export interface KeyStore {
  loadPublishedKeys(now: Date): Promise<StoredKey[]>;
}

export interface PublishedKey {
  readonly kid: string;
  readonly alg: KeyAlgorithm;
  readonly state: KeyState;
  readonly activatedAt: Date;
  /** Public members only, with kid, alg and use. */
  readonly publicJwk: JWK;
  readonly publicKey: CryptoKey;
}

export interface ActiveKey extends PublishedKey {
  readonly state: "active";
  /** A node:crypto key: tokens are signed one-shot (lib/oauth/tokens/jws.ts). */
  readonly privateKey: KeyObject;
}

/** What signing needs; a Keyring is one. */
export interface SigningKeys {
  signingKey(alg: KeyAlgorithm): ActiveKey;
}

/** What verification needs; a Keyring answers from memory, a KeyringCache may reload first. */
export interface VerificationKeys {
  verificationKey(kid: string): PublishedKey | undefined | Promise<PublishedKey | undefined>;
}

// RFC 7517 §4 / RFC 7518 §6: the public members of each key type. Copying an allow-list (rather
// than deleting d, p, q, …) means a private member can never reach the JWKS, whatever was stored.
const PUBLIC_MEMBERS: Readonly<Record<string, readonly (keyof JWK)[]>> = {
  RSA: ["kty", "n", "e"],
  EC: ["kty", "crv", "x", "y"],
  OKP: ["kty", "crv", "x"],
};

export function publicJwkOf(jwk: JWK, kid: string, alg: KeyAlgorithm): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ""];
  if (!members) throw new Error(`key ${kid}: unsupported key type ${String(jwk.kty)}`);
  const pub: Record<string, unknown> = {};
  for (const name of members) if (jwk[name] !== undefined) pub[name] = jwk[name];
  return { ...pub, kid, alg, use: "sig" } as JWK;
}

async function importKey(jwk: JWK, alg: KeyAlgorithm, kid: string): Promise<CryptoKey> {
  const key = await importJWK(jwk, alg);
  if (key instanceof Uint8Array) throw new Error(`key ${kid}: a symmetric key is not a signing key`);
  return key;
}

function privateSigningKey(jwk: JWK, kid: string): KeyObject {
  if (jwk.kty === "oct") throw new Error(`key ${kid}: a symmetric key is not a signing key`);
  try {
    return privateKeyObject(jwk);
  } catch (error) {
    throw new Error(`key ${kid}: not a private key`, { cause: error });
  }
}

export class Keyring {
  readonly #byKid: ReadonlyMap<string, PublishedKey>;
  readonly #active: readonly ActiveKey[];
  readonly #jwks: { readonly keys: readonly JWK[] };
  /** The JWKS serialized once, for serving from memory. */
  readonly jwksJson: string;

  private constructor(keys: readonly PublishedKey[]) {
    // Newest first: signingKey() takes the first match, and the JWKS lists current keys first.
    const sorted = [...keys].sort((a, b) => b.activatedAt.getTime() - a.activatedAt.getTime());
    this.#byKid = new Map(sorted.map((key) => [key.kid, key]));
    this.#active = sorted.filter((key): key is ActiveKey => key.state === "active" && "privateKey" in key);
    this.#jwks = Object.freeze({ keys: Object.freeze(sorted.map((key) => key.publicJwk)) });
    this.jwksJson = JSON.stringify(this.#jwks);
  }

  /** Imports every key once. Throws on a malformed key: a broken keyring must not go live. */
  static async build(stored: readonly StoredKey[]): Promise<Keyring> {
    const keys = await Promise.all(
      stored.map(async (key): Promise<PublishedKey | ActiveKey> => {
        const publicJwk = Object.freeze(publicJwkOf(key.publicJwk, key.kid, key.alg));
        const base = { kid: key.kid, alg: key.alg, activatedAt: key.activatedAt, publicJwk };
        const publicKey = await importKey(publicJwk, key.alg, key.kid);
        if (key.state !== "active") return { ...base, state: key.state, publicKey };
        if (!key.privateJwk) throw new Error(`key ${key.kid}: an active key needs its private part`);
        const privateKey = privateSigningKey(key.privateJwk, key.kid);
        return { ...base, state: "active", publicKey, privateKey } satisfies ActiveKey;
      }),
    );
    return new Keyring(keys);
  }

  /** The newest active key of `alg`. */
  signingKey(alg: KeyAlgorithm): ActiveKey {
    const key = this.#active.find((candidate) => candidate.alg === alg);
    if (!key) throw new ServerError(`no active ${alg} signing key`);
    return key;
  }

  /** Any published key, active or retired: tokens signed before a rotation stay verifiable. */
  verificationKey(kid: string): PublishedKey | undefined {
    return this.#byKid.get(kid);
  }

  /** RFC 7517 §5: the JWK Set, public members only. */
  jwks(): { readonly keys: readonly JWK[] } {
    return this.#jwks;
  }

  get size(): number {
    return this.#byKid.size;
  }
}
