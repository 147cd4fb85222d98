import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentSession } from "@/lib/server/session";
import { secondFactorStatus } from "@/lib/services/second-factor";
import { findAccount } from "@/lib/services/users";
import { CARD, When } from "../../_sections/ui";
import { removeAuthenticatorAction } from "../actions";
import { ConfirmIdentityForm } from "../confirm-identity-form";

export const metadata: Metadata = { title: "Remove your authenticator app" };
export const dynamic = "force-dynamic";

export default async function RemoveAuthenticatorPage() {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=%2Faccount%2Ftwo-step%2Fremove");
  const [user, status] = await Promise.all([findAccount(session.userId), secondFactorStatus(session.userId)]);
  const factor = status.factors.find((each) => each.kind === "totp");
  if (!user || !factor) redirect("/account");
  return (
    <main className="mx-auto w-full max-w-2xl px-5 py-12">
      <p>
        <Link href="/account" className="text-sm font-medium text-brand-700 underline underline-offset-2">
          Back to your account
        </Link>
      </p>
      <h1 className="mt-3 text-2xl font-bold tracking-tight">Remove your authenticator app?</h1>
      <div className="mt-3 space-y-2 text-slate-700">
        <p>
          The app you added on <When date={factor.confirmedAt} /> will stop working for this account, and your {status.recoveryCodesLeft}{" "}
          unused recovery code{status.recoveryCodesLeft === 1 ? "" : "s"} will be deleted.
        </p>
        <p>After this, signing in asks only for your password. You can set up an app again at any time.</p>
      </div>
      <div className={`mt-6 ${CARD}`}>
        <ConfirmIdentityForm
          action={removeAuthenticatorAction}
          submitLabel="Remove authenticator app"
          pendingLabel="Removing…"
          danger
          accountName={user.email}
        />
      </div>
    </main>
  );
}
