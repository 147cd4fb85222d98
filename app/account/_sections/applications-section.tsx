import { describeScope } from "@/lib/scope-descriptions";
import type { AccountApplication } from "@/lib/services/account";
import { withdraw } from "../actions";
import { CARD, DANGER_BUTTON, Section, When } from "./ui";

/**
 * The applications the person allowed. Withdrawing asks first: the button opens a disclosure
 * (<details>, no script needed) with what will happen and the button that does it.
 */
export function ApplicationsSection({ applications }: { readonly applications: readonly AccountApplication[] }) {
  return (
    <Section id="apps" title="Applications you allowed">
      {applications.length === 0 ? (
        <p className="text-slate-700">You have not allowed any application to access your account.</p>
      ) : (
        <ul className="space-y-4">
          {applications.map((app) => (
            <li key={app.clientId} className={CARD}>
              <h3 className="break-words font-semibold">{app.clientName}</h3>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700">
                <dt>Allowed</dt>
                <dd>
                  <When date={app.grantedAt} />
                </dd>
                <dt>Last used</dt>
                <dd>{app.lastUsedAt ? <When date={app.lastUsedAt} /> : "Not yet"}</dd>
              </dl>
              <p className="mt-3 text-sm font-medium text-slate-800">It can:</p>
              <ul className="mt-1 list-disc space-y-1 pl-5 text-slate-800">
                {app.scopes.map((scope) => (
                  <li key={scope}>{describeScope(scope)}</li>
                ))}
              </ul>
              <details className="group mt-4">
                <summary className={`inline-block cursor-pointer list-none [&::-webkit-details-marker]:hidden ${DANGER_BUTTON}`}>
                  Withdraw access<span className="sr-only"> of {app.clientName}</span>…
                </summary>
                <div className="mt-3 rounded-md border border-red-200 bg-red-50 p-4">
                  <p className="text-red-900">
                    {app.clientName} will lose access to your account at once: the tokens it holds stop working, and it will have to ask you
                    again.
                  </p>
                  <form action={withdraw} className="mt-3">
                    <input type="hidden" name="client_id" value={app.clientId} />
                    <button type="submit" className="rounded-lg bg-red-700 px-4 py-2 font-semibold text-white hover:bg-red-800">
                      Yes, withdraw access<span className="sr-only"> of {app.clientName}</span>
                    </button>
                  </form>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
