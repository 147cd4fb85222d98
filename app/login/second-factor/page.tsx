import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { secondStepPath, secondStepSubject } from "@/lib/server/second-step";
import { QrCodeImage } from "@/app/_components/second-factor/qr-code-image";
import { TotpEnrolment } from "@/app/_components/second-factor/totp-enrolment";
import { clientAddress } from "@/lib/server/client-address";
import type { SignInTarget } from "@/lib/server/pending-sign-in";
import { qrCodeDrawing } from "@/lib/server/qr-code";
import { secondFactorStatus, startTotpEnrolment, TOTP_ENROLMENT_MINUTES } from "@/lib/services/second-factor";
import { findAccount } from "@/lib/services/users";
import { PortalFrame } from "../../_components/portal-frame";
import { cancelSecondStep, confirmEnrolmentAtSignIn } from "./actions";
import { CodeForm } from "./code-form";
import { PasskeySecondFactorButton } from "../../_components/passkey/passkey-second-factor-button";

export const metadata: Metadata = { title: "Two-step sign-in" };
export const dynamic = "force-dynamic";

const linkClass = "font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-600";

/**
 * The second step of a sign-in: after a right password (pending sign-in), or for an application
 * that asks more of a session signed in with a password only (step-up). lib/server/second-step.ts
 * decides who is here; nothing on this page signs anyone in without a valid second factor.
 */
export default async function SecondFactorPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { interaction: raw, method: rawMethod } = await searchParams;
  const interactionId = typeof raw === "string" ? raw : undefined;
  const subject = await secondStepSubject(interactionId);
  if (!subject) {
    return (
      <PortalFrame>
        <h1 className="text-2xl font-bold tracking-tight">Two-step sign-in</h1>
        <p role="alert" className="mt-4 text-slate-700">
          This sign-in has expired or was already finished.{" "}
          <Link href="/login" className={linkClass}>
            Sign in again
          </Link>
          {interactionId ? ", or go back to the application and start again." : "."}
        </p>
      </PortalFrame>
    );
  }
  const [account, status] = await Promise.all([findAccount(subject.userId), secondFactorStatus(subject.userId)]);
  const interaction = subject.target.interaction;
  const hasTotp = status.factors.some((factor) => factor.kind === "totp");
  const hasPasskey = status.factors.some((factor) => factor.kind === "passkey");
  const hasRecovery = status.recoveryCodesLeft > 0;
  // The code form shown: the app's by default, recovery codes when asked for (or when they are the
  // only code there is); none for a person whose second factor is a passkey alone.
  const method: "totp" | "recovery" | null = rawMethod === "recovery" || (!hasTotp && !hasPasskey) ? "recovery" : hasTotp ? "totp" : null;

  return (
    <PortalFrame>
      <h1 className="text-2xl font-bold tracking-tight">Two-step sign-in</h1>
      <p className="mt-2 text-slate-700">
        {subject.appName ? (
          <>
            to continue to <strong className="font-semibold text-slate-900">{subject.appName}</strong>
          </>
        ) : (
          "to finish signing in"
        )}
      </p>
      {account ? (
        <p className="mt-4 break-words text-slate-700">
          Signing in as <strong className="font-semibold text-slate-900">{account.email}</strong>.
        </p>
      ) : null}
      {subject.need === "verify" ? (
        <div className="mt-6 space-y-5">
          {method === "recovery" && !hasRecovery ? (
            <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
              You have no unused recovery codes. Ask an administrator to reset your two-step sign-in.
            </p>
          ) : method ? (
            <CodeForm method={method} interaction={interaction} />
          ) : null}
          {hasPasskey && method !== "recovery" ? (
            <PasskeySecondFactorButton
              mode={subject.via === "pending" ? "pending" : "step-up"}
              {...(interaction ? { interaction } : {})}
              label={method ? "Use a passkey instead" : "Use your passkey"}
              {...(method
                ? {}
                : {
                    className:
                      "w-full rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60",
                  })}
            />
          ) : null}
          <p className="text-center text-sm">
            {method !== "recovery" && hasRecovery ? (
              <Link href={secondStepPath(interactionId, { recovery: true })} className={linkClass}>
                Use a recovery code instead
              </Link>
            ) : method === "recovery" && (hasTotp || hasPasskey) ? (
              <Link href={secondStepPath(interactionId)} className={linkClass}>
                {hasTotp ? "Use your authenticator app instead" : "Use your passkey instead"}
              </Link>
            ) : null}
          </p>
        </div>
      ) : (
        <div className="mt-6 space-y-4">
          <p className="text-slate-700">
            Your account requires two-step sign-in: after your password, a code from an app on your phone. Set it up now to continue.
          </p>
          <EnrolAtSignIn userId={subject.userId} email={account?.email ?? ""} target={subject.target} appName={subject.appName} />
        </div>
      )}
      <form action={cancelSecondStep} className="mt-5">
        {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
        <button
          type="submit"
          className="w-full rounded-lg border border-slate-300 bg-white px-5 py-2.5 text-center font-semibold text-slate-800 hover:bg-slate-100"
        >
          Cancel
        </button>
      </form>
    </PortalFrame>
  );
}

/**
 * Setting up an authenticator app as part of signing in (the account requires a second factor):
 * each visit starts a fresh enrolment, as on /account. Once confirmed, the person
 * sees the recovery codes; "Continue" (./continue/route.ts) signs them in with both factors and
 * goes on with the application's request, or to the page the sign-in started from.
 */
async function EnrolAtSignIn({
  userId,
  email,
  target,
  appName,
}: {
  readonly userId: string;
  readonly email: string;
  readonly target: SignInTarget;
  readonly appName: string | undefined;
}) {
  const actor = { userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" } as const;
  const enrolment = await startTotpEnrolment(actor, { userId });
  const drawing = await qrCodeDrawing(enrolment.uri);
  const here = secondStepPath(target.interaction);
  const done = secondStepPath(target.interaction, { continue: true });
  return (
    <TotpEnrolment
      factorId={enrolment.factorId}
      secret={enrolment.secret}
      qrCode={<QrCodeImage drawing={drawing} label={`QR code to add ${email} to your authenticator app`} />}
      accountName={email}
      minutes={TOTP_ENROLMENT_MINUTES}
      confirm={confirmEnrolmentAtSignIn.bind(null, target.interaction)}
      restartHref={here}
      doneHref={done}
      doneLabel={appName ? `Continue to ${appName}` : "Continue"}
    />
  );
}
