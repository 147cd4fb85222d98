"use client";

// A passkey as the SECOND factor: one button that runs the WebAuthn ceremony for a known person
// and, when the server accepts the passkey, finishes the sign-in (it navigates; nothing to handle).
//
// Props (PasskeySecondFactorButtonProps):
// - mode: "pending"  — the pending sign-in after a right password (lib/server/pending-sign-in.ts):
//                      the person, their methods so far and where to go next come from its cookie;
//                      `interaction` and `returnTo` are ignored.
//         "step-up"  — the session this browser has (getCurrentSession()): the new session keeps
//                      its methods and adds the passkey's, then goes to `interaction` or `returnTo`.
// - interaction?: the authorization request to continue (step-up only).
// - returnTo?:    a local path to go to afterwards (step-up only; /account when neither is given).
// - label?:       the button's text; "Use a passkey" by default.
// - className?:   classes for the button, replacing the default secondary button look.
//
// The methods added are RFC 8176 "hwk" (device-bound) or "swk" (synced), "user" and "mfa". Errors
// (no passkey registered, cancelled, expired challenge, throttled) are shown under the button in
// an alert that the button names with aria-describedby. Server side: app/login/passkey-actions.ts.
import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useId, useState, useTransition } from "react";
import {
  passkeySecondFactorOptionsAction,
  verifyPasskeySecondFactorAction,
  type PasskeySecondFactorMode,
} from "@/app/login/passkey-actions";
import { passkeyBrowserError } from "./browser-errors";

export interface PasskeySecondFactorButtonProps {
  readonly mode: PasskeySecondFactorMode;
  readonly interaction?: string;
  readonly returnTo?: string;
  readonly label?: string;
  readonly className?: string;
}

const BUTTON =
  "w-full rounded-lg border border-slate-300 bg-white px-5 py-2.5 text-center font-semibold text-slate-800 hover:bg-slate-100 disabled:opacity-60";

export function PasskeySecondFactorButton({
  mode,
  interaction,
  returnTo,
  label = "Use a passkey",
  className,
}: PasskeySecondFactorButtonProps) {
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  const errorId = useId();

  const run = async () => {
    if (!browserSupportsWebAuthn()) return setError("This browser cannot use passkeys: use another way.");
    const options = await passkeySecondFactorOptionsAction(mode);
    if (!options.ok) return setError(options.error);
    let response;
    try {
      response = await startAuthentication({ optionsJSON: options.options });
    } catch (failure) {
      return setError(passkeyBrowserError(failure, "authenticate"));
    }
    setError("");
    const where = mode === "step-up" ? { interaction, returnTo } : {};
    const result = await verifyPasskeySecondFactorAction(mode, response, where);
    if (result?.error) setError(result.error);
  };

  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={() => startTransition(run)}
        aria-describedby={error ? errorId : undefined}
        className={className ?? BUTTON}
      >
        {pending ? "Waiting for your passkey…" : label}
      </button>
      {error ? (
        <p id={errorId} role="alert" className="mt-3 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
    </div>
  );
}
