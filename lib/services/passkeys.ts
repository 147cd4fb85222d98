// Passkeys (WebAuthn, through @simplewebauthn/server): a sign-in on their own, and a second factor
// after a password or for a step-up. docs/architecture.md "Second factors" has the rules.
//
// - The relying party is the issuer: its host name is the rp id, its origin the only origin.
// - Every ceremony starts with a challenge row (WebAuthnChallenge): single use (taken by a
//   conditional delete before the answer is verified: of two answers, one wins), five minutes,
//   bound to the browser (the SHA-256 of a random value in an HttpOnly cookie the caller keeps,
//   lib/server/passkeys.ts) and, when the person is known, to them.
// - Residency and user verification are required, so a passkey alone is two factors (something
//   held, and the PIN or biometric that unlocked it): `amr` ["hwk"|"swk", "user", "mfa"] (RFC 8176;
//   `swk` when the credential is synced between devices or backed up).
// - The signature counter must grow whenever it or the stored one is non-zero; a counter that
//   does not is a cloned authenticator: refused and audited (passkey.cloned).
// - Every refusal of a known person's assertion counts in their second-factor throttle, as a wrong
//   code does; while it is locked no assertion is checked.
//
// Adding, renaming and removing are changes to the account (change(): audit, change counter).
// Using a passkey is a sign-in step: its writes and audit row share one transaction, without the
// change counter, like checking a password or a code.
import { createHash, randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { z } from "zod";
import {
  passwordChangeThrottleKey,
  recordFailure,
  SECOND_FACTOR_MAX_FAILURES,
  secondFactorRules,
  secondFactorThrottleKey,
  throttledUntil,
} from "../auth/throttle.ts";
import { getDb, type Db, type Tx } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { confirmCurrentPassword } from "./account.ts";
import { logAudit, writeAudit, type AuditEntry } from "./audit.ts";
import { change } from "./change.ts";
import { parseInput, ServiceError, type Actor } from "./errors.ts";

/** How long a challenge may be answered. */
export const CHALLENGE_MINUTES = 5;
/** At most this many passkeys per person (the account page lists them all). */
export const MAX_PASSKEYS = 20;

export type ChallengePurpose = "register" | "sign-in" | "second-factor";
export type DeviceType = "singleDevice" | "multiDevice";

/** A refused ceremony: nothing was granted or changed (except the throttle count). */
export class PasskeyRefused extends ServiceError {
  override name = "PasskeyRefused";
  constructor(
    readonly reason: "challenge" | "invalid" | "unknown" | "cloned" | "locked" | "none",
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message, { passkey: [message] });
  }
}

const MESSAGES = {
  challenge: "This passkey request has expired or was used already: try again",
  invalid: "The passkey's answer could not be verified: try again",
  unknown: "This passkey is not registered for an account here",
  cloned: "This passkey was refused: its authenticator may have been copied. Use another way to sign in",
  none: "No passkey is registered for this account",
} as const;

// ---------------------------------------------------------------------------------------------
// The relying party, the challenge binding, the response shapes

export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
  readonly name: string;
}

/** The relying party of this portal: the issuer's host name and origin. */
export function relyingParty(): RelyingParty {
  const { issuer, portalName } = getConfig();
  const url = new URL(issuer);
  return { id: url.hostname, origin: url.origin, name: portalName };
}

/** A fresh random value for the binding cookie (32 bytes, base64url). */
export const newChallengeBinding = (): string => randomBytes(32).toString("base64url");
const bindingHash = (binding: string) => createHash("sha256").update(binding).digest("base64url");

const id = z.string().trim().min(1).max(64);
const base64url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*$/, "not base64url");
const binding = z.string().min(32).max(128);
const passkeyName = z.string({ error: "Enter a name" }).trim().max(64, "A name has at most 64 characters");

const registrationResponse = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    authenticatorData: base64url.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

