"use server";

// The two-step section's actions: confirming an authenticator app, and the two changes that ask
// the person again first (removing the app, new recovery codes). Each checks the session itself.
import { redirect } from "next/navigation";
import type { TotpEnrolmentState } from "@/app/_components/second-factor/totp-enrolment";
import { ServiceError } from "@/lib/services/errors";
import { confirmIdentity } from "@/lib/services/account";
import { confirmTotpEnrolment, regenerateRecoveryCodes, removeSecondFactor, secondFactorStatus } from "@/lib/services/second-factor";
import { signedIn } from "../signed-in";
import { accountPath } from "../status";

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

/** A service refusal as form state (its message and field errors); anything else propagates. */
function refusal(error: unknown): { fieldErrors: ServiceError["fieldErrors"]; message: string } {
  if (error instanceof ServiceError) return { fieldErrors: error.fieldErrors, message: error.message };
  throw error;
}

export async function confirmAuthenticatorAction(_previous: TotpEnrolmentState, formData: FormData): Promise<TotpEnrolmentState> {
  const { userId, actor } = await signedIn();
  try {
    const { recoveryCodes } = await confirmTotpEnrolment(actor, {
      userId,
      factorId: text(formData, "factorId"),
      code: text(formData, "code"),
    });
    return { recoveryCodes };
  } catch (error) {
    return refusal(error);
  }
}

export interface ConfirmedChangeState {
  readonly fieldErrors?: ServiceError["fieldErrors"];
  readonly message?: string;
  /** New recovery codes, shown once. */
  readonly recoveryCodes?: readonly string[];
}

const identity = (formData: FormData) => ({ currentPassword: text(formData, "currentPassword"), code: text(formData, "code") });

export async function removeAuthenticatorAction(_previous: ConfirmedChangeState, formData: FormData): Promise<ConfirmedChangeState> {
  const { userId, actor } = await signedIn();
  const factor = (await secondFactorStatus(userId)).factors.find((each) => each.kind === "totp");
  if (!factor) redirect("/account");
  try {
    await confirmIdentity(actor, { userId, ...identity(formData) });
    await removeSecondFactor(actor, { userId, factorId: factor.id });
  } catch (error) {
    return refusal(error);
  }
  redirect(accountPath("authenticator-removed"));
}

export async function regenerateRecoveryCodesAction(_previous: ConfirmedChangeState, formData: FormData): Promise<ConfirmedChangeState> {
  const { userId, actor } = await signedIn();
  try {
    await confirmIdentity(actor, { userId, ...identity(formData) });
    return { recoveryCodes: (await regenerateRecoveryCodes(actor, { userId })).recoveryCodes };
  } catch (error) {
    return refusal(error);
  }
}
