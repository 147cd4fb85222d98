"use server";

import { revalidatePath } from "next/cache";
import { requireFreshAdmin } from "@/lib/server/admin";
import { formValues, refused, type AdminFormState } from "@/lib/server/admin-form";
import { createInitialAccessToken, revokeInitialAccessToken } from "@/lib/services/initial-access-tokens";

const PATH = "/admin/registration-tokens";

export async function createToken(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const admin = await requireFreshAdmin(PATH);
  const values = formValues(formData);
  const days = values.expiresInDays?.trim() ?? "";
  try {
    const created = await createInitialAccessToken(
      { userId: admin.userId, ipAddress: admin.ipAddress, via: "console" },
      {
        description: values.description ?? "",
        // Left empty: the token does not expire. Anything else must be a whole number of days.
        ...(days === "" ? {} : { expiresInDays: Number(days) }),
        singleUse: formData.get("singleUse") === "on",
      },
    );
    revalidatePath(PATH);
    const use = created.singleUse ? "registers one client" : "registers any number of clients";
    const expiry = created.expiresAt ? `expires ${created.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "does not expire";
    return {
      ok: true,
      message: `Registration token created. It ${use} and ${expiry}.`,
      shownOnce: { label: "Registration token", value: created.token },
    };
  } catch (error) {
    return refused(error, values);
  }
}

export async function revokeToken(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const admin = await requireFreshAdmin(PATH);
  const id = formData.get("id");
  try {
    await revokeInitialAccessToken({ userId: admin.userId, ipAddress: admin.ipAddress, via: "console" }, typeof id === "string" ? id : "");
    revalidatePath(PATH);
    return { ok: true, message: "Revoked: registration refuses this token from now on." };
  } catch (error) {
    return refused(error);
  }
}