const authenticationResponse = z.object({
  id: base64url.min(1),
  rawId: base64url.min(1),
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

/** A browser's answer, as the browser library sends it; anything else is one clear refusal. */
const answer = <S extends z.ZodType>(shape: S) =>
  z.unknown().transform((value, ctx): z.output<S> => {
    const parsed = shape.safeParse(value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: MESSAGES.invalid });
    return z.NEVER;
  });

/** The challenge the browser signed, as its client data says (verified by the library afterwards). */
function signedChallenge(clientDataJSON: string): string | undefined {
  try {
    const parsed = JSON.parse(isoBase64URL.toUTF8String(clientDataJSON)) as { challenge?: unknown };
    return typeof parsed.challenge === "string" && parsed.challenge.length <= 512 ? parsed.challenge : undefined;
  } catch {
    return undefined;
  }
}

async function newChallenge(
  db: Db,
  purpose: ChallengePurpose,
  userId: string | null,
  browserBinding: string,
  now: Date,
): Promise<{ challenge: string; expiresAt: Date }> {
  const challenge = randomBytes(32).toString("base64url");
  const hash = bindingHash(browserBinding);
  const expiresAt = new Date(now.getTime() + CHALLENGE_MINUTES * 60_000);
  await db.$transaction(async (tx) => {
    // One open challenge per browser and purpose: a new one replaces the last.
    await tx.webAuthnChallenge.deleteMany({ where: { bindingHash: hash, purpose } });
    await tx.webAuthnChallenge.create({ data: { challenge, purpose, userId, bindingHash: hash, createdAt: now, expiresAt } });
  });
  return { challenge, expiresAt };
}

/**
 * Takes the challenge an answer signed: it must exist, be for this purpose, this browser and this
 * person, and not have expired. Deleted by a conditional write: of two answers, one wins.
 */
async function takeChallenge(
  db: Db,
  purpose: ChallengePurpose,
  userId: string | null,
  browserBinding: string,
  clientDataJSON: string,
  now: Date,
): Promise<string | undefined> {
  const challenge = signedChallenge(clientDataJSON);
  if (!challenge) return undefined;
  const { count } = await db.webAuthnChallenge.deleteMany({
    where: { challenge, purpose, userId, bindingHash: bindingHash(browserBinding), expiresAt: { gt: now } },
  });
  return count === 1 ? challenge : undefined;
}

const userHandle = (userId: string) => new TextEncoder().encode(userId);
const transportsOf = (text: string) => text.split(" ").filter(Boolean);
const KNOWN_TRANSPORTS = new Set(["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"]);

/** The RFC 8176 methods a passkey proves: device-bound or synced, user verified, two factors. */
export function passkeyAmr(passkey: { readonly deviceType: string; readonly backedUp: boolean }): string[] {
  const synced = passkey.deviceType === "multiDevice" || passkey.backedUp;
  return [synced ? "swk" : "hwk", "user", "mfa"];
}

/** What a new passkey is called when the person names it nothing. */
export function defaultPasskeyName(deviceType: DeviceType): string {
  return deviceType === "multiDevice" ? "Synced passkey" : "Passkey on this device";
}

// ---------------------------------------------------------------------------------------------
// Reads

export interface PasskeyView {
  readonly id: string;
  readonly name: string;
  readonly deviceType: DeviceType;
  readonly backedUp: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export async function listPasskeys(userId: string, db: Db = getDb()): Promise<PasskeyView[]> {
  const rows = await db.passkey.findMany({
    where: { userId },
    select: { id: true, name: true, deviceType: true, backedUp: true, createdAt: true, lastUsedAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => ({ ...row, deviceType: row.deviceType === "multiDevice" ? "multiDevice" : "singleDevice" }));
}

export const countPasskeys = (userId: string, db: Db = getDb()): Promise<number> => db.passkey.count({ where: { userId } });

// ---------------------------------------------------------------------------------------------
// Adding a passkey

export const passkeyRegistrationOptionsSchema = z.object({ userId: id, binding });

/** The options for navigator.credentials.create(): a discoverable credential, the user verified. */
export async function passkeyRegistrationOptions(
  input: { userId: string; binding: string },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const data = parseInput(passkeyRegistrationOptionsSchema, input);
  const user = await db.user.findUnique({
    where: { id: data.userId },
    select: { email: true, name: true, disabled: true, passkeys: { select: { credentialId: true, transports: true } } },
  });
  if (!user || user.disabled) throw new ServiceError("This account does not exist (any more)");
  if (user.passkeys.length >= MAX_PASSKEYS) throw new ServiceError(`You have ${MAX_PASSKEYS} passkeys: remove one to add another`);
  const rp = relyingParty();
  const { challenge } = await newChallenge(db, "register", data.userId, data.binding, now);
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.name || user.email,
    userID: userHandle(data.userId),
    challenge: isoBase64URL.toBuffer(challenge),
    timeout: CHALLENGE_MINUTES * 60_000,
    attestationType: "none",
    excludeCredentials: user.passkeys.map((passkey) => ({ id: passkey.credentialId, transports: transportsOf(passkey.transports) })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
  });
}

export const addPasskeySchema = z.object({
  userId: id,
  binding,
  name: passkeyName,
  response: answer(registrationResponse),
});

/** Verifies the browser's answer to passkeyRegistrationOptions and stores the passkey. */
export async function addPasskey(
  actor: Actor,
  input: { userId: string; binding: string; name: unknown; response: unknown },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PasskeyView> {
  const data = parseInput(addPasskeySchema, input);
  const response = data.response as RegistrationResponseJSON;
  const challenge = await takeChallenge(db, "register", data.userId, data.binding, response.response.clientDataJSON, now);
  if (!challenge) throw new PasskeyRefused("challenge", MESSAGES.challenge);
  const rp = relyingParty();
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch {
    verified = { verified: false };
  }
  if (!verified.verified) {
    await record(db, [{ type: "passkey.failed", actorUserId: data.userId, ipAddress: actor.ipAddress, detail: { step: "register" } }], now);
    throw new PasskeyRefused("invalid", MESSAGES.invalid);
  }
  const info = verified.registrationInfo;
  const deviceType: DeviceType = info.credentialDeviceType === "multiDevice" ? "multiDevice" : "singleDevice";
  const transports = (info.credential.transports ?? response.response.transports ?? []).filter((item) => KNOWN_TRANSPORTS.has(item));
  const name = data.name || defaultPasskeyName(deviceType);
  return change(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: data.userId }, select: { disabled: true } });
    if (!user || user.disabled) throw new ServiceError("This account does not exist (any more)");
    if (await tx.passkey.findUnique({ where: { credentialId: info.credential.id }, select: { id: true } })) {
      throw new ServiceError("This passkey is registered already");
    }
    const row = await tx.passkey.create({
      data: {
        userId: data.userId,
        credentialId: info.credential.id,
        publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: BigInt(info.credential.counter),
        transports: transports.join(" "),
        deviceType,
        backedUp: info.credentialBackedUp,
        name,
        createdAt: now,
      },
      select: { id: true, name: true, backedUp: true, createdAt: true, lastUsedAt: true },
    });
    return {
      result: { ...row, deviceType },
      audit: [
        {
          type: "passkey.added",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { passkeyId: row.id, deviceType, backedUp: info.credentialBackedUp, aaguid: info.aaguid, via: actor.via },
        },
      ],
    };
  }, db);
}

