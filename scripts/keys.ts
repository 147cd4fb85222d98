// Signing-key maintenance:
//   tsx scripts/keys.ts rotate    new active key per algorithm; the old ones retire (npm run keys:rotate)
// Rotation goes through the service layer (lib/services/keys.ts): it is audited as "key.rotated" and
// moves the change counter, so running servers reload their keys within a second; the retired
// public keys stay in the JWKS until every token they signed has expired.
// Reads the same configuration as `npm start` (.env files, then the environment), so it works on
// the SQLite file or the PostgreSQL database the server uses (DATABASE_URL).
import { createDb } from "../lib/db/client.ts";
import { ConfigError, getConfig } from "../lib/env.ts";
import { loadEnvFiles } from "../lib/env-files.ts";
import { rotateSigningKeys } from "../lib/services/keys.ts";

const USAGE = `Usage:
  npm run keys:rotate        add a new active signing key per algorithm and retire the old ones
  tsx scripts/keys.ts help   this message`;

class UsageError extends Error {}

async function main(args: readonly string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "rotate":
      if (rest.length > 0) throw new UsageError(`"rotate" takes no arguments, got ${rest.length}`);
      return rotate();
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(command ? `Unknown command "${command}"` : "No command given");
  }
}

async function rotate(): Promise<number> {
  loadEnvFiles();
  const config = getConfig();
  const db = createDb(config.databaseUrl);
  try {
    const result = await rotateSigningKeys({ userId: null, via: "cli" }, {}, db);
    for (const key of result.created) console.log(`New active ${key.alg} key: ${key.kid}`);
    for (const key of result.retired) {
      console.log(`Retired ${key.alg} key: ${key.kid} (in the JWKS until ${key.publishUntil.toISOString()})`);
    }
    console.log("Running servers switch to the new keys within a second.");
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
