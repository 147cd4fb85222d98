import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/admin";
import { listClients } from "@/lib/services/clients";
import { inputClass } from "./_components/form-bits";
import { when } from "./_components/when";

export const metadata: Metadata = { title: "Applications" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 20;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ClientsPage({ searchParams }: { readonly searchParams: SearchParams }) {
  await requireAdmin("/admin/clients");
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q.slice(0, 200) : "";
  const page = typeof params.page === "string" ? Number.parseInt(params.page, 10) || 1 : 1;
  const deleted = typeof params.deleted === "string" ? params.deleted : undefined;
  const result = await listClients({ query, page, pageSize: PAGE_SIZE });
  const pageHref = (target: number) => `/admin/clients?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(target) })}`;

  return (
    <main className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-slate-900">Applications</h1>
          <p className="mt-1 text-slate-700">OAuth clients that may sign people in with this portal.</p>
        </div>
        <Link
          href="/admin/clients/new"
          className="rounded-lg bg-brand-700 px-5 py-2.5 font-semibold text-white shadow-sm hover:bg-brand-600"
        >
          New application
        </Link>
      </div>

      {deleted ? (
        <p role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-green-900">
          {deleted} was deleted, with every grant and token it held.
        </p>
      ) : null}

      <form method="get" action="/admin/clients" role="search" className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="grow space-y-1.5">
          <label htmlFor="q" className="block text-sm font-semibold text-slate-800">
            Search by name or client_id
          </label>
          <input id="q" name="q" type="search" defaultValue={query} className={inputClass} />
        </div>
        <button
          type="submit"
          className="rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
        >
          Search
        </button>
      </form>

      {result.items.length === 0 ? (
        <p className="rounded-xl border border-slate-200 bg-white p-5 text-slate-700 shadow-sm">
          {query ? `No application matches “${query}”.` : "No application is registered yet."}
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Applications, newest first</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-slate-800">
              <tr>
                <th scope="col" className="px-4 py-3 font-semibold">
                  Name
                </th>
                <th scope="col" className="px-4 py-3 font-semibold">
                  client_id
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">
                  Type
                </th>
                <th scope="col" className="hidden px-4 py-3 font-semibold md:table-cell">
                  Last used
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {result.items.map((client) => (
                <tr key={client.clientId}>
                  <td className="px-4 py-3">
                    <Link href={`/admin/clients/${encodeURIComponent(client.clientId)}`} className="font-semibold text-brand-700 underline">
                      {client.name}
                    </Link>
                    {client.disabled ? (
                      <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800">disabled</span>
                    ) : null}
                    {/* On a narrow screen the last two columns fold in here. */}
                    <span className="mt-1 block text-xs text-slate-700 md:hidden">
                      {client.type} · last used {when(client.lastUsedAt)}
                    </span>
                  </td>
                  <td className="break-all px-4 py-3 font-mono text-slate-800">{client.clientId}</td>
                  <td className="hidden px-4 py-3 text-slate-800 md:table-cell">
                    {client.type}
                    <span className="block text-xs text-slate-700">{client.tokenEndpointAuthMethod}</span>
                  </td>
                  <td className="hidden px-4 py-3 text-slate-800 md:table-cell">{when(client.lastUsedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {result.pages > 1 ? (
        <nav aria-label="Pages" className="flex flex-wrap items-center gap-3 text-slate-800">
          {result.page > 1 ? (
            <Link href={pageHref(result.page - 1)} className="font-semibold text-brand-700 underline">
              ← Previous
            </Link>
          ) : null}
          <span>
            Page {result.page} of {result.pages} ({result.total} applications)
          </span>
          {result.page < result.pages ? (
            <Link href={pageHref(result.page + 1)} className="font-semibold text-brand-700 underline">
              Next →
            </Link>
          ) : null}
        </nav>
      ) : (
        <p className="text-sm text-slate-700">
          {result.total} {result.total === 1 ? "application" : "applications"}
        </p>
      )}
    </main>
  );
}
