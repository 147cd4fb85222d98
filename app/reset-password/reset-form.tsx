"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import type { AccountFormState } from "@/lib/server/account-form";
import { LINK, PRIMARY_BUTTON } from "../_components/auth-card";
import { Alert, Field, useFocusFirstProblem } from "../_components/form-bits";
import { UnusableLinkNotice } from "../_components/unusable-link";
import { setNewPassword } from "./actions";

export function ResetForm({ token, email }: { readonly token: string; readonly email: string }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(setNewPassword, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, state);
  if (state.linkUnusable) return <UnusableLinkNotice kind="reset" />;
  if (state.ok) {
    return (
      <div className="mt-4 space-y-4">
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          Your new password is set. You were signed out everywhere, and the applications you use will ask you to sign in again.
        </p>
        <p>
          <Link href="/login" className={LINK}>
            Sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form ref={form} action={action} className="mt-6 space-y-5" noValidate>
      <input type="hidden" name="token" value={token} />
      {/* For password managers: whose password this is. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Alert message={state.message} />
      <Field
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="12 to 64 characters; not a common password."
        errors={state.fieldErrors}
      />
      <Field name="password_confirm" label="Type it again" type="password" autoComplete="new-password" errors={state.fieldErrors} />
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Saving…" : "Set my new password"}
      </button>
    </form>
  );
}
