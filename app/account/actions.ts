"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { withdrawConsent } from "@/lib/db/consents";
import { runtime } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";

const form = z.object({ client_id: z.string().min(1).max(255) });

export async function withdraw(formData: FormData): Promise<void> {
  // Guarded here too, not only by the page: an action is reachable on its own.
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  const parsed = form.safeParse({ client_id: formData.get("client_id") });
  if (!parsed.success) redirect("/account");
  const name = await withdrawConsent(getDb(), session.userId, parsed.data.client_id, runtime.now());
  redirect(name ? `/account?withdrawn=${encodeURIComponent(name)}` : "/account");
}
