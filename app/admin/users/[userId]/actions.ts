"use server";

// The user page's buttons: each one service operation, guarded by a recent admin sign-in.
import { revalidatePath } from "next/cache";
import { requireFreshAdmin } from "@/lib/server/admin";
import { refused, type AdminFormState } from "@/lib/server/admin-form";
import type { Actor } from "@/lib/services/errors";
import { resetSecondFactors } from "@/lib/services/second-factor";
import {
  resetPassword,
  revokeUserGrant,
  revokeUserSession,
  setSecondFactorRequired,
  setUserDisabled,
  setUserRole,
} from "@/lib/services/users";

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value.slice(0, 255) : "";
};

/** Guard, run one operation, refresh the page; a refusal becomes the form's message. */
async function run(formData: FormData, work: (actor: Actor, userId: string) => Promise<AdminFormState>): Promise<AdminFormState> {
  const admin = await requireFreshAdmin(`/admin/users/${encodeURIComponent(text(formData, "user_id"))}`);
  const userId = text(formData, "user_id");
  try {
    const state = await work({ userId: admin.userId, ipAddress: admin.ipAddress, via: "console" }, userId);
    revalidatePath(`/admin/users/${userId}`);
    revalidatePath("/admin/users");
    return state;
  } catch (error) {
    return refused(error);
  }
}

export async function setDisabledAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const disabled = text(formData, "disabled") === "true";
    const user = await setUserDisabled(actor, userId, disabled);
    return {
      ok: true,
      message: disabled
        ? `${user.email} is disabled: signed out everywhere, and every application's access revoked.`
        : `${user.email} can sign in again.`,
    };
  });
}

export async function resetPasswordAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const { user, generatedPassword } = await resetPassword(actor, userId);
    return {
      ok: true,
      message: `The password of ${user.email} was reset, and they were signed out.`,
      shownOnce: { label: `New password of ${user.email}`, value: generatedPassword },
    };
  });
}

export async function setRoleAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const role = text(formData, "role") === "admin" ? "admin" : "user";
    const user = await setUserRole(actor, userId, role);
    return { ok: true, message: role === "admin" ? `${user.email} is now an admin.` : `${user.email} is no longer an admin.` };
  });
}

export async function revokeSessionAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    await revokeUserSession(actor, userId, text(formData, "session_id"));
    return { ok: true, message: "The session was ended." };
  });
}

export async function revokeGrantAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const { clientName } = await revokeUserGrant(actor, userId, text(formData, "client_id"));
    return { ok: true, message: `${clientName} no longer has access to this account.` };
  });
}

export async function setSecondFactorRequiredAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const required = text(formData, "required") === "true";
    const user = await setSecondFactorRequired(actor, userId, required);
    return {
      ok: true,
      message: required
        ? `${user.email} must use two-step sign-in: without a second factor, they set one up at their next sign-in.`
        : `${user.email} may sign in without a second factor (one they have is still asked for).`,
    };
  });
}

export async function resetSecondFactorsAction(_previous: AdminFormState, formData: FormData): Promise<AdminFormState> {
  return run(formData, async (actor, userId) => {
    const { factorsDeleted } = await resetSecondFactors(actor, { userId });
    return {
      ok: true,
      message:
        factorsDeleted > 0
          ? "Two-step sign-in was reset: their second factors and recovery codes are gone."
          : "They had no second factor; nothing was removed.",
    };
  });
}
