"use client";

import { useActionState } from "react";
import { continueAs, type SignInState } from "./actions";

/** "Continue as <email>" for an authorization request: the account already signed in here. */
export function ContinueAsForm({ interaction, email }: { readonly interaction: string; readonly email: string }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(continueAs, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="interaction" value={interaction} />
      {state.error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-600 px-5 py-2.5 font-semibold break-words text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        Continue as {email}
      </button>
    </form>
  );
}
