"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import type { AccountFormState } from "@/lib/server/account-form";
import { LINK, PRIMARY_BUTTON } from "../_components/auth-card";
import { Alert, useFocusFirstProblem } from "../_components/form-bits";
import { UnusableLinkNotice } from "../_components/unusable-link";
import { confirmEmail } from "./actions";

export function VerifyForm({ token, email }: { readonly token: string; readonly email: string }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(confirmEmail, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, state);
  if (state.linkUnusable) return <UnusableLinkNotice kind="verify" />;
  if (state.ok) {
    return (
      <div className="mt-4 space-y-4">
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          <strong className="font-semibold wrap-break-word">{state.values?.email}</strong> is verified. Applications you allow will see it
          as a confirmed address. If an application was waiting for this, go back to it and continue.
        </p>
        <p>
          <Link href="/account" className={LINK}>
            Go to your account
          </Link>
        </p>
      </div>
    );
  }
  return (
    // A button, not the link alone: mail scanners that open links must not verify anything.
    <form ref={form} action={action} className="mt-6 space-y-5">
      <input type="hidden" name="token" value={token} />
      <Alert message={state.message} />
      <p className="text-slate-700">
        Confirm that <strong className="font-semibold wrap-break-word">{email}</strong> is your address.
      </p>
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Confirming…" : "Confirm my email address"}
      </button>
    </form>
  );
}
