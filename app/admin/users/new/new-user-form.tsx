"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { PASSWORD_HINT } from "@/lib/auth/password-limits";
import type { AdminFormState } from "@/lib/server/admin-form";
import { FormMessage } from "../_components/form-message";
import { ShownOnce } from "../../_components/shown-once";
import { createUserAction } from "./actions";

const INPUT = "mt-1 block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm";

function FieldError({ id, errors }: { readonly id: string; readonly errors: readonly string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm font-medium text-red-800">
      {errors.join(" ")}
    </p>
  );
}

export function NewUserForm() {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(createUserAction, {});
  const [choice, setChoice] = useState<"generate" | "set">(state.values?.password_choice === "set" ? "set" : "generate");
  const errors = state.ok ? {} : (state.fieldErrors ?? {});
  const values = state.ok ? {} : (state.values ?? {});
  const described = (field: string) =>
    errors[field]?.length ? { "aria-invalid": true as const, "aria-describedby": `${field}-error` } : {};
  const border = (field: string) => (errors[field]?.length ? "border-red-700" : "border-slate-400");

  if (state.ok) {
    return (
      <div className="space-y-4">
        <FormMessage state={state} />
        {state.shownOnce ? (
          <ShownOnce label={state.shownOnce.label} value={state.shownOnce.value} what="Copy it now and hand it over safely" />
        ) : null}
        <div className="flex flex-wrap gap-4">
          <Link href={`/admin/users/${state.values?.userId ?? ""}`} className="font-semibold text-brand-700 underline">
            Open the user
          </Link>
          <Link href="/admin/users" className="font-semibold text-brand-700 underline">
            Back to users
          </Link>
        </div>
      </div>
    );
  }

  // key: after a refusal, the fields start again from what was sent (React resets a form after an action).
  const problems = Object.keys(errors).length;
  const summary = problems > 1 ? { ...state, message: `Correct the ${problems} fields marked below.` } : state;
  return (
    <form action={action} key={JSON.stringify(values)} className="space-y-5" noValidate>
      <FormMessage state={summary} />
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-800">
          Email address
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="off"
          required
          maxLength={254}
          defaultValue={values.email}
          className={`${INPUT} ${border("email")}`}
          {...described("email")}
        />
        <FieldError id="email-error" errors={errors.email} />
      </div>
      <div>
        <label htmlFor="name" className="block text-sm font-medium text-slate-800">
          Name <span className="font-normal text-slate-700">(optional)</span>
        </label>
        <input
          id="name"
          name="name"
          type="text"
          autoComplete="off"
          maxLength={100}
          defaultValue={values.name}
          className={`${INPUT} ${border("name")}`}
          {...described("name")}
        />
        <FieldError id="name-error" errors={errors.name} />
      </div>
      <fieldset aria-describedby={errors.role?.length ? "role-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Role</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
          {(["user", "admin"] as const).map((role) => (
            <label key={role} className="flex items-center gap-2 text-slate-900">
              <input type="radio" name="role" value={role} defaultChecked={(values.role ?? "user") === role} className="size-4" />
              {role === "admin" ? "Admin (runs the portal)" : "User"}
            </label>
          ))}
        </div>
        <FieldError id="role-error" errors={errors.role} />
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Initial password</legend>
        <div className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
          <label className="flex items-center gap-2 text-slate-900">
            <input
              type="radio"
              name="password_choice"
              value="generate"
              checked={choice === "generate"}
              onChange={() => setChoice("generate")}
              className="size-4"
            />
            Generate a password
          </label>
          <label className="flex items-center gap-2 text-slate-900">
            <input
              type="radio"
              name="password_choice"
              value="set"
              checked={choice === "set"}
              onChange={() => setChoice("set")}
              className="size-4"
            />
            Set one
          </label>
        </div>
      </fieldset>
      {choice === "set" ? (
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-800">
            Password
          </label>
          <p id="password-hint" className="text-sm text-slate-700">
            {PASSWORD_HINT}
          </p>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="new-password"
            className={`${INPUT} ${border("password")}`}
            aria-invalid={errors.password?.length ? true : undefined}
            aria-describedby={errors.password?.length ? "password-error password-hint" : "password-hint"}
          />
          <FieldError id="password-error" errors={errors.password} />
        </div>
      ) : (
        <FieldError id="password-error" errors={errors.password} />
      )}
      <button
        type="submit"
        disabled={pending}
        className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600 disabled:opacity-60"
      >
        {pending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
