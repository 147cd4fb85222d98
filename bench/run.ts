// `npm run bench` (and `npm run bench:smoke`): the portal's hot paths under load, on SQLite (and
// PostgreSQL with --postgres or TEST_DATABASE_URL), compared with panva's oidc-provider in the same
// run. See bench/README.md.
import { parseArgs } from "node:util";
import type { TestDatabaseKind } from "../tests/support/db.ts";
import { startOidcProviderTarget } from "./oidc-provider-target.ts";
import { startPortalTarget, type PortalEntry } from "./portal-target.ts";
import { currentLoad, formatTable, writeResults, type TargetReport } from "./report.ts";
import { runScenarios, SCENARIOS, type ScenarioName, type Settings } from "./scenarios.ts";
import type { Target } from "./target.ts";

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    duration: { type: "string" },
    warmup: { type: "string" },
    connections: { type: "string" },
    only: { type: "string" },
    postgres: { type: "boolean", default: false },
    "no-compare": { type: "boolean", default: false },
    compare: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    entry: { type: "string" },
    workers: { type: "string" },
  },
});

const smoke = values.smoke ?? false;
const only = values.only?.split(",").map((name) => name.trim()) ?? [...SCENARIOS];
const unknown = only.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(", ")}; known: ${SCENARIOS.join(", ")}`);
  process.exit(2);
}
const settings: Settings = {
  seconds: Number(values.duration ?? (smoke ? 1 : 5)),
  warmupSeconds: Number(values.warmup ?? (smoke ? 0.5 : 2)),
  connections: values.connections?.split(",").map(Number) ?? (smoke ? [10] : [10, 50]),
  scenarios: only as ScenarioName[],
};
// The smoke run skips the comparison unless asked: it only has to prove every scenario still works.
const compare = smoke ? values.compare === true : values["no-compare"] !== true;
// Both entry points in the smoke run, so neither rots; the full run measures the front (npm start)
// with one and two worker processes unless told otherwise.
const entries = (values.entry?.split(",") ?? (smoke ? ["front", "next"] : ["front"])) as PortalEntry[];
if (entries.some((entry) => entry !== "front" && entry !== "next")) {
  console.error("--entry takes front, next or both");
  process.exit(2);
}
const workerCounts = values.workers?.split(",").map(Number) ?? (smoke ? [1] : [1, 2]);
const portalConfigs: Array<{ entry: PortalEntry; workers: number }> = entries.flatMap(
  (entry): Array<{ entry: PortalEntry; workers: number }> =>
    entry === "front" ? workerCounts.map((workers) => ({ entry, workers })) : [{ entry, workers: 1 }],
);
const databases: TestDatabaseKind[] = ["sqlite"];
if (!smoke && (values.postgres || process.env.TEST_DATABASE_URL)) {
  if (!process.env.TEST_DATABASE_URL) process.env.TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
  databases.push("postgres");
}

const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${line}`);
const loadBefore = currentLoad();
log(
  `bench: ${settings.seconds}s per run after ${settings.warmupSeconds}s warm-up, concurrency ${settings.connections.join(" and ")}; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`,
);
if ((loadBefore[0] ?? 0) > 1) log("warning: the machine is busy (load average > 1); figures will be low and noisy");

async function measureTarget(start: () => Promise<Target>, label: string, only: Settings = settings): Promise<TargetReport> {
  const target = await start();
  log(`${label} is up at ${target.url}`);
  try {
    return { label, results: await runScenarios(target, only, log), notes: target.notes };
  } finally {
    await target.stop();
  }
}

/**
 * The portal: every scenario on a server with BCRYPT_COST=4, and flow-bcrypt on one with 12 (a
 * server re-hashes a password of another cost at sign-in, so one server cannot serve both).
 */
async function measurePortal(database: TestDatabaseKind, entry: PortalEntry, workers: number, label: string): Promise<TargetReport> {
  const cheap = settings.scenarios.filter((scenario) => scenario !== "flow-bcrypt");
  const main = await measureTarget(() => startPortalTarget({ database, entry, workers }), label, { ...settings, scenarios: cheap });
  if (!settings.scenarios.includes("flow-bcrypt")) return main;
  const costly = await measureTarget(() => startPortalTarget({ database, entry, workers, bcryptCost: 12 }), `${label}, BCRYPT_COST=12`, {
    ...settings,
    scenarios: ["flow-bcrypt"],
  });
  return { ...main, results: [...main.results, ...costly.results] };
}

let failures = 0;
let runs = 0;
try {
  const theirs = compare ? await measureTarget(startOidcProviderTarget, "oidc-provider 9.13.3 (in memory)") : undefined;
  for (const database of databases) {
    for (const { entry, workers } of portalConfigs) {
      const label = `portal (${database}, ${entry === "front" ? `npm start, ${workers} worker${workers === 1 ? "" : "s"}` : "next start"})`;
      const ours = await measurePortal(database, entry, workers, label);
      console.log(`\n${formatTable(ours, theirs)}\n`);
      for (const report of [ours]) {
        for (const result of report.results) {
          runs += 1;
          if (result.figures.errors > 0 || result.figures.requests === 0) {
            failures += 1;
            console.log(
              `FAILED: ${report.label} ${result.scenario} c${result.connections}: ${result.figures.errors} errors, ${result.figures.requests} completed ${result.figures.errorSamples.join(" | ")}`,
            );
          }
        }
      }
      if (!smoke && !values["no-write"])
        log(
          `wrote ${writeResults({ database, settings, portal: ours, ...(theirs ? { oidcProvider: theirs } : {}), loadBefore }, smoke, `${entry}-w${workers}`)}`,
        );
    }
  }
  if (theirs) {
    console.log(`${formatTable(theirs)}\n`);
    for (const result of theirs.results) {
      runs += 1;
      if (result.figures.errors > 0 || result.figures.requests === 0) {
        failures += 1;
        console.log(`FAILED: ${theirs.label} ${result.scenario} c${result.connections}: ${result.figures.errors} errors`);
      }
    }
  }
} catch (error) {
  console.error(error);
  failures += 1;
}

const total = ((performance.now() - started) / 1000).toFixed(1);
if (failures > 0) {
  console.log(`bench${smoke ? " smoke" : ""}: FAILED (${failures} of ${runs} runs had errors or did not run) in ${total}s`);
  process.exit(1);
}
console.log(`bench${smoke ? " smoke" : ""}: OK, ${runs} runs, 0 errors, in ${total}s`);
process.exit(0);
