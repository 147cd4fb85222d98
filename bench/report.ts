// The results as a table on stdout and as a small JSON file under bench/results/.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import type { ScenarioResult, Settings } from "./scenarios.ts";

export interface TargetReport {
  readonly label: string;
  readonly results: readonly ScenarioResult[];
  readonly notes: readonly string[];
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Throughput ratio, ours / theirs: above 1 means the portal is faster. */
function ratio(ours: ScenarioResult, theirs: readonly ScenarioResult[] | undefined): number | null {
  const match = theirs?.find((r) => r.scenario === ours.scenario && r.connections === ours.connections);
  return match && match.figures.perSecond > 0 ? ours.figures.perSecond / match.figures.perSecond : null;
}

export function formatTable(report: TargetReport, comparison?: TargetReport): string {
  const header = [
    "scenario",
    "conc",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "CPU ms/req",
    "load CPU",
    "peak RSS MB",
    ...(comparison ? ["theirs req/s", "ratio"] : []),
  ];
  const rows = report.results.map((r) => {
    const f = r.figures;
    const theirs = comparison?.results.find((t) => t.scenario === r.scenario && t.connections === r.connections);
    const x = ratio(r, comparison?.results);
    return [
      r.scenario,
      String(r.connections),
      f.perSecond >= 100 ? f.perSecond.toFixed(0) : f.perSecond.toFixed(1),
      f.p50Ms.toFixed(1),
      f.p99Ms.toFixed(1),
      String(f.errors),
      f.cpuMsPerRequest.toFixed(2),
      f.loadCpuMsPerRequest.toFixed(2),
      f.peakRssMb.toFixed(0),
      ...(comparison ? [theirs ? theirs.figures.perSecond.toFixed(0) : "n/a", x === null ? "n/a" : x.toFixed(2)] : []),
    ]
      .concat(f.poolLimited ? ["(pool ran out: shorter run)"] : [])
      .concat(f.refused ? [`(${f.refused} steps refused for overload, sent again after Retry-After)`] : []);
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [`== ${report.label}`, line(header), ...rows.map(line), ...report.notes.map((note) => `   ${note}`)].join("\n");
}

export interface ResultFile {
  readonly database: string;
  readonly settings: Settings;
  readonly portal: TargetReport;
  readonly oidcProvider?: TargetReport;
  readonly loadBefore: readonly number[];
}

/** Writes bench/results/<date>-<database>-<variant>[-smoke].json; returns its path. */
export function writeResults(file: ResultFile, smoke: boolean, variant: string): string {
  const date = new Date().toISOString().slice(0, 10);
  const dir = path.join(process.cwd(), "bench", "results");
  mkdirSync(dir, { recursive: true });
  // A second run on the same day is kept beside the first (…-run2.json), never over it.
  const name = (run: number) => `${date}-${file.database}-${variant}${run > 1 ? `-run${run}` : ""}${smoke ? "-smoke" : ""}.json`;
  let run = 1;
  while (existsSync(path.join(dir, name(run)))) run += 1;
  const target = path.join(dir, name(run));
  const compact = (report: TargetReport | undefined) =>
    report && {
      label: report.label,
      notes: report.notes,
      results: report.results.map((r) => ({
        scenario: r.scenario,
        connections: r.connections,
        perSecond: round(r.figures.perSecond),
        p50Ms: round(r.figures.p50Ms),
        p99Ms: round(r.figures.p99Ms),
        errors: r.figures.errors,
        cpuMsPerRequest: round(r.figures.cpuMsPerRequest, 2),
        loadCpuMsPerRequest: round(r.figures.loadCpuMsPerRequest, 2),
        peakRssMb: round(r.figures.peakRssMb, 0),
        requests: r.figures.requests,
        ...(r.figures.refused ? { refused: r.figures.refused } : {}),
        seconds: round(r.figures.seconds, 2),
        ...(file.oidcProvider
          ? {
              ratio: (() => {
                const x = ratio(r, file.oidcProvider?.results);
                return x === null ? null : round(x, 2);
              })(),
            }
          : {}),
      })),
    };
  const json = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? "unknown",
      node: process.version,
      loadBefore: file.loadBefore.map((l) => round(l, 2)),
    },
    database: file.database,
    settings: file.settings,
    portal: compact(file.portal),
    ...(file.oidcProvider ? { oidcProvider: compact(file.oidcProvider) } : {}),
  };
  writeFileSync(target, `${JSON.stringify(json, null, 1)}\n`);
  return target;
}

export function currentLoad(): number[] {
  return loadavg();
}
