// The server's database handle: one client per process, created on first use (process state:
// every bundled copy of this module, and Next's dev reloads, share it instead of opening pools).
import { getConfig } from "../env.ts";
import { processState } from "../process-state.ts";
import { createDb, type Db } from "./client.ts";

export function getDb(): Db {
  return processState("db", () => createDb(getConfig().databaseUrl, getConfig().databaseTimeouts));
}

export { createDb, databaseKind, type Db, type Tx } from "./client.ts";
