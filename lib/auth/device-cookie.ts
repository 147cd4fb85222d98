// "Known device" cookies (OWASP Authentication Cheat Sheet, "device cookies"): after a successful
// sign-in the browser keeps a signed note "this browser signed in to this account at this time".
// A browser that presents one is not subject to the account-wide lock that failures from unknown
// browsers trigger, so nobody can keep a person out by guessing at their account from elsewhere.
// No database row: the entry is an HMAC-SHA-256 (RFC 2104) under a sub-key derived from
// PORTAL_SECRET with HKDF (RFC 5869), so the raw secret is never used as an HMAC key.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

const INFO = "identity-portal known-device cookie v1";
/** How long a browser stays known without signing in again. */
export const DEVICE_COOKIE_TTL_SECONDS = 180 * 24 * 60 * 60;
/** A browser may be known for a few accounts; the oldest entry goes first. */
export const DEVICE_COOKIE_MAX_ENTRIES = 5;
/** A cookie issued slightly "in the future" by another instance's clock is still accepted. */
const CLOCK_SKEW_SECONDS = 300;
const VERSION = "d1";

export function deviceCookieName(issuer: string): string {
  // The __Host- prefix (RFC 6265bis §4.1.3.2) pins the cookie to this host, path / and Secure.
  return issuer.startsWith("https:") ? "__Host-portal_device" : "portal_device";
}

export function deviceKey(portalSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(portalSecret, "utf8"), Buffer.alloc(0), INFO, 32));
}

function mac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** The account an entry is bound to: the normalised email, keyed so the cookie does not reveal it. */
function accountTag(key: Buffer, email: string): string {
  return mac(key, `account\0${email.trim().toLowerCase()}`).subarray(0, 16).toString("base64url");
}

function entrySignature(key: Buffer, tag: string, issuedAt: number): Buffer {
  return mac(key, `${VERSION}\0${tag}\0${issuedAt}`);
}

interface Entry {
  readonly raw: string;
  readonly tag: string;
  readonly issuedAt: number;
  readonly signature: string;
}

function parseEntries(value: string | undefined): Entry[] {
  if (!value || value.length > 2048) return [];
  const entries: Entry[] = [];
  for (const raw of value.split("~").slice(0, DEVICE_COOKIE_MAX_ENTRIES)) {
    const [version, tag, issued, signature, ...rest] = raw.split(".");
    if (version !== VERSION || !tag || !issued || !signature || rest.length > 0 || !/^\d{1,12}$/.test(issued)) continue;
    entries.push({ raw, tag, issuedAt: Number(issued), signature });
  }
  return entries;
}

function isValid(key: Buffer, entry: Entry, now: Date): boolean {
  const expected = entrySignature(key, entry.tag, entry.issuedAt);
  const given = Buffer.from(entry.signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const age = Math.floor(now.getTime() / 1000) - entry.issuedAt;
  return age >= -CLOCK_SKEW_SECONDS && age < DEVICE_COOKIE_TTL_SECONDS;
}

/**
 * The id of this browser for the account (a hash of its valid entry: the key of its own failure
 * limit), or undefined when the cookie holds no valid entry for it.
 */
export function knownDeviceId(key: Buffer, cookie: string | undefined, email: string, now: Date): string | undefined {
  const tag = accountTag(key, email);
  const entry = parseEntries(cookie).find((candidate) => candidate.tag === tag && isValid(key, candidate, now));
  return entry ? mac(key, `device\0${entry.raw}`).subarray(0, 16).toString("base64url") : undefined;
}

/** The cookie after a successful sign-in: a fresh entry for the account, the other valid ones kept. */
export function rememberDevice(key: Buffer, cookie: string | undefined, email: string, now: Date): string {
  const tag = accountTag(key, email);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const fresh = `${VERSION}.${tag}.${issuedAt}.${entrySignature(key, tag, issuedAt).toString("base64url")}`;
  const others = parseEntries(cookie)
    .filter((entry) => entry.tag !== tag && isValid(key, entry, now))
    .slice(0, DEVICE_COOKIE_MAX_ENTRIES - 1)
    .map((entry) => entry.raw);
  return [fresh, ...others].join("~");
}
