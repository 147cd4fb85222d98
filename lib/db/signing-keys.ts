// Signing keys in the database: public JWK in clear, private JWK sealed with PORTAL_SECRET.
// Implements the KeyStore port of lib/oauth/keys/keyring.ts and the rotation of `keys:rotate`.
import type { JWK } from "jose";
import { open, seal, SecretBoxError } from "../crypto/secret-box.ts";
import { SIGNING_ALGORITHMS, generateSigningKey, type GeneratedKey, type SigningAlgorithm } from "../keys/generate.ts";
import { isKeyAlgorithm, type KeyStore, type StoredKey } from "../oauth/keys/keyring.ts";
import type { Db, Tx } from "./client.ts";

/**
 * The algorithms that always have an active key: every one a client may register for its ID
 * tokens (discovery's id_token_signing_alg_values_supported), so none of them ever lacks a key.
 */
export const DEFAULT_KEY_ALGORITHMS: readonly SigningAlgorithm[] = SIGNING_ALGORITHMS;

/**
 * How long a retired key outlives the longest token lifetime. It covers the keyring reload
 * interval (60 s: a server may sign with the old key that long after a rotation) and clock skew.
 */
export const RETIRED_KEY_MARGIN_SECONDS = 300;

/** Creates an active key for each algorithm that has none. Returns the kids it created. */
export async function ensureSigningKeys(
  db: Db,
  portalSecret: string,
  algorithms: readonly SigningAlgorithm[] = DEFAULT_KEY_ALGORITHMS,
): Promise<string[]> {
  const active = await db.signingKey.findMany({ where: { state: "active" }, select: { alg: true } });
  const have = new Set(active.map((key) => key.alg));
  const created: string[] = [];
  for (const alg of algorithms) {
    if (have.has(alg)) continue;
    created.push(await createSigningKey(db, portalSecret, alg));
  }
  return created;
}

/** The active keys are sealed under another secret than the one configured. */
export class WrongPortalSecretError extends Error {
  override name = "WrongPortalSecretError";
  constructor(
    readonly kids: readonly string[],
    activeCount: number,
  ) {
    super(
      `${kids.length} of the ${activeCount} active signing keys in the database (${kids.join(", ")}) cannot be ` +
        "decrypted with the configured PORTAL_SECRET: it is not the secret they were created with. Set PORTAL_SECRET " +
        "to that secret (every instance on this database must use the same one).",
    );
  }
}

/**
 * Proves the secret opens every active key's private part (once each), so a wrong PORTAL_SECRET
 * stops the start instead of failing every token and JWKS request later. Throws
 * WrongPortalSecretError naming the keys it cannot open.
 */
export async function checkSigningKeysOpen(db: Db, portalSecret: string): Promise<void> {
  const active = await db.signingKey.findMany({ where: { state: "active" }, select: { kid: true, privateJwkEncrypted: true } });
  const sealedElsewhere = active.filter((key) => {
    try {
      JSON.parse(open(key.privateJwkEncrypted, portalSecret));
      return false;
    } catch (error) {
      if (error instanceof SecretBoxError) return true;
      throw error;
    }
  });
  if (sealedElsewhere.length > 0)
    throw new WrongPortalSecretError(
      sealedElsewhere.map((key) => key.kid),
      active.length,
    );
}

export async function createSigningKey(db: Db, portalSecret: string, alg: SigningAlgorithm): Promise<string> {
  const key = await generateSigningKey(alg);
  await db.signingKey.create({ data: keyRow(key, portalSecret, new Date()) });
  return key.kid;
}

function keyRow(key: GeneratedKey, portalSecret: string, activatedAt: Date) {
  return {
    kid: key.kid,
    alg: key.alg,
    publicJwk: JSON.stringify(key.publicJwk),
    privateJwkEncrypted: seal(JSON.stringify(key.privateJwk), portalSecret),
    state: "active",
    activatedAt,
  };
}

/** The KeyStore port: active keys, and retired keys until their publishUntil. */
export async function loadPublishedKeys(db: Db, portalSecret: string, now: Date): Promise<StoredKey[]> {
  const rows = await db.signingKey.findMany({
    where: { OR: [{ state: "active" }, { state: "retired", publishUntil: { gt: now } }] },
    orderBy: { activatedAt: "desc" },
  });
  return rows.map((row): StoredKey => {
    if (!isKeyAlgorithm(row.alg)) throw new Error(`signing key ${row.kid}: unknown algorithm ${row.alg}`);
    const base = { kid: row.kid, alg: row.alg, activatedAt: row.activatedAt, publicJwk: JSON.parse(row.publicJwk) as JWK };
    // Only active keys sign; a retired key's private part is never decrypted again.
    if (row.state !== "active") return { ...base, state: "retired" };
    return { ...base, state: "active", privateJwk: JSON.parse(open(row.privateJwkEncrypted, portalSecret)) as JWK };
  });
}

