// The browser binding of WebAuthn challenges (lib/services/passkeys.ts): a random value in an
// HttpOnly cookie of its own, made when a ceremony starts and read when its answer arrives. Only
// its SHA-256 is stored with the challenge, so a challenge handed to one browser cannot be
// answered from another.
import "server-only";
import { cookies } from "next/headers";
import { getConfig } from "../env.ts";
import { CHALLENGE_MINUTES, newChallengeBinding } from "../services/passkeys.ts";

const cookieName = (issuer: string) => (issuer.startsWith("https:") ? "__Host-portal_webauthn" : "portal_webauthn");

/** The binding for a new challenge: this browser's value, or a new one (set for the ceremony's length). */
export async function challengeBindingForNewCeremony(): Promise<string> {
  const issuer = getConfig().issuer;
  const jar = await cookies();
  const current = jar.get(cookieName(issuer))?.value;
  const binding = current && /^[A-Za-z0-9_-]{43}$/.test(current) ? current : newChallengeBinding();
  jar.set(cookieName(issuer), binding, {
    httpOnly: true,
    sameSite: "strict",
    secure: issuer.startsWith("https:"),
    path: "/",
    maxAge: CHALLENGE_MINUTES * 60 + 60,
  });
  return binding;
}

/**
 * The binding an answer arrives with. Without the cookie (expired, or another browser), a new
 * random value that matches no challenge: the answer is refused as expired.
 */
export async function challengeBinding(): Promise<string> {
  return (await cookies()).get(cookieName(getConfig().issuer))?.value ?? newChallengeBinding();
}
