// The server process of `npm start` (scripts/start.mjs runs it once the portal is prepared): the
// front (lib/front/front.ts) on node:http, the JSON protocol endpoints' own route handlers, and
// Next.js behind them through its custom-server API for everything else. With WEB_CONCURRENCY=N,
// N such processes share the port (node:cluster); the primary only supervises them.
import cluster from "node:cluster";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { loadEnvFiles } from "../lib/env-files.ts";
import { getConfig } from "../lib/env.ts";
import { createFront, type RouteHandler, type RouteTable } from "../lib/front/front.ts";
import { createGate } from "../lib/front/gate.ts";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
// Before the configuration is read: .env files as `next start` reads them.
loadEnvFiles("production", root);
const config = getConfig();
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The endpoints served straight from their route files: the machine-to-machine JSON endpoints,
 * where Next.js's own request handling would cost more than the endpoint's work. A method a file
 * does not export (HEAD, PUT…) still goes to Next.js, which answers it as under `next start`.
 */
async function routeTable(): Promise<RouteTable> {
  const files: Record<string, Promise<Record<string, unknown>>> = {
    "/oauth/token": import("../app/oauth/token/route.ts"),
    "/oauth/introspect": import("../app/oauth/introspect/route.ts"),
    "/oauth/revoke": import("../app/oauth/revoke/route.ts"),
    "/oauth/userinfo": import("../app/oauth/userinfo/route.ts"),
    "/oauth/jwks": import("../app/oauth/jwks/route.ts"),
    "/.well-known/openid-configuration": import("../app/.well-known/openid-configuration/route.ts"),
    "/.well-known/oauth-authorization-server": import("../app/.well-known/oauth-authorization-server/route.ts"),
  };
  const table = new Map<string, Map<string, RouteHandler>>();
  for (const [route, module] of Object.entries(files)) {
    const exported = await module;
    const methods = new Map<string, RouteHandler>();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      const handler = exported[method];
      if (typeof handler === "function") methods.set(method, handler as RouteHandler);
    }
    table.set(route, methods);
  }
  return table;
}

async function serve(): Promise<void> {
  const app = next({ dev: false, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const front = createFront({
    origin: new URL(config.issuer).origin,
    allowedHosts: config.front.allowedHosts,
    trustProxy: config.front.trustProxy,
    gate: createGate({
      concurrency: config.front.maxConcurrentRequests,
      queueLength: config.front.maxConcurrentRequests * 4,
      maxWaitMs: config.front.requestQueueSeconds * 1000,
    }),
    routes: await routeTable(),
    next: (request, response) => nextHandler(request, response),
    accessLog: config.front.accessLog ? (line) => process.stdout.write(`${line}\n`) : undefined,
    publicDocuments: new Set(["/oauth/jwks", "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]),
  });

  const server = createServer(front);
  server.keepAliveTimeout = config.front.keepAliveTimeoutSeconds * 1000;
  // A client gets 15 s to send its headers and 30 s for the whole request, so slow senders cannot
  // hold connections open (Slowloris); the keep-alive timeout above governs idle connections.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Finish what is in flight, take nothing new; give up after a grace period.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

function supervise(workers: number): void {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that died is replaced; the others served meanwhile.
    console.error(`[serve] worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + 1000).unref();
    });
  }
}

if (config.front.workers > 1 && cluster.isPrimary) {
  supervise(config.front.workers);
} else {
  await serve().catch((error: unknown) => {
    console.error("The server could not start:", error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
