// Generates both Prisma clients (SQLite and PostgreSQL) from their schemas. Runs after
// `npm install`; needs no network and no native engine.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const stub = path.join(root, "scripts/schema-engine-stub.mjs");
chmodSync(stub, 0o755);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const prisma = path.join(root, "node_modules/prisma/build/index.js");
for (const schema of ["prisma/schema.prisma", "prisma/postgres/schema.prisma"]) {
  if (!existsSync(path.join(root, schema))) continue;
  const run = spawnSync(process.execPath, [prisma, "generate", "--schema", schema], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  if (run.status !== 0) {
    process.stdout.write(run.stdout ?? "");
    console.error(`prisma generate failed for ${schema}`);
    process.exit(run.status ?? 1);
  }
  console.log(`Generated the Prisma client for ${schema}`);
}