// ---------------------------------------------------------------------------------------------
// Renaming and removing

export const renamePasskeySchema = z.object({
  userId: id,
  passkeyId: z.string().trim().min(1, "Choose a passkey").max(64),
  name: passkeyName.min(1, "Enter a name"),
});

export async function renamePasskey(
  actor: Actor,
  input: { userId: string; passkeyId: unknown; name: unknown },
  db: Db = getDb(),
): Promise<{ name: string }> {
  const data = parseInput(renamePasskeySchema, input);
  return change(async (tx) => {
    const before = await tx.passkey.findFirst({ where: { id: data.passkeyId, userId: data.userId }, select: { name: true } });
    if (!before) throw new ServiceError("This passkey does not exist (any more)");
    if (before.name === data.name) return { result: { name: data.name }, audit: [] };
    await tx.passkey.update({ where: { id: data.passkeyId }, data: { name: data.name } });
    return {
      result: { name: data.name },
      audit: [
        {
          type: "passkey.renamed",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { passkeyId: data.passkeyId, via: actor.via },
        },
      ],
    };
  }, db);
}

export const removePasskeySchema = z.object({
  userId: id,
  passkeyId: z.string().trim().min(1, "Choose a passkey").max(64),
  currentPassword: z
    .string({ error: "Enter your current password" })
    .min(1, "Enter your current password")
    .max(1024, "That is not your current password"),
});

