"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { safeReturnPath } from "@/lib/safe-return";
import { completeLogin } from "@/lib/oauth/authorize/handle-authorize";
import { clientAddress } from "@/lib/server/client-address";
import { getAuthorizeDeps, runtime } from "@/lib/server/deps";
import { followOutcome } from "@/lib/server/outcome";
import { startSession } from "@/lib/server/session";
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
    { email: parsed.data.email, password: parsed.data.password, ipAddress: clientAddress(await headers()) },
    runtime.now(),
  );
  if (!result.ok && result.reason === "throttled") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return { error: `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, email };
  }
  // One message for unknown accounts and wrong passwords: it must not reveal which accounts exist.
  if (!result.ok) return { error: "That email address and password do not match an account.", email };

  const session = await startSession(result.userId);
  if (!parsed.data.interaction) redirect(safeReturnPath(parsed.data.returnTo) ?? "/account");
  return { ...followOutcome(await completeLogin(parsed.data.interaction, session, getAuthorizeDeps())), email };
}
