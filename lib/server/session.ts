// The current browser session, through Next.js cookies. Used by pages, actions and route handlers.
import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { createSession, endSession, findSession, sessionCookieName } from "../auth/sessions.ts";
import { getDb } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { PASSWORD_ONLY } from "../oauth/authorize/acr.ts";
import type { BrowserSession } from "../oauth/ports.ts";
import { recordSignOut } from "../services/sign-in.ts";
import { clientAddress } from "./client-address.ts";
import { getSessionPolicy, runtime } from "./deps.ts";

export const getCurrentSession = cache(async (): Promise<BrowserSession | null> => {
  const token = (await cookies()).get(sessionCookieName(getConfig().issuer))?.value;
  return findSession(getDb(), token, getSessionPolicy(), runtime.now());
});

/**
 * Signs a user in: a new session id every time (no fixation), replacing any earlier one. `amr`:
 * how they signed in (RFC 8176 values; lib/oauth/authorize/acr.ts), a password by default.
 */
export async function startSession(userId: string, amr: readonly string[] = PASSWORD_ONLY): Promise<BrowserSession> {
  const jar = await cookies();
  const name = sessionCookieName(getConfig().issuer);
  const now = runtime.now();
  await endSession(getDb(), jar.get(name)?.value, now);
  const requestHeaders = await headers();
  const policy = getSessionPolicy();
  const { token, session } = await createSession(getDb(), userId, policy, now, {
    userAgent: requestHeaders.get("user-agent"),
    ipAddress: clientAddress(requestHeaders) ?? null,
    amr,
  });
  jar.set(name, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: getConfig().issuer.startsWith("https:"),
    path: "/",
    maxAge: policy.absoluteSeconds,
  });
  return session;
}

/** Signs out: ends the session row (recorded as session.ended) and drops the cookie. */
export async function stopSession(): Promise<void> {
  const jar = await cookies();
  const name = sessionCookieName(getConfig().issuer);
  const session = await getCurrentSession();
  const now = runtime.now();
  await endSession(getDb(), jar.get(name)?.value, now);
  jar.delete(name);
  if (session) await recordSignOut(session.userId, session.id, clientAddress(await headers()) ?? null, now);
}
