import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { describeScope } from "@/lib/scope-descriptions";
import { getCurrentSession } from "@/lib/server/session";
import { listConsents, withdrawnClientName } from "@/lib/services/consents";
import { VERIFICATION_LINK_HOURS } from "@/lib/services/account-links";
import { emailVerificationStatus } from "@/lib/services/email-verification";
import { findAccount } from "@/lib/services/users";
import { VerifyEmailNotice } from "../_components/verify-email-notice";
import { withdraw } from "./actions";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage({ searchParams }: { readonly searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  const { withdrawn } = await searchParams;
  const [user, consents, withdrawnName, verification] = await Promise.all([
    findAccount(session.userId),
    listConsents(session.userId),
    typeof withdrawn === "string" ? withdrawnClientName(session.userId, withdrawn) : null,
    emailVerificationStatus(session.userId),
  ]);
  if (!user) redirect("/login?return_to=/account");

  return (
    <main className="mx-auto w-full max-w-2xl px-5 py-12">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
          <p className="mt-1 text-slate-700">
            Signed in as <strong className="font-semibold">{user.email}</strong>
          </p>
        </div>
        <Link href="/logout" className="self-start rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100 sm:self-auto">
          Sign out
        </Link>
      </header>

      {verification && !verification.verified ? (
        <div className="mt-6">
          <VerifyEmailNotice email={verification.email} hours={VERIFICATION_LINK_HOURS} />
        </div>
      ) : null}

      {withdrawnName ? (
        <p role="status" className="mt-6 rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          {withdrawnName} no longer has access to your account.
        </p>
      ) : null}

      <section aria-labelledby="apps" className="mt-8">
        <h2 id="apps" className="text-lg font-semibold">Applications you allowed</h2>
        {consents.length === 0 ? (
          <p className="mt-3 text-slate-700">You have not allowed any application to access your account.</p>
        ) : (
          <ul className="mt-4 space-y-4">
            {consents.map((consent) => (
              <li key={consent.clientId} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
                <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
                  <div className="min-w-0">
                    <h3 className="font-semibold">{consent.clientName}</h3>
                    <p className="text-sm text-slate-600">Allowed {consent.updatedAt.toISOString().slice(0, 10)}</p>
                    <ul className="mt-3 list-disc space-y-1 pl-5 text-slate-800">
                      {consent.scopes.map((scope) => (
                        <li key={scope}>{describeScope(scope)}</li>
                      ))}
                    </ul>
                  </div>
                  <form action={withdraw} className="shrink-0">
                    <input type="hidden" name="client_id" value={consent.clientId} />
                    <button
                      type="submit"
                      aria-label={`Withdraw access of ${consent.clientName}`}
                      className="whitespace-nowrap rounded-lg border border-red-300 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50"
                    >
                      Withdraw access
                    </button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}
