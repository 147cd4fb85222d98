// A bar chart as server-rendered SVG: no chart library and no JavaScript in the browser. The
// geometry comes from lib/charts/bars.ts; this only draws it. The SVG scales with its container
// (viewBox, width 100%); screen readers get its name and summary, and everyone gets the numbers
// in a data table under a disclosure.
import { useId } from "react";
import { layoutBars, type BarSeries } from "@/lib/charts/bars";

/** Distinguishable colours, each at least 3:1 against white (WCAG 1.4.11 for graphics). */
export const SERIES_COLOURS = ["#4338ca", "#b91c1c", "#047857", "#b45309", "#7e22ce", "#475569"] as const;

export function BarChart({
  title,
  summary,
  categories,
  categoryLabels,
  series,
  mode,
}: {
  readonly title: string;
  /** One sentence saying what the chart shows, for its accessible description. */
  readonly summary: string;
  readonly categories: readonly string[];
  /** Shorter texts under the x axis (the table keeps the full categories). */
  readonly categoryLabels?: readonly string[];
  readonly series: readonly BarSeries[];
  readonly mode: "grouped" | "stacked";
}) {
  const id = useId();
  const layout = layoutBars({ categories: categoryLabels ?? categories, series, mode });
  return (
    <figure className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5">
      <figcaption className="text-base font-semibold text-slate-900" id={`${id}-caption`}>
        {title}
      </figcaption>
      {series.length === 0 ? <p className="mt-2 text-sm text-slate-700">Nothing to show for these days.</p> : null}
      <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800" aria-label="Legend">
        {series.map((entry, index) => (
          <li key={entry.name} className="flex min-w-0 items-center gap-1.5">
            <span
              aria-hidden="true"
              className="inline-block h-3 w-3 shrink-0 rounded-sm"
              style={{ background: SERIES_COLOURS[index % SERIES_COLOURS.length] }}
            />
            <span className="break-all">{entry.name}</span>
          </li>
        ))}
      </ul>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width="100%"
        className="mt-3 h-auto"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {layout.yTicks.map((tick) => (
          <g key={tick.value}>
            <line x1={layout.plot.left} x2={layout.plot.right} y1={tick.y} y2={tick.y} stroke="#cbd5e1" strokeWidth={1} />
            <text x={layout.plot.left - 6} y={tick.y} textAnchor="end" dominantBaseline="middle" fontSize={14} fill="#334155">
              {tick.value}
            </text>
          </g>
        ))}
        {layout.bars.map((bar) => (
          <rect
            key={`${bar.series}-${bar.category}`}
            x={bar.x}
            y={bar.y}
            width={bar.width}
            height={bar.height}
            fill={SERIES_COLOURS[bar.series % SERIES_COLOURS.length]}
          >
            <title>{`${categories[bar.category]}: ${series[bar.series]?.name} ${bar.value}`}</title>
          </rect>
        ))}
        <line
          x1={layout.plot.left}
          x2={layout.plot.right}
          y1={layout.plot.bottom}
          y2={layout.plot.bottom}
          stroke="#475569"
          strokeWidth={1}
        />
        {layout.xLabels.map((label) => (
          <text key={label.x} x={label.x} y={layout.height - 8} textAnchor="middle" fontSize={14} fill="#334155">
            {label.text}
          </text>
        ))}
      </svg>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-semibold text-brand-700">Show the data as a table</summary>
        <div className="relative mt-2 max-h-80 overflow-auto" role="region" aria-label={`${title}: data`} tabIndex={0}>
          <table className="w-full border-collapse text-left">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-1 pr-3 font-semibold">
                  Day
                </th>
                {series.map((entry) => (
                  <th key={entry.name} scope="col" className="py-1 pr-3 font-semibold break-words">
                    {entry.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {categories.map((category, index) => (
                <tr key={category} className="border-b border-slate-100">
                  <th scope="row" className="py-1 pr-3 font-normal whitespace-nowrap">
                    {category}
                  </th>
                  {series.map((entry) => (
                    <td key={entry.name} className="py-1 pr-3 tabular-nums">
                      {entry.values[index] ?? 0}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
