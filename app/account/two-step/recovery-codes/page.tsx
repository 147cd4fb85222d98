import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/server/session";
import { secondFactorStatus } from "@/lib/services/second-factor";
import { findAccount } from "@/lib/services/users";
import { CARD } from "../../_sections/ui";
import { regenerateRecoveryCodesAction } from "../actions";
import { ConfirmIdentityForm } from "../confirm-identity-form";

export const metadata: Metadata = { title: "New recovery codes" };
export const dynamic = "force-dynamic";

export default async function NewRecoveryCodesPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=%2Faccount%2Ftwo-step%2Frecovery-codes");
  const [user, status] = await Promise.all([findAccount(session.userId), secondFactorStatus(session.userId)]);
  if (!user || status.factors.length === 0) redirect("/account");
  return (
    <main className="mx-auto w-full max-w-2xl px-5 py-12">
      <p>
        <Link href="/account" className="text-sm font-medium text-brand-700 underline underline-offset-2">
          Back to your account
        </Link>
      </p>
      <h1 className="mt-3 text-2xl font-bold tracking-tight">Get new recovery codes</h1>
      <div className="mt-3 space-y-2 text-slate-700">
        <p>
          You get ten new codes, shown once. Your {status.recoveryCodesLeft} unused code{status.recoveryCodesLeft === 1 ? "" : "s"} will
          stop working at once, including any you printed or saved.
        </p>
      </div>
      <div className={`mt-6 ${CARD}`}>
        <ConfirmIdentityForm
          action={regenerateRecoveryCodesAction}
          submitLabel="Replace my recovery codes"
          pendingLabel="Making new codes…"
          accountName={user.email}
        />
      </div>
    </main>
  );
}
