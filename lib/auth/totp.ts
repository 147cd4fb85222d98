// Time-based one-time passwords (RFC 6238) as a second factor, with the parameters every
// authenticator app supports: HMAC-SHA-1, six digits, 30-second steps, a 160-bit secret (RFC 4226
// section 4 recommends at least 128). The codes are computed by `otpauth`; the acceptance rules
// are ours and pure, so they can be tested with a fixed clock:
//   - a code is accepted for the current step and one step either side (RFC 6238 section 5.2:
//     clock drift and the time it takes to type it), never older;
//   - a code is accepted once: only for a step later than the last one accepted for the factor,
//     so neither the same code nor any code of an earlier or equal step works again (section 5.2).
import { HOTP, Secret, TOTP } from "otpauth";

export const TOTP_ALGORITHM = "SHA1";
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
/** Steps accepted either side of the current one. */
export const TOTP_WINDOW = 1;
const SECRET_BYTES = 20;

/** What a typed code may look like before it is compared: digits, with spaces allowed ("123 456"). */
export function normalizeTotpCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, "");
  return /^\d{6}$/.test(code) ? code : undefined;
}

/** A new random shared secret, base32 (what the otpauth URI and an app's manual entry use). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The time step (RFC 6238's T) of an instant. */
export function totpStep(now: Date): number {
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now.getTime() });
}

/** The code of one step: for tests, and for nothing else in the server. */
export function totpCodeAt(secretBase32: string, step: number): string {
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, counter: step });
}

/**
 * The otpauth:// URI an authenticator app reads from a QR code, with the issuer and account name
 * the app shows beside the codes.
 */
export function totpUri(secretBase32: string, issuer: string, accountName: string): string {
  return new TOTP({
    issuer,
    label: accountName,
    secret: Secret.fromBase32(secretBase32),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

export type TotpCheck =
  | { readonly ok: true; readonly step: number }
  /** "wrong": no step in the window has this code; "replayed": only a step already used has it. */
  | { readonly ok: false; readonly reason: "wrong" | "replayed" };

/**
 * Whether `code` is acceptable now for a factor whose last accepted step is `lastUsedStep` (null:
 * none yet). On success, `step` is the step to store as the new last one: the earliest step in
 * the window, later than the last used, whose code matches (comparisons are constant-time).
 */
export function checkTotpCode(secretBase32: string, code: string, now: Date, lastUsedStep: number | null): TotpCheck {
  const normalized = normalizeTotpCode(code);
  if (!normalized) return { ok: false, reason: "wrong" };
  const secret = Secret.fromBase32(secretBase32);
  const current = totpStep(now);
  let replayed = false;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const matches =
      HOTP.validate({ token: normalized, secret, algorithm: TOTP_ALGORITHM, digits: TOTP_DIGITS, counter: step, window: 0 }) !== null;
    if (!matches) continue;
    if (lastUsedStep !== null && step <= lastUsedStep) {
      replayed = true;
      continue;
    }
    return { ok: true, step };
  }
  return { ok: false, reason: replayed ? "replayed" : "wrong" };
}
