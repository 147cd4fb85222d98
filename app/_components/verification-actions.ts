"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import { clientAddress } from "@/lib/server/client-address";
import { getCurrentSession } from "@/lib/server/session";
import { deferWith } from "@/lib/services/deferred";
import { requestEmailVerification } from "@/lib/services/email-verification";

export interface ResendState {
  readonly sent?: boolean;
  readonly error?: string;
}

/** The signed-in person asks for a new verification link (account page, consent page). */
export async function sendVerificationLink(_previous: ResendState): Promise<ResendState> {
  const session = await getCurrentSession();
  if (!session) return { error: "Your session has ended. Sign in again, then ask for a new link." };
  const actor = { userId: session.userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" } as const;
  const outcome = await requestEmailVerification(actor, session.userId, deferWith(after));
  if (!outcome.ok) {
    const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
    return { error: `You asked for several links already. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` };
  }
  return { sent: true };
}
