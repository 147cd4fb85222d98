// The geometry of a bar chart, kept apart from its SVG (app/admin/_components/bar-chart.tsx) so it
// can be tested as plain data: categories along x (days), one or more series drawn side by side
// ("grouped") or on top of each other ("stacked"), a y axis with round tick values.

export interface BarSeries {
  readonly name: string;
  readonly values: readonly number[];
}

export interface BarChartInput {
  readonly categories: readonly string[];
  readonly series: readonly BarSeries[];
  readonly mode: "grouped" | "stacked";
  readonly width?: number;
  readonly height?: number;
}

export interface Bar {
  readonly series: number;
  readonly category: number;
  readonly value: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface BarChartLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: { readonly left: number; readonly top: number; readonly right: number; readonly bottom: number };
  readonly bars: readonly Bar[];
  readonly yTicks: readonly { readonly value: number; readonly y: number }[];
  /** Labels under some categories: every `labelEvery`th one, and the last. */
  readonly xLabels: readonly { readonly text: string; readonly x: number }[];
}

const MARGIN = { left: 44, right: 20, top: 10, bottom: 28 };

/** The smallest 1, 2 or 5 × 10ⁿ step that covers `max` in at most `ticks` steps. */
export function niceStep(max: number, ticks = 4): number {
  if (max <= 0) return 1;
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
  // Counts are whole numbers: a step below one would label fractions of an event.
  return Math.max(1, step);
}

export function layoutBars(input: BarChartInput): BarChartLayout {
  const width = input.width ?? 520;
  const height = input.height ?? 220;
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const count = input.categories.length;
  const totals = input.categories.map((_, category) =>
    input.mode === "stacked"
      ? input.series.reduce((sum, series) => sum + (series.values[category] ?? 0), 0)
      : Math.max(0, ...input.series.map((series) => series.values[category] ?? 0)),
  );
  const step = niceStep(Math.max(0, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(0, ...totals) / step) * step);
  const scale = (plot.bottom - plot.top) / top;
  const slot = count === 0 ? 0 : (plot.right - plot.left) / count;
  // A fifth of each slot is the gap between categories.
  const inner = slot * 0.8;
  const barWidth = input.mode === "stacked" || input.series.length === 0 ? inner : inner / input.series.length;
  const bars: Bar[] = [];
  for (let category = 0; category < count; category++) {
    const slotLeft = plot.left + category * slot + (slot - inner) / 2;
    let stackedTop = plot.bottom;
    input.series.forEach((series, index) => {
      const value = series.values[category] ?? 0;
      if (value <= 0) return;
      const barHeight = value * scale;
      const x = input.mode === "stacked" ? slotLeft : slotLeft + index * barWidth;
      const y = input.mode === "stacked" ? stackedTop - barHeight : plot.bottom - barHeight;
      if (input.mode === "stacked") stackedTop = y;
      bars.push({ series: index, category, value, x: round(x), y: round(y), width: round(barWidth), height: round(barHeight) });
    });
  }
  const yTicks = [];
  for (let value = 0; value <= top; value += step) yTicks.push({ value, y: round(plot.bottom - value * scale) });
  const labelEvery = Math.max(1, Math.ceil(count / 6));
  const xLabels = input.categories
    .map((text, index) => ({ text, x: round(plot.left + (index + 0.5) * slot), index }))
    .filter(({ index }) => index % labelEvery === 0 || index === count - 1)
    .map(({ text, x }) => ({ text, x }));
  return { width, height, plot, bars, yTicks, xLabels };
}

/** The top `limit` series by total, and the rest added up into one named `otherName`. */
export function topSeries(series: readonly BarSeries[], limit: number, otherName = "Other"): BarSeries[] {
  const total = (entry: BarSeries) => entry.values.reduce((sum, value) => sum + value, 0);
  const sorted = [...series].sort((a, b) => total(b) - total(a));
  if (sorted.length <= limit + 1) return sorted;
  const rest = sorted.slice(limit);
  const length = Math.max(...rest.map((entry) => entry.values.length));
  const other = Array.from({ length }, (_, index) => rest.reduce((sum, entry) => sum + (entry.values[index] ?? 0), 0));
  return [...sorted.slice(0, limit), { name: otherName, values: other }];
}

const round = (value: number) => Math.round(value * 100) / 100;
