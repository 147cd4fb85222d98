"use client";

import Link from "next/link";
import { useActionState } from "react";
import { createClientAction, type CreateClientState } from "../actions";
import { ClientSettingsFields } from "../_components/client-settings-fields";
import { FormMessage, primaryButton } from "../_components/form-bits";
import { ShownOnce } from "../../_components/shown-once";

export function CreateClientForm() {
  const [state, action, pending] = useActionState<CreateClientState, FormData>(createClientAction, {});
  if (state.ok && state.created && state.shownOnce) {
    const href = `/admin/clients/${encodeURIComponent(state.created.clientId)}`;
    return (
      <div className="space-y-5">
        <FormMessage state={state} />
        <dl className="space-y-1">
          <dt className="text-sm font-semibold text-slate-800">client_id</dt>
          <dd className="break-all font-mono text-slate-900" data-testid="created-client-id">
            {state.created.clientId}
          </dd>
        </dl>
        <ShownOnce label={state.shownOnce.label} value={state.shownOnce.value} what="Store it in your application's secret store now" />
        <Link href={href} className={`inline-block ${primaryButton}`}>
          Go to {state.created.name}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} key={JSON.stringify(state.values ?? {})} className="space-y-6" noValidate>
      <FormMessage state={state} />
      <ClientSettingsFields values={state.values ?? {}} errors={state.fieldErrors ?? {}} />
      <button type="submit" disabled={pending} className={primaryButton}>
        {pending ? "Registering…" : "Register application"}
      </button>
    </form>
  );
}
