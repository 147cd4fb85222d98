// Summarises a V8 .cpuprofile (from node --cpu-prof): self time per function and per module, the
// "where the time goes" tables in bench/README.md. Usage: tsx bench/profile-summary.ts <file> [top]
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Sampled time in ms, excluding idle. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: ReadonlyArray<{ readonly name: string; readonly where: string; readonly selfMs: number }>;
  readonly modules: ReadonlyArray<{ readonly module: string; readonly selfMs: number }>;
}

/** Where a frame comes from: a package, the app's bundled server chunks, Node itself. */
function moduleOf(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native / V8)";
  const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nodeModules?.[1]) return nodeModules[1];
  if (url.startsWith("node:")) return url;
  if (url.includes("/.next/")) {
    const chunk = url.slice(url.indexOf("/.next/") + 1);
    return chunk.includes("[externals]") ? "next (externals)" : `app bundle: ${path.basename(chunk)}`;
  }
  return url.replace(/^file:\/\//, "").replace(`${process.cwd()}/`, "");
}

/** Sample times are CLOCK_MONOTONIC microseconds, the clock of process.hrtime in any process. */
export interface Window {
  readonly startUs: number;
  readonly endUs: number;
}

export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function summarizeProfile(file: string, top = 25, window?: Window): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const functions = new Map<string, { name: string; where: string; selfMs: number }>();
  const modules = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const ms = us / 1000;
    if (frame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const where = frame.url ? `${moduleOf(frame.url, frame.functionName)}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: frame.functionName || "(anonymous)", where, selfMs: 0 };
    entry.selfMs += ms;
    functions.set(key, entry);
    const origin = moduleOf(frame.url, frame.functionName);
    modules.set(origin, (modules.get(origin) ?? 0) + ms);
  }
  return {
    busyMs,
    idleMs,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top),
    modules: [...modules]
      .map(([module, selfMs]) => ({ module, selfMs }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 15),
  };
}

export function formatSummary(summary: ProfileSummary, requests?: number): string {
  const pct = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1)}%`;
  const perRequest = (ms: number) => (requests ? ` ${(ms / requests).toFixed(3)} ms/req` : "");
  return [
    `busy ${summary.busyMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms${requests ? `, ${requests} requests: ${(summary.busyMs / requests).toFixed(2)} ms/req on the main thread` : ""}`,
    "self time by module:",
    ...summary.modules.map((m) => `  ${pct(m.selfMs).padStart(6)}${perRequest(m.selfMs)}  ${m.module}`),
    "top functions by self time:",
    ...summary.functions.map((f) => `  ${pct(f.selfMs).padStart(6)}${perRequest(f.selfMs)}  ${f.name}  ${f.where}`),
  ].join("\n");
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(formatSummary(summarizeProfile(file, Number(process.argv[3] ?? 25))));
}
