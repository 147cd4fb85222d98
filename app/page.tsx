import Link from "next/link";
import { getConfig } from "@/lib/env";
import { PortalBrand } from "./_components/portal-frame";

export const dynamic = "force-dynamic";

export default function HomePage() {
  const { issuer } = getConfig();
  return (
    <main className="mx-auto flex min-h-screen max-w-3xl flex-col justify-center gap-10 px-6 py-16">
      <header className="space-y-4">
        <PortalBrand />
        <h1 className="text-3xl font-bold tracking-tight sm:text-4xl">One sign-in for all your applications</h1>
        <p className="text-lg leading-relaxed text-slate-700">
          This server signs people in and lets applications ask for access on their behalf, using the open standards OAuth 2.0 and OpenID
          Connect. You stay in control of what each application may see.
        </p>
      </header>

      <nav aria-label="Main" className="flex flex-col gap-3 sm:flex-row">
        <Link href="/login" className="rounded-lg bg-brand-600 px-5 py-3 text-center font-semibold text-white shadow-sm hover:bg-brand-700">
          Sign in
        </Link>
        <Link
          href="/admin"
          className="rounded-lg border border-slate-300 bg-white px-5 py-3 text-center font-semibold text-slate-800 hover:bg-slate-100"
        >
          Admin dashboard
        </Link>
      </nav>

      <section aria-labelledby="developers" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <h2 id="developers" className="text-lg font-semibold">
          For developers
        </h2>
        <p className="mt-2 text-slate-700">Point any certified OpenID Connect client library at the discovery document:</p>
        <code className="mt-3 block overflow-x-auto rounded-md bg-slate-900 px-4 py-3 text-sm text-slate-100">
          {issuer}/.well-known/openid-configuration
        </code>
      </section>
    </main>
  );
}
