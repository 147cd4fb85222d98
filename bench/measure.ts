// One measured run: autocannon (or the flow loop) against a target, with the server's CPU time
// and peak resident memory read from /proc around it.
import autocannon from "autocannon";
import { cpuMs, listenerPid, processTree, sampleRss } from "./proc.ts";
import type { Flow, Target } from "./target.ts";

export interface RunFigures {
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly cpuMsPerRequest: number;
  /** CPU of the bench process itself (load generator, checks) per request: it shares the cores. */
  readonly loadCpuMsPerRequest: number;
  readonly peakRssMb: number;
  /** The run ended before its duration because its pool of codes or tokens ran out. */
  readonly poolLimited: boolean;
  /** Flows only: steps the server refused for overload (503, Retry-After) and the client sent again. */
  readonly refused?: number;
  readonly errorSamples: readonly string[];
}

/** Checks one response; returns a description of what is wrong, or null. */
export type ResponseCheck = (status: number, body: string) => string | null;

export interface LoadSpec {
  readonly connections: number;
  readonly seconds: number;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The body of each request; for consuming scenarios it pulls the next code or token. */
  readonly body?: () => string;
  /** The bearer token of each request (userinfo). */
  readonly bearer?: () => string;
  /** At most this many requests (the pool size), so a request never reuses a consumed value. */
  readonly maxRequests?: number;
  readonly check: ResponseCheck;
}

interface ServerSampler {
  finish(requests: number): { cpuMsPerRequest: number; loadCpuMsPerRequest: number; peakRssMb: number };
}

/** CPU over the whole tree the bench started; memory of the serving process and its children. */
function sampleServer(target: Target): ServerSampler {
  const cpuPids = processTree(target.rootPid);
  const serving = listenerPid(Number(new URL(target.url).port)) ?? target.rootPid;
  const cpuBefore = cpuMs(cpuPids);
  const ownBefore = process.cpuUsage();
  const rss = sampleRss(serving);
  return {
    finish(requests) {
      const peak = rss.stop();
      const used = cpuMs(processTree(target.rootPid)) - cpuBefore;
      const own = process.cpuUsage(ownBefore);
      const perRequest = (ms: number) => (requests > 0 ? ms / requests : 0);
      return {
        cpuMsPerRequest: perRequest(used),
        loadCpuMsPerRequest: perRequest((own.user + own.system) / 1000),
        peakRssMb: peak / (1024 * 1024),
      };
    },
  };
}

export async function runLoad(target: Target, spec: LoadSpec): Promise<RunFigures> {
  let wrong = 0;
  const samples: string[] = [];
  const noteWrong = (problem: string) => {
    wrong += 1;
    if (samples.length < 3) samples.push(problem.slice(0, 240));
  };
  const { body, bearer } = spec;
  const request: autocannon.Request = {
    method: spec.method,
    path: spec.path,
    headers: { ...spec.headers },
    ...(body || bearer
      ? {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            ...(body ? { body: body() } : {}),
            ...(bearer ? { headers: { ...req.headers, authorization: `Bearer ${bearer()}` } } : {}),
          }),
        }
      : {}),
    onResponse: (status: number, responseBody: string) => {
      const problem = spec.check(status, responseBody);
      if (problem) noteWrong(`${status} ${problem}`);
    },
  };
  const sampler = sampleServer(target);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections: spec.connections,
        duration: spec.seconds,
        ...(spec.maxRequests !== undefined ? { amount: spec.maxRequests } : {}),
        requests: [request],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    // `amount` overrides `duration` in autocannon: the timer keeps the run time-bound.
    if (spec.maxRequests !== undefined) setTimeout(() => instance.stop(), spec.seconds * 1000).unref();
  });
  const seconds = (performance.now() - started) / 1000;
  const requests = result.requests.total;
  const server = sampler.finish(requests);
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: wrong + result.errors + result.timeouts,
    ...server,
    poolLimited: spec.maxRequests !== undefined && seconds < spec.seconds * 0.95,
    errorSamples: samples,
  };
}

/** Runs `flow` in `concurrency` loops for `seconds`; each completed flow counts as one. */
export async function runFlows(target: Target, flow: Flow, concurrency: number, seconds: number): Promise<RunFigures> {
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  let refused = 0;
  // A step refused for overload is sent again after the server's Retry-After, as a person does:
  // the wait is part of that flow's time, and the refusal is counted, not an error.
  const browser = {
    onRefused: () => {
      refused += 1;
      return true;
    },
  };
  const sampler = sampleServer(target);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const begin = performance.now();
      try {
        await flow(browser);
        latencies.push(performance.now() - begin);
      } catch (error) {
        errors += 1;
        if (samples.length < 3) samples.push(String(error).slice(0, 240));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    errors,
    ...sampler.finish(latencies.length),
    poolLimited: false,
    refused,
    errorSamples: samples,
  };
}
