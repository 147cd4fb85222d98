// Links mailed to a person (AccountLink): a password reset or an email verification. The link
// carries a 256-bit random secret; only its SHA-256 is stored. A link works once (a conditional
// write on `usedAt IS NULL` decides which of two concurrent uses wins), until it expires, and a
// newer link of the same purpose ends the older ones. Shared by account-recovery.ts,
// email-verification.ts and signup.ts.
import { z } from "zod";
import { createHash } from "node:crypto";
import { recordFailure, throttledUntil, type ThrottleRule } from "../auth/throttle.ts";
import { getDb, type Tx } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { hashToken, randomToken } from "../oauth/tokens/opaque.ts";
import { ServiceError } from "./errors.ts";

export type LinkPurpose = "password_reset" | "email_verification";

export const RESET_LINK_MINUTES = 30;
export const VERIFICATION_LINK_HOURS = 24;

const LIFETIME_MS: Readonly<Record<LinkPurpose, number>> = {
  password_reset: RESET_LINK_MINUTES * 60_000,
  email_verification: VERIFICATION_LINK_HOURS * 3_600_000,
};

const PATH: Readonly<Record<LinkPurpose, string>> = {
  password_reset: "/reset-password",
  email_verification: "/verify-email",
};

/** What a link's secret looks like (randomToken: 43 base64url characters); anything else is forged. */
export const linkTokenSchema = z.string({ error: "This link is not valid" }).regex(/^[A-Za-z0-9_-]{43}$/, "This link is not valid");

/** A link that is forged, expired, used, replaced, or for an account that changed: nothing was changed. */
export class UnusableLink extends ServiceError {
  override name = "UnusableLink";
  constructor() {
    super("This link is not valid any more");
  }
}

export function portalUrl(path: string): string {
  return `${getConfig().issuer}${path}`;
}

/** Ends the person's unused links of one purpose and creates a new one; returns its URL. */
export async function createLink(tx: Tx, user: { id: string; email: string }, purpose: LinkPurpose, now: Date): Promise<string> {
  await tx.accountLink.updateMany({ where: { userId: user.id, purpose, usedAt: null }, data: { usedAt: now } });
  const token = randomToken();
  await tx.accountLink.create({
    data: {
      tokenHash: hashToken(token),
      userId: user.id,
      purpose,
      email: user.email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
    },
  });
  return portalUrl(`${PATH[purpose]}?token=${token}`);
}

export interface UsableLink {
  readonly id: string;
  readonly userId: string;
  readonly email: string;
}

const usable = (token: string, purpose: LinkPurpose, now: Date) => ({
  tokenHash: hashToken(token),
  purpose,
  usedAt: null,
  expiresAt: { gt: now },
});

/**
 * The link, when it can still be used: unused, unexpired, and its account enabled and still at
 * the address it was sent to. Reads only (a page shows its form with it).
 */
export async function findUsableLink(token: string, purpose: LinkPurpose, now = new Date()): Promise<UsableLink | null> {
  if (!linkTokenSchema.safeParse(token).success) return null;
  const link = await getDb().accountLink.findFirst({
    where: usable(token, purpose, now),
    select: { id: true, userId: true, email: true, user: { select: { email: true, disabled: true } } },
  });
  if (!link || link.user.disabled || link.user.email !== link.email) return null;
  return { id: link.id, userId: link.userId, email: link.email };
}

/** Uses the link inside a change: throws UnusableLink unless this request is the one that used it. */
export async function consumeLink(tx: Tx, token: string, purpose: LinkPurpose, now: Date): Promise<UsableLink> {
  if (!linkTokenSchema.safeParse(token).success) throw new UnusableLink();
  const link = await tx.accountLink.findFirst({
    where: usable(token, purpose, now),
    select: { id: true, userId: true, email: true, user: { select: { email: true, disabled: true } } },
  });
  if (!link || link.user.disabled || link.user.email !== link.email) throw new UnusableLink();
  const { count } = await tx.accountLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
  if (count !== 1) throw new UnusableLink();
  return { id: link.id, userId: link.userId, email: link.email };
}

/** A successful sign-in ends the person's unused reset links: they remembered their password. */
export async function endResetLinks(userId: string, now = new Date()): Promise<void> {
  await getDb().accountLink.updateMany({ where: { userId, purpose: "password_reset", usedAt: null }, data: { usedAt: now } });
}

/** Fixed-window limits on mail-sending requests, counted whether or not the account exists. */
export function mailRules(kind: "reset" | "verify" | "signup", account: string, address: string | undefined): ThrottleRule[] {
  const key = createHash("sha256").update(account.trim().toLowerCase()).digest("hex");
  const rules: ThrottleRule[] = [{ scope: "account", key: `${kind}:account:${key}`, maxFailures: 5, windowSeconds: 15 * 60 }];
  if (address) rules.push({ scope: "address", key: `${kind}:address:${address.slice(0, 64)}`, maxFailures: 20, windowSeconds: 15 * 60 });
  return rules;
}

/** Counts one request against the rules; the seconds to wait when one of them is exhausted already. */
export async function takeMailAllowance(rules: readonly ThrottleRule[], now: Date): Promise<number | undefined> {
  const db = getDb();
  const throttled = await throttledUntil(db, rules, now);
  if (throttled) return Math.ceil((throttled.until.getTime() - now.getTime()) / 1000);
  await recordFailure(db, rules, now);
  return undefined;
}

export const emailSchema = z
  .string({ error: "Enter your email address" })
  .trim()
  .min(1, "Enter your email address")
  .max(254, "The email address must be at most 254 characters")
  .pipe(z.email("Enter an email address, such as name@example.com"))
  .transform((email) => email.toLowerCase());
