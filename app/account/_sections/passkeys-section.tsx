import type { PasskeyView } from "@/lib/services/passkeys";
import { AddPasskeyForm, PasskeyActions } from "./passkey-forms";
import { CARD, Section, When } from "./ui";

/** The person's passkeys: each with when it was added and last used, renaming and removal; adding one. */
export function PasskeysSection({ passkeys }: { readonly passkeys: readonly PasskeyView[] }) {
  return (
    <Section
      id="passkeys"
      title="Passkeys"
      description="A passkey signs you in with your device's screen lock (fingerprint, face or PIN) instead of your password, and cannot be phished."
    >
      {passkeys.length > 0 ? (
        <ul className="space-y-3">
          {passkeys.map((passkey) => (
            <li key={passkey.id} className={CARD}>
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <p className="min-w-0 font-semibold break-words">{passkey.name}</p>
                <span className="inline-block rounded-full border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-700">
                  {passkey.deviceType === "multiDevice" || passkey.backedUp ? "Synced" : "On one device"}
                </span>
              </div>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700">
                <dt>Added</dt>
                <dd>
                  <When date={passkey.createdAt} />
                </dd>
                <dt>Last used</dt>
                <dd>{passkey.lastUsedAt ? <When date={passkey.lastUsedAt} /> : "Never"}</dd>
              </dl>
              <PasskeyActions passkeyId={passkey.id} name={passkey.name} />
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-slate-700">You have no passkey yet.</p>
      )}
      <div className={`${CARD} mt-4`}>
        <AddPasskeyForm />
      </div>
    </Section>
  );
}
