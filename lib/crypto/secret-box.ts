// Encryption at rest for private signing keys and TOTP secrets (lib/services/second-factor.ts):
// AES-256-GCM under a key derived from PORTAL_SECRET with HKDF-SHA-256, a fresh IV per box. The
// output names its version so the scheme can change without guessing. (The HKDF info string
// still names the signing keys, its first use: changing it would make every stored box unreadable.)
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";
const INFO = "identity-portal signing-key encryption v1";
const derived = new Map<string, Buffer>();

function keyFor(secret: string): Buffer {
  let key = derived.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), Buffer.alloc(0), INFO, 32));
    derived.set(secret, key);
  }
  return key;
}

export function seal(plaintext: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

/** Throws SecretBoxError when the box was sealed under another secret or was altered. */
export function open(sealed: string, secret: string): string {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) throw new SecretBoxError("unknown sealed-box format");
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== 12 || body.length < 16) throw new SecretBoxError("malformed sealed box");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), iv);
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("cannot decrypt: PORTAL_SECRET differs from the one the key was sealed with");
  }
}
