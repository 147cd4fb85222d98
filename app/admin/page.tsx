import type { Metadata } from "next";
import Link from "next/link";
import { topSeries } from "@/lib/charts/bars";
import { requireAdmin } from "@/lib/server/admin";
import { dailySeries, overviewCounts } from "@/lib/services/audit-queries";
import { BarChart } from "./_components/bar-chart";

export const metadata: Metadata = { title: "Overview" };
export const dynamic = "force-dynamic";

const DAYS = 30;
/** Clients drawn one by one; the rest are added up as "Other", so the chart stays readable. */
const TOP_CLIENTS = 5;

export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  const now = new Date();
  const [counts, series] = await Promise.all([overviewCounts(now), dailySeries(now, DAYS)]);
  const shortDays = series.days.map((day) => day.slice(5));
  const clientSeries = topSeries(
    series.tokensByClient.map((client) => ({
      name: client.name ? `${client.name} (${client.clientId})` : client.clientId,
      values: client.counts,
    })),
    TOP_CLIENTS,
    "Other applications",
  );
  const cards = [
    { label: "Users", value: counts.users, href: "/admin/users" },
    { label: "Applications", value: counts.clients, href: "/admin/clients" },
    { label: "Active grants", value: counts.activeGrants, hint: "authorizations not revoked" },
    { label: "Sign-ins today", value: counts.signInsToday, hint: "since midnight UTC" },
  ];

  return (
    <main className="space-y-8">
      <h1 className="text-2xl font-bold tracking-tight">Overview</h1>
      <ul className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4" aria-label="Counts">
        {cards.map((card) => (
          <li key={card.label} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
            <p className="text-sm font-medium text-slate-700">{card.label}</p>
            <p className="mt-1 text-3xl font-bold tabular-nums text-slate-900">{card.value}</p>
            {card.href ? (
              <Link href={card.href} className="mt-1 inline-block text-sm font-semibold text-brand-700 underline">
                Manage<span className="sr-only"> {card.label.toLowerCase()}</span>
              </Link>
            ) : (
              <p className="mt-1 text-sm text-slate-700">{card.hint}</p>
            )}
          </li>
        ))}
      </ul>
      <section aria-labelledby="activity" className="space-y-4">
        <h2 id="activity" className="text-lg font-semibold">
          The last {DAYS} days (UTC)
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          <BarChart
            title="Sign-ins per day"
            summary={`Successful and failed sign-ins per day over the last ${DAYS} days: ${sum(series.signIns)} successful, ${sum(series.failedSignIns)} failed in all.`}
            categories={series.days}
            categoryLabels={shortDays}
            series={[
              { name: "Sign-ins", values: series.signIns },
              { name: "Failed sign-ins", values: series.failedSignIns },
            ]}
            mode="grouped"
          />
          <BarChart
            title="Tokens issued per application per day"
            summary={
              clientSeries.length === 0
                ? `No tokens were issued in the last ${DAYS} days.`
                : `Tokens issued per day over the last ${DAYS} days, stacked by application: ${clientSeries.map((entry) => `${entry.name} ${sum(entry.values)}`).join(", ")}.`
            }
            categories={series.days}
            categoryLabels={shortDays}
            series={clientSeries}
            mode="stacked"
          />
        </div>
      </section>
    </main>
  );
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
