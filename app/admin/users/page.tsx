import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/admin";
import { listUsers } from "@/lib/services/users";
import { formatDate } from "./_components/format";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 25;

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function pageLink(query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return search ? `/admin/users?${search}` : "/admin/users";
}

export default async function UsersPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin("/admin/users");
  const params = await searchParams;
  const query = one(params.q).slice(0, 254);
  const requested = Number.parseInt(one(params.page), 10);
  const result = await listUsers({ query, page: Number.isFinite(requested) ? requested : 1, pageSize: PAGE_SIZE });

  return (
    <main>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Users</h1>
          <p className="mt-1 text-slate-700">Everyone who can sign in to the portal.</p>
        </div>
        <Link href="/admin/users/new" className="rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white shadow-sm hover:bg-brand-600">
          New user
        </Link>
      </div>

      <form method="get" action="/admin/users" role="search" className="mt-6 flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="grow">
          <label htmlFor="q" className="block text-sm font-medium text-slate-800">
            Search by email or name
          </label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={query}
            maxLength={254}
            className="mt-1 block w-full rounded-md border border-slate-400 bg-white px-3 py-2 text-base shadow-sm"
          />
        </div>
        <button
          type="submit"
          className="rounded-lg border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
        >
          Search
        </button>
      </form>

      <section aria-labelledby="results" className="mt-6 rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="results" className="border-b border-slate-200 px-4 py-3 text-sm font-semibold text-slate-800">
          {query
            ? `${result.total} ${result.total === 1 ? "user matches" : "users match"} “${query}”`
            : `${result.total} ${result.total === 1 ? "user" : "users"}`}
        </h2>
        {result.users.length === 0 ? (
          <p className="px-4 py-6 text-slate-700">{query ? "No user matches this search." : "There are no users yet."}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-slate-800">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">
                    User
                  </th>
                  <th scope="col" className="px-4 py-2 font-semibold">
                    Role
                  </th>
                  <th scope="col" className="px-4 py-2 font-semibold">
                    Status
                  </th>
                  <th scope="col" className="hidden px-4 py-2 font-semibold md:table-cell">
                    Created
                  </th>
                  <th scope="col" className="hidden px-4 py-2 font-semibold md:table-cell">
                    Last sign-in
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-200">
                {result.users.map((user) => (
                  <tr key={user.id}>
                    <td className="max-w-xs px-4 py-3">
                      <Link href={`/admin/users/${user.id}`} className="break-all font-semibold text-brand-700 underline">
                        {user.email}
                      </Link>
                      {user.name ? <span className="block text-slate-700">{user.name}</span> : null}
                    </td>
                    <td className="px-4 py-3 text-slate-800">{user.role === "admin" ? "Admin" : "User"}</td>
                    <td className="px-4 py-3">
                      {user.disabled ? (
                        <span className="font-semibold text-red-800">Disabled</span>
                      ) : (
                        <span className="text-slate-800">Active</span>
                      )}
                    </td>
                    <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 md:table-cell">{formatDate(user.createdAt)}</td>
                    <td className="hidden whitespace-nowrap px-4 py-3 text-slate-700 md:table-cell">{formatDate(user.lastLoginAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {result.pages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between gap-4 text-sm">
          {result.page > 1 ? (
            <Link href={pageLink(query, result.page - 1)} className="font-semibold text-brand-700 underline">
              Previous page
            </Link>
          ) : (
            <span />
          )}
          <span className="text-slate-700">
            Page {result.page} of {result.pages}
          </span>
          {result.page < result.pages ? (
            <Link href={pageLink(query, result.page + 1)} className="font-semibold text-brand-700 underline">
              Next page
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </main>
  );
}
