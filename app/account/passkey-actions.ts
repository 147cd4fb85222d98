"use server";

// The account page's passkeys (lib/services/passkeys.ts): adding one is a WebAuthn ceremony in two
// calls (the options, then the browser's answer), renaming and removing are forms. Removing asks
// for the current password, as other changes to how a person signs in do.
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { refused } from "@/lib/server/admin-form";
import { clientAddress } from "@/lib/server/client-address";
import { runtime } from "@/lib/server/deps";
import { challengeBinding, challengeBindingForNewCeremony } from "@/lib/server/passkeys";
import { getCurrentSession } from "@/lib/server/session";
import type { Actor } from "@/lib/services/errors";
import { addPasskey, passkeyRegistrationOptions, removePasskey, renamePasskey } from "@/lib/services/passkeys";
import type { AccountFormState } from "./actions";
import { accountPath } from "./status";

async function signedIn(): Promise<{ userId: string; actor: Actor }> {
  const session = await getCurrentSession();
  if (!session) redirect("/login?return_to=/account");
  return { userId: session.userId, actor: { userId: session.userId, ipAddress: clientAddress(await headers()) ?? null, via: "account" } };
}

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

export type RegistrationOptionsResult =
  { readonly ok: true; readonly options: PublicKeyCredentialCreationOptionsJSON } | { readonly ok: false; readonly message: string };

export async function passkeyRegistrationOptionsAction(): Promise<RegistrationOptionsResult> {
  const { userId } = await signedIn();
  try {
    return {
      ok: true,
      options: await passkeyRegistrationOptions({ userId, binding: await challengeBindingForNewCeremony() }, runtime.now()),
    };
  } catch (error) {
    const state = refused(error);
    return { ok: false, message: state.message ?? "The passkey could not be added." };
  }
}

/** Stores the passkey the browser made; goes back to the page with a notice, or answers why not. */
export async function addPasskeyAction(name: unknown, response: RegistrationResponseJSON): Promise<AccountFormState> {
  const { userId, actor } = await signedIn();
  try {
    await addPasskey(actor, { userId, binding: await challengeBinding(), name, response }, runtime.now());
  } catch (error) {
    return refused(error, { name: typeof name === "string" ? name.slice(0, 64) : "" });
  }
  redirect(accountPath("passkey-added"));
}

export async function renamePasskeyAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const { userId, actor } = await signedIn();
  const name = text(formData, "passkey_name") ?? "";
  try {
    await renamePasskey(actor, { userId, passkeyId: text(formData, "passkey_id"), name });
  } catch (error) {
    return refused(error, { name: name.slice(0, 64) });
  }
  redirect(accountPath("passkey-renamed"));
}

export async function removePasskeyAction(_previous: AccountFormState, formData: FormData): Promise<AccountFormState> {
  const { userId, actor } = await signedIn();
  try {
    await removePasskey(
      actor,
      { userId, passkeyId: text(formData, "passkey_id"), currentPassword: text(formData, "currentPassword") ?? "" },
      runtime.now(),
    );
  } catch (error) {
    return refused(error, {});
  }
  redirect(accountPath("passkey-removed"));
}
