"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireFreshAdmin } from "@/lib/server/admin";
import { refused, type AdminFormState } from "@/lib/server/admin-form";
import { revokeSigningKey, rotateSigningKeys } from "@/lib/services/keys";

export async function rotateKeys(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const admin = await requireFreshAdmin("/admin/keys");
  const alg = formData.get("alg");
  try {
    const result = await rotateSigningKeys(
      { userId: admin.userId, ipAddress: admin.ipAddress, via: "console" },
      typeof alg === "string" && alg !== "" ? { alg } : {},
    );
    revalidatePath("/admin/keys");
    const made = result.created.map((key) => `${key.alg} ${key.kid}`).join(", ");
    return {
      ok: true,
      message: `New active key${result.created.length === 1 ? "" : "s"}: ${made}. Every server signs with ${result.created.length === 1 ? "it" : "them"} within seconds.`,
    };
  } catch (error) {
    return refused(error);
  }
}

export async function revokeKey(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const admin = await requireFreshAdmin("/admin/keys");
  let withdrawn: string;
  try {
    const { kid } = await revokeSigningKey(
      { userId: admin.userId, ipAddress: admin.ipAddress, via: "console" },
      { kid: formData.get("kid") },
    );
    withdrawn = kid;
  } catch (error) {
    return refused(error);
  }
  // The key's row is gone from the page: the notice is the page's (it checks the key really is withdrawn).
  revalidatePath("/admin/keys");
  redirect(`/admin/keys?withdrawn=${encodeURIComponent(withdrawn)}`);
}
