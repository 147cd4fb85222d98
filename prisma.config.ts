import { defineConfig } from "prisma/config";

// For the Prisma CLI (generate, validate, and `migrate deploy` where the native engine exists).
// The portal migrates itself through scripts/db.ts and needs no native engine. The database
// kind follows DATABASE_URL, as it does in lib/db.
const postgres = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");

export default defineConfig({
  schema: postgres ? "prisma/postgres/schema.prisma" : "prisma/schema.prisma",
  migrations: { path: postgres ? "prisma/postgres/migrations" : "prisma/migrations" },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
