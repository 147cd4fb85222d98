import assert from "node:assert/strict";
import { test } from "node:test";
import bcrypt from "bcryptjs";
import { bcryptCompare, bcryptHash } from "../../lib/auth/bcrypt-pool.ts";

test("hashes and compares in worker threads, compatible with bcryptjs", async () => {
  const hash = await bcryptHash("correct horse", 4);
  assert.ok(bcrypt.compareSync("correct horse", hash));
  assert.equal(await bcryptCompare("correct horse", hash), true);
  assert.equal(await bcryptCompare("wrong horse", hash), false);
  const many = await Promise.all(Array.from({ length: 6 }, (_, i) => bcryptCompare(i % 2 ? "correct horse" : "nope", hash)));
  assert.deepEqual(many, [false, true, false, true, false, true]);
});

test("a slow hash leaves the calling thread free", async () => {
  const hash = bcrypt.hashSync("pw", 11);
  let turns = 0;
  let done = false;
  const spin = () => {
    turns += 1;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  assert.equal(await bcryptCompare("pw", hash), true);
  done = true;
  // Had the comparison run on this thread, the event loop could not have turned while it ran.
  assert.ok(turns > 10, `the event loop turned ${turns} times`);
});
