import assert from "node:assert/strict";
import { test } from "node:test";
import { open, seal, SecretBoxError } from "../../lib/crypto/secret-box.ts";

const secret = "a".repeat(40);

test("opens what it sealed, with a fresh IV each time", () => {
  const one = seal('{"d":"private"}', secret);
  const two = seal('{"d":"private"}', secret);
  assert.notEqual(one, two);
  assert.equal(open(one, secret), '{"d":"private"}');
  assert.ok(!one.includes("private"));
});

test("refuses another secret and altered boxes", () => {
  const box = seal("key material", secret);
  assert.throws(() => open(box, "b".repeat(40)), SecretBoxError);
  const [version, iv, body] = box.split(".");
  const flipped = `${body!.slice(0, -2)}${body!.endsWith("A") ? "B" : "A"}${body!.slice(-1)}`;
  assert.throws(() => open(`${version}.${iv}.${flipped}`, secret), SecretBoxError);
  assert.throws(() => open("v2.x.y", secret), SecretBoxError);
  assert.throws(() => open("garbage", secret), SecretBoxError);
});
