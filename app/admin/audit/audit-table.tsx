// The audit log's rows: newest first, who did it (their email), whom or which application it
// concerns, and the event's details as "key: value" lines.
import type { AuditEventView, AuditPerson } from "@/lib/services/audit-queries";
import { UtcTime } from "../_components/utc-time";

function Person({ person }: { readonly person: AuditPerson }) {
  return person.email ? <span>{person.email}</span> : <span className="text-slate-700">deleted user {person.id}</span>;
}

function Who({ event }: { readonly event: AuditEventView }) {
  if (event.actor) return <Person person={event.actor} />;
  if (event.detail.via === "cli") return <span className="text-slate-700">command line</span>;
  return <span className="text-slate-700">{event.clientId ? "application" : "system"}</span>;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (value === null || value === undefined) return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function Concerning({ event }: { readonly event: AuditEventView }) {
  if (!event.subject && !event.clientId) return <span className="text-slate-700">—</span>;
  return (
    <>
      {event.subject ? (
        <span className="block break-words">
          <Person person={event.subject} />
        </span>
      ) : null}
      {event.clientId ? <span className="block font-mono break-all">{event.clientId}</span> : null}
    </>
  );
}

function Details({ detail }: { readonly detail: AuditEventView["detail"] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-2">
      {Object.entries(detail).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-semibold text-slate-800">{key}:</dt>
          <dd className="min-w-0 wrap-anywhere text-slate-900">{show(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Cards on narrow screens, a table from md up (only one of them is displayed, and read). */
export function AuditTable({ events }: { readonly events: readonly AuditEventView[] }) {
  return (
    <>
      <ul className="divide-y divide-slate-200 border-t border-slate-200 md:hidden">
        {events.map((event) => (
          <li key={event.id} className="space-y-2 px-4 py-3 text-sm">
            <p className="flex flex-wrap items-baseline justify-between gap-x-3">
              <span className="font-mono font-semibold">{event.type}</span>
              <span className="text-slate-700">
                <UtcTime date={event.createdAt} />
              </span>
            </p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-1">
              <dt className="font-semibold text-slate-800">Who</dt>
              <dd className="min-w-0 wrap-anywhere">
                <Who event={event} />
                {event.ipAddress ? <span className="text-slate-700"> from {event.ipAddress}</span> : null}
              </dd>
              <dt className="font-semibold text-slate-800">Concerning</dt>
              <dd className="min-w-0 wrap-anywhere">
                <Concerning event={event} />
              </dd>
            </dl>
            <Details detail={event.detail} />
          </li>
        ))}
      </ul>
      <div className="relative hidden overflow-x-auto md:block" role="region" aria-label="Audit events" tabIndex={0}>
        <table className="w-full min-w-[44rem] border-collapse text-left text-sm">
          <thead className="bg-slate-50 text-slate-800">
            <tr>
              <th scope="col" className="px-4 py-2 font-semibold sm:px-5">
                Time
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Event
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Who
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Concerning
              </th>
              <th scope="col" className="px-4 py-2 font-semibold">
                Details
              </th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id} className="border-t border-slate-200 align-top">
                <td className="px-4 py-2 whitespace-nowrap sm:px-5">
                  <UtcTime date={event.createdAt} />
                </td>
                <td className="px-4 py-2 font-mono whitespace-nowrap">{event.type}</td>
                <td className="px-4 py-2 break-words">
                  <Who event={event} />
                  {event.ipAddress ? <span className="block text-slate-700">from {event.ipAddress}</span> : null}
                </td>
                <td className="px-4 py-2">
                  <Concerning event={event} />
                </td>
                <td className="px-4 py-2">
                  <Details detail={event.detail} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
