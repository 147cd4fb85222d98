// Work a request starts but does not wait for: looking an account up and mailing it a link. The
// answer is sent first, so it takes as long whether or not the account exists, and a slow mail
// relay never holds a page. Pages pass Next.js's `after` (run once the response is sent); the
// default runs the task on the next turn of the event loop. A failure is logged, never thrown.
import { processState } from "../process-state.ts";

export type Defer = (task: () => Promise<unknown>) => void;

const pending = processState("deferred-tasks", () => new Set<Promise<unknown>>());

function guarded(task: () => Promise<unknown>): Promise<void> {
  return task().then(
    () => undefined,
    (error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`background task failed: ${reason.split("\n")[0]}\n`);
    },
  );
}

export const runSoon: Defer = (task) => {
  const running = new Promise<void>((resolve) => setImmediate(() => resolve(guarded(task))));
  pending.add(running);
  void running.finally(() => pending.delete(running));
};

/** Wraps a scheduler (such as `after`) so that failures are logged rather than thrown. */
export function deferWith(schedule: (task: () => Promise<void>) => void): Defer {
  return (task) => schedule(() => guarded(task));
}

/** Resolves once every task started with runSoon has finished (for the command line and tests). */
export async function settleDeferred(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}
