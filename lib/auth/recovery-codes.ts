// Recovery codes: single-use codes a person keeps on paper for the day their second factor is
// lost. Sixteen characters in four groups ("7KQ2-M9XD-4TNB-R8WE") from Crockford's base32 alphabet
// (no I, L, O or U), 80 random bits each: high-entropy, so a single SHA-256 stores them safely
// (lib/oauth/tokens/opaque.ts), and still quick to read and type. What a person types is
// normalised first: case, spaces and dashes do not matter, and I, L and O read as 1, 1 and 0.
import { createHash, randomInt } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS = 4;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;

/** One new code, formatted for display. */
export function newRecoveryCode(): string {
  let raw = "";
  for (let i = 0; i < LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  return format(raw);
}

export function newRecoveryCodes(count: number = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(newRecoveryCode());
  return [...codes];
}

function format(raw: string): string {
  const groups: string[] = [];
  for (let i = 0; i < LENGTH; i += GROUP_LENGTH) groups.push(raw.slice(i, i + GROUP_LENGTH));
  return groups.join("-");
}

/** The code as typed, in its canonical form (16 characters, no separators), or undefined when it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const raw = typed
    .toUpperCase()
    .replace(/[\s\-–—]/g, "")
    .replace(/[IL]/g, "1")
    .replace(/O/g, "0");
  if (raw.length !== LENGTH) return undefined;
  for (const char of raw) if (!ALPHABET.includes(char)) return undefined;
  return raw;
}

/** What is stored: the SHA-256 of the canonical form. Undefined when the typed text cannot be a code. */
export function recoveryCodeHash(typed: string): string | undefined {
  const raw = normalizeRecoveryCode(typed);
  return raw === undefined ? undefined : createHash("sha256").update(`recovery-code:${raw}`, "utf8").digest("hex");
}
