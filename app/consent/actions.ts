"use server";

import { headers } from "next/headers";
import { z } from "zod";
import { describeInteraction, submitConsent } from "@/lib/oauth/authorize/handle-authorize";
import { clientAddress } from "@/lib/server/client-address";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { followOutcome } from "@/lib/server/outcome";
import { getCurrentSession } from "@/lib/server/session";
import { recordConsentGranted } from "@/lib/services/sign-in";

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
  const session = await getCurrentSession();
  const deps = getAuthorizeDeps();
  // Read before it is submitted: what was allowed, for the audit log.
  const asked = parsed.data.decision === "allow" ? await describeInteraction(parsed.data.interaction, session, deps, "consent") : null;
  const outcome = await submitConsent(parsed.data.interaction, session, parsed.data.decision, deps);
  if (asked && session && outcome.kind !== "error_page") {
    await recordConsentGranted(
      session.userId,
      asked.client.clientId,
      asked.interaction.request.scopes,
      clientAddress(await headers()) ?? null,
    );
  }
  return followOutcome(outcome);
}
