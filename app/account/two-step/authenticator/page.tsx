import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { QrCodeImage } from "@/app/_components/second-factor/qr-code-image";
import { TotpEnrolment } from "@/app/_components/second-factor/totp-enrolment";
import { clientAddress } from "@/lib/server/client-address";
import { qrCodeDrawing } from "@/lib/server/qr-code";
import { getCurrentSession } from "@/lib/server/session";
import { secondFactorStatus, startTotpEnrolment, TOTP_ENROLMENT_MINUTES } from "@/lib/services/second-factor";
import { findAccount } from "@/lib/services/users";
import { confirmAuthenticatorAction } from "../actions";

export const metadata: Metadata = { title: "Set up an authenticator app" };
export const dynamic = "force-dynamic";

const HERE = "/account/two-step/authenticator";

/**
 * Each visit starts a fresh enrolment (replacing one not confirmed yet): the secret exists in the
 * clear only in this answer. Starting changes nothing that counts, so a visit from a link is
 * harmless; with an authenticator app already set up, the page sends the person back.
 */
export default async function AuthenticatorSetupPage() {
  const session = await getCurrentSession();
  if (!session) redirect(`/login?return_to=${encodeURIComponent(HERE)}`);
  const [user, status] = await Promise.all([findAccount(session.userId), secondFactorStatus(session.userId)]);
  if (!user) redirect(`/login?return_to=${encodeURIComponent(HERE)}`);
  if (status.factors.some((factor) => factor.kind === "totp")) redirect("/account");
  const actor = { userId: session.userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" } as const;
  const enrolment = await startTotpEnrolment(actor, { userId: session.userId });
  const drawing = await qrCodeDrawing(enrolment.uri);

  return (
    <main className="mx-auto w-full max-w-2xl px-5 py-12">
      <p>
        <Link href="/account" className="text-sm font-medium text-brand-700 underline underline-offset-2">
          Back to your account
        </Link>
      </p>
      <h1 className="mt-3 text-2xl font-bold tracking-tight">Set up an authenticator app</h1>
      <p className="mt-1 text-slate-700">
        After your password, signing in will ask for a 6-digit code from an app on your phone, so a stolen password alone is not enough.
      </p>
      <div className="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <TotpEnrolment
          factorId={enrolment.factorId}
          secret={enrolment.secret}
          qrCode={<QrCodeImage drawing={drawing} label={`QR code to add ${user.email} to your authenticator app`} />}
          accountName={user.email}
          minutes={TOTP_ENROLMENT_MINUTES}
          confirm={confirmAuthenticatorAction}
          restartHref={HERE}
          doneHref="/account"
          doneLabel="Back to your account"
        />
      </div>
    </main>
  );
}
