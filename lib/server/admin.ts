// The admin console's guard. Every admin page, layout and server action calls requireAdmin():
// a signed-out visitor is sent to sign in (and back), a signed-in non-admin gets 403. A server
// action is reachable by a direct POST whatever the page showed, so the check is never left to
// the layout alone. Changes also need a recent sign-in (ADMIN_REAUTH_SECONDS, 15 minutes by
// default): an unattended browser cannot be used to change the portal.
import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getConfig } from "../env.ts";
import { safeReturnPath } from "../safe-return.ts";
import { findAccount } from "../services/users.ts";
import { clientAddress } from "./client-address.ts";
import { runtime } from "./deps.ts";
import { getCurrentSession } from "./session.ts";

export interface AdminContext {
  readonly userId: string;
  readonly email: string;
  readonly sessionId: string;
  readonly authTime: Date;
  readonly ipAddress: string | null;
}

function signInAgain(returnTo: string | undefined, reauth: boolean): never {
  const target = safeReturnPath(returnTo) ?? "/admin";
  redirect(`/login?return_to=${encodeURIComponent(target)}${reauth ? "&reauth=1" : ""}`);
}

const currentAdmin = cache(async (): Promise<AdminContext | "signed-out" | "not-admin"> => {
  const session = await getCurrentSession();
  if (!session) return "signed-out";
  const account = await findAccount(session.userId);
  if (!account || account.disabled) return "signed-out";
  if (account.role !== "admin") return "not-admin";
  return {
    userId: account.id,
    email: account.email,
    sessionId: session.id,
    authTime: session.authTime,
    ipAddress: clientAddress(await headers()) ?? null,
  };
});

/**
 * The signed-in admin, for pages and layouts. `returnTo` is where to come back after signing in.
 * With `fresh`, the sign-in must also be younger than ADMIN_REAUTH_SECONDS (every action).
 */
export async function requireAdmin(returnTo?: string, options: { readonly fresh?: boolean } = {}): Promise<AdminContext> {
  const admin = await currentAdmin();
  if (admin === "signed-out") signInAgain(returnTo, false);
  if (admin === "not-admin") forbidden();
  if (options.fresh && runtime.now().getTime() - admin.authTime.getTime() > getConfig().adminReauthSeconds * 1000) {
    signInAgain(returnTo, true);
  }
  return admin;
}

/** The admin page the browser asked for (set by proxy.ts), for the layout's guard. */
export async function requestedPath(): Promise<string> {
  return safeReturnPath((await headers()).get("x-portal-requested-path")) ?? "/admin";
}

/** For server actions: an admin whose sign-in is recent enough to change things. */
export function requireFreshAdmin(returnTo: string): Promise<AdminContext> {
  return requireAdmin(returnTo, { fresh: true });
}
