// SQLite's WAL checkpoints, off the event loop. In WAL mode a commit appends to the -wal file;
// a checkpoint copies those pages back into the database file and fsyncs it. By default the
// connection that commits runs the checkpoint itself whenever the WAL passes 1,000 pages, inside
// that commit: on the server's only event loop, where every request in flight waits for it.
// Measured on this project's machines (3-row transactions like a token request's): commits took
// 0.27 ms at the median and 33 ms at the 99th percentile with those checkpoints (up to 136 ms),
// 0.29 and 0.63 ms without. So the server's own connection never checkpoints
// (`wal_autocheckpoint = 0`); a worker thread with a connection of its own runs a PASSIVE
// checkpoint a few times a second, which never waits for readers or writers. Should the thread
// fail, the connection goes back to SQLite's own checkpoints: slower, never a growing WAL.
import { Worker } from "node:worker_threads";
import { processState } from "../process-state.ts";

/** SQLite's default: checkpoint on commit once the WAL holds this many pages. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
export const CHECKPOINT_INTERVAL_MS = 200;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
const checkpoint = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // Another process's checkpoint is running (WEB_CONCURRENCY): it does the same work.
    if (error.code !== "SQLITE_BUSY" && error.code !== "SQLITE_LOCKED") throw error;
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
// The last connection of the process closed: close this one too, so that nothing holds the file
// (the migration engine locks it exclusively).
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  process.exit(0);
});`;

/** What the checkpointer needs of the server's connection: a way to set its own checkpoints. */
export type SetAutocheckpoint = (pages: number) => void;

interface Checkpointer {
  readonly worker: Worker | undefined;
  /** The connections on this file that gave up their own checkpoints. */
  readonly connections: Set<SetAutocheckpoint>;
}

const checkpointers = () => processState("sqlite-checkpointers", () => new Map<string, Checkpointer>());

/**
 * Moves the checkpoints of the database file at `file` to a background thread (one per file and
 * process), and turns them off on the connection `setAutocheckpoint` configures. Returns what to
 * call when that connection closes (the thread ends with the file's last connection), or
 * undefined, changing nothing, when no thread could be started.
 */
export function checkpointInBackground(file: string, setAutocheckpoint: SetAutocheckpoint): (() => Promise<void>) | undefined {
  if (file === "" || file.startsWith(":memory:")) return undefined;
  const all = checkpointers();
  let entry = all.get(file);
  if (!entry) {
    entry = { worker: startWorker(file), connections: new Set() };
    all.set(file, entry);
  }
  if (!entry.worker) return undefined;
  setAutocheckpoint(0);
  const { worker, connections } = entry;
  connections.add(setAutocheckpoint);
  return async () => {
    connections.delete(setAutocheckpoint);
    if (connections.size > 0 || all.get(file)?.worker !== worker) return;
    all.delete(file);
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // Held by the caller until it is gone (an unreferenced thread would not keep the process
    // waiting for it).
    worker.ref();
    worker.postMessage("close");
    await exited;
  };
}

function startWorker(file: string): Worker | undefined {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  } catch (error) {
    console.warn(`[db] SQLite checkpoints stay on the server's thread: ${(error as Error).message}`);
    return undefined;
  }
  // It must never keep a command-line tool alive.
  worker.unref();
  const giveUp = (reason: string) => {
    const entry = checkpointers().get(file);
    if (!entry || entry.worker !== worker) return;
    console.warn(`[db] the SQLite checkpoint thread stopped (${reason}); the connection checkpoints itself again`);
    checkpointers().set(file, { worker: undefined, connections: new Set() });
    for (const setAutocheckpoint of entry.connections) {
      try {
        setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
      } catch {
        // A connection closed meanwhile: a new one will not give up its checkpoints.
      }
    }
  };
  worker.on("error", (error) => giveUp(error.message));
  worker.on("exit", (code) => giveUp(`exit code ${code}`));
  return worker;
}
