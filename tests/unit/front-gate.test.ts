import assert from "node:assert/strict";
import { test } from "node:test";
import { createGate } from "../../lib/front/gate.ts";

test("admits up to its concurrency at once, queues the next ones in order, refuses past the queue", async () => {
  const gate = createGate({ concurrency: 2, queueLength: 2, maxWaitMs: 10_000 });
  assert.equal(gate.enter(), true);
  assert.equal(gate.enter(), true);
  const third = gate.enter();
  const fourth = gate.enter();
  assert.ok(third instanceof Promise && fourth instanceof Promise);
  assert.equal(gate.enter(), false, "the queue is full");
  assert.deepEqual([gate.active, gate.waiting], [2, 2]);
  gate.release();
  assert.equal(await third, true);
  assert.deepEqual([gate.active, gate.waiting], [2, 1]);
  gate.release();
  assert.equal(await fourth, true);
  gate.release();
  gate.release();
  assert.deepEqual([gate.active, gate.waiting], [0, 0]);
});

test("a waiter that waited its longest is refused and leaves the queue", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  const gate = createGate({ concurrency: 1, queueLength: 5, maxWaitMs: 2_000 });
  assert.equal(gate.enter(), true);
  const waiting = gate.enter();
  t.mock.timers.tick(1_999);
  assert.equal(gate.waiting, 1);
  t.mock.timers.tick(1);
  assert.equal(await waiting, false);
  assert.equal(gate.waiting, 0);
  // The slot is still held by the first; releasing it frees the gate.
  gate.release();
  assert.equal(gate.active, 0);
  assert.equal(gate.enter(), true);
});
