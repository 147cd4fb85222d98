"use client";

// The secrets of a confidential application: rotate (with an overlap for the redeploy) and revoke.
import { useActionState } from "react";
import type { AdminFormState } from "@/lib/server/admin-form";
import { revokeSecretAction, rotateSecretAction } from "../actions";
import { dangerButton, FormMessage, inputClass, primaryButton } from "../_components/form-bits";
import { ShownOnce } from "../../_components/shown-once";

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
      {/* A list, not a table: each secret stays whole, its Revoke button in reach, at any width. */}
      <ul className="divide-y divide-slate-200 border-y border-slate-200" aria-label="Client secrets, newest first">
        {secrets.map((secret) => (
          <li key={secret.id} data-testid="secret-row" className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-sm text-slate-800 sm:grid-cols-[auto_1fr_auto_1fr_auto_1fr]">
              <dt className="font-semibold">Created</dt>
              <dd>{secret.createdAt}</dd>
              <dt className="font-semibold">Expires</dt>
              <dd>
                {secret.expiresAt}
                {secret.live ? null : (
                  <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-800">no longer works</span>
                )}
              </dd>
              <dt className="font-semibold">Last used</dt>
              <dd>{secret.lastUsedAt}</dd>
            </dl>
            {secret.live ? (
              <form action={revoke} className="shrink-0">
                <input type="hidden" name="clientId" value={clientId} />
                <input type="hidden" name="credentialId" value={secret.id} />
                <button
                  type="submit"
                  disabled={revoking}
                  className={`${dangerButton} py-1 text-sm`}
                  aria-label={`Revoke the secret created ${secret.createdAt}`}
                >
                  Revoke
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>

      <form action={rotate} className="space-y-3 border-t border-slate-200 pt-4">
        <input type="hidden" name="clientId" value={clientId} />
        <h3 className="font-semibold text-slate-900">Rotate the secret</h3>
        <FormMessage state={rotated} />
        {rotated.shownOnce ? (
          <ShownOnce
            label={rotated.shownOnce.label}
            value={rotated.shownOnce.value}
            what="Store it in your application's secret store now"
          />
        ) : null}
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="grow space-y-1.5">
            <label htmlFor="oldSecretExpiresInHours" className="block text-sm font-semibold text-slate-800">
              The current secrets
            </label>
            <select id="oldSecretExpiresInHours" name="oldSecretExpiresInHours" defaultValue="24" className={inputClass}>
              {OVERLAPS.map(([hours, label]) => (
                <option key={hours} value={hours}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={rotating} className={primaryButton}>
            {rotating ? "Rotating…" : "Rotate secret"}
          </button>
        </div>
        <p className="text-sm text-slate-700">An overlap lets you deploy the new secret before the old one stops working.</p>
      </form>
    </div>
  );
}
