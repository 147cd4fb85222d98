"use client";

import { useActionState } from "react";
import { sendVerificationLink, type ResendState } from "./verification-actions";

/** "Your email address is not verified", with a button that mails a new link. */
export function VerifyEmailNotice({
  email,
  hours,
  children,
}: {
  readonly email: string;
  readonly hours: number;
  readonly children?: React.ReactNode;
}) {
  const [state, action, pending] = useActionState<ResendState>(sendVerificationLink, {});
  return (
    <section aria-labelledby="verify-email" className="rounded-xl border border-amber-300 bg-amber-50 p-5 text-amber-950">
      <h2 id="verify-email" className="font-semibold">
        Your email address is not verified
      </h2>
      <p className="mt-1 break-words">
        {children ?? (
          <>
            Confirm that <strong className="font-semibold">{email}</strong> is yours: we will send a link to it.
          </>
        )}
      </p>
      <form action={action} className="mt-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-lg border border-amber-700 bg-white px-4 py-2 font-semibold text-amber-950 hover:bg-amber-100 disabled:opacity-60"
        >
          {pending ? "Sending…" : "Send me a verification link"}
        </button>
      </form>
      {state.sent ? (
        <p role="status" className="mt-3 font-medium">
          We sent a link to {email}. It works for {hours} hours; open it in this browser or any other.
        </p>
      ) : null}
      {state.error ? (
        <p role="alert" className="mt-3 font-medium text-red-800">
          {state.error}
        </p>
      ) : null}
    </section>
  );
}
