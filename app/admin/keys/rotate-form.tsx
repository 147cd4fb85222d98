"use client";

// One rotation button and its confirmation: a disclosure (works without JavaScript too) whose
// second button does it, so a stray click never rotates. Each answer closes it again (a new key).
import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { rotateKeys } from "./actions";

export function RotateForm({ alg, primary = false }: { readonly alg?: string; readonly primary?: boolean }) {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(rotateKeys, {});
  const what = alg ? `the ${alg} key` : "all keys";
  return (
    <div className="min-w-0">
      <details key={state.message ?? ""} className="group">
        <summary
          className={`inline-block cursor-pointer list-none rounded-lg px-4 py-2 font-semibold [&::-webkit-details-marker]:hidden ${
            primary ? "bg-brand-700 text-white hover:bg-brand-600" : "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100"
          }`}
        >
          {alg ? `Rotate ${alg}` : "Rotate all keys now"}
        </summary>
        <form action={action} className="mt-3 max-w-md space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-slate-900">
          {alg ? <input type="hidden" name="alg" value={alg} /> : null}
          <p>
            A new key replaces {what} for signing at once. The old public key stays published until every token it signed has expired, so
            nobody is signed out.
          </p>
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600 disabled:opacity-60"
          >
            {pending ? "Rotating…" : `Yes, rotate ${what}`}
          </button>
        </form>
      </details>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-3 wrap-anywhere rounded-md border px-4 py-3 text-sm ${state.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}
        >
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
