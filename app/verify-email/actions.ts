"use server";

import { headers } from "next/headers";
import { refusedForm, text, type AccountFormState } from "@/lib/server/account-form";
import { clientAddress } from "@/lib/server/client-address";
import { verifyEmail } from "@/lib/services/email-verification";

export async function confirmEmail(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  try {
    const { email } = await verifyEmail({ token: text(formData, "token"), ipAddress: clientAddress(await headers()) });
    return { ok: true, values: { email } };
  } catch (error) {
    return refusedForm(error);
  }
}
