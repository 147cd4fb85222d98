import { NextResponse } from "next/server";
import { authorizeResponse, redirect } from "@/lib/http/authorize-response";
import { withOAuthErrors } from "@/lib/http/responses";
import { withMethods } from "@/lib/oauth/authorize/acr";
import { completeLogin } from "@/lib/oauth/authorize/handle-authorize";
import { safeReturnPath } from "@/lib/safe-return";
import { clientAddress } from "@/lib/server/client-address";
import { getAuthorizeDeps, runtime } from "@/lib/server/deps";
import { clearPendingSignIn } from "@/lib/server/pending-sign-in";
import { secondStepSubject } from "@/lib/server/second-step";
import { startSession } from "@/lib/server/session";
import { secondFactorSetUpSince } from "@/lib/services/second-factor";
import { recordSignInCompleted } from "@/lib/services/sign-in";

export const dynamic = "force-dynamic";

/**
 * "Continue" after a second factor was set up during a sign-in (and its recovery codes shown):
 * signs the person in with both factors and goes on with the application's request, or to the
 * page the sign-in began from. Only when a second factor was confirmed (with its first code)
 * since this sign-in began; otherwise back to the second step.
 */
async function proceed(request: Request): Promise<Response> {
  const deps = getAuthorizeDeps();
  const issuer = deps.config.issuer;
  const interaction = new URL(request.url).searchParams.get("interaction")?.slice(0, 128) || undefined;
  const subject = await secondStepSubject(interaction);
  const back = `${issuer}/login/second-factor${interaction ? `?interaction=${encodeURIComponent(interaction)}` : ""}`;
  if (!subject || !(await secondFactorSetUpSince(subject.userId, subject.since))) return redirect(back);
  const amr = withMethods(subject.amr, ["otp", "mfa"]);
  const now = runtime.now();
  await recordSignInCompleted(subject.userId, amr, clientAddress(request.headers) ?? null, now);
  await clearPendingSignIn();
  const session = await startSession(subject.userId, amr);
  if (!subject.target.interaction) {
    return NextResponse.redirect(`${issuer}${safeReturnPath(subject.target.returnTo) ?? "/account"}`, 303);
  }
  return authorizeResponse(await completeLogin(subject.target.interaction, session, deps), issuer);
}

export const GET = withOAuthErrors(proceed, { page: true });
