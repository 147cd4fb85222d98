"use client";

// Adding a passkey (the browser's WebAuthn ceremony between two server calls), and renaming or
// removing one (forms; removal asks for the current password).
import { startRegistration } from "@simplewebauthn/browser";
import { useActionState, useState, useTransition } from "react";
import { passkeyBrowserError } from "@/app/_components/passkey/browser-errors";
import type { AccountFormState } from "../actions";
import { addPasskeyAction, passkeyRegistrationOptionsAction, removePasskeyAction, renamePasskeyAction } from "../passkey-actions";
import { DANGER_BUTTON, FieldError, INPUT, PRIMARY_BUTTON, SECONDARY_BUTTON } from "./ui";

const inputClass = (invalid: boolean) => `${INPUT} ${invalid ? "border-red-700" : "border-slate-400"}`;
const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

export function AddPasskeyForm() {
  const [state, setState] = useState<AccountFormState>({});
  const [pending, startTransition] = useTransition();
  const nameErrors = state.fieldErrors?.name;
  const general = !state.ok && state.message && !nameErrors?.length ? state.message : null;

  const add = (formData: FormData) =>
    startTransition(async () => {
      const name = String(formData.get("passkey_name") ?? "");
      const options = await passkeyRegistrationOptionsAction();
      if (!options.ok) return setState({ ok: false, message: options.message, values: { name } });
      let response;
      try {
        response = await startRegistration({ optionsJSON: options.options });
      } catch (failure) {
        const message = passkeyBrowserError(failure, "register");
        return setState(message ? { ok: false, message, values: { name } } : {});
      }
      setState(await addPasskeyAction(name, response));
    });

  return (
    <form action={add} className="space-y-4">
      <h3 className="font-semibold">Add a passkey</h3>
      {general ? (
        <p id="add-passkey-error" role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {general}
        </p>
      ) : null}
      <div>
        <label htmlFor="passkey-name" className="block text-sm font-medium text-slate-800">
          Name <span className="font-normal text-slate-700">(optional)</span>
        </label>
        <p id="passkey-name-hint" className="text-sm text-slate-700">
          So you can tell your passkeys apart, such as “Work laptop”. Without one, it is named after the kind of passkey.
        </p>
        <input
          id="passkey-name"
          name="passkey_name"
          type="text"
          maxLength={64}
          autoComplete="off"
          defaultValue={state.values?.name ?? ""}
          aria-invalid={nameErrors?.length ? true : undefined}
          aria-describedby={describedBy("passkey-name-hint", Boolean(nameErrors?.length) && "passkey-name-error")}
          className={inputClass(Boolean(nameErrors?.length))}
        />
        <FieldError id="passkey-name-error" errors={nameErrors} />
      </div>
      <button type="submit" disabled={pending} aria-describedby={general ? "add-passkey-error" : undefined} className={PRIMARY_BUTTON}>
        {pending ? "Waiting for your device…" : "Add a passkey"}
      </button>
    </form>
  );
}

/** Rename and Remove for one passkey, each behind its own disclosure. */
export function PasskeyActions({ passkeyId, name }: { readonly passkeyId: string; readonly name: string }) {
  const [renameState, rename, renaming] = useActionState<AccountFormState, FormData>(renamePasskeyAction, {});
  const [removeState, remove, removing] = useActionState<AccountFormState, FormData>(removePasskeyAction, {});
  const ids = {
    name: `rename-${passkeyId}`,
    nameError: `rename-${passkeyId}-error`,
    password: `remove-${passkeyId}`,
    passwordError: `remove-${passkeyId}-error`,
    removeError: `remove-${passkeyId}-general`,
  };
  const renameErrors =
    renameState.fieldErrors?.name ?? (renameState.ok === false && renameState.message ? [renameState.message] : undefined);
  const passwordErrors = removeState.fieldErrors?.currentPassword;
  const removeGeneral = removeState.ok === false && removeState.message && !passwordErrors?.length ? removeState.message : null;
  const summary = `cursor-pointer list-none ${SECONDARY_BUTTON} inline-block text-sm [&::-webkit-details-marker]:hidden`;

  return (
    <div className="mt-3 flex flex-wrap gap-3">
      <details className="open:basis-full" open={Boolean(renameErrors?.length) || undefined}>
        <summary className={summary}>
          Rename<span className="sr-only"> {name}</span>
        </summary>
        <form action={rename} className="mt-3 space-y-3">
          <input type="hidden" name="passkey_id" value={passkeyId} />
          <div>
            <label htmlFor={ids.name} className="block text-sm font-medium text-slate-800">
              New name
            </label>
            <input
              id={ids.name}
              name="passkey_name"
              type="text"
              required
              maxLength={64}
              autoComplete="off"
              defaultValue={renameState.values?.name ?? name}
              aria-invalid={renameErrors?.length ? true : undefined}
              aria-describedby={renameErrors?.length ? ids.nameError : undefined}
              className={inputClass(Boolean(renameErrors?.length))}
            />
            <FieldError id={ids.nameError} errors={renameErrors} />
          </div>
          <button type="submit" disabled={renaming} className={`text-sm ${PRIMARY_BUTTON}`}>
            {renaming ? "Saving…" : "Save name"}
          </button>
        </form>
      </details>
      <details className="open:basis-full" open={Boolean(passwordErrors?.length || removeGeneral) || undefined}>
        <summary className={summary}>
          Remove<span className="sr-only"> {name}</span>
        </summary>
        <form action={remove} className="mt-3 space-y-3" key={JSON.stringify(removeState)}>
          <input type="hidden" name="passkey_id" value={passkeyId} />
          {removeGeneral ? (
            <p id={ids.removeError} role="alert" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
              {removeGeneral}
            </p>
          ) : null}
          <p className="text-sm text-slate-700">This passkey will no longer sign you in. Enter your password to confirm.</p>
          <div>
            <label htmlFor={ids.password} className="block text-sm font-medium text-slate-800">
              Current password
            </label>
            <input
              id={ids.password}
              name="currentPassword"
              type="password"
              required
              autoComplete="current-password"
              autoFocus={Boolean(passwordErrors?.length)}
              aria-invalid={passwordErrors?.length ? true : undefined}
              aria-describedby={passwordErrors?.length ? ids.passwordError : undefined}
              className={inputClass(Boolean(passwordErrors?.length))}
            />
            <FieldError id={ids.passwordError} errors={passwordErrors} />
          </div>
          <button type="submit" disabled={removing} className={`text-sm ${DANGER_BUTTON}`}>
            {removing ? "Removing…" : "Remove passkey"}
          </button>
        </form>
      </details>
    </div>
  );
}
