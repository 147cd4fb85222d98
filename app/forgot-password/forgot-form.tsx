"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import type { AccountFormState } from "@/lib/server/account-form";
import { Alert, Field, useFocusFirstProblem } from "../_components/form-bits";
import { LINK, PRIMARY_BUTTON } from "../_components/auth-card";
import { requestResetLink } from "./actions";

export function ForgotForm({ minutes }: { readonly minutes: number }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(requestResetLink, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, state);
  if (state.ok) {
    return (
      <div className="mt-4 space-y-4">
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          If <strong className="font-semibold wrap-break-word">{state.values?.email}</strong> belongs to an account, we have sent it a link
          to choose a new password. The link works for {minutes} minutes.
        </p>
        <p className="text-slate-700">
          {/* A full load: the form starts afresh (a client navigation to this same page would keep this answer). */}
          Nothing arrived? Check your spam folder, or{" "}
          <a href="/forgot-password" className={LINK}>
            ask again
          </a>
          .
        </p>
        <p>
          <Link href="/login" className={LINK}>
            Back to sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form ref={form} action={action} key={JSON.stringify(state.values ?? {})} className="mt-6 space-y-5" noValidate>
      <Alert message={state.message} />
      <Field
        name="email"
        label="Email address"
        type="email"
        autoComplete="username"
        maxLength={254}
        defaultValue={state.values?.email}
        errors={state.fieldErrors}
      />
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Sending…" : "Send me a reset link"}
      </button>
      <p className="text-center">
        <Link href="/login" className={LINK}>
          Back to sign in
        </Link>
      </p>
    </form>
  );
}
