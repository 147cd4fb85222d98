"use client";

import Link from "next/link";
import { useActionState, useRef } from "react";
import type { AccountFormState } from "@/lib/server/account-form";
import { LINK, PRIMARY_BUTTON } from "../_components/auth-card";
import { Alert, Field, useFocusFirstProblem } from "../_components/form-bits";
import { createAccount } from "./actions";

export function SignupForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(createAccount, {});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, state);
  if (state.ok) {
    return (
      <div className="mt-4 space-y-4">
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          Check your email: we sent a message to <strong className="font-semibold wrap-break-word">{state.values?.email}</strong>. Follow
          the link in it to confirm your address; then you can sign in to applications with your account.
        </p>
        <p>
          <Link href="/login" className={LINK}>
            Go to sign in
          </Link>
        </p>
      </div>
    );
  }
  return (
    <form ref={form} action={action} key={JSON.stringify(state.values ?? {})} className="mt-6 space-y-5" noValidate>
      <Alert message={state.message} />
      <Field
        name="name"
        label="Name"
        autoComplete="name"
        optional
        maxLength={100}
        defaultValue={state.values?.name}
        errors={state.fieldErrors}
      />
      <Field
        name="email"
        label="Email address"
        type="email"
        autoComplete="username"
        maxLength={254}
        defaultValue={state.values?.email}
        errors={state.fieldErrors}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        hint="12 to 64 characters; not a common password."
        errors={state.fieldErrors}
      />
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Creating…" : "Create my account"}
      </button>
      <p className="text-center text-slate-700">
        Already have an account?{" "}
        <Link href="/login" className={LINK}>
          Sign in
        </Link>
      </p>
    </form>
  );
}
