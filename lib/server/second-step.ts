// Who is at the second step of a sign-in, and what they must do there. Two ways in:
// - after a right password, with the pending sign-in cookie (lib/server/pending-sign-in.ts);
// - signed in already, when an application asked for a second factor the session lacks (step-up:
//   the authorization core sent the browser here with the interaction, bound to this session).
import "server-only";
import { PENDING_SIGN_IN_MINUTES } from "../auth/pending-sign-in.ts";
import { PASSWORD_ONLY, withMethods } from "../oauth/authorize/acr.ts";
import { describeInteraction } from "../oauth/authorize/handle-authorize.ts";
import type { BrowserSession } from "../oauth/ports.ts";
import { recordSignInCompleted, secondStepFor } from "../services/sign-in.ts";
import { getAuthorizeDeps, runtime } from "./deps.ts";
import { clearPendingSignIn, readPendingSignIn, type SignInTarget } from "./pending-sign-in.ts";
import { getCurrentSession, startSession } from "./session.ts";

/**
 * The second step's page (or, with `continue`, the step that finishes a sign-in after a second
 * factor was set up), for this interaction when there is one; `recovery` opens the recovery-code form.
 */
export function secondStepPath(interaction: string | undefined, options: { recovery?: boolean; continue?: boolean } = {}): string {
  const query = new URLSearchParams({ ...(interaction ? { interaction } : {}), ...(options.recovery ? { method: "recovery" } : {}) });
  const path = options.continue ? "/login/second-factor/continue" : "/login/second-factor";
  return query.size > 0 ? `${path}?${query}` : path;
}

/**
 * The second step succeeded with the methods `added` (RFC 8176): the sign-in is recorded and a new
 * session starts with every method used; the caller then continues (continueSignIn).
 */
export async function signInAfterSecondStep(
  subject: SecondStepSubject,
  added: readonly string[],
  ipAddress: string | null,
): Promise<BrowserSession> {
  const amr = withMethods(subject.amr, added);
  await recordSignInCompleted(subject.userId, amr, ipAddress, runtime.now());
  await clearPendingSignIn();
  return startSession(subject.userId, amr);
}

export interface SecondStepSubject {
  readonly userId: string;
  /** The methods used so far (RFC 8176). */
  readonly amr: readonly string[];
  /** "verify": present a second factor; "enrol": set one up first. */
  readonly need: "verify" | "enrol";
  readonly target: SignInTarget;
  /** The application the sign-in is for, when it is for one. */
  readonly appName?: string;
  /** When this sign-in began: a second factor set up since then was set up in it. */
  readonly since: Date;
  /** After a password (`pending`), or a step-up of the signed-in session (`session`). */
  readonly via: "pending" | "session";
}

export async function secondStepSubject(interactionId: string | undefined): Promise<SecondStepSubject | null> {
  const deps = getAuthorizeDeps();
  const pending = await readPendingSignIn();
  if (pending) {
    const found = pending.interaction ? await describeInteraction(pending.interaction, null, deps, "login") : null;
    if (pending.interaction && !found) return null;
    return {
      userId: pending.userId,
      amr: pending.amr,
      need: pending.need,
      target: { interaction: pending.interaction, returnTo: pending.returnTo },
      ...(found ? { appName: found.client.name } : {}),
      since: new Date(pending.expiresAt.getTime() - PENDING_SIGN_IN_MINUTES * 60_000),
      via: "pending",
    };
  }
  const session = await getCurrentSession();
  if (!session || !interactionId) return null;
  const found = await describeInteraction(interactionId, session, deps, "second_factor");
  if (!found) return null;
  return {
    userId: session.userId,
    amr: session.amr ?? PASSWORD_ONLY,
    need: (await secondStepFor(session.userId)) === "verify" ? "verify" : "enrol",
    target: { interaction: interactionId },
    appName: found.client.name,
    since: session.authTime,
    via: "session",
  };
}
