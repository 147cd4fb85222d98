import Link from "next/link";
import { LINK } from "./auth-card";

/** What an expired, used, replaced or forged link shows: why, and the way to a new one. Nothing was changed. */
export function UnusableLinkNotice({ kind }: { readonly kind: "reset" | "verify" }) {
  return (
    <div className="mt-4 space-y-4">
      <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
        This link cannot be used. It may have expired, been used already, or been replaced by a newer one
        {kind === "reset" ? " (or you signed in with your password since)" : ""}. Nothing was changed.
      </p>
      {kind === "reset" ? (
        <p>
          <Link href="/forgot-password" className={LINK}>
            Ask for a new reset link
          </Link>
        </p>
      ) : (
        <p className="text-slate-700">
          Sign in and ask for a new link on{" "}
          <Link href="/account" className={LINK}>
            your account page
          </Link>
          .
        </p>
      )}
    </div>
  );
}
