// A node:test reporter (https://nodejs.org/api/test.html#custom-reporters) for scripts/test.ts:
// counts the run's tests from the runner's own events and writes them as one JSON object, so the
// summary never depends on the wording of the human-readable output.
export default async function* testCounts(source) {
  const counts = { passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0 };
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { data } = event;
    // Suites report their own outcome besides their tests'; only tests are counted, as the
    // runner's own summary does (a suite whose hook threw has its tests cancelled).
    if (data.details?.type === "suite") continue;
    if (event.type === "test:pass") {
      if (data.skip !== undefined) counts.skipped += 1;
      else if (data.todo !== undefined) counts.todo += 1;
      else counts.passed += 1;
      continue;
    }
    const failureType = data.details?.error?.failureType;
    if (data.todo !== undefined) counts.todo += 1;
    else if (failureType === "cancelledByParent") counts.cancelled += 1;
    else counts.failed += 1;
  }
  yield `${JSON.stringify(counts)}\n`;
}
