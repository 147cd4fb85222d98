// The .env files `next start` reads, in its order of precedence (variables already set always
// win). Every command line tool loads them too, so a migration, a key rotation and the server
// can never disagree about which database they use.
import { existsSync } from "node:fs";
import path from "node:path";

export function loadEnvFiles(mode: "production" | "development" = "production", root = process.cwd()): void {
  for (const file of [`.env.${mode}.local`, ".env.local", `.env.${mode}`, ".env"]) {
    const full = path.join(root, file);
    if (existsSync(full)) process.loadEnvFile(full);
  }
}
