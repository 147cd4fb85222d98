// Runs once when the server starts (Next.js instrumentation): the periodic purge of expired rows.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startPurging } = await import("./lib/server/purge-timer");
  startPurging();
}
