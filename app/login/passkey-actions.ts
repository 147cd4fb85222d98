"use server";

// Passkeys at sign-in (lib/services/passkeys.ts): a sign-in with a passkey alone, and a passkey as
// the second factor, either of the pending sign-in (after a right password) or as a step-up of the
// session this browser has. Each ceremony is two calls: the options (a new challenge, bound to this
// browser by its own cookie: lib/server/passkeys.ts), then the browser's answer. On success the
// sign-in finishes (lib/server/pending-sign-in.ts), which navigates; otherwise the answer is an
// error for the person.
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { headers } from "next/headers";
import { z } from "zod";
import { clientAddress } from "@/lib/server/client-address";
import { runtime } from "@/lib/server/deps";
import { challengeBinding, challengeBindingForNewCeremony } from "@/lib/server/passkeys";
import { continueSignIn, finishSignIn, readPendingSignIn } from "@/lib/server/pending-sign-in";
import { secondStepSubject, signInAfterSecondStep } from "@/lib/server/second-step";
import { getCurrentSession } from "@/lib/server/session";
import { recordSignInCompleted } from "@/lib/services/sign-in";
import { ServiceError } from "@/lib/services/errors";
import { passkeySecondFactorOptions, passkeySignInOptions, verifyPasskeySecondFactor, verifyPasskeySignIn } from "@/lib/services/passkeys";

export type PasskeyOptionsResult =
  { readonly ok: true; readonly options: PublicKeyCredentialRequestOptionsJSON } | { readonly ok: false; readonly error: string };

/** What a finished ceremony answers when it did not navigate. */
export interface PasskeyResult {
  readonly error: string;
}

/** Which second-factor ceremony: of the pending sign-in, or a step-up of the current session. */
export type PasskeySecondFactorMode = "pending" | "step-up";

const target = z.object({
  interaction: z.string().min(1).max(128).optional(),
  returnTo: z.string().max(2000).optional(),
});
const mode = z.enum(["pending", "step-up"]);

const SIGNED_OUT = "Your sign-in has expired: sign in again.";

/** A service refusal becomes its message; anything else is not the person's fault and propagates. */
function refusal(error: unknown): { ok: false; error: string } {
  if (error instanceof ServiceError) return { ok: false, error: error.message.endsWith(".") ? error.message : `${error.message}.` };
  throw error;
}

const ipAddress = async () => clientAddress(await headers()) ?? null;

/** Options for "Sign in with a passkey" and for the email field's passkey suggestions. */
export async function passkeySignInOptionsAction(): Promise<PasskeyOptionsResult> {
  try {
    return { ok: true, options: await passkeySignInOptions({ binding: await challengeBindingForNewCeremony() }, runtime.now()) };
  } catch (error) {
    return refusal(error);
  }
}

/** Signs in with a passkey alone, then continues the authorization request or goes to `returnTo`. */
export async function signInWithPasskeyAction(response: AuthenticationResponseJSON, where: unknown): Promise<PasskeyResult> {
  const parsed = target.safeParse(where);
  if (!parsed.success) return { error: "This sign-in request is not valid: go back and try again." };
  let signedIn: { userId: string; amr: readonly string[] };
  try {
    signedIn = await verifyPasskeySignIn({ binding: await challengeBinding(), response, ipAddress: await ipAddress() }, runtime.now());
  } catch (error) {
    return { error: refusal(error).error };
  }
  await recordSignInCompleted(signedIn.userId, signedIn.amr, await ipAddress(), runtime.now());
  return finishSignIn(signedIn.userId, signedIn.amr, parsed.data);
}

/** Whose second factor: the pending sign-in's person, or the signed-in one's (with their methods so far). */
async function secondFactorSubject(which: PasskeySecondFactorMode) {
  if (which === "pending") {
    const pending = await readPendingSignIn();
    return pending
      ? { userId: pending.userId, amr: pending.amr, target: { interaction: pending.interaction, returnTo: pending.returnTo } }
      : null;
  }
  const session = await getCurrentSession();
  return session ? { userId: session.userId, amr: session.amr ?? ["pwd"], target: undefined } : null;
}

/** Options for a passkey as the second factor (`mode`: "pending" or "step-up"). */
export async function passkeySecondFactorOptionsAction(which: unknown): Promise<PasskeyOptionsResult> {
  const parsed = mode.safeParse(which);
  const subject = parsed.success ? await secondFactorSubject(parsed.data) : null;
  if (!subject) return { ok: false, error: SIGNED_OUT };
  try {
    const binding = await challengeBindingForNewCeremony();
    return { ok: true, options: await passkeySecondFactorOptions({ userId: subject.userId, binding }, runtime.now()) };
  } catch (error) {
    return refusal(error);
  }
}

/**
 * Verifies the passkey as the second factor and finishes the sign-in with the methods so far plus
 * the passkey's (RFC 8176: hwk or swk, user, mfa). The pending sign-in goes where it was going; a
 * step-up goes to `where` (an authorization request or a return path), like the password form.
 */
export async function verifyPasskeySecondFactorAction(
  which: unknown,
  response: AuthenticationResponseJSON,
  where: unknown,
): Promise<PasskeyResult> {
  const parsedMode = mode.safeParse(which);
  const parsedTarget = target.safeParse(where ?? {});
  if (!parsedMode.success || !parsedTarget.success) return { error: "This sign-in request is not valid: go back and try again." };
  // The second step's own rule (lib/server/second-step.ts): the pending sign-in, or a step-up only
  // for an authorization request bound to this session.
  const subject = await secondStepSubject(parsedTarget.data.interaction);
  if (!subject || subject.need !== "verify") return { error: SIGNED_OUT };
  let amr: readonly string[];
  try {
    ({ amr } = await verifyPasskeySecondFactor(
      { userId: subject.userId, binding: await challengeBinding(), response, ipAddress: await ipAddress() },
      runtime.now(),
    ));
  } catch (error) {
    return { error: refusal(error).error };
  }
  return continueSignIn(await signInAfterSecondStep(subject, amr, await ipAddress()), subject.target);
}