export function signingKeyStore(db: Db, portalSecret: string): KeyStore {
  return { loadPublishedKeys: (now) => loadPublishedKeys(db, portalSecret, now) };
}

/**
 * How long a retired key stays in the JWKS: the longest lifetime of a token it may have signed
 * (global access-token and ID-token TTLs, and any per-client override), plus the margin.
 */
export async function retiredKeyPublishSeconds(
  db: Db,
  config: { readonly accessTokenTtlSeconds: number; readonly idTokenTtlSeconds: number; readonly keyReloadSeconds?: number },
): Promise<number> {
  const overrides = await db.client.aggregate({ _max: { accessTokenTtlSeconds: true, idTokenTtlSeconds: true } });
  const longest = Math.max(
    config.accessTokenTtlSeconds,
    config.idTokenTtlSeconds,
    overrides._max.accessTokenTtlSeconds ?? 0,
    overrides._max.idTokenTtlSeconds ?? 0,
  );
  // A server still signs with the old key until its next reload: its tokens live that much longer.
  return longest + Math.max(RETIRED_KEY_MARGIN_SECONDS, config.keyReloadSeconds ?? 0);
}

export interface RotateOptions {
  readonly now: Date;
  /** How long retired public keys stay published; see retiredKeyPublishSeconds. */
  readonly publishForSeconds: number;
  /** Default: every algorithm with an active key, and the default ones. */
  readonly algorithms?: readonly SigningAlgorithm[];
}

export interface RotationResult {
  readonly created: readonly { readonly kid: string; readonly alg: SigningAlgorithm }[];
  readonly retired: readonly { readonly kid: string; readonly alg: string; readonly publishUntil: Date }[];
}

/** A rotation made ready outside any transaction: the secret checked, the new key pairs generated. */
export interface PreparedRotation {
  readonly portalSecret: string;
  readonly algorithms: readonly SigningAlgorithm[];
  readonly fresh: readonly GeneratedKey[];
  readonly publishForSeconds: number;
}

/**
 * The slow, read-only half of a rotation: proves the secret opens the current keys and generates
 * the new pairs (RSA takes a while), so the transaction that swaps them stays short.
 */
export async function prepareRotation(db: Db | Tx, portalSecret: string, options: Omit<RotateOptions, "now">): Promise<PreparedRotation> {
  const active = await db.signingKey.findMany({ where: { state: "active" } });
  // Keys sealed under another PORTAL_SECRET (say, the CLI run from another DATA_DIR) would be
  // unusable to the server: prove the secret opens the current keys before changing anything.
  for (const key of active) open(key.privateJwkEncrypted, portalSecret);
  const algorithms = options.algorithms ?? [
    ...new Set([...DEFAULT_KEY_ALGORITHMS, ...active.map((key) => key.alg).filter(isKeyAlgorithm)]),
  ];
  const fresh = await Promise.all(algorithms.map((alg) => generateSigningKey(alg)));
  return { portalSecret, algorithms, fresh, publishForSeconds: options.publishForSeconds };
}

/**
 * The swap, inside the caller's transaction: the previous active keys of these algorithms retire
 * and the new ones become active. Old public keys stay in the JWKS until every token they signed
 * has expired (publishUntil).
 */
export async function applyRotation(tx: Tx, prepared: PreparedRotation, now: Date): Promise<RotationResult> {
  const publishUntil = new Date(now.getTime() + prepared.publishForSeconds * 1000);
  const old = await tx.signingKey.findMany({
    where: { state: "active", alg: { in: [...prepared.algorithms] } },
    select: { kid: true, alg: true },
  });
  await tx.signingKey.updateMany({
    where: { kid: { in: old.map((key) => key.kid) } },
    data: { state: "retired", retiredAt: now, publishUntil },
  });
  for (const key of prepared.fresh) await tx.signingKey.create({ data: keyRow(key, prepared.portalSecret, now) });
  return {
    created: prepared.fresh.map((key) => ({ kid: key.kid, alg: key.alg })),
    retired: old.map((key) => ({ kid: key.kid, alg: key.alg, publishUntil })),
  };
}

/** Adds a new active key per algorithm and retires the previous ones, in one transaction. */
export async function rotateSigningKeys(db: Db, portalSecret: string, options: RotateOptions): Promise<RotationResult> {
  const prepared = await prepareRotation(db, portalSecret, options);
  return db.$transaction((tx) => applyRotation(tx, prepared, options.now));
}
