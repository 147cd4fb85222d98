"use client";

// Fields of the account forms (forgot and reset password, sign-up): a label, an optional hint,
// the error tied to the field (aria-describedby), and focus on the first problem after a refusal.
import { useEffect, useRef, type RefObject } from "react";
import type { FieldErrors } from "@/lib/services/errors";

const INPUT = "mt-1.5 block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600";

export function Field({
  name,
  label,
  type = "text",
  autoComplete,
  hint,
  optional,
  defaultValue,
  errors,
  maxLength,
}: {
  readonly name: string;
  readonly label: string;
  readonly type?: "text" | "email" | "password";
  readonly autoComplete: string;
  readonly hint?: string;
  readonly optional?: boolean;
  readonly defaultValue?: string;
  readonly errors?: FieldErrors;
  readonly maxLength?: number;
}) {
  const problems = errors?.[name] ?? [];
  const described = [problems.length ? `${name}-error` : null, hint ? `${name}-hint` : null].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={name} className="block text-sm font-medium text-slate-800">
        {label} {optional ? <span className="font-normal text-slate-700">(optional)</span> : null}
      </label>
      {hint ? (
        <p id={`${name}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required={!optional}
        maxLength={maxLength}
        defaultValue={defaultValue}
        aria-invalid={problems.length ? true : undefined}
        aria-describedby={described || undefined}
        className={`${INPUT} ${problems.length ? "border-red-700" : "border-slate-400"}`}
      />
      {problems.length ? (
        <p id={`${name}-error`} className="mt-1 text-sm font-medium text-red-800">
          {problems.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({ message }: { readonly message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" tabIndex={-1} data-form-alert className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
      {message}
    </p>
  );
}

/** After each refusal: focus the first invalid field, or else the form's alert. */
export function useFocusFirstProblem(form: RefObject<HTMLFormElement | null>, state: unknown): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const target =
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current?.querySelector<HTMLElement>("[data-form-alert]");
    target?.focus();
  }, [form, state]);
}
