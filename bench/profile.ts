// Profiles the portal under one scenario at a time: starts it with a CPU-profiler preload (what
// `node --cpu-prof` does; Node 20 refuses that flag in NODE_OPTIONS, see bench/cpu-profiler.mjs),
// runs the scenario, stops the server so the profile is written, and prints the summary of the
// serving process's profile. Raw profiles stay in a temp
// folder (never committed). Usage: tsx bench/profile.ts [--duration 5] [--only token-code,...]
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startPortalTarget } from "./portal-target.ts";
import { listenerPid } from "./proc.ts";
import { formatSummary, monotonicUs, summarizeProfile, type Window } from "./profile-summary.ts";
import { runScenarios, SCENARIOS, type ScenarioName } from "./scenarios.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    only: { type: "string", default: "token-code,token-refresh,introspection,discovery" },
    keep: { type: "boolean", default: false },
  },
});
const scenarios = values.only.split(",").filter((name): name is ScenarioName => (SCENARIOS as readonly string[]).includes(name));

for (const scenario of scenarios) {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-cpuprof-"));
  const target = await startPortalTarget({
    database: "sqlite",
    env: { NODE_OPTIONS: `--import=${path.join(process.cwd(), "bench/cpu-profiler.mjs")}`, BENCH_CPU_PROFILE_DIR: dir },
  });
  let requests = 0;
  let window: Window | undefined;
  // The serving process (next-server) is the one listening; a rebuild or the launchers write
  // profiles of their own, which are ignored.
  const serving = listenerPid(Number(new URL(target.url).port));
  try {
    // A first run loads and JITs the route's modules; only the second is summarised.
    const settings = { seconds: Number(values.duration), warmupSeconds: 0, connections: [10], scenarios: [scenario] };
    await runScenarios(target, { ...settings, seconds: 1 }, () => {});
    const startUs = monotonicUs();
    const results = await runScenarios(target, settings, () => {});
    window = { startUs, endUs: monotonicUs() };
    requests = results.reduce((sum, r) => sum + r.figures.requests, 0);
  } finally {
    await target.stop();
  }
  const file = path.join(dir, `${serving}.cpuprofile`);
  console.log(`\n### ${scenario} (concurrency 10, ${values.duration}s after a 1 s priming run; profile of next-server)`);
  if (!existsSync(file)) console.log("no profile was written (did next-server exit cleanly?)");
  else console.log(formatSummary(summarizeProfile(file, 25, window), requests));
  if (values.keep) console.log(`profiles kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
