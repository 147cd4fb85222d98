// bcryptjs is pure JavaScript: one cost-12 hash holds its thread for about 250 ms. Run on the
// server's only event loop, every sign-in would stall every other request for that long, so the
// work goes to worker threads. Workers are referenced only while they have work, so a command
// line tool still exits when it is done. If a worker cannot start (say, a bundle without
// node_modules), the work runs on the calling thread as before.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import bcrypt from "bcryptjs";
import { processState } from "../process-state.ts";

type Job = { op: "compare"; password: string; hash: string } | { op: "hash"; password: string; cost: number };
type Settle = { resolve: (value: unknown) => void; reject: (error: Error) => void };

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const bcrypt = require("bcryptjs");
parentPort.on("message", ({ id, job }) => {
  try {
    const result = job.op === "compare" ? bcrypt.compareSync(job.password, job.hash) : bcrypt.hashSync(job.password, job.cost);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

interface PoolWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Settle>;
}

interface Pool {
  workers: PoolWorker[] | undefined;
  /** A worker failed: hash on the calling thread from then on. */
  broken: boolean;
  nextId: number;
}

// One pool per process, however many bundles load this module (docs/architecture.md "Process state").
const pool = (): Pool => processState<Pool>("bcrypt-pool", () => ({ workers: undefined, broken: false, nextId: 0 }));

function startWorkers(): PoolWorker[] {
  const size = Math.max(1, availableParallelism() - 1);
  return Array.from({ length: size }, () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.unref();
    worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      const settle = entry.pending.get(id);
      entry.pending.delete(id);
      if (entry.pending.size === 0) worker.unref();
      if (error !== undefined) settle?.reject(new Error(error));
      else settle?.resolve(result);
    });
    worker.on("error", (error) => {
      if (!pool().broken) console.warn(`bcrypt worker failed (${error.message}); hashing on the main thread from now on`);
      pool().broken = true;
      for (const settle of entry.pending.values()) settle.reject(error);
      entry.pending.clear();
    });
    return entry;
  });
}

function runInline(job: Job): unknown {
  return job.op === "compare" ? bcrypt.compareSync(job.password, job.hash) : bcrypt.hashSync(job.password, job.cost);
}

async function run(job: Job): Promise<unknown> {
  const state = pool();
  if (state.broken) return runInline(job);
  state.workers ??= startWorkers();
  const entry = state.workers.reduce((least, candidate) => (candidate.pending.size < least.pending.size ? candidate : least));
  const id = state.nextId++;
  try {
    return await new Promise((resolve, reject) => {
      entry.pending.set(id, { resolve, reject });
      entry.worker.ref();
      entry.worker.postMessage({ id, job });
    });
  } catch (error) {
    // The worker died under us: fall back rather than fail the sign-in.
    if (!state.broken) console.warn(`bcrypt worker unavailable (${(error as Error).message}); hashing on the main thread`);
    state.broken = true;
    return runInline(job);
  }
}

export async function bcryptCompare(password: string, hash: string): Promise<boolean> {
  return (await run({ op: "compare", password, hash })) === true;
}

export async function bcryptHash(password: string, cost: number): Promise<string> {
  return String(await run({ op: "hash", password, cost }));
}
