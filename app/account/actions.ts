"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { refused, type AdminFormState } from "@/lib/server/admin-form";
import { changePassword, endAccountSession, endOtherSessions, updateName } from "@/lib/services/account";
import { withdrawConsent } from "@/lib/services/consents";
import { signedIn } from "./signed-in";
import { accountPath } from "./status";

/** The account forms answer like the console's: field errors, and what was typed (never a password). */
export type AccountFormState = AdminFormState;

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

export async function updateNameAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const { userId, actor } = await signedIn();
  const name = text(formData, "name") ?? "";
  try {
    await updateName(actor, { userId, name });
  } catch (error) {
    return refused(error, { name: name.slice(0, 200) });
  }
  redirect(accountPath("name-saved"));
}

export async function changePasswordAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const { userId, sessionId, actor } = await signedIn();
  try {
    await changePassword(actor, {
      userId,
      sessionId,
      currentPassword: text(formData, "currentPassword") ?? "",
      newPassword: text(formData, "newPassword") ?? "",
    });
  } catch (error) {
    return refused(error, {});
  }
  redirect(accountPath("password-changed"));
}

const sessionForm = z.object({ session_id: z.string().min(1).max(64) });

export async function endSessionAction(formData: FormData): Promise<void> {
  const { userId, sessionId, actor } = await signedIn();
  const parsed = sessionForm.safeParse({ session_id: formData.get("session_id") });
  if (!parsed.success || parsed.data.session_id === sessionId) redirect("/account");
  const { ended } = await endAccountSession(actor, { userId, currentSessionId: sessionId, sessionId: parsed.data.session_id });
  // Ended already (in another tab, or expired): the list shows how things are; no claim is made.
  redirect(ended ? accountPath("session-ended") : "/account");
}

export async function endOtherSessionsAction(): Promise<void> {
  const { userId, sessionId, actor } = await signedIn();
  await endOtherSessions(actor, { userId, currentSessionId: sessionId });
  redirect(accountPath("sessions-ended"));
}

const withdrawForm = z.object({ client_id: z.string().min(1).max(255) });

export async function withdraw(formData: FormData): Promise<void> {
  const { userId, actor } = await signedIn();
  const parsed = withdrawForm.safeParse({ client_id: formData.get("client_id") });
  if (!parsed.success) redirect("/account");
  const done = await withdrawConsent(actor, userId, parsed.data.client_id);
  redirect(done ? accountPath("withdrawn") : "/account");
}
