"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { TotpEnrolmentState } from "@/app/_components/second-factor/totp-enrolment";
import { clientAddress } from "@/lib/server/client-address";
import { runtime } from "@/lib/server/deps";
import { clearPendingSignIn, continueSignIn } from "@/lib/server/pending-sign-in";
import { secondStepSubject, signInAfterSecondStep } from "@/lib/server/second-step";
import { confirmTotpEnrolment, SecondFactorRefused, spendRecoveryCode, verifyTotpCode } from "@/lib/services/second-factor";
import { ServiceError } from "@/lib/services/errors";

export interface SecondStepState {
  /** Said next to the code field (aria-describedby). */
  readonly error?: string;
}

const form = z.object({
  method: z.enum(["totp", "recovery"]),
  interaction: z.string().min(1).max(128).optional(),
});

const EXPIRED = "This sign-in has expired. Sign in again.";

/** A code from the authenticator app, or a recovery code, as the second step of a sign-in (or a step-up). */
export async function verifySecondFactor(_previous: SecondStepState, formData: FormData): Promise<SecondStepState> {
  const parsed = form.safeParse({ method: formData.get("method"), interaction: formData.get("interaction") || undefined });
  if (!parsed.success) return { error: "Enter the code." };
  const subject = await secondStepSubject(parsed.data.interaction);
  if (!subject || subject.need !== "verify") return { error: EXPIRED };
  const ipAddress = clientAddress(await headers()) ?? null;
  const now = runtime.now();
  const input = { userId: subject.userId, code: formData.get("code") ?? "", ipAddress };
  try {
    if (parsed.data.method === "totp") await verifyTotpCode(input, now);
    else await spendRecoveryCode(input, now);
  } catch (error) {
    if (error instanceof SecondFactorRefused) return { error: error.message };
    if (error instanceof ServiceError) return { error: error.fieldErrors.code?.[0] ?? error.message };
    throw error;
  }
  // RFC 8176: a one-time password, with the password before it: two factors.
  return continueSignIn(await signInAfterSecondStep(subject, ["otp", "mfa"], ipAddress), subject.target);
}

/**
 * The first code of an authenticator app set up during sign-in (the account, or the application,
 * requires a second factor and there was none). Answers with the recovery codes to show; it
 * changes no cookie (that would re-render the page and lose them): the page's "Continue" link
 * (./continue/route.ts) then signs the person in with both factors. `interaction` is bound by
 * the page.
 */
export async function confirmEnrolmentAtSignIn(
  interaction: string | undefined,
  _previous: TotpEnrolmentState,
  formData: FormData,
): Promise<TotpEnrolmentState> {
  const subject = await secondStepSubject(interaction);
  if (!subject || subject.need !== "enrol") return { message: EXPIRED };
  const ipAddress = clientAddress(await headers()) ?? null;
  try {
    const { recoveryCodes } = await confirmTotpEnrolment(
      { userId: subject.userId, ipAddress, via: "account" },
      { userId: subject.userId, factorId: String(formData.get("factorId") ?? ""), code: String(formData.get("code") ?? "") },
      runtime.now(),
    );
    return { recoveryCodes };
  } catch (error) {
    if (error instanceof ServiceError) return { fieldErrors: error.fieldErrors, message: error.message };
    throw error;
  }
}

/** Gives up this sign-in: back to the sign-in page of the same request. */
export async function cancelSecondStep(formData: FormData): Promise<void> {
  await clearPendingSignIn();
  const interaction = formData.get("interaction");
  redirect(typeof interaction === "string" && interaction ? `/login?interaction=${encodeURIComponent(interaction)}` : "/login");
}
