// The answers of the signed-out account forms (forgot and reset password, email verification,
// sign-up): field errors, what was typed (never a password), or a link that cannot be used.
import "server-only";
import { UnusableLink } from "../services/account-links.ts";
import { ServiceError, type FieldErrors } from "../services/errors.ts";

export interface AccountFormState {
  readonly ok?: boolean;
  readonly message?: string;
  readonly fieldErrors?: FieldErrors;
  /** What was typed, to refill the form (never a password). */
  readonly values?: Readonly<Record<string, string>>;
  /** The link is forged, expired, used or replaced: the page offers a new one instead. */
  readonly linkUnusable?: boolean;
}

export function text(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value.slice(0, 4000) : "";
}

/** A service refusal as form state; any other error is not the input's fault and propagates. */
export function refusedForm(error: unknown, values: Readonly<Record<string, string>> = {}): AccountFormState {
  if (error instanceof UnusableLink) return { ok: false, linkUnusable: true };
  if (error instanceof ServiceError) {
    const fields = Object.keys(error.fieldErrors).length;
    return {
      ok: false,
      message: fields > 1 ? `Correct the ${fields} fields marked below.` : error.message,
      fieldErrors: error.fieldErrors,
      values,
    };
  }
  throw error;
}

export function tooManyRequests(retryAfterSeconds: number, values: Readonly<Record<string, string>>): AccountFormState {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return { ok: false, message: `Too many requests. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, values };
}
