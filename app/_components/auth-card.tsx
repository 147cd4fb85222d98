import type { ReactNode } from "react";

/** The narrow card the sign-in pages use, for the pages a signed-out person reaches from them. */
export function AuthCard({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center px-5 py-12">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
        {children}
      </div>
    </main>
  );
}

export const LINK = "font-semibold text-brand-700 underline underline-offset-2 hover:text-brand-600";
export const PRIMARY_BUTTON =
  "w-full rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";
