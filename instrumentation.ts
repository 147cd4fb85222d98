// Runs once when the server starts (Next.js instrumentation): the periodic purge of expired rows
// and the watcher that spreads changes made on other instances (lib/server/background.ts).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/server/background");
  startBackgroundWork();
}
