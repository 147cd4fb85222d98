"use client";

import { useActionState } from "react";
import { decide, type ConsentState } from "./actions";

export function ConsentForm({ interaction, clientName }: { readonly interaction: string; readonly clientName: string }) {
  const [state, action, pending] = useActionState<ConsentState, FormData>(decide, {});
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="interaction" value={interaction} />
      {state.error ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {state.error}
        </p>
      ) : null}
      {/* Deny, then Allow: in the page's order, which is the visual order at every width. */}
      <div className="flex flex-col gap-3 sm:flex-row sm:justify-end">
        <button
          type="submit"
          name="decision"
          value="deny"
          disabled={pending}
          className="rounded-lg border border-slate-300 bg-white px-5 py-2.5 font-semibold text-slate-800 hover:bg-slate-100 disabled:opacity-60"
        >
          Deny
        </button>
        <button
          type="submit"
          name="decision"
          value="allow"
          disabled={pending}
          aria-label={`Allow ${clientName}`}
          className="rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
        >
          Allow
        </button>
      </div>
    </form>
  );
}
