// `npx tsx bench/overload.ts [--connections 200] [--duration 10]`: many browsers loading the
// sign-in page at once, against `npm start` on a fresh SQLite database. Reports how many pages
// were served and how many refused with 503 (the front's bound on queued work, lib/front/gate.ts),
// and how long the slowest answers took. Figures only, no thresholds (bench/README.md).
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createTestDatabase } from "../tests/support/db.ts";
import { startPortal } from "../tests/support/portal.ts";

const { values } = parseArgs({
  options: { connections: { type: "string" }, duration: { type: "string" }, env: { type: "string", multiple: true } },
});
const connections = Number(values.connections ?? 200);
const duration = Number(values.duration ?? 10);
const extraEnv = Object.fromEntries((values.env ?? []).map((pair) => pair.split("=", 2) as [string, string]));

const database = await createTestDatabase("sqlite");
const portal = await startPortal({ databaseUrl: database.url, env: extraEnv });
try {
  const statuses = new Map<number, number>();
  const result = await autocannon({
    url: `${portal.url}/login`,
    connections,
    duration,
    headers: { accept: "text/html" },
    requests: [{ method: "GET", onResponse: (status: number) => void statuses.set(status, (statuses.get(status) ?? 0) + 1) }],
  });
  const served = statuses.get(200) ?? 0;
  const refused = statuses.get(503) ?? 0;
  const other = [...statuses].filter(([status]) => status !== 200 && status !== 503);
  console.log(`GET /login, ${connections} connections for ${duration} s, settings ${JSON.stringify(extraEnv)}`);
  console.log(
    `served 200: ${served} (${(served / duration).toFixed(0)}/s); refused 503: ${refused}; other: ${JSON.stringify(other)}; transport errors ${result.errors}, timeouts ${result.timeouts}`,
  );
  console.log(`latency ms: p50 ${result.latency.p50}, p90 ${result.latency.p90}, p99 ${result.latency.p99}, max ${result.latency.max}`);
} finally {
  await portal.stop();
  await database.drop();
}
