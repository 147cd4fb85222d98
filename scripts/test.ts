// `npm test`: every check, in order, with one summary line at the end.
//   type check → lint → formatting → migration drift → unit → build → integration (SQLite) →
//   integration (PostgreSQL, when TEST_DATABASE_URL is set) → end-to-end in Chromium (SQLite, and
//   PostgreSQL when TEST_DATABASE_URL is set) → benchmark smoke run
// Later stages run even when an earlier one fails, so one run shows everything that is wrong.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createTestDatabase } from "../tests/support/db.ts";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function run(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const tee = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", tee(process.stdout));
    child.stderr.on("data", tee(process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

function banner(title: string): void {
  console.log(`\n━━ ${title} ${"━".repeat(Math.max(3, 70 - title.length))}`);
}

/** A check that is one pass or one failure (type check, lint, build). */
async function check(title: string, command: string, args: readonly string[]): Promise<boolean> {
  banner(title);
  const { code } = await run(command, args);
  if (code === 0) total.passed += 1;
  else {
    total.failed += 1;
    failures.push(title);
  }
  return code === 0;
}

function testFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .sort()
    .map((file) => path.join(dir, file));
}

/** Node's test runner over a folder; its tests are counted by scripts/test-counts-reporter.mjs. */
async function nodeTests(title: string, dir: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
  banner(title);
  const files = testFiles(dir);
  if (files.length === 0) {
    console.log(`no test files in ${dir}`);
    return;
  }
  mkdirSync(path.join(root, "test-results"), { recursive: true });
  const countsFile = path.join(root, "test-results", `${dir.replace(/\W+/g, "-")}-${env.TEST_DB_KIND ?? "run"}.json`);
  rmSync(countsFile, { force: true });
  const reporters = [
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/test-counts-reporter.mjs",
    `--test-reporter-destination=${countsFile}`,
  ];
  const { code } = await run(process.execPath, ["--import", "tsx", "--test", ...reporters, "--test-concurrency=1", ...files], env);
  const reported = existsSync(countsFile)
    ? (JSON.parse(readFileSync(countsFile, "utf8")) as { passed: number; failed: number; cancelled: number; skipped: number; todo: number })
    : undefined;
  const counts = {
    passed: reported?.passed ?? 0,
    failed: (reported?.failed ?? 0) + (reported?.cancelled ?? 0),
    skipped: (reported?.skipped ?? 0) + (reported?.todo ?? 0),
  };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // the runner itself failed
  add(title, counts);
}

function add(title: string, counts: Counts): void {
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  if (counts.failed > 0) failures.push(`${title} (${counts.failed} failed)`);
}

async function e2e(kind: "SQLite" | "PostgreSQL", env: Readonly<Record<string, string>> = {}): Promise<void> {
  banner(`End-to-end in Chromium on ${kind} (Playwright)`);
  const report = path.join(root, "test-results/playwright.json");
  rmSync(report, { force: true });
  const { code } = await run(bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: report, ...env });
  const stats = existsSync(report)
    ? (JSON.parse(readFileSync(report, "utf8")) as { stats?: { expected?: number; unexpected?: number; flaky?: number; skipped?: number } })
        .stats
    : undefined;
  const counts = {
    passed: (stats?.expected ?? 0) + (stats?.flaky ?? 0),
    failed: stats?.unexpected ?? 0,
    skipped: stats?.skipped ?? 0,
  };
  // A journey that failed and then passed on its retry (playwright.config.ts) is said, not hidden.
  if (stats?.flaky) console.log(`${stats.flaky} end-to-end test(s) on ${kind} passed only on their retry (flaky): see the list above.`);
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  add(`End-to-end on ${kind}`, counts);
}

/** The end-to-end journeys once more, against a fresh PostgreSQL database. */
async function e2eOnPostgres(): Promise<void> {
  const database = await createTestDatabase("postgres");
  try {
    await e2e("PostgreSQL", { E2E_DATABASE_URL: database.url });
  } finally {
    await database.drop();
  }
}

const started = Date.now();
await check("Type check", bin("tsc"), ["--noEmit", "-p", "."]);
await check("Lint", bin("eslint"), ["--max-warnings=0", "."]);
await check("Formatting (prettier --check; npm run format fixes it)", bin("prettier"), ["--check", "."]);
await check("Migrations match the schema", process.execPath, ["--import", "tsx", "scripts/db.ts", "check"]);
await nodeTests("Unit tests", "tests/unit");
const built = await check("Production build", process.execPath, ["node_modules/next/dist/bin/next", "build"]);
if (built) {
  await nodeTests("Integration tests on SQLite", "tests/integration", { TEST_DB_KIND: "sqlite" });
  if (process.env.TEST_DATABASE_URL) {
    await nodeTests("Integration tests on PostgreSQL", "tests/integration", { TEST_DB_KIND: "postgres" });
  } else {
    banner("Integration tests on PostgreSQL");
    console.log("SKIPPED: the PostgreSQL suite did not run because TEST_DATABASE_URL is not set.");
    console.log("         Set it to a server URL whose role may create databases, e.g. postgresql://postgres@127.0.0.1:5432/postgres");
  }
  await e2e("SQLite");
  if (process.env.TEST_DATABASE_URL) await e2eOnPostgres();
  // Keeps the benchmark from rotting: every scenario once, briefly, no thresholds.
  await check("Benchmark smoke run", process.execPath, ["--import", "tsx", "bench/run.ts", "--smoke"]);
} else {
  console.log("\nThe build failed: integration and end-to-end tests were not run.");
  total.failed += 1;
}

banner("Summary");
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (failures.length > 0) console.log(`Failed: ${failures.join("; ")}`);
console.log(`Finished in ${minutes} min.`);
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
