import type { Metadata } from "next";
import { describeInteraction } from "@/lib/oauth/authorize/handle-authorize";
import { describeScope } from "@/lib/scope-descriptions";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";
import { VERIFICATION_LINK_HOURS } from "@/lib/services/account-links";
import { emailVerificationStatus } from "@/lib/services/email-verification";
import { VerifyEmailNotice } from "../_components/verify-email-notice";
import { ConsentForm } from "./consent-form";

export const metadata: Metadata = { title: "Allow access?" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({ searchParams }: { readonly searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { interaction: raw } = await searchParams;
  const interactionId = typeof raw === "string" ? raw : "";
  const session = await getCurrentSession();
  const found = await describeInteraction(interactionId, session, getAuthorizeDeps(), "consent");
  // A self-registered account whose address is unverified cannot allow anything yet (the core
  // refuses too): it is told why, and can have a new link sent.
  const verification = found && session ? await emailVerificationStatus(session.userId) : null;

  return (
    <main className="mx-auto flex min-h-screen w-full max-w-lg flex-col justify-center px-5 py-12">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        {!found ? (
          <>
            <h1 className="text-2xl font-bold tracking-tight">This request cannot continue</h1>
            <p role="alert" className="mt-4 text-slate-700">
              It has expired, was already answered, or belongs to another browser session. Go back to the
              application and try again.
            </p>
          </>
        ) : verification?.required ? (
          <>
            <h1 className="text-2xl font-bold tracking-tight">Verify your email address first</h1>
            <p className="mt-3 text-slate-700">
              Before <strong className="font-semibold text-slate-900">{found.client.name}</strong> can access your account, confirm
              that <strong className="font-semibold text-slate-900 wrap-break-word">{verification.email}</strong> is yours with the link we
              sent you.
            </p>
            <div className="mt-5">
              <VerifyEmailNotice email={verification.email} hours={VERIFICATION_LINK_HOURS}>
                Lost the message, or did the link expire? We can send a new one.
              </VerifyEmailNotice>
            </div>
            <p className="mt-5">
              <a href={`/consent?interaction=${encodeURIComponent(interactionId)}`} className="font-semibold text-brand-700 underline underline-offset-2">
                I have confirmed it: continue
              </a>
            </p>
          </>
        ) : (
          <>
            <h1 className="text-2xl font-bold tracking-tight">
              Allow <span className="text-brand-700">{found.client.name}</span> to access your account?
            </h1>
            <p className="mt-3 text-slate-700">If you allow it, this application will be able to:</p>
            <ul className="mt-4 space-y-2">
              {found.interaction.request.scopes.map((scope) => (
                <li key={scope} className="flex gap-3 rounded-md bg-slate-50 px-4 py-3 text-slate-800">
                  <span aria-hidden="true" className="text-brand-700">✓</span>
                  <span>{describeScope(scope)}</span>
                </li>
              ))}
            </ul>
            <p className="mt-4 break-words text-sm text-slate-600">
              You will return to <span className="font-mono">{returnTarget(found.interaction.request.redirectUri)}</span>.
              You can withdraw this access at any time.
            </p>
            <div className="mt-6">
              <ConsentForm interaction={interactionId} clientName={found.client.name} />
            </div>
          </>
        )}
      </div>
    </main>
  );
}

/** The origin of a web redirect URI, or the whole URI of a native app's private-use scheme. */
function returnTarget(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin : redirectUri;
}
