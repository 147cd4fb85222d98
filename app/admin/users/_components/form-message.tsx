import type { AdminFormState } from "@/lib/server/admin-form";

/** The form-level answer: a status after success, an alert when refused. */
export function FormMessage({ state }: { readonly state: AdminFormState }) {
  if (!state.message) return null;
  return state.ok ? (
    <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900">
      {state.message}
    </p>
  ) : (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      {state.message}
    </p>
  );
}
