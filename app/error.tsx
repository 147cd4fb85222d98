"use client";

// What a screen shows when rendering it or one of its actions failed; most often the database
// was unreachable or locked for longer than its timeouts. In production Next hides the error's
// message from the browser (only a digest arrives), so this page cannot tell that cause from
// others, and it cannot set the HTTP status either: Next answers such a render with 500, which the
// front of `npm start` turns into 503 with Retry-After when the cause was the database
// (instrumentation.ts, lib/front/front.ts). The JSON endpoints answer 503 temporarily_unavailable
// themselves (lib/http/responses.ts). A client component cannot read the configuration, so no
// PORTAL_NAME here: the page title still has it.
export default function ErrorPage({ error, reset }: { readonly error: Error & { digest?: string }; readonly reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center px-5 py-12">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">The portal is temporarily unavailable</h1>
        <p className="mt-3 text-slate-700">Nothing was lost. Try again shortly.</p>
        <button
          type="button"
          onClick={reset}
          className="mt-6 rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Try again
        </button>
        {error.digest ? <p className="mt-4 text-sm text-slate-600">Reference: {error.digest}</p> : null}
      </div>
    </main>
  );
}
