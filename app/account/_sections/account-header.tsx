import Link from "next/link";
import type { Account } from "@/lib/services/users";
import { SECONDARY_BUTTON } from "./ui";

/** Who is signed in: their name (when they gave one) and email, and the way out. */
export function AccountHeader({ user }: { readonly user: Account }) {
  return (
    <header className="flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold tracking-tight">Your account</h1>
        <p className="mt-1 break-words text-slate-700">
          {user.name ? (
            <>
              <strong className="font-semibold">{user.name}</strong> ·{" "}
            </>
          ) : (
            "Signed in as "
          )}
          <span className={user.name ? "" : "font-semibold"}>{user.email}</span>
        </p>
      </div>
      <Link href="/logout" className={`self-start whitespace-nowrap sm:self-auto ${SECONDARY_BUTTON}`}>
        Sign out
      </Link>
    </header>
  );
}
