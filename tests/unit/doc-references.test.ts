// The repository stands on its own: every document a source file names (a `*.md` in a comment or
// a string) is one the repository holds, and no file names a path of a particular machine.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = process.cwd();
const SOURCE = /\.(ts|tsx|mjs|js|prisma|css)$/;
const DOCUMENT = /(?<![\w/.-])((?:[\w-]+\/)*[\w.-]+\.md)\b/g;
const MACHINE_PATH = /(?<![\w.])\/(?:work|home|root|tmp\/bash_jobs)\//;

function sourceFiles(): string[] {
  const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return tracked.split("\n").filter((file) => SOURCE.test(file) && !file.startsWith("lib/db/generated/") && existsSync(file));
}

test("every document a source file names exists in the repository", () => {
  const missing: string[] = [];
  for (const file of sourceFiles()) {
    for (const [, name] of readFileSync(file, "utf8").matchAll(DOCUMENT)) {
      const candidates = [path.join(ROOT, name!), path.join(path.dirname(file), name!), path.join(ROOT, "docs", name!)];
      if (!candidates.some((candidate) => existsSync(candidate))) missing.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("no source file names a path of a particular machine", () => {
  const found = sourceFiles().filter((file) => MACHINE_PATH.test(readFileSync(file, "utf8")));
  assert.deepEqual(found, []);
});
