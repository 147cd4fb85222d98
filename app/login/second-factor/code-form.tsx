"use client";

import { useActionState } from "react";
import { verifySecondFactor, type SecondStepState } from "./actions";

const INPUT = "mt-1.5 block w-full rounded-md border bg-white px-3 py-2 font-mono text-lg tracking-widest shadow-sm focus:border-brand-600";

/** One code field: the authenticator app's six digits, or a recovery code. Its error is tied to it. */
export function CodeForm({ method, interaction }: { readonly method: "totp" | "recovery"; readonly interaction?: string | undefined }) {
  const [state, action, pending] = useActionState<SecondStepState, FormData>(verifySecondFactor, {});
  const totp = method === "totp";
  const hintId = `${method}-hint`;
  const errorId = `${method}-error`;
  return (
    // key: a new, empty field with focus after each refusal.
    <form action={action} key={state.error ?? ""} className="space-y-4">
      <input type="hidden" name="method" value={method} />
      {interaction ? <input type="hidden" name="interaction" value={interaction} /> : null}
      <div>
        <label htmlFor={`${method}-code`} className="block text-sm font-medium text-slate-800">
          {totp ? "Authentication code" : "Recovery code"}
        </label>
        <p id={hintId} className="text-sm text-slate-700">
          {totp
            ? "The 6-digit code your authenticator app shows for this account."
            : "One of the recovery codes you saved when you set up two-step sign-in. Each works once."}
        </p>
        <input
          id={`${method}-code`}
          name="code"
          type="text"
          required
          autoFocus
          autoComplete={totp ? "one-time-code" : "off"}
          inputMode={totp ? "numeric" : "text"}
          spellCheck={false}
          autoCapitalize="characters"
          maxLength={totp ? 16 : 64}
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? `${errorId} ${hintId}` : hintId}
          className={`${INPUT} ${state.error ? "border-red-700" : "border-slate-400"}`}
        />
        {state.error ? (
          <p id={errorId} role="alert" className="mt-1.5 text-sm font-medium text-red-800">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Checking…" : "Continue"}
      </button>
    </form>
  );
}
