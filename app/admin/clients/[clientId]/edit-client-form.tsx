"use client";

import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { updateClientAction } from "../actions";
import { ClientSettingsFields } from "../_components/client-settings-fields";
import { FormMessage, primaryButton } from "../_components/form-bits";

export function EditClientForm({
  clientId,
  registeredType,
  current,
}: {
  readonly clientId: string;
  readonly registeredType: "public" | "confidential";
  readonly current: Readonly<Record<string, string>>;
}) {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(updateClientAction, {});
  const values = state.values ?? current;
  return (
    <form action={action} key={JSON.stringify(values)} className="space-y-6" noValidate>
      <input type="hidden" name="clientId" value={clientId} />
      <FormMessage state={state} />
      <ClientSettingsFields values={values} errors={state.fieldErrors ?? {}} registeredType={registeredType} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Saving…" : "Save settings"}
      </button>
    </form>
  );
}
