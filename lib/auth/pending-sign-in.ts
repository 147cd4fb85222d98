// The state between a password that was right and the second factor still to come: who, how far
// (`amr`), where to go next, and until when. It lives in a cookie sealed with PORTAL_SECRET
// (lib/crypto/secret-box.ts: encrypted and authenticated), so the browser can neither read nor
// alter it, and no session exists until the second step succeeds. It grants nothing by itself:
// the second factor's own checks (single-use codes, single-use passkey challenges, the throttle)
// decide, and it expires after PENDING_SIGN_IN_MINUTES.
import { open, seal, SecretBoxError } from "../crypto/secret-box.ts";

export const PENDING_SIGN_IN_MINUTES = 10;
/** What the sealed text starts with, so that no other box sealed with the same key passes for one. */
const PURPOSE = "pending-sign-in:";

export interface PendingSignIn {
  readonly userId: string;
  /** The methods already used (RFC 8176), e.g. ["pwd"]. */
  readonly amr: readonly string[];
  /** "verify": present a second factor; "enrol": set one up first (policy requires one). */
  readonly need: "verify" | "enrol";
  /** The authorization request it belongs to, or where to go afterwards. */
  readonly interaction?: string;
  readonly returnTo?: string;
  readonly expiresAt: Date;
}

interface Sealed {
  readonly u: string;
  readonly m: string[];
  readonly n: "verify" | "enrol";
  readonly i?: string;
  readonly r?: string;
  readonly e: number;
}

export function sealPendingSignIn(pending: Omit<PendingSignIn, "expiresAt">, secret: string, now: Date): string {
  const body: Sealed = {
    u: pending.userId,
    m: [...pending.amr],
    n: pending.need,
    ...(pending.interaction ? { i: pending.interaction } : {}),
    ...(pending.returnTo ? { r: pending.returnTo } : {}),
    e: now.getTime() + PENDING_SIGN_IN_MINUTES * 60_000,
  };
  return seal(PURPOSE + JSON.stringify(body), secret);
}

/** The pending sign-in a cookie holds, or null: absent, altered, sealed under another secret, or expired. */
export function openPendingSignIn(value: string | undefined, secret: string, now: Date): PendingSignIn | null {
  if (!value || value.length > 2048) return null;
  let body: Sealed;
  try {
    const text = open(value, secret);
    if (!text.startsWith(PURPOSE)) return null;
    body = JSON.parse(text.slice(PURPOSE.length)) as Sealed;
  } catch (error) {
    if (error instanceof SecretBoxError || error instanceof SyntaxError) return null;
    throw error;
  }
  if (typeof body.u !== "string" || !Array.isArray(body.m) || typeof body.e !== "number") return null;
  if (body.n !== "verify" && body.n !== "enrol") return null;
  if (body.e <= now.getTime()) return null;
  return {
    userId: body.u,
    amr: body.m.filter((method): method is string => typeof method === "string"),
    need: body.n,
    ...(typeof body.i === "string" ? { interaction: body.i } : {}),
    ...(typeof body.r === "string" ? { returnTo: body.r } : {}),
    expiresAt: new Date(body.e),
  };
}

export function pendingSignInCookieName(issuer: string): string {
  return issuer.startsWith("https:") ? "__Host-portal_pending" : "portal_pending";
}
