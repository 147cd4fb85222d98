"use client";

// Setting up an authenticator app, as a step of its own: the QR code (drawn on the server and
// passed in), the secret to type by hand, and the first code that confirms it; then the recovery
// codes, once. The page starts the enrolment and passes the confirming server action, so the
// account page and a sign-in that requires a second factor share this screen.
import { useActionState, type ReactNode } from "react";
import type { FieldErrors } from "@/lib/services/errors";
import { RecoveryCodesList } from "./recovery-codes-list";
import { useFocusOnShow } from "./use-focus-on-show";

export interface TotpEnrolmentState {
  /** Confirmed: the codes to show once (empty when the person had a second factor already). */
  readonly recoveryCodes?: readonly string[];
  /** Refused: the code's problem (fieldErrors.code), or a message for the whole step (it ended). */
  readonly fieldErrors?: FieldErrors;
  readonly message?: string;
}

export type TotpConfirmAction = (previous: TotpEnrolmentState, formData: FormData) => Promise<TotpEnrolmentState>;

const INPUT =
  "mt-1 block w-full max-w-48 rounded-md border bg-white px-3 py-2 font-mono text-lg tracking-widest shadow-sm focus:border-brand-600";
const BUTTON = "inline-block rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";

/** "JBSW Y3DP EHPK 3PXP": easier to read out and type; apps ignore the spaces. */
function grouped(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

export function TotpEnrolment({
  factorId,
  secret,
  qrCode,
  accountName,
  minutes,
  confirm,
  restartHref,
  doneHref,
  doneLabel,
}: {
  readonly factorId: string;
  readonly secret: string;
  /** The otpauth:// URI as a QR code (QrCodeImage), rendered on the server. */
  readonly qrCode: ReactNode;
  /** The account the app will list the codes under (the email address). */
  readonly accountName: string;
  /** How long the step waits for its first code. */
  readonly minutes: number;
  /** Gets factorId and code; answers with the recovery codes, or with what was wrong. */
  readonly confirm: TotpConfirmAction;
  /** Where a fresh start is (this page again). */
  readonly restartHref: string;
  readonly doneHref: string;
  readonly doneLabel: string;
}) {
  const [state, action, pending] = useActionState<TotpEnrolmentState, FormData>(confirm, {});
  const codeErrors = state.fieldErrors?.code ?? [];
  // A refusal that is not about the code: the set-up ended (too late, or replaced by a newer start).
  const ended = !state.recoveryCodes && !codeErrors.length && state.message ? state.message : null;
  const answer = useFocusOnShow<HTMLParagraphElement>(Boolean(state.recoveryCodes || ended));

  if (state.recoveryCodes) {
    return (
      <div className="space-y-5">
        <p role="status" ref={answer} tabIndex={-1} className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          Your authenticator app is set up. From now on, signing in asks for a code from it after your password.
        </p>
        {state.recoveryCodes.length > 0 ? <RecoveryCodesList codes={state.recoveryCodes} accountName={accountName} /> : null}
        {/* A plain link, never prefetched: at sign-in it leads to the step that finishes the sign-in. */}
        <a href={doneHref} className={BUTTON}>
          {doneLabel}
        </a>
      </div>
    );
  }

  if (ended) {
    return (
      <div className="space-y-4">
        <p role="alert" ref={answer} tabIndex={-1} className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-red-800">
          {ended}
        </p>
        <p className="text-slate-700">
          A set-up waits {minutes} minutes for its first code, and opening it again replaces it. Starting again shows a new QR code: if your
          app already lists this account from before, delete that entry first.
        </p>
        <a href={restartHref} className={BUTTON}>
          Start again
        </a>
      </div>
    );
  }

  const described = [codeErrors.length ? "code-error" : null, "code-hint"].filter(Boolean).join(" ");
  return (
    <ol className="space-y-6">
      <li>
        <h2 className="font-semibold">1. Scan this QR code with your authenticator app</h2>
        <p className="mt-1 text-sm text-slate-700">
          Any app that makes 6-digit codes works: for example Google Authenticator, Microsoft Authenticator, 1Password or Bitwarden.
        </p>
        <div className="mt-3">{qrCode}</div>
      </li>
      <li>
        <h2 className="font-semibold">2. Or type this key into the app</h2>
        <p className="mt-1 text-sm text-slate-700">
          If you cannot scan the code, add the account by hand with this key (the spaces do not matter).
        </p>
        <p className="mt-2">
          <code
            id="totp-key"
            className="inline-block select-all break-all rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-lg tracking-wider text-slate-900"
          >
            {grouped(secret)}
          </code>
        </p>
      </li>
      <li>
        <h2 className="font-semibold">3. Enter the code the app shows</h2>
        {/* key: after each answer the form is new, with focus on the code when it was refused. */}
        <form action={action} key={JSON.stringify(state)} className="mt-2 space-y-3">
          <input type="hidden" name="factorId" value={factorId} />
          <div>
            <label htmlFor="code" className="block text-sm font-medium text-slate-800">
              6-digit code
            </label>
            <p id="code-hint" className="text-sm text-slate-700">
              The code changes every 30 seconds. Finish within {minutes} minutes of opening this page.
            </p>
            <input
              id="code"
              name="code"
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus={codeErrors.length > 0}
              aria-invalid={codeErrors.length ? true : undefined}
              aria-describedby={described}
              className={`${INPUT} ${codeErrors.length ? "border-red-700" : "border-slate-400"}`}
            />
            {codeErrors.length ? (
              <p id="code-error" className="mt-1 text-sm font-medium text-red-800">
                {codeErrors.join(" ")}
              </p>
            ) : null}
          </div>
          <button type="submit" disabled={pending} className={BUTTON}>
            {pending ? "Checking…" : "Turn on two-step sign-in"}
          </button>
        </form>
      </li>
    </ol>
  );
}
