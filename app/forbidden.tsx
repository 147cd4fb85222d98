import Link from "next/link";
import { PortalFrame } from "./_components/portal-frame";

// 403, from forbidden(): a signed-in person without the right to see the page (the admin console).
export default function Forbidden() {
  return (
    <PortalFrame>
      <h1 className="text-2xl font-bold tracking-tight">You do not have access to this page</h1>
      <p className="mt-3 text-slate-700">This page is for administrators of the portal.</p>
      <Link href="/account" className="mt-6 inline-block font-semibold text-brand-700 underline">
        Go to your account
      </Link>
    </PortalFrame>
  );
}
