import Link from "next/link";
import { RECOVERY_CODE_COUNT } from "@/lib/auth/recovery-codes";
import type { SecondFactorStatus } from "@/lib/services/second-factor";
import { CARD, DANGER_BUTTON, PRIMARY_BUTTON, SECONDARY_BUTTON, Section, When } from "./ui";

/** Few enough that the person should make new ones before they run out. */
const FEW_LEFT = 3;

/**
 * Two-step sign-in: the authenticator app (when it was added and last used) and the recovery
 * codes left, with a warning when one of them was used. Setting up, removing and new codes are
 * steps of their own (../two-step/); their links do not prefetch, as opening the set-up starts it.
 */
export function TwoStepSection({ status }: { readonly status: SecondFactorStatus }) {
  const app = status.factors.find((factor) => factor.kind === "totp");
  return (
    <Section
      id="two-step"
      title="Two-step sign-in"
      description="With two-step sign-in, signing in asks for a code from an app on your phone after your password, so a stolen password alone is not enough."
    >
      {app ? (
        <div className="space-y-4">
          {status.lastRecoveryCodeUsedAt ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-amber-900">
              <p className="font-semibold">
                A recovery code was used to sign in on <When date={status.lastRecoveryCodeUsedAt} />.
              </p>
              <p className="mt-1 text-sm">
                {status.recoveryCodesLeft} of {RECOVERY_CODE_COUNT} codes are left. If that was not you, change your password and get new
                recovery codes.
              </p>
            </div>
          ) : null}
          <div className={`${CARD} flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between`}>
            <div className="min-w-0">
              <p className="font-semibold">
                {app.name || "Authenticator app"}
                <span className="ml-2 inline-block rounded-full bg-green-50 px-2 py-0.5 text-xs font-semibold text-green-900 ring-1 ring-green-300">
                  On
                </span>
              </p>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700">
                <dt>Added</dt>
                <dd>
                  <When date={app.confirmedAt} />
                </dd>
                <dt>Last used</dt>
                <dd>{app.lastUsedAt ? <When date={app.lastUsedAt} /> : "Not yet"}</dd>
              </dl>
            </div>
            <Link href="/account/two-step/remove" prefetch={false} className={`shrink-0 self-start whitespace-nowrap ${DANGER_BUTTON}`}>
              Remove<span className="sr-only"> authenticator app</span>
            </Link>
          </div>
          <div className={`${CARD} flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between`}>
            <div className="min-w-0">
              <p className="font-semibold">Recovery codes</p>
              <p className="mt-1 text-sm text-slate-700">
                {status.recoveryCodesLeft} of {RECOVERY_CODE_COUNT} left. Each signs you in once if you lose your phone.
              </p>
              {status.recoveryCodesLeft <= FEW_LEFT ? (
                <p className="mt-1 text-sm font-medium text-red-800">
                  {status.recoveryCodesLeft === 0 ? "You have none left:" : "Only a few are left:"} get new ones before you need them.
                </p>
              ) : null}
            </div>
            <Link
              href="/account/two-step/recovery-codes"
              prefetch={false}
              className={`shrink-0 self-start whitespace-nowrap ${SECONDARY_BUTTON}`}
            >
              Get new codes
            </Link>
          </div>
        </div>
      ) : (
        <div className={CARD}>
          <p className="text-slate-700">Two-step sign-in is off: your password alone signs you in.</p>
          <Link href="/account/two-step/authenticator" prefetch={false} className={`mt-4 inline-block ${PRIMARY_BUTTON}`}>
            Set up an authenticator app
          </Link>
        </div>
      )}
    </Section>
  );
}
