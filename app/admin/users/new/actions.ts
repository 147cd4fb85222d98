"use server";

import { revalidatePath } from "next/cache";
import { requireFreshAdmin } from "@/lib/server/admin";
import { formValues, refused, type AdminFormState } from "@/lib/server/admin-form";
import { createUser } from "@/lib/services/users";

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

export async function createUserAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const admin = await requireFreshAdmin("/admin/users/new");
  const values = formValues(formData, ["password"]);
  const setOne = text(formData, "password_choice") === "set";
  try {
    const { user, generatedPassword } = await createUser(
      { userId: admin.userId, ipAddress: admin.ipAddress, via: "console" },
      {
        email: text(formData, "email") ?? "",
        name: text(formData, "name") ?? "",
        role: text(formData, "role") ?? "user",
        // "Set a password" with the field left empty is refused by the rule, not taken as "generate".
        ...(setOne ? { password: text(formData, "password") ?? "" } : {}),
      },
    );
    revalidatePath("/admin/users");
    return {
      ok: true,
      message: `Created ${user.email}.`,
      values: { userId: user.id },
      ...(generatedPassword ? { shownOnce: { label: `Initial password of ${user.email}`, value: generatedPassword } } : {}),
    };
  } catch (error) {
    return refused(error, values);
  }
}
