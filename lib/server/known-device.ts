// The known-device cookie (lib/auth/device-cookie.ts) through Next.js cookies, with the session
// cookie's attributes: HttpOnly, SameSite=Lax, and on an https issuer Secure with the __Host-
// prefix (RFC 6265bis §4.1.3.2), so no script and no other host can read or plant it.
import "server-only";
import { cookies } from "next/headers";
import { DEVICE_COOKIE_TTL_SECONDS, deviceCookieName } from "../auth/device-cookie.ts";
import { getConfig } from "../env.ts";

export async function readDeviceCookie(): Promise<string | undefined> {
  return (await cookies()).get(deviceCookieName(getConfig().issuer))?.value;
}

export async function writeDeviceCookie(value: string): Promise<void> {
  const issuer = getConfig().issuer;
  (await cookies()).set(deviceCookieName(issuer), value, {
    httpOnly: true,
    sameSite: "lax",
    secure: issuer.startsWith("https:"),
    path: "/",
    maxAge: DEVICE_COOKIE_TTL_SECONDS,
  });
}
