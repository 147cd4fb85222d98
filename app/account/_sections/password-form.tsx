"use client";

import { useActionState } from "react";
import { PASSWORD_HINT } from "@/lib/auth/password-limits";
import { changePasswordAction, type AccountFormState } from "../actions";
import { FieldError, INPUT, PRIMARY_BUTTON } from "./ui";

const FIELDS = ["currentPassword", "newPassword"] as const;

export function PasswordForm() {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(changePasswordAction, {});
  const errors = state.fieldErrors ?? {};
  const firstError = FIELDS.find((field) => errors[field]?.length);
  // A refusal that names no field (the account is gone) is said above the form.
  const general = !state.ok && state.message && !firstError ? state.message : null;
  const field = (name: (typeof FIELDS)[number], hint?: string) => ({
    id: name,
    name,
    type: "password",
    required: true,
    autoFocus: firstError === name,
    "aria-invalid": errors[name]?.length ? true : undefined,
    "aria-describedby": errors[name]?.length ? [`${name}-error`, hint].filter(Boolean).join(" ") : hint,
    className: `${INPUT} ${errors[name]?.length ? "border-red-700" : "border-slate-400"}`,
  });
  // key: passwords are never sent back, and the form is new after each answer, with focus on the first problem.
  return (
    <form action={action} key={JSON.stringify(state)} className="space-y-4">
      {general ? (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {general}
        </p>
      ) : null}
      <div>
        <label htmlFor="currentPassword" className="block text-sm font-medium text-slate-800">
          Current password
        </label>
        <input {...field("currentPassword")} autoComplete="current-password" />
        <FieldError id="currentPassword-error" errors={errors.currentPassword} />
      </div>
      <div>
        <label htmlFor="newPassword" className="block text-sm font-medium text-slate-800">
          New password
        </label>
        <p id="newPassword-hint" className="text-sm text-slate-700">
          {PASSWORD_HINT}
        </p>
        <input {...field("newPassword", "newPassword-hint")} autoComplete="new-password" />
        <FieldError id="newPassword-error" errors={errors.newPassword} />
      </div>
      <p className="text-sm text-slate-700">You stay signed in here; every other browser is signed out.</p>
      <button type="submit" disabled={pending} className={PRIMARY_BUTTON}>
        {pending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
