// Proving an email address: a link mailed at sign-up (signup.ts) and on demand from the account
// page; following it sets User.emailVerified, which the ID token and UserInfo report as
// `email_verified` (OpenID Connect Core §5.1). A person who signed up themself must verify before
// any application gets access (the authorization core asks mustVerifyEmail).
import { z } from "zod";
import { getDb } from "../db/index.ts";
import { emailVerificationMessage } from "../mail/messages.ts";
import { sendMail } from "../mail/send.ts";
import { consumeLink, createLink, mailRules, takeMailAllowance, VERIFICATION_LINK_HOURS } from "./account-links.ts";
import { change, type Tx } from "./change.ts";
import { runSoon, type Defer } from "./deferred.ts";
import { parseInput, type Actor } from "./errors.ts";
import type { MailRequestOutcome } from "./account-recovery.ts";

/** Where the person stands: shown on the account page and the consent page. */
export async function emailVerificationStatus(userId: string): Promise<{ email: string; verified: boolean; required: boolean } | null> {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true, selfSignedUp: true } });
  return user ? { email: user.email, verified: user.emailVerified, required: user.selfSignedUp && !user.emailVerified } : null;
}

/** A new link in a change that creates or concerns the person (it ends their earlier links). */
export function createVerificationLink(tx: Tx, user: { id: string; email: string }, now: Date): Promise<string> {
  return createLink(tx, user, "email_verification", now);
}

export function mailVerificationLink(email: string, link: string): Promise<boolean> {
  return sendMail(emailVerificationMessage(email, link, VERIFICATION_LINK_HOURS));
}

export const requestEmailVerificationSchema = z.object({ userId: z.string().trim().min(1).max(64) });

/** The signed-in person asks for a (new) link; counted per account like the other mail requests. */
export async function requestEmailVerification(
  actor: Actor,
  userId: string,
  defer: Defer = runSoon,
  now = new Date(),
): Promise<MailRequestOutcome> {
  const data = parseInput(requestEmailVerificationSchema, { userId });
  const retryAfterSeconds = await takeMailAllowance(mailRules("verify", data.userId, actor.ipAddress ?? undefined), now);
  if (retryAfterSeconds !== undefined) return { ok: false, retryAfterSeconds };
  defer(async () => {
    const db = getDb();
    const sent = await change(async (tx, at) => {
      const user = await tx.user.findUnique({
        where: { id: data.userId },
        select: { id: true, email: true, emailVerified: true, disabled: true },
      });
      if (!user || user.disabled || user.emailVerified) return { result: null, audit: [] };
      return { result: { email: user.email, link: await createVerificationLink(tx, user, at) }, audit: [] };
    }, db);
    if (sent) await mailVerificationLink(sent.email, sent.link);
  });
  return { ok: true };
}

export const verifyEmailSchema = z.object({ token: z.string() });

/** Follows a verification link. Throws UnusableLink (nothing changed) when it cannot be used. */
export async function verifyEmail(input: { token: string; ipAddress: string | undefined }): Promise<{ userId: string; email: string }> {
  const data = parseInput(verifyEmailSchema, { token: input.token });
  return change(async (tx, now) => {
    const link = await consumeLink(tx, data.token, "email_verification", now);
    await tx.user.update({ where: { id: link.userId }, data: { emailVerified: true } });
    return {
      result: { userId: link.userId, email: link.email },
      audit: [{ type: "email.verified", actorUserId: link.userId, ipAddress: input.ipAddress ?? null, detail: { email: link.email } }],
    };
  });
}
