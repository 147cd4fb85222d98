// Starts the real portal the way a user does (`npm start` → scripts/start.mjs → `next start`) on a
// free loopback port with its own data folder and database, and stops it again.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RunningPortal {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
  /** Kills it at once (SIGKILL to its process group), as a crash would; the data folder stays. */
  crash(): Promise<void>;
}

export interface PortalOptions {
  readonly databaseUrl: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Reuse a data folder (to start the same portal twice). */
  readonly dataDir?: string;
  /**
   * Run `next start` alone, as a process manager that bypasses `npm start` would: no build,
   * migrations or start-up checks (the database must have been prepared by an earlier start).
   */
  readonly serverOnly?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const ROOT = process.cwd();
/** What a portal on PostgreSQL gets unless the test sets PORTAL_SECRET itself. */
export const TEST_PORTAL_SECRET = "test-portal-secret-of-at-least-32-characters";

/**
 * The portal (and its command line) refuses PostgreSQL without PORTAL_SECRET, since several
 * instances may share it; SQLite generates one in DATA_DIR. A test may set its own, or "" for none.
 */
export function defaultPortalSecret(databaseUrl: string): Record<string, string> {
  return databaseUrl.startsWith("file:") ? {} : { PORTAL_SECRET: TEST_PORTAL_SECRET };
}
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/** Runs scripts/start.mjs as `npm start` does; resolves once /api/health answers. */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), "portal-data-"));
  const url = `http://127.0.0.1:${port}`;
  const args = options.serverOnly ? [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"] : ["scripts/start.mjs"];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    detached: true, // its own process group, so stop() also ends `next start`
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      ISSUER_URL: url,
      DATA_DIR: dataDir,
      DATABASE_URL: options.databaseUrl,
      BCRYPT_COST: "4",
      NEXT_TELEMETRY_DISABLED: "1",
      // The suites sign in as the admins they create with a password alone; the two-step journeys
      // require a second factor per account (e2e/two-step-sign-in.spec.ts).
      ADMIN_SECOND_FACTOR: "optional",
      ...defaultPortalSecret(options.databaseUrl),
      ...options.env,
    },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const portal: RunningPortal = {
    url,
    port,
    dataDir,
    output: () => output,
    stop: () => stopProcess(child, options.dataDir ? undefined : dataDir),
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      process.kill(-child.pid, "SIGKILL");
      await exited;
    },
  };
  try {
    await waitUntilReady(url, child, () => output);
  } catch (error) {
    await portal.stop();
    throw error;
  }
  return portal;
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200 || response.status === 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the portal did not become ready:\n${output()}`);
}

async function stopProcess(child: ChildProcess, removeDir: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null && child.pid) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (removeDir) rmSync(removeDir, { recursive: true, force: true });
}

/** Runs a TypeScript entry point (a script under scripts/) with tsx and collects its output. */
export async function runCommand(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  /** Written to the command's standard input (a pipe, not a terminal); without it, no input. */
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, ...args], {
      cwd: ROOT,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}
