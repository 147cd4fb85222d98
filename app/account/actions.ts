"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { clientAddress } from "@/lib/server/client-address";
import { getCurrentSession } from "@/lib/server/session";
import { withdrawConsent } from "@/lib/services/consents";

const form = z.object({ client_id: z.string().min(1).max(255) });

export async function withdraw(formData: FormData): Promise<void> {
  // Guarded here too, not only by the page: an action is reachable on its own.
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  const parsed = form.safeParse({ client_id: formData.get("client_id") });
  if (!parsed.success) redirect("/account");
  const actor = { userId: session.userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" } as const;
  const done = await withdrawConsent(actor, session.userId, parsed.data.client_id);
  // The notice names the application from the database (the page looks it up by client_id), so
  // a crafted link cannot make the page say anything else.
  redirect(done ? `/account?withdrawn=${encodeURIComponent(parsed.data.client_id)}` : "/account");
}
