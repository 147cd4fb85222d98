"use client";

// What a screen shows when rendering it or one of its actions failed; most often the database
// was unreachable or locked for longer than its timeouts. In production Next hides the error's
// message from the browser (only a digest arrives), so this page cannot tell that cause from
// others, and it cannot set the HTTP status either: Next answers such a render with 500, which the
// front of `npm start` turns into 503 with Retry-After when the cause was the database
// (instrumentation.ts, lib/front/front.ts). The JSON endpoints answer 503 temporarily_unavailable
// themselves (lib/http/responses.ts).
export default function ErrorPage({ error, reset }: { readonly error: Error & { digest?: string }; readonly reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-6">
      <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">Identity Portal</p>
      <h1 className="text-2xl font-bold">The portal is temporarily unavailable</h1>
      <p className="text-slate-700">Nothing was lost. Try again shortly.</p>
      <button type="button" onClick={reset} className="self-start rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
        Try again
      </button>
      {error.digest ? <p className="text-sm text-slate-500">Reference: {error.digest}</p> : null}
    </main>
  );
}
