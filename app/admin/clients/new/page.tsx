import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/admin";
import { CreateClientForm } from "./create-client-form";

export const metadata: Metadata = { title: "New application" };
export const dynamic = "force-dynamic";

export default async function NewClientPage() {
  await requireAdmin("/admin/clients/new");
  return (
    <main className="mx-auto max-w-3xl space-y-6">
      <p>
        <Link href="/admin/clients" className="font-semibold text-brand-700 underline">
          ← Applications
        </Link>
      </p>
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">New application</h1>
      <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
        <CreateClientForm />
      </div>
    </main>
  );
}
