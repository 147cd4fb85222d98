"use client";

import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { deleteClientAction, setDisabledAction } from "../actions";
import { dangerButton, FieldError, FormMessage, secondaryButton } from "../_components/form-bits";

export function DangerZone({ clientId, name, disabled }: { readonly clientId: string; readonly name: string; readonly disabled: boolean }) {
  const [toggled, toggle, toggling] = useActionState<AdminFormState, FormData>(setDisabledAction, {});
  const [deleted, remove, deleting] = useActionState<AdminFormState, FormData>(deleteClientAction, {});
  const confirmErrors = deleted.fieldErrors?.confirm;
  return (
    <div className="space-y-6">
      <form action={toggle} className="space-y-3">
        <input type="hidden" name="clientId" value={clientId} />
        <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
        <FormMessage state={toggled} />
        <p className="text-slate-800">
          {disabled
            ? "This application is disabled: sign-ins and token requests are refused, and its tokens are inactive."
            : "Disabling refuses its sign-ins and token requests at once and makes its existing tokens inactive (introspection, userinfo). It can be enabled again."}
        </p>
        <button type="submit" disabled={toggling} className={disabled ? secondaryButton : dangerButton}>
          {disabled ? "Enable application" : "Disable application"}
        </button>
      </form>

      <form action={remove} className="space-y-3 border-t border-slate-200 pt-5">
        <input type="hidden" name="clientId" value={clientId} />
        <input type="hidden" name="name" value={name} />
        <h3 className="font-semibold text-slate-900">Delete</h3>
        {deleted.message && !confirmErrors ? <FormMessage state={deleted} /> : null}
        <p className="text-slate-800">
          Deleting removes the application, its secrets and every grant and token it holds. It cannot be undone.
        </p>
        <label className="flex items-start gap-2 text-slate-800">
          <input
            type="checkbox"
            name="confirm"
            className="mt-1 size-4"
            aria-invalid={confirmErrors ? true : undefined}
            aria-describedby={confirmErrors ? "confirm-error" : undefined}
          />
          <span>I understand that {name} and all its grants will be deleted</span>
        </label>
        <FieldError id="confirm" errors={confirmErrors} />
        <button type="submit" disabled={deleting} className={dangerButton}>
          {deleting ? "Deleting…" : "Delete application"}
        </button>
      </form>
    </div>
  );
}
