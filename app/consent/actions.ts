"use server";

import { z } from "zod";
import { submitConsent } from "@/lib/oauth/authorize/handle-authorize";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { followOutcome } from "@/lib/server/outcome";
import { getCurrentSession } from "@/lib/server/session";

export interface ConsentState {
  readonly error?: string;
}

const form = z.object({
  interaction: z.string().min(1).max(128),
  decision: z.enum(["allow", "deny"]),
});

export async function decide(_previous: ConsentState, formData: FormData): Promise<ConsentState> {
  const parsed = form.safeParse({ interaction: formData.get("interaction"), decision: formData.get("decision") });
  if (!parsed.success) return { error: "Choose Allow or Deny." };
  const outcome = await submitConsent(parsed.data.interaction, await getCurrentSession(), parsed.data.decision, getAuthorizeDeps());
  return followOutcome(outcome);
}
