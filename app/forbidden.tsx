import Link from "next/link";

// 403, from forbidden(): a signed-in person without the right to see the page (the admin console).
export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-4 px-6">
      <h1 className="text-2xl font-bold">You do not have access to this page</h1>
      <p className="text-slate-700">This page is for administrators of the portal.</p>
      <Link href="/account" className="font-semibold text-brand-700 underline">Go to your account</Link>
    </main>
  );
}
