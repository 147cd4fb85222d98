"use client";

import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { FormMessage } from "../_components/form-message";
import { ShownOnce } from "../../_components/shown-once";

type Action = (previous: AdminFormState, formData: FormData) => Promise<AdminFormState>;

const TONES = {
  primary: "bg-brand-700 text-white hover:bg-brand-600 border border-brand-700",
  neutral: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-100",
  danger: "border border-red-300 bg-white text-red-800 hover:bg-red-50",
} as const;

/** One button, one operation: its answer (and a password to show once) appears below it. */
export function ActionButton({
  action,
  fields,
  label,
  accessibleLabel,
  tone = "neutral",
  confirm,
}: {
  readonly action: Action;
  readonly fields: Readonly<Record<string, string>>;
  readonly label: string;
  readonly accessibleLabel?: string;
  readonly tone?: keyof typeof TONES;
  /** Asked before a change that cannot simply be undone. */
  readonly confirm?: string;
}) {
  const [state, formAction, pending] = useActionState<AdminFormState, FormData>(action, {});
  return (
    <div className="space-y-3">
      <form
        action={formAction}
        onSubmit={(event) => {
          if (confirm && !window.confirm(confirm)) event.preventDefault();
        }}
      >
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button
          type="submit"
          disabled={pending}
          aria-label={accessibleLabel}
          className={`whitespace-nowrap rounded-lg px-4 py-2 font-semibold disabled:opacity-60 ${TONES[tone]}`}
        >
          {label}
        </button>
      </form>
      <FormMessage state={state} />
      {state.shownOnce ? (
        <ShownOnce label={state.shownOnce.label} value={state.shownOnce.value} what="Copy it now and hand it over safely" />
      ) : null}
    </div>
  );
}
