// Self-service sign-up (SIGNUP_ENABLED). The answer on screen is the same for a new address and
// for one that has an account, and takes the same time: the form is checked and counted, the
// answer given, and only then, in the background (deferred.ts), is the account created and a
// verification link mailed, or a "you already have an account" message sent instead. The new
// account must verify its address before any application gets access (email-verification.ts).
import { z } from "zod";
import { hashPassword } from "../auth/password.ts";
import { passwordSchema } from "../auth/password-policy.ts";
import { getDb } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { accountExistsMessage } from "../mail/messages.ts";
import { sendMail } from "../mail/send.ts";
import { emailSchema, mailRules, portalUrl, takeMailAllowance } from "./account-links.ts";
import type { MailRequestOutcome } from "./account-recovery.ts";
import { change } from "./change.ts";
import { runSoon, type Defer } from "./deferred.ts";
import { createVerificationLink, mailVerificationLink } from "./email-verification.ts";
import { parseInput, ServiceError } from "./errors.ts";

export const signUpSchema = z.object({
  email: emailSchema,
  name: z.string().trim().max(100, "The name must be at most 100 characters").default(""),
  password: passwordSchema,
});

export function signUpEnabled(): boolean {
  return getConfig().signupEnabled;
}

export async function signUp(
  input: { email: string; name?: string; password: string; ipAddress: string | undefined },
  defer: Defer = runSoon,
  now = new Date(),
): Promise<MailRequestOutcome> {
  if (!signUpEnabled()) throw new ServiceError("Sign-up is closed on this portal");
  const data = parseInput(signUpSchema, { email: input.email, name: input.name, password: input.password });
  const retryAfterSeconds = await takeMailAllowance(mailRules("signup", data.email, input.ipAddress), now);
  if (retryAfterSeconds !== undefined) return { ok: false, retryAfterSeconds };
  defer(() => createAccount(data, input.ipAddress ?? null));
  return { ok: true };
}

async function createAccount(data: z.output<typeof signUpSchema>, ipAddress: string | null): Promise<void> {
  const db = getDb();
  const exists = () => sendMail(accountExistsMessage(data.email, portalUrl("/login"), portalUrl("/forgot-password")));
  if (await db.user.findUnique({ where: { email: data.email }, select: { id: true } })) return void (await exists());
  const passwordHash = await hashPassword(data.password, getConfig().bcryptCost);
  const created = await change(async (tx, now) => {
    // Checked again inside: another sign-up may have taken the address meanwhile (and should one
    // commit between this check and the insert, the unique index refuses it: caught below).
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) return { result: null, audit: [] };
    const user = await tx.user.create({
      data: { email: data.email, name: data.name, passwordHash, selfSignedUp: true, emailVerified: false, createdAt: now },
      select: { id: true, email: true },
    });
    const link = await createVerificationLink(tx, user, now);
    return { result: link, audit: [{ type: "user.signed_up", actorUserId: user.id, ipAddress, detail: { email: user.email } }] };
  }, db).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === "P2002") return null;
    throw error;
  });
  if (created) await mailVerificationLink(data.email, created);
  else await exists();
}
