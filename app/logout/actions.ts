"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { confirmEndSession } from "@/lib/oauth/logout/handle-end-session";
import { getEndSessionDeps } from "@/lib/server/logout-deps";
import { logoutPageUrl } from "@/lib/server/logout-page";
import { stopSession } from "@/lib/server/session";

const form = z.object({
  client_id: z.string().max(255).optional(),
  post_logout_redirect_uri: z.string().max(2000).optional(),
  state: z.string().max(8192).optional(),
});

const value = (formData: FormData, name: string) => {
  const entry = formData.get(name);
  return typeof entry === "string" && entry !== "" ? entry : undefined;
};

export async function signOut(formData: FormData): Promise<void> {
  const parsed = form.safeParse({
    client_id: value(formData, "client_id"),
    post_logout_redirect_uri: value(formData, "post_logout_redirect_uri"),
    state: value(formData, "state"),
  });
  const fields = parsed.success ? parsed.data : {};
  // Everything the form carried is checked again: only a registered URI is followed.
  const outcome = await confirmEndSession(
    {
      ...(fields.client_id ? { clientId: fields.client_id } : {}),
      ...(fields.post_logout_redirect_uri ? { postLogoutRedirectUri: fields.post_logout_redirect_uri } : {}),
      ...(fields.state !== undefined ? { state: fields.state } : {}),
    },
    getEndSessionDeps(),
  );
  await stopSession();
  redirect(outcome.kind === "end_session" && outcome.redirect ? outcome.redirect : logoutPageUrl({ done: true }));
}
