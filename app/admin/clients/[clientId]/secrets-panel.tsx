"use client";

// The secrets of a confidential application: rotate (with an overlap for the redeploy) and revoke.
import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { revokeSecretAction, rotateSecretAction } from "../actions";
import { dangerButton, FormMessage, inputClass, primaryButton, ShownOnce } from "../_components/form-bits";

export interface SecretRow {
  readonly id: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastUsedAt: string;
  readonly live: boolean;
}

const OVERLAPS = [
  ["0", "Stop working now"],
  ["1", "Keep working for 1 hour"],
  ["24", "Keep working for 24 hours"],
  ["168", "Keep working for 7 days"],
] as const;

export function SecretsPanel({ clientId, secrets }: { readonly clientId: string; readonly secrets: readonly SecretRow[] }) {
  const [rotated, rotate, rotating] = useActionState<AdminFormState, FormData>(rotateSecretAction, {});
  const [revoked, revoke, revoking] = useActionState<AdminFormState, FormData>(revokeSecretAction, {});
  return (
    <div className="space-y-5">
      <FormMessage state={revoked} />
      <div className="overflow-x-auto">
        <table className="w-full min-w-[34rem] text-left text-sm">
          <caption className="sr-only">Client secrets, newest first</caption>
          <thead className="border-b border-slate-200 text-slate-800">
            <tr>
              <th scope="col" className="py-2 pr-3 font-semibold">Created</th>
              <th scope="col" className="py-2 pr-3 font-semibold">Expires</th>
              <th scope="col" className="py-2 pr-3 font-semibold">Last used</th>
              <th scope="col" className="py-2 font-semibold"><span className="sr-only">Action</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200">
            {secrets.map((secret) => (
              <tr key={secret.id} data-testid="secret-row">
                <td className="py-2 pr-3 text-slate-800">{secret.createdAt}</td>
                <td className="py-2 pr-3 text-slate-800">
                  {secret.expiresAt}
                  {secret.live ? null : <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-800">expired</span>}
                </td>
                <td className="py-2 pr-3 text-slate-800">{secret.lastUsedAt}</td>
                <td className="py-2 text-right">
                  {secret.live ? (
                    <form action={revoke}>
                      <input type="hidden" name="clientId" value={clientId} />
                      <input type="hidden" name="credentialId" value={secret.id} />
                      <button type="submit" disabled={revoking} className={`${dangerButton} py-1 text-sm`} aria-label={`Revoke the secret created ${secret.createdAt}`}>
                        Revoke
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <form action={rotate} className="space-y-3 border-t border-slate-200 pt-4">
        <input type="hidden" name="clientId" value={clientId} />
        <h3 className="font-semibold text-slate-900">Rotate the secret</h3>
        <FormMessage state={rotated} />
        {rotated.shownOnce ? <ShownOnce label={rotated.shownOnce.label} value={rotated.shownOnce.value} /> : null}
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="grow space-y-1.5">
            <label htmlFor="oldSecretExpiresInHours" className="block text-sm font-semibold text-slate-800">The current secrets</label>
            <select id="oldSecretExpiresInHours" name="oldSecretExpiresInHours" defaultValue="24" className={inputClass}>
              {OVERLAPS.map(([hours, label]) => <option key={hours} value={hours}>{label}</option>)}
            </select>
          </div>
          <button type="submit" disabled={rotating} className={primaryButton}>{rotating ? "Rotating…" : "Rotate secret"}</button>
        </div>
        <p className="text-sm text-slate-700">An overlap lets you deploy the new secret before the old one stops working.</p>
      </form>
    </div>
  );
}
