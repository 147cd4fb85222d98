"use server";

import { headers } from "next/headers";
import { ServiceError } from "@/lib/services/errors";
import { refusedForm, text, type AccountFormState } from "@/lib/server/account-form";
import { clientAddress } from "@/lib/server/client-address";
import { completePasswordReset } from "@/lib/services/account-recovery";

export async function setNewPassword(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const password = text(formData, "password");
  try {
    if (password !== "" && password !== text(formData, "password_confirm")) {
      throw ServiceError.field("password_confirm", "The two passwords are not the same: type the new one twice");
    }
    const { email } = await completePasswordReset({ token: text(formData, "token"), password, ipAddress: clientAddress(await headers()) });
    return { ok: true, values: { email } };
  } catch (error) {
    return refusedForm(error);
  }
}
