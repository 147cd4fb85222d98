// The audit log's rows: newest first, who did it (their email), whom or which application it
// concerns, and the event's details as "key: value" lines.
import type { AuditEventView, AuditPerson } from "@/lib/services/audit-queries";
import { UtcTime } from "../_components/utc-time";

function Person({ person }: { readonly person: AuditPerson }) {
  return person.email ? <span className="break-all">{person.email}</span> : <span className="text-slate-700">deleted user {person.id}</span>;
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

export function AuditTable({ events }: { readonly events: readonly AuditEventView[] }) {
  return (
    <div className="relative overflow-x-auto" role="region" aria-label="Audit events" tabIndex={0}>
      <table className="w-full min-w-[56rem] border-collapse text-left text-sm">
        <thead className="bg-slate-50 text-slate-800">
          <tr>
            <th scope="col" className="px-4 py-2 font-semibold sm:px-5">Time</th>
            <th scope="col" className="px-4 py-2 font-semibold">Event</th>
            <th scope="col" className="px-4 py-2 font-semibold">Who</th>
            <th scope="col" className="px-4 py-2 font-semibold">Concerning</th>
            <th scope="col" className="px-4 py-2 font-semibold">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} className="border-t border-slate-200 align-top">
              <td className="px-4 py-2 whitespace-nowrap sm:px-5"><UtcTime date={event.createdAt} /></td>
              <td className="px-4 py-2 font-mono whitespace-nowrap">{event.type}</td>
              <td className="px-4 py-2">
                <Who event={event} />
                {event.ipAddress ? <span className="block text-slate-700">from {event.ipAddress}</span> : null}
              </td>
              <td className="px-4 py-2">
                {event.subject ? <span className="block"><Person person={event.subject} /></span> : null}
                {event.clientId ? <span className="block font-mono break-all">{event.clientId}</span> : null}
                {!event.subject && !event.clientId ? <span className="text-slate-700">—</span> : null}
              </td>
              <td className="px-4 py-2">
                <dl className="grid grid-cols-[auto_1fr] gap-x-2">
                  {Object.entries(event.detail).map(([key, value]) => (
                    <div key={key} className="contents">
                      <dt className="font-semibold text-slate-800">{key}:</dt>
                      <dd className="break-all text-slate-900">{show(value)}</dd>
                    </div>
                  ))}
                </dl>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
