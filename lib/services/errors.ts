// What a service operation says when it refuses: a message for a form field (or for the whole
// form), so the admin console, the account page and the CLI can each show it in their own way.
// Nothing was changed when one is thrown.
import type { z } from "zod";

export type FieldErrors = Readonly<Record<string, readonly string[]>>;

export class ServiceError extends Error {
  override name = "ServiceError";
  constructor(
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
  }

  /** One problem with one field. */
  static field(field: string, message: string): ServiceError {
    return new ServiceError(message, { [field]: [message] });
  }
}

/** Validates an operation's input with its schema; a ServiceError names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.map(String).join(".") || "form";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const first = parsed.error.issues[0]?.message ?? "invalid input";
  throw new ServiceError(first, fieldErrors);
}

/** Who asks for a change, recorded with it in the audit log. */
export interface Actor {
  /** The signed-in person (an admin, or the user on their own account); null for the CLI. */
  readonly userId: string | null;
  readonly ipAddress?: string | null;
  readonly via: "console" | "account" | "cli" | "registration" | "system";
}
