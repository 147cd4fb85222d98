"use server";

import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { after } from "next/server";
import { refusedForm, text, tooManyRequests, type AccountFormState } from "@/lib/server/account-form";
import { clientAddress } from "@/lib/server/client-address";
import { deferWith } from "@/lib/services/deferred";
import { signUp, signUpEnabled } from "@/lib/services/signup";

export async function createAccount(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  if (!signUpEnabled()) notFound();
  const values = { email: text(formData, "email").slice(0, 254), name: text(formData, "name").slice(0, 100) };
  try {
    // The same answer for an address that has an account: the mail, sent afterwards, differs.
    const outcome = await signUp(
      { ...values, password: text(formData, "password"), ipAddress: clientAddress(await headers()) },
      deferWith(after),
    );
    if (!outcome.ok) return tooManyRequests(outcome.retryAfterSeconds, values);
    return { ok: true, values: { email: values.email.trim().toLowerCase() } };
  } catch (error) {
    return refusedForm(error, values);
  }
}
