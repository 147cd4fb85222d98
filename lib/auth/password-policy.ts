// The one password rule, for every place a password is chosen (the account page, the admin
// console, the command line, ADMIN_PASSWORD, and later sign-up and reset). It follows NIST
// SP 800-63B §3.1.1.2: a minimum length, a generous maximum, no composition rules (they push
// people to predictable patterns), and a check against passwords known to be common.
//
// The maximum is 256 characters: NIST asks for at least 64, passphrases and password managers
// rarely go past 100, and a bound keeps a form from feeding megabytes to the hashing. bcrypt
// itself reads only 72 bytes, so password.ts pre-hashes a longer one (nothing is silently cut).
//
// The common passwords are the dictionary of @zxcvbn-ts/language-common (about 49,000 passwords
// ranked by how often they appear in breach corpora). The check is a lookup, not zxcvbn's
// estimate: a clear yes or no that a person can act on. It matches the password lower-cased, and
// also with the digits and symbols people add at either end taken off, leetspeak read back
// ("p@ssw0rd" is "password") and a repeated part counted once, the first variations any
// guessing tool tries.
import { dictionary } from "@zxcvbn-ts/language-common";
import { z } from "zod";
import { processState } from "../process-state.ts";

import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./password-limits.ts";

export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_HINT } from "./password-limits.ts";

/** The dictionary as a set, built once per process (about 49,000 entries) on first use. */
export function commonPasswordSet(): ReadonlySet<string> {
  return processState("common-password-set", () => new Set(dictionary["passwords-common"].map((word) => word.toLowerCase())));
}

const LEET: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i" };
const unleet = (text: string) => text.replace(/[013457@$!]/g, (character) => LEET[character]!);
/** Digits, symbols and spaces added at either end: "Password2024!" is "password". */
const trim = (text: string) => text.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, "");
/** The shortest part that, repeated, makes the text ("abcabcabc" → "abc"), or the text itself. */
function unit(text: string): string {
  const characters = [...text];
  for (let size = 1; size <= characters.length / 2; size++) {
    if (characters.length % size !== 0) continue;
    const part = characters.slice(0, size).join("");
    if (part.repeat(characters.length / size) === text) return part;
  }
  return text;
}

/** Whether a password is on the list of common ones, or an obvious variation of one. */
export function isCommonPassword(password: string): boolean {
  const common = commonPasswordSet();
  const lower = password.normalize("NFKC").toLowerCase();
  const candidates = new Set<string>();
  for (const base of [lower, unit(lower)]) {
    const trimmed = trim(base);
    for (const candidate of [base, trimmed, unleet(trimmed), unit(trimmed)]) candidates.add(candidate);
  }
  for (const candidate of candidates) {
    // Nothing left once the ends are trimmed (all digits and symbols): judged as typed.
    if (candidate === "") continue;
    // A repeated or padded part of one to three characters ("aaaa…", "ababab…", "!!a!!…") is as
    // guessable as any word on the list.
    if ([...candidate].length <= 3 && candidate !== lower) return true;
    if (common.has(candidate)) return true;
  }
  return false;
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
      (password) => length(password) < MIN_PASSWORD_LENGTH || length(password) > MAX_PASSWORD_LENGTH || !isCommonPassword(password),
      must("is too common (it, or a simple variation of it, is on a list of passwords seen in breaches): choose another one"),
    );
}

/** The rule for forms and services. */
export const passwordSchema = passwordSchemaFor("The password");
