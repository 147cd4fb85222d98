import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/admin";
import { NewUserForm } from "./new-user-form";

export const metadata: Metadata = { title: "New user" };
export const dynamic = "force-dynamic";

export default async function NewUserPage() {
  await requireAdmin("/admin/users/new");
  return (
    <main className="max-w-xl">
      <Link href="/admin/users" className="text-sm font-semibold text-brand-700 underline">
        Users
      </Link>
      <h1 className="mt-2 text-2xl font-bold tracking-tight">New user</h1>
      <p className="mt-1 text-slate-700">The person signs in with this email address and the initial password you hand over.</p>
      <div className="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
        <NewUserForm />
      </div>
    </main>
  );
}
