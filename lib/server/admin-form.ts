// Server actions of the admin console share one shape: guard (requireFreshAdmin), call one service
// operation, and answer the form with field errors, or with what to show once (a new secret).
import "server-only";
import { ServiceError, type FieldErrors } from "../services/errors.ts";

export interface AdminFormState {
  readonly ok?: boolean;
  /** A message for the whole form: the success notice, or what went wrong. */
  readonly message?: string;
  readonly fieldErrors?: FieldErrors;
  /** What the admin typed, to refill the form after an error (never a password or secret). */
  readonly values?: Readonly<Record<string, string>>;
  /** A secret or password shown exactly once, right after it was made. */
  readonly shownOnce?: { readonly label: string; readonly value: string };
}

/** A service refusal as form state; any other error is not input's fault and propagates. */
export function refused(error: unknown, values?: Readonly<Record<string, string>>): AdminFormState {
  if (error instanceof ServiceError) {
    return { ok: false, message: error.message, fieldErrors: error.fieldErrors, ...(values ? { values } : {}) };
  }
  throw error;
}

/** The text fields of a form (files and repeated names aside), to refill it after an error. */
export function formValues(formData: FormData, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value === "string" && !name.startsWith("$") && !omit.includes(name)) values[name] = value.slice(0, 4000);
  }
  return values;
}
