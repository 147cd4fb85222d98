// The repository stands on its own: every document a source file names (a `*.md` in a comment or
// a string) is one the repository holds, every repository path a document cites exists, and no
// file names a path of a particular machine.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = process.cwd();
const SOURCE = /\.(ts|tsx|mjs|js|prisma|css)$/;
const DOCUMENT = /(?<![\w/.-])((?:[\w-]+\/)*[\w.-]+\.md)\b/g;
/** A path into the repository as documents cite it: `lib/db/client.ts`, `tests/unit`. */
const REPOSITORY_PATH = /(?<![\w./@-])((?:app|bench|docs|e2e|lib|prisma|public|scripts|tests)(?:\/(?:[\w.@-]|\[[\w.-]+\])+)+)/g;
/** A file a walkthrough asks the reader to create says so right after it: `path` *(new)*. */
const NEW_FILE = /^`?\s*\*?\(new\)/;
const MACHINE_PATH = /(?<![\w.])\/(?:work|home|root|tmp\/bash_jobs)\//;

function sourceFiles(kind = SOURCE): string[] {
  const tracked = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return tracked.split("\n").filter((file) => kind.test(file) && !file.startsWith("lib/db/generated/") && existsSync(file));
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

/** Whether git ignores the path, as a file or as a folder. */
function ignoredByGit(file: string): boolean {
  return [file, `${file}/`].some((candidate) => {
    try {
      execFileSync("git", ["check-ignore", "-q", candidate], { cwd: ROOT });
      return true;
    } catch {
      return false;
    }
  });
}

// The documentation a contributor works from: docs/ and the README. (bench/README.md is a record
// of measurements and cites files as they were when each was taken.)
test("every repository path the documentation cites exists, unless marked (new)", () => {
  const documents = sourceFiles(/^(docs\/.*|README)\.md$/);
  assert.ok(documents.includes("docs/architecture.md"));
  const missing: string[] = [];
  for (const file of documents) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(REPOSITORY_PATH)) {
      const cited = match[1]!.replace(/\.+$/, "");
      if (NEW_FILE.test(text.slice(match.index + match[0].length))) continue;
      // Output folders (e2e/screenshots) exist once something wrote to them.
      if (!existsSync(path.join(ROOT, cited)) && !ignoredByGit(cited)) missing.push(`${file}: ${cited}`);
    }
  }
  assert.deepEqual(missing, []);
});

test("no source file names a path of a particular machine", () => {
  const found = sourceFiles().filter((file) => MACHINE_PATH.test(readFileSync(file, "utf8")));
  assert.deepEqual(found, []);
});