/** Removes one of the person's passkeys, once their current password confirms it is them. */
export async function removePasskey(
  actor: Actor,
  input: { userId: string; passkeyId: unknown; currentPassword: unknown },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<void> {
  const data = parseInput(removePasskeySchema, input);
  const exists = await db.passkey.findFirst({ where: { id: data.passkeyId, userId: data.userId }, select: { id: true } });
  if (!exists) throw new ServiceError("This passkey does not exist (any more)");
  await confirmCurrentPassword(db, data.userId, data.currentPassword, now);
  await change(async (tx) => {
    const { count } = await tx.passkey.deleteMany({ where: { id: data.passkeyId, userId: data.userId } });
    if (count === 0) throw new ServiceError("This passkey does not exist (any more)");
    await tx.rateLimit.deleteMany({ where: { key: passwordChangeThrottleKey(data.userId) } });
    return {
      result: undefined,
      audit: [
        {
          type: "passkey.removed",
          actorUserId: actor.userId,
          subjectUserId: subject(actor, data.userId),
          ipAddress: actor.ipAddress,
          detail: { passkeyId: data.passkeyId, via: actor.via },
        },
      ],
    };
  }, db);
}

// ---------------------------------------------------------------------------------------------
// Using a passkey

export const passkeySignInOptionsSchema = z.object({ binding });

/** Options for a sign-in with a passkey alone: no credential list (the browser offers its own). */
export async function passkeySignInOptions(
  input: { binding: string },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const data = parseInput(passkeySignInOptionsSchema, input);
  const { challenge } = await newChallenge(db, "sign-in", null, data.binding, now);
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge: isoBase64URL.toBuffer(challenge),
    timeout: CHALLENGE_MINUTES * 60_000,
    userVerification: "required",
  });
}

export const passkeySecondFactorOptionsSchema = z.object({ userId: id, binding });

/** Options for a known person's passkey as a second factor (or step-up): their passkeys only. */
export async function passkeySecondFactorOptions(
  input: { userId: string; binding: string },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const data = parseInput(passkeySecondFactorOptionsSchema, input);
  const passkeys = await db.passkey.findMany({
    where: { userId: data.userId, user: { disabled: false } },
    select: { credentialId: true, transports: true },
  });
  if (passkeys.length === 0) throw new PasskeyRefused("none", MESSAGES.none);
  const { challenge } = await newChallenge(db, "second-factor", data.userId, data.binding, now);
  return generateAuthenticationOptions({
    rpID: relyingParty().id,
    challenge: isoBase64URL.toBuffer(challenge),
    timeout: CHALLENGE_MINUTES * 60_000,
    userVerification: "required",
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: transportsOf(passkey.transports) })),
  });
}

export interface PasskeyAssertion {
  readonly userId: string;
  readonly passkeyId: string;
  /** The RFC 8176 methods this passkey proved: ["hwk" | "swk", "user", "mfa"]. */
  readonly amr: readonly string[];
}

export const verifyPasskeySignInSchema = z.object({ binding, response: answer(authenticationResponse) });

/**
 * Verifies a sign-in with a passkey alone (the answer to passkeySignInOptions): the person is the
 * passkey's owner. Throws PasskeyRefused.
 */
