"use client";

import { useActionState } from "react";
import { updateNameAction, type AccountFormState } from "../actions";
import { FieldError, INPUT, PRIMARY_BUTTON } from "./ui";

export function NameForm({ name }: { readonly name: string }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(updateNameAction, {});
  const errors = state.fieldErrors?.name ?? (state.message && !state.ok ? [state.message] : undefined);
  const value = state.values?.name ?? name;
  // key: after a refusal the form starts again from what was sent, with focus on the field.
  return (
    <form action={action} key={JSON.stringify(state)} className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="min-w-0 flex-1">
        <label htmlFor="name" className="block text-sm font-medium text-slate-800">
          Name
        </label>
        <input
          id="name"
          name="name"
          type="text"
          autoComplete="name"
          maxLength={100}
          defaultValue={value}
          autoFocus={Boolean(errors)}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? "name-error" : "name-hint"}
          className={`${INPUT} ${errors ? "border-red-700" : "border-slate-400"}`}
        />
        {errors ? (
          <FieldError id="name-error" errors={errors} />
        ) : (
          <p id="name-hint" className="mt-1 text-sm text-slate-700">
            Shown to the applications you allow to see your profile.
          </p>
        )}
      </div>
      <button type="submit" disabled={pending} className={`self-start sm:mb-7 sm:self-auto ${PRIMARY_BUTTON}`}>
        {pending ? "Saving…" : "Save name"}
      </button>
    </form>
  );
}
