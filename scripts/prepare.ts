// The first half of `npm start` (scripts/start.mjs runs it in a child process, so none of what it
// loads stays in memory while the portal serves): validate the configuration, build the
// production app when the build is missing or stale, migrate the database, create signing keys
// and the initial admin. It tells start.mjs where to serve on file descriptor 3.
// With --dev there is no build (start.mjs then runs `next dev`).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { createDb } from "../lib/db/client.ts";
import { applyMigrations } from "../lib/db/migrate/index.ts";
import { ConfigError, parseEnv, type Config } from "../lib/env.ts";
import { loadEnvFiles } from "../lib/env-files.ts";
import { resolvePortalSecret, type PortalSecret } from "../lib/portal-secret.ts";
import { seed, WrongPortalSecretError } from "../lib/seed.ts";

const root = process.cwd();
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const dev = process.argv.includes("--dev");

function loadConfig(): Config {
  loadEnvFiles(dev ? "development" : "production", root);
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const BUILD_INPUTS = [
  "app",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "package.json",
  "tsconfig.json",
];

/** The newest modification time among the files that go into the build. */
function newestInput(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestInput(path.join(entry, child)));
  return newest;
}

function ensureBuild(): void {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID");
  if (existsSync(buildId)) {
    const builtAt = statSync(buildId).mtimeMs;
    if (BUILD_INPUTS.every((input) => newestInput(path.join(root, input)) <= builtAt)) return;
    console.log("The sources changed since the last build: rebuilding.");
  } else {
    console.log("No production build yet: building (about a minute, once).");
  }
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: buildEnv() });
  if (build.status !== 0) {
    console.error("The build failed; see above.");
    process.exit(1);
  }
}

function buildEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
}

async function prepare(config: Config, secret: PortalSecret): Promise<void> {
  if (secret.source === "generated") {
    console.warn(
      `WARNING: PORTAL_SECRET is not set. Generated one in ${secret.file} (owner-only). ` +
        "Production deployments should set PORTAL_SECRET and keep it safe: it encrypts the signing keys.",
    );
  }
  const applied = await applyMigrations(config.databaseUrl);
  if (applied.length > 0) console.log(`Applied ${applied.length} database migration(s): ${applied.join(", ")}`);
  const db = createDb(config.databaseUrl);
  try {
    const result = await seed(db, {
      portalSecret: secret.secret,
      adminEmail: config.adminEmail,
      adminPassword: config.adminPassword,
      bcryptCost: config.bcryptCost,
      adminSecondFactor: config.adminSecondFactor,
    }).catch((error: unknown) => {
      // Which secret was used matters most when none was configured (a lost or new data folder).
      if (error instanceof WrongPortalSecretError && secret.file) {
        throw new Error(`${error.message} PORTAL_SECRET is not set, so the secret in ${secret.file} was used.`);
      }
      throw error;
    });
    if (result.createdKeyIds.length > 0) console.log(`Created ${result.createdKeyIds.length} signing key(s).`);
    if (result.admin?.generatedPassword) {
      console.log(
        `\nCreated the admin account ${result.admin.email} with the password:\n\n    ${result.admin.generatedPassword}\n\n` +
          "It is shown this once and never again: keep it somewhere safe.\n",
      );
    } else if (result.admin) {
      console.log(`Created the admin account ${result.admin.email} (password from ADMIN_PASSWORD).`);
    }
  } finally {
    await db.$disconnect();
  }
}

/** What start.mjs needs to serve; fd 3 is its pipe (absent when run by hand). */
function handOver(config: Config): void {
  const serve = {
    port: config.port,
    host: config.host,
    issuer: config.issuer,
    database: config.databaseUrl.startsWith("file:") ? "SQLite" : "PostgreSQL",
  };
  try {
    writeSync(3, JSON.stringify(serve));
  } catch {
    console.log(`Prepared. Serve with: next ${dev ? "dev" : "start"} --port ${config.port} --hostname ${config.host}`);
  }
}

function fail(error: unknown): never {
  // The messages name the setting to fix; none of them holds the secret itself.
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const config = loadConfig();
let secret: PortalSecret;
try {
  // Before the build: a configuration that cannot work stops at once.
  secret = resolvePortalSecret(config);
} catch (error) {
  fail(error);
}
if (!dev) ensureBuild();
await prepare(config, secret).catch(fail);
handOver(config);
