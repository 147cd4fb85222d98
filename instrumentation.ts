// Next.js instrumentation: runs in the server process.
// - register: once at start, the periodic purge of expired rows and the watcher that spreads
//   changes made on other instances (lib/server/background.ts).
// - onRequestError: a page, action or handler that failed because the database was unavailable
//   is noted for the front, which answers it 503 with Retry-After instead of 500 (lib/front).
import type { Instrumentation } from "next";

export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/server/background");
  startBackgroundWork();
}

export const onRequestError: Instrumentation.onRequestError = async (error, request) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ isDatabaseUnavailable }, { noteOutage }] = await Promise.all([import("./lib/db/unavailable"), import("./lib/front/state")]);
  if (isDatabaseUnavailable(error)) noteOutage(request.headers);
};
