// Forgot password: a reset link mailed to the address, and setting a new password with it.
// Asking answers the same, in the same time, whether or not the account exists: the request is
// counted (per address typed and per client address, like sign-in) and answered, and only then,
// in the background, is the account looked up and the link mailed (deferred.ts).
import { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { passwordSchema } from "../auth/password-policy.ts";
import { endUserSessions } from "../auth/sessions.ts";
import { loginRules } from "../auth/throttle.ts";
import { revokeGrants } from "../db/grants.ts";
import { getDb } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { passwordResetMessage } from "../mail/messages.ts";
import { sendMail } from "../mail/send.ts";
import {
  consumeLink,
  createLink,
  emailSchema,
  findUsableLink,
  mailRules,
  RESET_LINK_MINUTES,
  takeMailAllowance,
  UnusableLink,
} from "./account-links.ts";
import { change } from "./change.ts";
import { runSoon, type Defer } from "./deferred.ts";
import { parseInput } from "./errors.ts";

export const requestPasswordResetSchema = z.object({ email: emailSchema });

export type MailRequestOutcome = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/**
 * Accepts a request for a reset link. Throws a ServiceError for a malformed address; otherwise
 * the outcome depends only on the limits, never on whether the account exists.
 */
export async function requestPasswordReset(
  input: { email: string; ipAddress: string | undefined },
  defer: Defer = runSoon,
  now = new Date(),
): Promise<MailRequestOutcome> {
  const { email } = parseInput(requestPasswordResetSchema, { email: input.email });
  const retryAfterSeconds = await takeMailAllowance(mailRules("reset", email, input.ipAddress), now);
  if (retryAfterSeconds !== undefined) return { ok: false, retryAfterSeconds };
  defer(() => mailResetLink(email, input.ipAddress ?? null));
  return { ok: true };
}

/** The background half: a link for an enabled account, nothing (but the audit row) otherwise. */
async function mailResetLink(email: string, ipAddress: string | null): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, disabled: true } });
  const link = await change(async (tx, now) => {
    if (!user || user.disabled) {
      return { result: null, audit: [{ type: "password_reset.requested", ipAddress, detail: { email, sent: false } }] };
    }
    const url = await createLink(tx, user, "password_reset", now);
    return { result: url, audit: [{ type: "password_reset.requested", subjectUserId: user.id, ipAddress, detail: { email, sent: true } }] };
  }, db);
  if (link) await sendMail(passwordResetMessage(email, link, RESET_LINK_MINUTES));
}

export const completePasswordResetSchema = z.object({ token: z.string(), password: passwordSchema });

/**
 * Sets a new password with a reset link: the link is used up, every session of the person ends
 * and every grant (refresh and access tokens) is revoked, since whoever knew the old password may
 * hold them. Throws UnusableLink (nothing changed) or a ServiceError naming the password.
 */
export async function completePasswordReset(input: {
  token: string;
  password: string;
  ipAddress: string | undefined;
}): Promise<{ email: string }> {
  // A link that cannot be used is said first (a malformed one included): no point choosing a
  // password for it. consumeLink decides again, in the change.
  if (!(await findUsableLink(input.token, "password_reset"))) throw new UnusableLink();
  const data = parseInput(completePasswordResetSchema, { token: input.token, password: input.password });
  // Hashed before the transaction: bcrypt's work must not hold the database.
  const passwordHash = await hashPassword(data.password, getConfig().bcryptCost);
  const db = getDb();
  const done = await change(async (tx, now) => {
    const link = await consumeLink(tx, data.token, "password_reset", now);
    await tx.user.update({ where: { id: link.userId }, data: { passwordHash } });
    const sessionsEnded = await endUserSessions(tx, link.userId, now);
    // Whoever follows the link owns the address: the failed sign-ins counted against it go.
    await tx.rateLimit.deleteMany({ where: { key: loginRules(link.email, undefined)[0]!.key } });
    return {
      result: { userId: link.userId, email: link.email, at: now },
      audit: [
        {
          type: "password_reset.completed",
          actorUserId: link.userId,
          ipAddress: input.ipAddress ?? null,
          detail: { email: link.email, sessionsEnded },
        },
      ],
    };
  }, db);
  // After the commit, in its own transaction (grants.ts), as disabling a user does.
  await revokeGrants(db, { userId: done.userId }, done.at);
  return { email: done.email };
}
