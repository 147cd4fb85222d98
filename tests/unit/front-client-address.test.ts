import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeAddress, parseTrustProxy, resolveClientAddress, type TrustProxy } from "../../lib/front/client-address.ts";

const trust = (value: string) => parseTrustProxy(value) as TrustProxy;

test("without TRUST_PROXY the socket's address counts, whatever X-Forwarded-For says", () => {
  assert.equal(resolveClientAddress("203.0.113.9", "198.51.100.1", trust("")), "203.0.113.9");
  assert.equal(resolveClientAddress("::ffff:127.0.0.1", "198.51.100.1", trust("")), "127.0.0.1");
  // Where the socket is out of sight (plain next start) there is no address to believe.
  assert.equal(resolveClientAddress(undefined, "198.51.100.1", trust("")), undefined);
});

test("a number of hops skips that many proxies from the socket's end", () => {
  // client claims 1.1.1.1; the one proxy appended the client's real address 198.51.100.7.
  assert.equal(resolveClientAddress("10.0.0.2", "1.1.1.1, 198.51.100.7", trust("1")), "198.51.100.7");
  // Two proxies: the outer appended the client, the inner appended the outer.
  assert.equal(resolveClientAddress("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1", trust("2")), "198.51.100.7");
  // Fewer entries than hops: the farthest one known.
  assert.equal(resolveClientAddress("10.0.0.2", "198.51.100.7", trust("3")), "198.51.100.7");
  assert.equal(resolveClientAddress("10.0.0.2", null, trust("1")), "10.0.0.2");
  // Without the socket, the nearest entry is the first proxy's own peer.
  assert.equal(resolveClientAddress(undefined, "1.1.1.1, 198.51.100.7", trust("1")), "198.51.100.7");
});

test("a list of proxy addresses trusts exactly those", () => {
  const proxies = trust("10.0.0.1, 10.0.0.2");
  assert.equal(resolveClientAddress("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.1", proxies), "198.51.100.7");
  // A request straight from a client, not through a proxy: the socket, whatever it claims.
  assert.equal(resolveClientAddress("203.0.113.5", "10.0.0.1", proxies), "203.0.113.5");
  // A malformed entry stops the walk at the last address that could be checked.
  assert.equal(resolveClientAddress("10.0.0.2", "198.51.100.7, not-an-ip", proxies), "10.0.0.2");
});

test("TRUST_PROXY values", () => {
  assert.deepEqual(parseTrustProxy(undefined), { kind: "none" });
  assert.deepEqual(parseTrustProxy("0"), { kind: "none" });
  assert.deepEqual(parseTrustProxy("2"), { kind: "hops", hops: 2 });
  assert.ok("problem" in parseTrustProxy("11"));
  assert.ok("problem" in parseTrustProxy("10.0.0.1, proxy.internal"));
  assert.deepEqual(parseTrustProxy("[::1], 10.0.0.1"), { kind: "addresses", addresses: new Set(["::1", "10.0.0.1"]) });
});

test("addresses are compared in one spelling", () => {
  assert.equal(normalizeAddress("::FFFF:10.0.0.1"), "10.0.0.1");
  assert.equal(normalizeAddress("[2001:DB8::1]"), "2001:db8::1");
  assert.equal(normalizeAddress("999.1.1.1"), undefined);
  assert.equal(normalizeAddress("evil.example.com"), undefined);
});
