"use client";

// The pieces every form of the Applications pages shares: a field with its label, hint and error
// (tied to the input by aria-describedby), the form-level message, and a value shown once.
import { useState, type ReactNode } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";

export const inputClass =
  "block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-700";
export const primaryButton =
  "rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600 disabled:opacity-60";
export const secondaryButton =
  "rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100 disabled:opacity-60";
export const dangerButton =
  "rounded-lg border border-red-300 bg-white px-4 py-2 font-semibold text-red-800 hover:bg-red-50 disabled:opacity-60";

/** The ids an input needs to point at its hint and its error. */
export function describedBy(id: string, hint: boolean, errors: readonly string[] | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function Field({
  id,
  label,
  hint,
  errors,
  children,
}: {
  readonly id: string;
  readonly label: string;
  readonly hint?: ReactNode;
  readonly errors?: readonly string[];
  readonly children: ReactNode;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-semibold text-slate-800">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      {children}
      <FieldError id={id} errors={errors} />
    </div>
  );
}

export function FieldError({ id, errors }: { readonly id: string; readonly errors?: readonly string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="text-sm font-medium text-red-800">
      {errors.join(" ")}
    </p>
  );
}

/** The whole form's outcome: role=alert for a refusal, role=status for a success. */
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

export function CopyButton({ value, label }: { readonly value: string; readonly label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(value).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
      className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-semibold text-slate-800 hover:bg-slate-100"
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}