export async function verifyPasskeySignIn(
  input: { binding: string; response: unknown; ipAddress: string | null | undefined },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PasskeyAssertion> {
  const data = parseInput(verifyPasskeySignInSchema, input);
  return verifyAssertion(db, "sign-in", null, data.binding, data.response as AuthenticationResponseJSON, input.ipAddress ?? null, now);
}

export const verifyPasskeySecondFactorSchema = z.object({ userId: id, binding, response: answer(authenticationResponse) });

/**
 * Verifies a known person's passkey as their second factor (the answer to
 * passkeySecondFactorOptions): it must be one of theirs. Throws PasskeyRefused.
 */
export async function verifyPasskeySecondFactor(
  input: { userId: string; binding: string; response: unknown; ipAddress: string | null | undefined },
  now: Date = new Date(),
  db: Db = getDb(),
): Promise<PasskeyAssertion> {
  const data = parseInput(verifyPasskeySecondFactorSchema, input);
  return verifyAssertion(
    db,
    "second-factor",
    data.userId,
    data.binding,
    data.response as AuthenticationResponseJSON,
    input.ipAddress ?? null,
    now,
  );
}

async function verifyAssertion(
  db: Db,
  purpose: "sign-in" | "second-factor",
  expectedUserId: string | null,
  browserBinding: string,
  response: AuthenticationResponseJSON,
  ipAddress: string | null,
  now: Date,
): Promise<PasskeyAssertion> {
  if (expectedUserId) await refuseWhenLocked(db, expectedUserId, ipAddress, now);
  const challenge = await takeChallenge(db, purpose, expectedUserId, browserBinding, response.response.clientDataJSON, now);
  const passkey = await db.passkey.findUnique({
    where: { credentialId: response.id },
    select: { id: true, userId: true, publicKey: true, counter: true, transports: true, user: { select: { disabled: true } } },
  });
  // Whose throttle a failure counts in: the person asked about, or the passkey's owner.
  const owner = expectedUserId ?? passkey?.userId ?? null;
  const fail = (reason: "challenge" | "invalid" | "unknown", detail: Record<string, unknown> = {}) =>
    refuse(db, owner, reason, { purpose, ...detail }, ipAddress, now);
  if (!challenge) return fail("challenge");
  if (!passkey || passkey.user.disabled || (expectedUserId && passkey.userId !== expectedUserId)) {
    return fail("unknown", passkey ? { passkeyId: passkey.id } : {});
  }
  if (!expectedUserId) await refuseWhenLocked(db, passkey.userId, ipAddress, now);
  // A discoverable credential names its user: it must be the one it was made for.
  if (response.response.userHandle !== undefined && response.response.userHandle !== isoBase64URL.fromUTF8String(passkey.userId)) {
    return fail("invalid", { passkeyId: passkey.id, check: "user handle" });
  }
  const rp = relyingParty();
  let info: { newCounter: number; credentialDeviceType: string; credentialBackedUp: boolean } | undefined;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The counter is checked below, to tell a cloned authenticator from a bad answer.
      credential: {
        id: response.id,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: 0,
        transports: transportsOf(passkey.transports),
      },
      requireUserVerification: true,
    });
    if (verified.verified) info = verified.authenticationInfo;
  } catch {
    info = undefined;
  }
  if (!info) return fail("invalid", { passkeyId: passkey.id });
  const stored = passkey.counter;
  const counter = BigInt(info.newCounter);
  if ((counter > 0n || stored > 0n) && counter <= stored) {
    return refuse(
      db,
      passkey.userId,
      "cloned",
      { purpose, passkeyId: passkey.id, counter: info.newCounter, stored: Number(stored) },
      ipAddress,
      now,
    );
  }
  const deviceType: DeviceType = info.credentialDeviceType === "multiDevice" ? "multiDevice" : "singleDevice";
  const backedUp = info.credentialBackedUp;
  const accepted = await signInStep(db, now, async (tx) => {
    // Only over the counter it was checked against: of two answers with one counter, one wins.
    const { count } = await tx.passkey.updateMany({
      where: { id: passkey.id, counter: stored },
      data: { counter, deviceType, backedUp, lastUsedAt: now },
    });
    if (count === 0) return { result: false, audit: [] };
    await tx.rateLimit.deleteMany({ where: { key: secondFactorThrottleKey(passkey.userId) } });
    if (purpose === "sign-in") await tx.user.update({ where: { id: passkey.userId }, data: { lastLoginAt: now } });
    return {
      result: true,
      audit: [
        {
          type: "passkey.signin",
          actorUserId: passkey.userId,
          ipAddress,
          detail: { passkeyId: passkey.id, purpose, deviceType, backedUp },
        },
      ],
    };
  });
  if (!accepted) return refuse(db, passkey.userId, "cloned", { purpose, passkeyId: passkey.id, counter: info.newCounter }, ipAddress, now);
  return { userId: passkey.userId, passkeyId: passkey.id, amr: passkeyAmr({ deviceType, backedUp }) };
}

