import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEVICE_COOKIE_MAX_ENTRIES,
  DEVICE_COOKIE_TTL_SECONDS,
  deviceCookieName,
  deviceKey,
  knownDeviceId,
  rememberDevice,
} from "../../lib/auth/device-cookie.ts";

const key = deviceKey("a-portal-secret-of-at-least-thirty-two-characters");
const now = new Date("2030-01-01T00:00:00Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

test("a remembered browser is known for its account, whatever the email's case or spacing", () => {
  const cookie = rememberDevice(key, undefined, "grace@example.com", now);
  assert.ok(knownDeviceId(key, cookie, "grace@example.com", now));
  assert.equal(knownDeviceId(key, cookie, "  Grace@Example.COM ", later(60)), knownDeviceId(key, cookie, "grace@example.com", now));
});

test("the cookie names neither the account nor the secret", () => {
  const cookie = rememberDevice(key, undefined, "grace@example.com", now);
  assert.doesNotMatch(cookie, /grace|example/i);
  assert.match(cookie, /^[A-Za-z0-9_.~-]+$/);
});

test("another account, another key, or no cookie gives no known device", () => {
  const cookie = rememberDevice(key, undefined, "grace@example.com", now);
  assert.equal(knownDeviceId(key, cookie, "alan@example.com", now), undefined);
  assert.equal(knownDeviceId(deviceKey("another-portal-secret-of-thirty-two-characters"), cookie, "grace@example.com", now), undefined);
  assert.equal(knownDeviceId(key, undefined, "grace@example.com", now), undefined);
  assert.equal(knownDeviceId(key, "", "grace@example.com", now), undefined);
});

test("a tampered entry is refused: signature, time, account tag or version changed", () => {
  const cookie = rememberDevice(key, undefined, "grace@example.com", now);
  const [version, tag, issued, signature] = cookie.split(".") as [string, string, string, string];
  const flip = (text: string) => (text[0] === "A" ? "B" : "A") + text.slice(1);
  const variants = [
    [version, tag, issued, flip(signature)],
    [version, tag, String(Number(issued) + 1), signature],
    [version, flip(tag), issued, signature],
    ["d2", tag, issued, signature],
    [version, tag, issued, signature.slice(0, -2)],
    [version, tag, issued, signature, "extra"],
  ];
  for (const parts of variants) assert.equal(knownDeviceId(key, parts.join("."), "grace@example.com", now), undefined, parts.join("."));
  // An entry for another account relabelled with this account's tag keeps its own signature: refused.
  const alan = rememberDevice(key, undefined, "alan@example.com", now).split(".");
  assert.equal(knownDeviceId(key, [version, tag, alan[2], alan[3]].join("."), "grace@example.com", now), undefined);
});

test("an entry expires after its lifetime and is not accepted from far in the future", () => {
  const cookie = rememberDevice(key, undefined, "grace@example.com", now);
  assert.ok(knownDeviceId(key, cookie, "grace@example.com", later(DEVICE_COOKIE_TTL_SECONDS - 1)));
  assert.equal(knownDeviceId(key, cookie, "grace@example.com", later(DEVICE_COOKIE_TTL_SECONDS)), undefined);
  assert.equal(knownDeviceId(key, cookie, "grace@example.com", later(-3600)), undefined);
});

test("a browser keeps entries for a few accounts, the most recent ones, and renews its own", () => {
  let cookie: string | undefined;
  const emails = Array.from({ length: DEVICE_COOKIE_MAX_ENTRIES + 2 }, (_, index) => `person${index}@example.com`);
  emails.forEach((email, index) => (cookie = rememberDevice(key, cookie, email, later(index))));
  const at = later(100);
  const known = emails.filter((email) => knownDeviceId(key, cookie, email, at));
  assert.deepEqual(known, emails.slice(-DEVICE_COOKIE_MAX_ENTRIES));
  const renewed = rememberDevice(key, cookie, emails.at(-1)!, at);
  assert.equal(renewed.split("~").length, DEVICE_COOKIE_MAX_ENTRIES);
  assert.notEqual(knownDeviceId(key, renewed, emails.at(-1)!, at), knownDeviceId(key, cookie, emails.at(-1)!, at));
});

test("forged and oversized cookies are ignored, not fatal, and dropped on the next success", () => {
  const forged = "d1.AAAAAAAAAAAAAAAAAAAAAA.1893456000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~junk~" + "x".repeat(3000);
  assert.equal(knownDeviceId(key, forged, "grace@example.com", now), undefined);
  const cookie = rememberDevice(
    key,
    "d1.AAAAAAAAAAAAAAAAAAAAAA.1893456000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA~junk",
    "grace@example.com",
    now,
  );
  assert.equal(cookie.split("~").length, 1);
});

test("on an https issuer the cookie carries the __Host- prefix", () => {
  assert.equal(deviceCookieName("https://id.example.com"), "__Host-portal_device");
  assert.equal(deviceCookieName("http://127.0.0.1:3000"), "portal_device");
});
