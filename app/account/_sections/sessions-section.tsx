import Link from "next/link";
import type { AccountSession } from "@/lib/services/account";
import { endOtherSessionsAction, endSessionAction } from "../actions";
import { CARD, SECONDARY_BUTTON, Section, When } from "./ui";

/** "Firefox 133 on Windows 10", or the best the user agent allows. */
export function sessionLabel(session: AccountSession): string {
  const browser = session.browser ?? "Unknown browser";
  const on = [session.device, session.system].filter(Boolean).join(", ");
  return on ? `${browser} on ${on}` : browser;
}

export function SessionsSection({ sessions }: { readonly sessions: readonly AccountSession[] }) {
  const others = sessions.filter((session) => !session.current).length;
  return (
    <Section id="sessions" title="Where you are signed in">
      <ul className="space-y-3">
        {sessions.map((session) => {
          const label = sessionLabel(session);
          return (
            <li key={session.id} className={`${CARD} flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between`}>
              <div className="min-w-0">
                <p className="break-words font-semibold">
                  {label}
                  {session.current ? (
                    <span className="ml-2 inline-block rounded-full bg-brand-600 px-2 py-0.5 text-xs font-semibold text-white">
                      This browser
                    </span>
                  ) : null}
                </p>
                <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-700">
                  <dt>Address</dt>
                  <dd className="break-all">{session.ipAddress ?? "Unknown"}</dd>
                  <dt>Signed in</dt>
                  <dd>
                    <When date={session.signedInAt} />
                  </dd>
                  <dt>Last seen</dt>
                  <dd>{session.current ? "Now" : <When date={session.lastSeenAt} />}</dd>
                </dl>
              </div>
              {session.current ? (
                <Link href="/logout" className={`shrink-0 self-start whitespace-nowrap ${SECONDARY_BUTTON}`}>
                  Sign out<span className="sr-only"> of this browser</span>
                </Link>
              ) : (
                <form action={endSessionAction} className="shrink-0 self-start">
                  <input type="hidden" name="session_id" value={session.id} />
                  <button type="submit" className={`whitespace-nowrap ${SECONDARY_BUTTON}`}>
                    Sign out
                    <span className="sr-only">
                      {" "}
                      of {label}, signed in <When date={session.signedInAt} />
                    </span>
                  </button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <form action={endOtherSessionsAction} className="mt-4">
          <button type="submit" className={SECONDARY_BUTTON}>
            Sign out everywhere else
          </button>
        </form>
      ) : (
        <p className="mt-3 text-sm text-slate-700">You are not signed in anywhere else.</p>
      )}
    </Section>
  );
}
