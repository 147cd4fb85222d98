import type { Metadata } from "next";
import Link from "next/link";
import { getConfig } from "@/lib/env";
import { getCurrentSession } from "@/lib/server/session";
import { PortalFrame } from "../_components/portal-frame";
import { signOut } from "./actions";

export const metadata: Metadata = { title: "Sign out" };
export const dynamic = "force-dynamic";

type Search = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);

export default async function LogoutPage({ searchParams }: { readonly searchParams: Promise<Search> }) {
  const search = await searchParams;
  const session = await getCurrentSession();
  const signedOut = !session || one(search.done) === "1";
  const fields = ["client_id", "post_logout_redirect_uri", "state"] as const;

  return (
    <PortalFrame>
      {signedOut ? (
        <>
          <h1 className="text-2xl font-bold tracking-tight">You are signed out</h1>
          <p className="mt-3 text-slate-700">You can close this window, or go back to the application you were using.</p>
          <Link href="/" className="mt-6 inline-block font-semibold text-brand-700 underline">
            {getConfig().portalName} home
          </Link>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-bold tracking-tight">Sign out?</h1>
          <p className="mt-3 text-slate-700">
            You will be signed out of {getConfig().portalName} on this device. Applications you signed in to may keep their own sessions.
          </p>
          <form action={signOut} className="mt-6 flex flex-col gap-3 sm:flex-row sm:justify-end">
            {fields.map((name) => {
              const value = one(search[name]);
              return value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />;
            })}
            <Link
              href="/"
              className="rounded-lg border border-slate-300 bg-white px-5 py-2.5 text-center font-semibold text-slate-800 hover:bg-slate-100"
            >
              Stay signed in
            </Link>
            <button type="submit" className="rounded-lg bg-brand-600 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-700">
              Sign out
            </button>
          </form>
        </>
      )}
    </PortalFrame>
  );
}
