// The .env files, read by @next/env: the very loader Next.js uses, so the server, the start
// script and every command line tool read the same files in the same order of precedence
// (`.env.$mode.local`, `.env.local` except in tests, `.env.$mode`, `.env`; variables already set
// always win). A migration, a key rotation and the server can never disagree about the database.
import nextEnv from "@next/env";

const quiet = { info: () => {}, error: (...args: unknown[]) => console.error(...args) };

export function loadEnvFiles(mode: "production" | "development" = "production", root = process.cwd()): void {
  nextEnv.loadEnvConfig(root, mode === "development", quiet);
}
