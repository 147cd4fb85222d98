// The relying party's own web server, reduced to what a test needs: it records every URL the
// browser brings to it (callbacks, post-logout returns) so the client library can read them.
import { createServer, type Server } from "node:http";

// E2E_APP_PORT lets two runs of the journeys share a machine.
export const APP_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_APP_PORT ?? 39599)}`;

export interface AppServer {
  /** The next URL the browser requested at `url` (query aside), waiting for it if need be. */
  next(url: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const seen: URL[] = [];
  let wake: (() => void) | undefined;
  const server: Server = createServer((request, response) => {
    seen.push(new URL(request.url ?? "/", APP_ORIGIN));
    wake?.();
    response.writeHead(200, { "Content-Type": "text/plain", Connection: "close" }).end("back at the app");
  });
  await new Promise<void>((resolve) => server.listen(Number(new URL(APP_ORIGIN).port), "127.0.0.1", resolve));
  return {
    async next(url) {
      // Browsers also fetch things of their own (a favicon): only the page asked for counts.
      const wanted = new URL(url);
      for (;;) {
        const found = seen.findIndex((seenUrl) => seenUrl.origin + seenUrl.pathname === wanted.origin + wanted.pathname);
        if (found !== -1) return seen.splice(found, 1)[0]!;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    // The browser may still hold a keep-alive connection: close it, or close() would wait for it.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
