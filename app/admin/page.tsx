import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Admin" };

export default function AdminPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-6">
      <h1 className="text-2xl font-bold">Admin dashboard</h1>
      <p className="text-slate-700">
        The dashboard is not available yet. Until it is, manage users and applications with the command
        line described in the README.
      </p>
      <Link href="/" className="font-semibold text-brand-700 underline">Back to the start page</Link>
    </main>
  );
}
