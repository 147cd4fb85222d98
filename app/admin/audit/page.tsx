import type { Metadata } from "next";
import Link from "next/link";
import { requireAdmin } from "@/lib/server/admin";
import { auditEventTypes, listAuditEvents, type AuditPage } from "@/lib/services/audit-queries";
import { ServiceError, type FieldErrors } from "@/lib/services/errors";
import { AuditFilters } from "./audit-filters";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

const PAGE_SIZE = 50;
const FILTERS = ["type", "user", "client_id", "from", "to"] as const;

export default async function AuditLogPage({
  searchParams,
}: {
  readonly searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin("/admin/audit");
  const params = await searchParams;
  const filters = Object.fromEntries(
    FILTERS.map((name) => [name, typeof params[name] === "string" ? params[name].slice(0, 320) : ""]),
  ) as Record<(typeof FILTERS)[number], string>;
  const pageNumber = typeof params.page === "string" ? params.page : "1";
  let result: AuditPage | undefined;
  let errors: FieldErrors = {};
  try {
    result = await listAuditEvents({
      type: filters.type,
      user: filters.user,
      clientId: filters.client_id,
      from: filters.from,
      to: filters.to,
      page: pageNumber,
      pageSize: PAGE_SIZE,
    });
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    errors = error.fieldErrors;
  }
  const types = await auditEventTypes();
  const pageLink = (page: number) => {
    const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ""));
    query.set("page", String(page));
    return `/admin/audit?${query.toString()}`;
  };

  return (
    <main className="space-y-6">
      <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>
      <AuditFilters types={types} values={filters} errors={errors} />
      <section aria-labelledby="events" className="rounded-xl border border-slate-200 bg-white shadow-sm">
        <h2 id="events" className="px-4 pt-4 text-lg font-semibold sm:px-5">
          Events
        </h2>
        {!result ? (
          <p role="alert" className="px-4 py-4 text-red-800 sm:px-5">
            Correct the filters above to see events.
          </p>
        ) : result.total === 0 ? (
          <p className="px-4 py-4 text-slate-700 sm:px-5">No events match these filters.</p>
        ) : (
          <>
            <p className="px-4 pt-1 text-sm text-slate-700 sm:px-5">
              {result.total} event{result.total === 1 ? "" : "s"}, newest first
              {result.pageCount > 1 ? ` · page ${result.page} of ${result.pageCount}` : ""}
            </p>
            <div className="mt-3">
              <AuditTable events={result.events} />
            </div>
            {result.pageCount > 1 ? (
              <nav aria-label="Pages" className="flex justify-between gap-3 border-t border-slate-200 px-4 py-3 sm:px-5">
                {result.page > 1 ? (
                  <Link href={pageLink(result.page - 1)} className="font-semibold text-brand-700 underline">
                    Newer events
                  </Link>
                ) : (
                  <span />
                )}
                {result.page < result.pageCount ? (
                  <Link href={pageLink(result.page + 1)} className="font-semibold text-brand-700 underline">
                    Older events
                  </Link>
                ) : null}
              </nav>
            ) : null}
          </>
        )}
      </section>
    </main>
  );
}
