// Who is asking, for the account page's server actions: every action checks the session itself,
// since an action is reachable without the page.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/server/client-address";
import { getCurrentSession } from "@/lib/server/session";
import type { Actor } from "@/lib/services/errors";

export async function signedIn(): Promise<{ userId: string; sessionId: string; actor: Actor }> {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  return {
    userId: session.userId,
    sessionId: session.id,
    actor: { userId: session.userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" },
  };
}
