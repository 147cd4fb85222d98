// The server's database handle: one client per process, created on first use. (Next's dev
// server re-evaluates modules on change; keeping the client on globalThis avoids leaking pools.)
import { getConfig } from "../env.ts";
import { createDb, type Db } from "./client.ts";

const holder = globalThis as typeof globalThis & { __portalDb?: Db };

export function getDb(): Db {
  holder.__portalDb ??= createDb(getConfig().databaseUrl);
  return holder.__portalDb;
}

export { createDb, databaseKind, type Db } from "./client.ts";
