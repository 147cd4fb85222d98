// Signing keys: what the console shows of them (never the private part), and rotation. The
// console and `npm run keys:rotate` both rotate through here, so every rotation is audited and
// moves the change counter: every server instance reloads its keyring at once (watch-changes.ts)
// instead of at its next KEY_RELOAD_SECONDS.
import { z } from "zod";
import { getDb, type Db } from "../db/index.ts";
import { applyRotation, prepareRotation, retiredKeyPublishSeconds } from "../db/signing-keys.ts";
import { getConfig } from "../env.ts";
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from "../keys/generate.ts";
import { resolvePortalSecret } from "../portal-secret.ts";
import { change } from "./change.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";

export interface SigningKeyView {
  readonly kid: string;
  readonly alg: string;
  readonly state: "active" | "retired";
  readonly createdAt: Date;
  readonly activatedAt: Date;
  readonly retiredAt: Date | null;
  /** A retired key's public part stays in the JWKS until then, to verify the tokens it signed. */
  readonly publishUntil: Date | null;
}

export { SIGNING_ALGORITHMS, type SigningAlgorithm };

/** Active keys first, then retired ones, newest first; keys no longer published are left out. */
export async function listSigningKeys(now: Date = new Date(), db: Db = getDb()): Promise<SigningKeyView[]> {
  const rows = await db.signingKey.findMany({
    where: { OR: [{ state: "active" }, { publishUntil: { gt: now } }] },
    select: { kid: true, alg: true, state: true, createdAt: true, activatedAt: true, retiredAt: true, publishUntil: true },
    orderBy: [{ state: "asc" }, { activatedAt: "desc" }],
  });
  return rows.map((row) => ({ ...row, state: row.state === "active" ? "active" : "retired" }));
}

export const rotateSigningKeysInput = z.object({
  alg: z.enum(SIGNING_ALGORITHMS, { error: `Choose one of ${SIGNING_ALGORITHMS.join(", ")}` }).optional(),
});

export interface KeyRotation {
  readonly created: readonly { readonly kid: string; readonly alg: SigningAlgorithm }[];
  readonly retired: readonly { readonly kid: string; readonly alg: string; readonly publishUntil: Date }[];
}

/** A new active key for every algorithm (or the one given); the previous ones retire. */
export async function rotateSigningKeys(actor: Actor, input: { readonly alg?: string }, db: Db = getDb()): Promise<KeyRotation> {
  const { alg } = parseInput(rotateSigningKeysInput, input);
  const config = getConfig();
  const { secret } = resolvePortalSecret(config);
  const publishForSeconds = await retiredKeyPublishSeconds(db, config);
  // Checking the secret and generating the key pairs (RSA is slow) happen before the transaction,
  // which then only swaps rows, writes the audit event and moves the change counter.
  const prepared = await prepareRotation(db, secret, { publishForSeconds, ...(alg ? { algorithms: [alg] } : {}) });
  return change(async (tx, now) => {
    const result = await applyRotation(tx, prepared, now);
    return {
      result,
      audit: [
        {
          type: "key.rotated",
          actorUserId: actor.userId,
          ipAddress: actor.ipAddress ?? null,
          detail: {
            alg: alg ?? "all",
            newKids: result.created.map((key) => key.kid),
            retiredKids: result.retired.map((key) => key.kid),
            via: actor.via,
          },
        },
      ],
    };
  }, db);
}

export const revokeSigningKeyInput = z.object({
  kid: z.string({ error: "Choose a key" }).min(1, "Choose a key").max(200, "Choose a key"),
});

/**
 * Withdraws a retired key from the JWKS now, instead of when the tokens it signed expire: for a
 * key that may have leaked. Those tokens stop verifying at once (every instance reloads its
 * keyring on the change), so their holders must sign in or refresh again. An active key is never
 * withdrawn: rotate first, so every algorithm keeps a key to sign with.
 */
export async function revokeSigningKey(actor: Actor, input: unknown, db: Db = getDb()): Promise<{ kid: string; alg: string }> {
  const { kid } = parseInput(revokeSigningKeyInput, input);
  return change(async (tx, now) => {
    const key = await tx.signingKey.findUnique({ where: { kid }, select: { kid: true, alg: true, state: true, publishUntil: true } });
    if (!key || (key.state !== "active" && !(key.publishUntil && key.publishUntil > now))) {
      throw ServiceError.field("kid", "That key is not published any more.");
    }
    if (key.state === "active")
      throw ServiceError.field("kid", "An active key signs new tokens: rotate it first, then withdraw the retired one.");
    await tx.signingKey.update({ where: { kid }, data: { publishUntil: now } });
    return {
      result: { kid: key.kid, alg: key.alg },
      audit: [
        {
          type: "key.revoked",
          actorUserId: actor.userId,
          ipAddress: actor.ipAddress ?? null,
          detail: { kid: key.kid, alg: key.alg, via: actor.via },
        },
      ],
    };
  }, db);
}

/** A key that was withdrawn (no longer published), for the notice after withdrawing it. */
export async function findWithdrawnKey(
  kid: string,
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<{ kid: string; alg: string } | null> {
  if (kid.length > 200) return null;
  return db.signingKey.findFirst({ where: { kid, state: "retired", publishUntil: { lte: now } }, select: { kid: true, alg: true } });
}
