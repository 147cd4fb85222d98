"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeReturnPath } from "@/lib/safe-return";
import { continueAsSignedIn } from "@/lib/oauth/authorize/handle-authorize";
import { clientAddress } from "@/lib/server/client-address";
import { getAuthorizeDeps, runtime } from "@/lib/server/deps";
import { readDeviceCookie, writeDeviceCookie } from "@/lib/server/known-device";
import { followOutcome } from "@/lib/server/outcome";
import { finishSignIn, writePendingSignIn } from "@/lib/server/pending-sign-in";
import { secondStepPath } from "@/lib/server/second-step";
import { getCurrentSession, stopSession } from "@/lib/server/session";
import { signIn as checkSignIn } from "@/lib/services/sign-in";

export interface SignInState {
  readonly error?: string;
  readonly email?: string;
}

const form = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
  interaction: z.string().max(128).optional(),
  returnTo: z.string().optional(),
});

export async function signIn(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = form.safeParse({
    email: formData.get("email"),
    password: formData.get("password"),
    interaction: formData.get("interaction") || undefined,
    returnTo: formData.get("return_to") || undefined,
  });
  const email = typeof formData.get("email") === "string" ? String(formData.get("email")).slice(0, 254) : "";
  if (!parsed.success) return { error: "Enter your email address and your password.", email };

  const result = await checkSignIn(
    {
      email: parsed.data.email,
      password: parsed.data.password,
      ipAddress: clientAddress(await headers()),
      deviceCookie: await readDeviceCookie(),
    },
    runtime.now(),
  );
  if (!result.ok && result.reason === "throttled") return { error: throttledMessage(result.scope, result.retryAfterSeconds), email };
  // One message for unknown accounts and wrong passwords: it must not reveal which accounts exist.
  if (!result.ok) return { error: "That email address and password do not match an account.", email };

  if (result.deviceCookie) await writeDeviceCookie(result.deviceCookie);
  const target = { interaction: parsed.data.interaction, returnTo: safeReturnPath(parsed.data.returnTo) };
  if (result.secondStep === "verify" || result.secondStep === "enrol") {
    // No session yet: the second factor (or setting one up) comes first (lib/auth/pending-sign-in.ts).
    await writePendingSignIn({ userId: result.userId, amr: ["pwd"], need: result.secondStep, ...definedOnly(target) });
    redirect(secondStepPath(target.interaction));
  }
  return { ...(await finishSignIn(result.userId, ["pwd"], target)), email };
}

function definedOnly(target: { interaction?: string | undefined; returnTo?: string | undefined }) {
  return {
    ...(target.interaction ? { interaction: target.interaction } : {}),
    ...(target.returnTo ? { returnTo: target.returnTo } : {}),
  };
}

/**
 * When to retry, and from where. The account message is the same for unknown accounts (they are
 * throttled alike), so it reveals no more than the generic message did.
 */
function throttledMessage(scope: "account" | "device" | "address", retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait = `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  if (scope === "account") {
    return `Too many failed attempts for this account from unknown browsers. ${wait}, or sign in from a browser you used before.`;
  }
  if (scope === "device") return `Too many failed attempts from this browser. ${wait}.`;
  return `Too many failed attempts from your network. ${wait}.`;
}

const switchForm = z.object({
  interaction: z.string().min(1).max(128).optional(),
  returnTo: z.string().max(2000).optional(),
});

function readSwitchForm(formData: FormData) {
  const parsed = switchForm.safeParse({
    interaction: formData.get("interaction") || undefined,
    returnTo: formData.get("return_to") || undefined,
  });
  return parsed.success ? parsed.data : {};
}

/** The sign-in page of this request again, or of this return path; nothing from elsewhere. */
function signInPath({ interaction, returnTo }: { interaction?: string; returnTo?: string }): string {
  if (interaction) return `/login?interaction=${encodeURIComponent(interaction)}`;
  const back = safeReturnPath(returnTo);
  return back ? `/login?return_to=${encodeURIComponent(back)}` : "/login";
}

/**
 * "Not you?" on the consent screen, "Use another account" on the sign-in page: signs out, and
 * comes back to the same authorization request (or page), where the person signs in as someone
 * else and the request completes as them.
 */
export async function switchAccount(formData: FormData): Promise<void> {
  const target = readSwitchForm(formData);
  await stopSession();
  redirect(signInPath(target));
}

/** "Continue as <email>": the account signed in on this browser, without typing the password. */
export async function continueAs(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const { interaction, returnTo } = readSwitchForm(formData);
  const session = await getCurrentSession();
  if (!session) redirect(signInPath({ interaction, returnTo }));
  if (!interaction) redirect(safeReturnPath(returnTo) ?? "/account");
  return followOutcome(await continueAsSignedIn(interaction, session, getAuthorizeDeps()));
}
