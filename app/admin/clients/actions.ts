"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { refused, type AdminFormState } from "@/lib/server/admin-form";
import { requireFreshAdmin, type AdminContext } from "@/lib/server/admin";
import {
  createClient,
  deleteClient,
  revokeClientSecret,
  rotateClientSecret,
  setClientDisabled,
  updateClient,
} from "@/lib/services/clients";
import type { Actor } from "@/lib/services/errors";

export interface CreateClientState extends AdminFormState {
  /** The new application, shown with its secret right after it was registered. */
  readonly created?: { readonly clientId: string; readonly name: string };
}

const TEXT_FIELDS = [
  "name",
  "tokenEndpointAuthMethod",
  "applicationType",
  "redirectUris",
  "postLogoutRedirectUris",
  "logoUri",
  "clientUri",
  "policyUri",
  "tosUri",
  "accessTokenTtlSeconds",
  "idTokenTtlSeconds",
  "refreshTokenTtlSeconds",
  "idTokenSignedResponseAlg",
] as const;

const text = (formData: FormData, name: string): string => {
  const value = formData.get(name);
  return typeof value === "string" ? value.slice(0, 20_000) : "";
};

/** The settings form as the service's input, and as strings to refill the form after an error. */
function settingsOf(formData: FormData) {
  const input: Record<string, unknown> = {};
  const values: Record<string, string> = {};
  for (const field of TEXT_FIELDS) input[field] = values[field] = text(formData, field);
  const scopes = formData.getAll("scopes").filter((scope): scope is string => typeof scope === "string");
  input.scopes = scopes;
  values.scopes = scopes.join(" ");
  input.skipConsent = formData.get("skipConsent") === "on";
  values.skipConsent = input.skipConsent ? "on" : "";
  input.requireMfa = formData.get("requireMfa") === "on";
  values.requireMfa = input.requireMfa ? "on" : "";
  return { input, values };
}

const actorOf = (admin: AdminContext): Actor => ({ userId: admin.userId, ipAddress: admin.ipAddress, via: "console" });
const detailPath = (clientId: string) => `/admin/clients/${encodeURIComponent(clientId)}`;

export async function createClientAction(_state: CreateClientState, formData: FormData): Promise<CreateClientState> {
  const admin = await requireFreshAdmin("/admin/clients/new");
  const { input, values } = settingsOf(formData);
  try {
    const { client, clientSecret } = await createClient(actorOf(admin), input);
    revalidatePath("/admin/clients");
    if (!clientSecret) redirect(`${detailPath(client.clientId)}?created=1`);
    return {
      ok: true,
      message: `${client.name} is registered.`,
      created: { clientId: client.clientId, name: client.name },
      shownOnce: { label: "Client secret", value: clientSecret },
    };
  } catch (error) {
    return refused(error, values);
  }
}

export async function updateClientAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const clientId = text(formData, "clientId");
  const admin = await requireFreshAdmin(detailPath(clientId));
  const { input, values } = settingsOf(formData);
  try {
    await updateClient(actorOf(admin), clientId, input);
    revalidatePath(detailPath(clientId));
    return { ok: true, message: "The settings are saved.", values };
  } catch (error) {
    return refused(error, values);
  }
}

export async function rotateSecretAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const clientId = text(formData, "clientId");
  const admin = await requireFreshAdmin(detailPath(clientId));
  try {
    const hours = text(formData, "oldSecretExpiresInHours");
    const { clientSecret, oldSecretsExpireAt } = await rotateClientSecret(actorOf(admin), clientId, { oldSecretExpiresInHours: hours });
    revalidatePath(detailPath(clientId));
    const until =
      hours === "0"
        ? "The previous secrets stopped working now."
        : `The previous secrets keep working until ${oldSecretsExpireAt.toISOString().replace("T", " ").slice(0, 16)} UTC.`;
    return { ok: true, message: `A new secret is issued. ${until}`, shownOnce: { label: "New client secret", value: clientSecret } };
  } catch (error) {
    return refused(error);
  }
}

export async function revokeSecretAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const clientId = text(formData, "clientId");
  const admin = await requireFreshAdmin(detailPath(clientId));
  try {
    await revokeClientSecret(actorOf(admin), clientId, text(formData, "credentialId"));
    revalidatePath(detailPath(clientId));
    return { ok: true, message: "The secret is revoked." };
  } catch (error) {
    return refused(error);
  }
}

export async function setDisabledAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const clientId = text(formData, "clientId");
  const admin = await requireFreshAdmin(detailPath(clientId));
  const disabled = text(formData, "disabled") === "true";
  try {
    await setClientDisabled(actorOf(admin), clientId, disabled);
    revalidatePath(detailPath(clientId));
    return { ok: true, message: disabled ? "The application is disabled." : "The application is enabled." };
  } catch (error) {
    return refused(error);
  }
}

export async function deleteClientAction(_state: AdminFormState, formData: FormData): Promise<AdminFormState> {
  const clientId = text(formData, "clientId");
  const admin = await requireFreshAdmin(detailPath(clientId));
  if (formData.get("confirm") !== "on") {
    const message = "Tick the box to confirm: deleting cannot be undone.";
    return { ok: false, message, fieldErrors: { confirm: [message] } };
  }
  const name = text(formData, "name");
  try {
    await deleteClient(actorOf(admin), clientId);
  } catch (error) {
    return refused(error);
  }
  revalidatePath("/admin/clients");
  redirect(`/admin/clients?deleted=${encodeURIComponent(name.slice(0, 100))}`);
}
