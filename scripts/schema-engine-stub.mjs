#!/usr/bin/env node
// Stands in for Prisma's native schema engine, which cannot be downloaded on offline machines.
// `prisma generate` only asks it for its version; migrations go through the WebAssembly engine
// (scripts/db.ts), so every other use fails loudly instead of half-working.
if (process.argv.includes("--version")) {
  console.log("schema-engine-cli 0edf323efd1d98336f3f0a68684b56f689b900d3");
  process.exit(0);
}
console.error("The native Prisma schema engine is not installed here; use `npm run db:migrate`.");
process.exit(1);
