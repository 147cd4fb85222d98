"use client";

// Withdrawing one retired key, behind a confirmation (a disclosure that works without JavaScript):
// the tokens it signed stop verifying at once.
import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { revokeKey } from "./actions";

export function RevokeKeyForm({ kid }: { readonly kid: string }) {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(revokeKey, {});
  return (
    <div className="min-w-0">
      <details key={state.message ?? ""}>
        <summary className="inline-block cursor-pointer list-none rounded-lg border border-red-300 bg-white px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 [&::-webkit-details-marker]:hidden">
          Withdraw now<span className="sr-only"> key {kid}</span>
        </summary>
        <form action={action} className="mt-2 max-w-xs space-y-2 rounded-lg border border-red-300 bg-red-50 p-3 text-sm text-slate-900">
          <input type="hidden" name="kid" value={kid} />
          <p>For a key that may have leaked: it leaves the JWKS now, and every token it signed stops working.</p>
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg bg-red-700 px-3 py-1.5 font-semibold text-white hover:bg-red-800 disabled:opacity-60"
          >
            {pending ? "Withdrawing…" : "Yes, withdraw this key"}
          </button>
        </form>
      </details>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`mt-2 wrap-anywhere rounded-md border px-3 py-2 text-sm ${state.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}
        >
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
