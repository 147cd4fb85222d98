"use client";

// "Confirm it is you" before a change to the second factor: the current password, or a code from
// the authenticator app. Each field carries its own error; after a refusal the form is new, with
// focus on the field that was wrong. New recovery codes, when the change made some, replace the
// form and are shown once.
import Link from "next/link";
import { useActionState } from "react";
import { RecoveryCodesList } from "@/app/_components/second-factor/recovery-codes-list";
import { useFocusOnShow } from "@/app/_components/second-factor/use-focus-on-show";
import { DANGER_BUTTON, FieldError, INPUT, PRIMARY_BUTTON } from "../_sections/ui";
import type { ConfirmedChangeState } from "./actions";

const FIELDS = ["currentPassword", "code"] as const;

export function ConfirmIdentityForm({
  action,
  submitLabel,
  pendingLabel,
  danger,
  accountName,
}: {
  readonly action: (previous: ConfirmedChangeState, formData: FormData) => Promise<ConfirmedChangeState>;
  readonly submitLabel: string;
  readonly pendingLabel: string;
  readonly danger?: boolean;
  readonly accountName: string;
}) {
  const [state, formAction, pending] = useActionState<ConfirmedChangeState, FormData>(action, {});
  const answer = useFocusOnShow<HTMLParagraphElement>(Boolean(state.recoveryCodes));
  if (state.recoveryCodes) {
    return (
      <div className="space-y-5">
        <p role="status" ref={answer} tabIndex={-1} className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          You have new recovery codes. The old ones no longer work.
        </p>
        <RecoveryCodesList codes={state.recoveryCodes} accountName={accountName} />
        <Link href="/account" className={`inline-block ${PRIMARY_BUTTON}`}>
          Back to your account
        </Link>
      </div>
    );
  }
  const errors = state.fieldErrors ?? {};
  const firstError = FIELDS.find((field) => errors[field]?.length);
  const general = state.message && !firstError ? state.message : null;
  const described = (name: (typeof FIELDS)[number], hint?: string) =>
    [errors[name]?.length ? `${name}-error` : null, hint].filter(Boolean).join(" ") || undefined;
  const field = (name: (typeof FIELDS)[number]) => ({
    id: name,
    name,
    autoFocus: firstError === name,
    "aria-invalid": errors[name]?.length ? true : undefined,
    className: `${INPUT} ${errors[name]?.length ? "border-red-700" : "border-slate-400"}`,
  });
  return (
    <form action={formAction} key={JSON.stringify(state)} className="space-y-4">
      {general ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {general}
        </p>
      ) : null}
      <fieldset className="space-y-4">
        <legend className="font-semibold">Confirm it is you</legend>
        <p className="text-sm text-slate-700">Enter your current password, or a code from your authenticator app.</p>
        <div>
          <label htmlFor="currentPassword" className="block text-sm font-medium text-slate-800">
            Current password
          </label>
          <input
            {...field("currentPassword")}
            type="password"
            autoComplete="current-password"
            aria-describedby={described("currentPassword")}
          />
          <FieldError id="currentPassword-error" errors={errors.currentPassword} />
        </div>
        <div>
          <label htmlFor="code" className="block text-sm font-medium text-slate-800">
            Or a 6-digit code from your authenticator app
          </label>
          <p id="code-hint" className="text-sm text-slate-700">
            When you enter a code, the password is not needed.
          </p>
          <input
            {...field("code")}
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            aria-describedby={described("code", "code-hint")}
          />
          <FieldError id="code-error" errors={errors.code} />
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-3">
        <button type="submit" disabled={pending} className={danger ? DANGER_BUTTON : PRIMARY_BUTTON}>
          {pending ? pendingLabel : submitLabel}
        </button>
        <Link href="/account" className="rounded-lg px-4 py-2 font-semibold text-slate-800 underline underline-offset-2 hover:bg-slate-100">
          Cancel
        </Link>
      </div>
    </form>
  );
}
