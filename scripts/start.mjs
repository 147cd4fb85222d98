// `npm start` (and `npm run dev` with --dev): the one command that takes a fresh clone to a
// running portal. scripts/prepare.ts does the work (configuration, build, migrations, keys, the
// initial admin) in a child process that exits before the server starts, so the launcher that
// stays alive beside the server is this small file and nothing else.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dev = process.argv.includes("--dev");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

const prepare = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/prepare.ts"), ...(dev ? ["--dev"] : [])], {
  cwd: root,
  env,
  stdio: ["inherit", "inherit", "inherit", "pipe"],
});
if (prepare.status !== 0) process.exit(prepare.status ?? 1);
const serve = JSON.parse(prepare.output[3].toString());

// V8 lets the heap grow far past what is live when nothing asks it not to (measured: a production
// server at 150 MB after start went to 430 MB serving nothing but discovery, all of it garbage).
// So the server's old generation gets a bound unless NODE_OPTIONS sets one: peak RSS under the
// benchmark stays near 300 MB, and 1,000 concurrent sign-in page loads peaked at 340 MB and
// were served (bench/README.md). The live heap is a fraction of it.
const HEAP_LIMIT_MB = 256;
const nodeOptions = env.NODE_OPTIONS ?? "";
const serverEnv = /--max-old-space-size/.test(nodeOptions)
  ? env
  : { ...env, NODE_OPTIONS: `${nodeOptions} --max-old-space-size=${HEAP_LIMIT_MB}`.trim() };

// Production: our own front (scripts/serve.ts) with Next.js behind it. Development: `next dev`.
const args = dev
  ? [path.join(root, "node_modules/next/dist/bin/next"), "dev", "--port", String(serve.port), "--hostname", serve.host]
  : ["--import", "tsx", path.join(root, "scripts/serve.ts")];
const server = spawn(process.execPath, args, {
  cwd: root,
  env: dev ? serverEnv : { ...serverEnv, NODE_ENV: "production" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
console.log(`Identity portal: ${serve.issuer} (database: ${serve.database})`);
