import assert from "node:assert/strict";
import { test } from "node:test";
import { layoutBars, niceStep, topSeries } from "../../lib/charts/bars.ts";

test("tick steps are 1, 2 or 5 times a power of ten, never below one", () => {
  assert.deepEqual(
    [0, 1, 3, 7, 9, 40, 130, 999].map((max) => niceStep(max)),
    [1, 1, 1, 2, 5, 10, 50, 500],
  );
  assert.equal(niceStep(20), 5);
  assert.equal(niceStep(21), 10);
});

test("grouped bars sit side by side in their day's slot, heights proportional to the values", () => {
  const layout = layoutBars({
    categories: ["d1", "d2"],
    series: [
      { name: "ok", values: [4, 0] },
      { name: "failed", values: [2, 1] },
    ],
    mode: "grouped",
    width: 244,
    height: 138,
  });
  // Plot: x 44..224 (two 90-wide slots, bars in their middle 72), y 10..110; the axis tops at 4
  // (step 1): 25 px per event.
  assert.deepEqual(layout.plot, { left: 44, top: 10, right: 224, bottom: 110 });
  assert.deepEqual(layout.bars, [
    { series: 0, category: 0, value: 4, x: 53, y: 10, width: 36, height: 100 },
    { series: 1, category: 0, value: 2, x: 89, y: 60, width: 36, height: 50 },
    { series: 1, category: 1, value: 1, x: 179, y: 85, width: 36, height: 25 },
  ]);
  assert.deepEqual(
    layout.yTicks.map((tick) => tick.value),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(layout.yTicks.at(-1), { value: 4, y: 10 });
});

test("stacked bars pile up, and the axis covers the tallest pile", () => {
  const layout = layoutBars({
    categories: ["d1"],
    series: [
      { name: "a", values: [3] },
      { name: "b", values: [5] },
    ],
    mode: "stacked",
    width: 144,
    height: 118,
  });
  // Total 8 with step 2: the axis tops at 8, 80 px tall, 10 px per event.
  assert.equal(layout.yTicks.at(-1)!.value, 8);
  const [a, b] = layout.bars;
  assert.deepEqual({ y: a!.y, height: a!.height }, { y: 60, height: 30 });
  assert.deepEqual({ y: b!.y, height: b!.height }, { y: 10, height: 50 });
  assert.equal(a!.x, b!.x);
});

test("no data still gives an axis, and no bars", () => {
  const layout = layoutBars({ categories: ["a", "b", "c"], series: [{ name: "x", values: [0, 0, 0] }], mode: "grouped" });
  assert.equal(layout.bars.length, 0);
  assert.deepEqual(
    layout.yTicks.map((tick) => tick.value),
    [0, 1],
  );
});

test("thirty days get a handful of x labels, the last day always among them", () => {
  const days = Array.from({ length: 30 }, (_, index) => `day${index}`);
  const layout = layoutBars({ categories: days, series: [], mode: "stacked" });
  assert.deepEqual(
    layout.xLabels.map((label) => label.text),
    ["day0", "day5", "day10", "day15", "day20", "day25", "day29"],
  );
});

test("topSeries keeps the busiest series and adds up the rest as Other", () => {
  const series = [1, 9, 3, 7, 5].map((n) => ({ name: `c${n}`, values: [n, 1] }));
  assert.deepEqual(topSeries(series, 2), [
    { name: "c9", values: [9, 1] },
    { name: "c7", values: [7, 1] },
    { name: "Other", values: [9, 3] },
  ]);
  // One series beyond the limit is shown as itself, not as "Other".
  assert.deepEqual(
    topSeries(series.slice(0, 3), 2).map((entry) => entry.name),
    ["c9", "c3", "c1"],
  );
});