// ---------------------------------------------------------------------------------------------
// Helpers

const subject = (actor: Actor, userId: string) => (actor.userId === userId ? null : userId);
const minutes = (seconds: number) => {
  const count = Math.max(1, Math.ceil(seconds / 60));
  return `${count} minute${count === 1 ? "" : "s"}`;
};

async function record(db: Db, entries: readonly AuditEntry[], now: Date): Promise<void> {
  await writeAudit(db, entries, now);
  logAudit(entries, now);
}

/** A sign-in step's writes and audit rows, in one transaction (see the file comment). */
async function signInStep<T>(db: Db, now: Date, work: (tx: Tx) => Promise<{ result: T; audit: readonly AuditEntry[] }>): Promise<T> {
  const { result, audit } = await db.$transaction(async (tx) => {
    const outcome = await work(tx);
    await writeAudit(tx, outcome.audit, now);
    return outcome;
  });
  logAudit(audit, now);
  return result;
}

async function refuseWhenLocked(db: Db, userId: string, ipAddress: string | null, now: Date): Promise<void> {
  const locked = await throttledUntil(db, secondFactorRules(userId), now);
  if (!locked) return;
  const retryAfterSeconds = Math.ceil((locked.until.getTime() - now.getTime()) / 1000);
  await record(db, [{ type: "second_factor.locked", subjectUserId: userId, ipAddress, detail: { retryAfterSeconds, refused: true } }], now);
  throw new PasskeyRefused("locked", `Too many failed attempts: try again in ${minutes(retryAfterSeconds)}`, retryAfterSeconds);
}

/**
 * Audits a refused assertion (passkey.cloned for a counter that did not grow, passkey.failed
 * otherwise), counts it in the owner's second-factor throttle when there is one, and throws.
 */
async function refuse(
  db: Db,
  userId: string | null,
  reason: "challenge" | "invalid" | "unknown" | "cloned",
  detail: Record<string, unknown>,
  ipAddress: string | null,
  now: Date,
): Promise<never> {
  const entries: AuditEntry[] = [
    reason === "cloned"
      ? { type: "passkey.cloned", subjectUserId: userId, ipAddress, detail }
      : { type: "passkey.failed", subjectUserId: userId, ipAddress, detail: { reason, ...detail } },
  ];
  let retryAfterSeconds: number | undefined;
  if (userId) {
    const rules = secondFactorRules(userId);
    await recordFailure(db, rules, now);
    const locked = await throttledUntil(db, rules, now);
    if (locked) {
      retryAfterSeconds = Math.ceil((locked.until.getTime() - now.getTime()) / 1000);
      entries.push({
        type: "second_factor.locked",
        subjectUserId: userId,
        ipAddress,
        detail: { retryAfterSeconds, failures: SECOND_FACTOR_MAX_FAILURES },
      });
    }
  }
  await record(db, entries, now);
  throw new PasskeyRefused(reason, MESSAGES[reason], retryAfterSeconds);
}
