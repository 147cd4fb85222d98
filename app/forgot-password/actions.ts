"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import { refusedForm, text, tooManyRequests, type AccountFormState } from "@/lib/server/account-form";
import { clientAddress } from "@/lib/server/client-address";
import { requestPasswordReset } from "@/lib/services/account-recovery";
import { deferWith } from "@/lib/services/deferred";

export async function requestResetLink(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const values = { email: text(formData, "email").slice(0, 254) };
  try {
    // The link is looked up and mailed after the answer is sent (see the service).
    const outcome = await requestPasswordReset({ email: values.email, ipAddress: clientAddress(await headers()) }, deferWith(after));
    if (!outcome.ok) return tooManyRequests(outcome.retryAfterSeconds, values);
    return { ok: true, values: { email: values.email.trim().toLowerCase() } };
  } catch (error) {
    return refusedForm(error, values);
  }
}
