import type { Metadata } from "next";
import Link from "next/link";
import { PortalFrame } from "./_components/portal-frame";

export const metadata: Metadata = { title: "Page not found" };

// Any address the portal does not serve (404), in the portal's own frame.
export default function NotFound() {
  return (
    <PortalFrame>
      <h1 className="text-2xl font-bold tracking-tight">This page does not exist</h1>
      <p className="mt-3 text-slate-700">
        The address may be mistyped, or the page has moved. If an application sent you here, go back to it and try again.
      </p>
      <nav aria-label="Where to go" className="mt-6 flex flex-col gap-3 sm:flex-row">
        <Link
          href="/account"
          className="rounded-lg bg-brand-600 px-5 py-2.5 text-center font-semibold text-white shadow-sm hover:bg-brand-700"
        >
          Go to your account
        </Link>
        <Link
          href="/"
          className="rounded-lg border border-slate-300 bg-white px-5 py-2.5 text-center font-semibold text-slate-800 hover:bg-slate-100"
        >
          Portal home
        </Link>
      </nav>
    </PortalFrame>
  );
}
