import { NextResponse } from "next/server";
import { authorizeResponse, redirect } from "@/lib/http/authorize-response";
import { withOAuthErrors } from "@/lib/http/responses";
import { completeLogin } from "@/lib/oauth/authorize/handle-authorize";
import { safeReturnPath } from "@/lib/safe-return";
import { clientAddress } from "@/lib/server/client-address";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { secondStepPath, secondStepSubject, signInAfterSecondStep } from "@/lib/server/second-step";
import { secondFactorSetUpSince } from "@/lib/services/second-factor";

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
  if (!subject || !(await secondFactorSetUpSince(subject.userId, subject.since)))
    return redirect(`${issuer}${secondStepPath(interaction)}`);
  // RFC 8176: the authenticator app's first code, after the password.
  const session = await signInAfterSecondStep(subject, ["otp", "mfa"], clientAddress(request.headers) ?? null);
  if (!subject.target.interaction) {
    return NextResponse.redirect(`${issuer}${safeReturnPath(subject.target.returnTo) ?? "/account"}`, 303);
  }
  return authorizeResponse(await completeLogin(subject.target.interaction, session, deps), issuer);
}

export const GET = withOAuthErrors(proceed, { page: true });
