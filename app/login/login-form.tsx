"use client";

import { useActionState } from "react";
import { signIn, type SignInState } from "./actions";
import { PasskeySignIn } from "./passkey-sign-in";

export function LoginForm({
  interaction,
  loginHint,
  returnTo,
}: {
  readonly interaction?: string;
  readonly loginHint?: string;
  readonly returnTo?: string;
}) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signIn, { email: loginHint ?? "" });
  return (
    <>
      <form action={action} className="space-y-5" noValidate={false}>
        {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
        {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
        {state.error ? (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
            {state.error}
          </p>
        ) : null}
        <div className="space-y-1.5">
          <label htmlFor="email" className="block text-sm font-medium text-slate-800">
            Email address
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username webauthn"
            required
            autoFocus={!state.email}
            defaultValue={state.email}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600"
          />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            autoFocus={Boolean(state.email)}
            className="block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600"
          />
        </div>
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <PasskeySignIn interaction={interaction} returnTo={returnTo} />
    </>
  );
}
