// Cross-site form posts stop here with a 403. Next.js refuses a server action whose Origin is not
// this host too, but with a 500; and no request may produce a 5xx. The session cookie is
// SameSite=Lax as well, so this is the second of two locks on every state-changing form.
// Every page also gets HSTS here when the issuer is https (lib/http/hsts.ts; the JSON endpoints
// add it themselves, lib/http/responses.ts), and its Content-Security-Policy with a nonce of its
// own (lib/http/csp.ts): Next.js reads the nonce from the request's header and puts it on the
// page's scripts.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "./lib/env";
import { newNonce, pagePolicy } from "./lib/http/csp";
import { strictTransportSecurity } from "./lib/http/hsts";

/** The page asked for, for guards that run in a layout and must send a visitor back to it. */
export const REQUESTED_PATH_HEADER = "x-portal-requested-path";

export function proxy(request: NextRequest): NextResponse {
  const policy = pagePolicy(newNonce());
  const response = decide(request, policy);
  response.headers.set("Content-Security-Policy", policy);
  const hsts = strictTransportSecurity();
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

function decide(request: NextRequest, policy: string): NextResponse {
  if (request.method === "POST" && !sameOrigin(request)) return refused();
  // Set here, whatever the request carried: the policy whose nonce the page's scripts get, and
  // for the admin console the page asked for (its layout sends a signed-out visitor to sign in
  // and back to exactly this page; lib/server/admin.ts checks it is a path on this site).
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  if (request.method === "POST" && request.headers.get("origin") === "null") {
    // A form posted natively (before the page's scripts run, or without them) from a page whose
    // Referrer-Policy is no-referrer says `Origin: null` (the Fetch standard's "serialize a request
    // origin"); Sec-Fetch-Site said same-origin, so Next.js's own check of the server action is
    // given the origin it compares with the Host header.
    headers.set("origin", `${request.nextUrl.protocol}//${request.headers.get("host") ?? request.nextUrl.host}`);
  }
  if (request.method !== "POST" && request.nextUrl.pathname.startsWith("/admin")) {
    headers.set(REQUESTED_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  }
  return NextResponse.next({ request: { headers } });
}

function refused(): NextResponse {
  return new NextResponse("This form was sent from another site, so it was not accepted.\n", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

/**
 * A browser's form post carries Origin (RFC 6454 §7.3; the Fetch standard sends it on every POST,
 * as `null` when the page's Referrer-Policy is no-referrer, as ours is) or at least Sec-Fetch-Site
 * (Fetch Metadata). A POST with neither is not from a browser page of ours, and one whose Origin
 * is not this site is from another: both are refused.
 */
function sameOrigin(request: NextRequest): boolean {
  const origin = request.headers.get("origin");
  if (origin === null || origin === "null") return request.headers.get("sec-fetch-site") === "same-origin";
  if (origin === new URL(getConfig().issuer).origin) return true;
  try {
    const host = request.headers.get("host");
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const config = {
  // Pages only: the protocol endpoints are not forms of ours (they authenticate their callers).
  matcher: ["/((?!oauth/|api/|\\.well-known/|_next/|favicon).*)"],
};
