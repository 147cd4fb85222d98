// prisma/schema.prisma is the one source schema (SQLite). The PostgreSQL copy in
// prisma/postgres/schema.prisma is derived from it, differing only where a provider must:
// the datasource provider, the generated client's folder (one client per provider, and the copy
// sits one folder deeper), and a header saying not to edit it. Pure: text in, text out.

export const DERIVED_HEADER = "// DERIVED from prisma/schema.prisma by `npm run db:migrate:new`: do not edit.";

const BLOCK_START = /^\s*(generator|datasource)\s+\w+\s*\{/;
const BLOCK_END = /^\s*\}/;
const PROVIDER = /^(\s*provider\s*=\s*)"([^"]*)"/;
const OUTPUT = /^(\s*output\s*=\s*)"([^"]*)"/;

/** Throws if the source is not the expected SQLite schema: a silent half-derivation is worse. */
export function deriveSchema(source: string): string {
  const lines = source.split("\n");
  const firstComment = lines.findIndex((line) => line.trimStart().startsWith("//"));
  let block: "generator" | "datasource" | null = null;
  let providers = 0;
  let outputs = 0;
  const derived = lines.map((line, index) => {
    if (index === firstComment) return DERIVED_HEADER;
    const start = BLOCK_START.exec(line);
    if (start) {
      block = start[1] === "generator" ? "generator" : "datasource";
      return line;
    }
    if (BLOCK_END.test(line)) {
      block = null;
      return line;
    }
    if (block === "datasource") {
      const match = PROVIDER.exec(line);
      if (!match) return line;
      if (match[2] !== "sqlite") throw new Error(`The source datasource provider is "${match[2]}", expected "sqlite"`);
      providers += 1;
      return line.replace(PROVIDER, `$1"postgresql"`);
    }
    if (block === "generator") {
      const match = OUTPUT.exec(line);
      if (!match) return line;
      outputs += 1;
      return line.replace(OUTPUT, (_whole, prefix: string, output: string) => `${prefix}"${postgresOutput(output)}"`);
    }
    return line;
  });
  if (providers !== 1) throw new Error(`Expected one datasource provider in the source schema, found ${providers}`);
  if (outputs === 0) throw new Error("The source schema's generator has no output: the two clients would collide");
  return (firstComment === -1 ? [DERIVED_HEADER, ...derived] : derived).join("\n");
}

/** "../lib/db/generated/sqlite" (relative to prisma/) → "../../lib/db/generated/postgres". */
function postgresOutput(output: string): string {
  if (!/(^|\/)sqlite$/.test(output)) throw new Error(`The generator output "${output}" should end in "sqlite"`);
  const renamed = output.replace(/sqlite$/, "postgres");
  return renamed.startsWith("/") ? renamed : `../${renamed}`;
}
