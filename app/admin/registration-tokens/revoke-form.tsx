"use client";

import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { revokeToken } from "./actions";

export function RevokeTokenForm({ id, name }: { readonly id: string; readonly name: string }) {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(revokeToken, {});
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="whitespace-nowrap rounded-lg border border-red-300 bg-white px-3 py-1.5 text-sm font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60"
      >
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {state.message && !state.ok ? (
        <p role="alert" className="text-sm text-red-800">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
