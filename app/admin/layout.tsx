import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getConfig } from "@/lib/env";
import { requestedPath, requireAdmin } from "@/lib/server/admin";
import { AdminNav } from "./_components/admin-nav";

export function generateMetadata(): Metadata {
  return { title: { default: "Admin", template: `%s · Admin · ${getConfig().portalName}` } };
}
export const dynamic = "force-dynamic";

// Guarded here for every page below, and again in each page and action (a layout does not run
// for a server action's POST, nor always on client navigation).
export default async function AdminLayout({ children }: { readonly children: ReactNode }) {
  const admin = await requireAdmin(await requestedPath());
  return (
    <div className="min-h-screen bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-3 sm:px-6">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <Link href="/admin" className="text-lg font-bold tracking-tight text-slate-900">
              {getConfig().portalName} · Admin
            </Link>
            <p className="text-sm text-slate-700">
              <span className="break-all">{admin.email}</span>
              {" · "}
              <Link href="/account" className="font-semibold text-brand-700 underline">
                Your account
              </Link>
              {" · "}
              <Link href="/logout" className="font-semibold text-brand-700 underline">
                Sign out
              </Link>
            </p>
          </div>
          <AdminNav />
        </div>
      </header>
      <div className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</div>
    </div>
  );
}
