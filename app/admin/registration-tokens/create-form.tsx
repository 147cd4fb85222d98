"use client";

import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { createToken } from "./actions";
import { ShownOnce } from "../_components/shown-once";

const input = "block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600";

function FieldError({ id, errors }: { readonly id: string; readonly errors: readonly string[] | undefined }) {
  return errors?.length ? (
    <p id={id} className="text-sm text-red-800">
      {errors.join(" ")}
    </p>
  ) : null;
}

export function CreateTokenForm() {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(createToken, {});
  const errors = state.fieldErrors ?? {};
  const values = state.ok ? {} : (state.values ?? {});
  // Field errors are shown next to their fields; the form-level alert only points at them.
  const message = Object.keys(errors).length > 0 ? "The token was not created: correct the field marked below." : state.message;
  return (
    <div className="space-y-4">
      {message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`rounded-md border px-4 py-3 text-sm ${state.ok ? "border-green-300 bg-green-50 text-green-900" : "border-red-300 bg-red-50 text-red-800"}`}
        >
          {message}
        </p>
      ) : null}
      {state.shownOnce ? (
        <ShownOnce
          label={state.shownOnce.label}
          value={state.shownOnce.value}
          what="Copy it now and give it to the application's developers"
        >
          <p>
            The application registers itself (RFC 7591) by sending its metadata to{" "}
            <code className="rounded bg-white px-1 wrap-anywhere">POST /oauth/register</code> with the header{" "}
            <code className="rounded bg-white px-1 wrap-anywhere">Authorization: Bearer &lt;token&gt;</code>.
          </p>
        </ShownOnce>
      ) : null}
      {/* A new key after each success empties the fields; after an error they keep what was typed. */}
      <form key={state.shownOnce?.value ?? "form"} action={action} className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5 sm:col-span-2">
          <label htmlFor="iat-description" className="block text-sm font-medium text-slate-800">
            Description
          </label>
          <input
            id="iat-description"
            name="description"
            maxLength={200}
            defaultValue={values.description}
            placeholder="Who it is for, e.g. Partner onboarding"
            aria-invalid={errors.description ? true : undefined}
            aria-describedby={errors.description ? "iat-description-error" : undefined}
            className={input}
          />
          <FieldError id="iat-description-error" errors={errors.description} />
        </div>
        <div className="space-y-1.5">
          <label htmlFor="iat-days" className="block text-sm font-medium text-slate-800">
            Expires in (days)
          </label>
          <input
            id="iat-days"
            name="expiresInDays"
            inputMode="numeric"
            defaultValue={values.expiresInDays ?? "7"}
            aria-invalid={errors.expiresInDays ? true : undefined}
            aria-describedby={`iat-days-hint${errors.expiresInDays ? " iat-days-error" : ""}`}
            className={input}
          />
          <p id="iat-days-hint" className="text-sm text-slate-700">
            1 to 3650; leave empty for a token that does not expire.
          </p>
          <FieldError id="iat-days-error" errors={errors.expiresInDays} />
        </div>
        <div className="flex items-start gap-2 sm:pt-7">
          <input
            id="iat-single"
            name="singleUse"
            type="checkbox"
            defaultChecked={values.singleUse === "on" || !state.values}
            className="mt-1 h-4 w-4"
          />
          <label htmlFor="iat-single" className="text-sm text-slate-800">
            Single use: it registers one client, then stops working
          </label>
        </div>
        <div className="sm:col-span-2">
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-600 disabled:opacity-60"
          >
            {pending ? "Creating…" : "Create registration token"}
          </button>
        </div>
      </form>
    </div>
  );
}
