// The one password rule, for every place a password is chosen (the admin console, the command
// line, ADMIN_PASSWORD). It follows NIST SP 800-63B §3.1.1.2: a minimum length, a generous
// maximum, no composition rules (they push people to predictable patterns), and a check against
// passwords known to be common. bcrypt reads at most 72 bytes, so that is a limit
// too: a longer password would be silently cut.
import { z } from "zod";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

// Kept here, not beside bcrypt in password.ts, so that lib/env.ts can use the rule without
// loading the hashing workers.
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 64;

const common = new Set(COMMON_PASSWORDS);

/** Whether a password is on the list of common ones (case does not make it any less common). */
export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

/** Characters as a person counts them (code points), not UTF-16 units. */
const length = (password: string) => [...password].length;

/**
 * The rule as a zod schema; `subject` starts each message ("The password must be …", "--password
 * must be …"; none for an environment variable, whose name the message follows).
 */
export function passwordSchemaFor(subject?: string) {
  const must = (rest: string) => (subject ? `${subject} ${rest}` : rest);
  return z
    .string({ error: must("is required") })
    .refine((password) => length(password) >= MIN_PASSWORD_LENGTH, must(`must be at least ${MIN_PASSWORD_LENGTH} characters`))
    .refine((password) => length(password) <= MAX_PASSWORD_LENGTH, must(`must be at most ${MAX_PASSWORD_LENGTH} characters`))
    .refine(
      (password) => Buffer.byteLength(password, "utf8") <= MAX_PASSWORD_BYTES,
      must(`must be at most ${MAX_PASSWORD_BYTES} bytes (a character outside ASCII takes two to four)`),
    )
    .refine((password) => !isCommonPassword(password), must("is one of the most common passwords: choose another one"));
}

/** The rule for forms and services. */
export const passwordSchema = passwordSchemaFor("The password");
