"use client";

// "Sign in with a passkey" below the password form, and the passkeys the browser offers in the
// email field (conditional UI: autocomplete="username webauthn") where it supports that. Either
// way the server checks the answer and finishes the sign-in (app/login/passkey-actions.ts).
import { browserSupportsWebAuthn, browserSupportsWebAuthnAutofill, startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useRef, useState, useTransition } from "react";
import { passkeyBrowserError } from "../_components/passkey/browser-errors";
import { passkeySignInOptionsAction, signInWithPasskeyAction } from "./passkey-actions";

export function PasskeySignIn({ interaction, returnTo }: { readonly interaction?: string; readonly returnTo?: string }) {
  const [error, setError] = useState("");
  const [pending, startTransition] = useTransition();
  const target = useRef({ interaction, returnTo });

  /** One ceremony: options, the browser, the server's verdict (which navigates on success). */
  const run = async (autofill: boolean) => {
    if (!browserSupportsWebAuthn()) return setError("This browser cannot use passkeys: sign in with your password.");
    const options = await passkeySignInOptionsAction();
    if (!options.ok) return setError(options.error);
    let response;
    try {
      response = await startAuthentication({ optionsJSON: options.options, useBrowserAutofill: autofill });
    } catch (failure) {
      // An autofill request is cancelled whenever the button starts its own: nothing to say.
      if (!autofill) setError(passkeyBrowserError(failure, "authenticate"));
      return;
    }
    setError("");
    const result = await signInWithPasskeyAction(response, target.current);
    if (result?.error) setError(result.error);
  };

  useEffect(() => {
    if (!browserSupportsWebAuthn()) return;
    let active = true;
    void browserSupportsWebAuthnAutofill().then((autofill) => {
      // Not a transition: it may wait as long as the page is open, and is no pending action.
      // A failure to start it (the server unreachable) leaves the button and the password form.
      if (autofill && active) run(true).catch(() => undefined);
    });
    return () => {
      active = false;
    };
    // Once per page: the autofill request waits in the email field until a passkey is chosen.
  }, []);

  return (
    <div className="mt-5">
      <div className="flex items-center gap-3 text-sm text-slate-600" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-300" />
        or
        <span className="h-px flex-1 bg-slate-300" />
      </div>
      <button
        type="button"
        onClick={() => startTransition(() => run(false))}
        disabled={pending}
        aria-describedby={error ? "passkey-error" : undefined}
        className="mt-5 flex w-full items-center justify-center gap-2 rounded-lg border border-slate-300 bg-white px-5 py-2.5 font-semibold text-slate-800 hover:bg-slate-100 disabled:opacity-60"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5 fill-none stroke-current" strokeWidth="2">
          <circle cx="9" cy="8" r="4" />
          <path d="M3 20c0-3.3 2.7-6 6-6 1.3 0 2.5.4 3.5 1.1" />
          <circle cx="18" cy="13" r="2.5" />
          <path d="M18 15.5V21l1.5-1.2M18 18.5h1.5" />
        </svg>
        Sign in with a passkey
      </button>
      {error ? (
        <p id="passkey-error" role="alert" className="mt-3 rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <span className="sr-only" role="status">
        {pending ? "Waiting for your passkey…" : ""}
      </span>
    </div>
  );
}
