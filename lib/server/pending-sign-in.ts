// The pending sign-in (lib/auth/pending-sign-in.ts) through Next.js cookies, and the one way a
// sign-in finishes: a new session with the methods used, then the authorization request it
// belongs to, or the page it started from.
import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import {
  openPendingSignIn,
  PENDING_SIGN_IN_MINUTES,
  pendingSignInCookieName,
  sealPendingSignIn,
  type PendingSignIn,
} from "../auth/pending-sign-in.ts";
import { getConfig } from "../env.ts";
import type { BrowserSession } from "../oauth/ports.ts";
import { completeLogin } from "../oauth/authorize/handle-authorize.ts";
import { resolvePortalSecret } from "../portal-secret.ts";
import { safeReturnPath } from "../safe-return.ts";
import { getAuthorizeDeps, runtime } from "./deps.ts";
import { followOutcome } from "./outcome.ts";
import { startSession } from "./session.ts";

const secret = () => resolvePortalSecret(getConfig()).secret;

export async function readPendingSignIn(): Promise<PendingSignIn | null> {
  const value = (await cookies()).get(pendingSignInCookieName(getConfig().issuer))?.value;
  return openPendingSignIn(value, secret(), runtime.now());
}

export async function writePendingSignIn(pending: Omit<PendingSignIn, "expiresAt">): Promise<void> {
  const issuer = getConfig().issuer;
  (await cookies()).set(pendingSignInCookieName(issuer), sealPendingSignIn(pending, secret(), runtime.now()), {
    httpOnly: true,
    sameSite: "lax",
    secure: issuer.startsWith("https:"),
    path: "/",
    maxAge: PENDING_SIGN_IN_MINUTES * 60,
  });
}

export async function clearPendingSignIn(): Promise<void> {
  (await cookies()).delete(pendingSignInCookieName(getConfig().issuer));
}

/** Where a sign-in goes next. */
export interface SignInTarget {
  readonly interaction?: string | undefined;
  readonly returnTo?: string | undefined;
}

/**
 * Finishes a sign-in: drops any pending state, starts a new session with `amr`, and continues the
 * authorization request (or goes to the return path, or /account). Navigates; returns only an
 * error for the form when the authorization request cannot continue.
 */
export async function finishSignIn(userId: string, amr: readonly string[], target: SignInTarget): Promise<{ error: string }> {
  await clearPendingSignIn();
  return continueSignIn(await startSession(userId, amr), target);
}

/** After the session started: the authorization request it was for, or the return path (or /account). */
export async function continueSignIn(session: BrowserSession, target: SignInTarget): Promise<{ error: string }> {
  if (!target.interaction) redirect(safeReturnPath(target.returnTo) ?? "/account");
  return followOutcome(await completeLogin(target.interaction, session, getAuthorizeDeps()));
}
