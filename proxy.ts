// Cross-site form posts stop here with a 403. Next.js refuses a server action whose Origin is not
// this host too, but with a 500; and no request may produce a 5xx. The session cookie is
// SameSite=Lax as well, so this is the second of two locks on every state-changing form.
import { NextResponse, type NextRequest } from "next/server";
import { getConfig } from "./lib/env";

/** The page asked for, for guards that run in a layout and must send a visitor back to it. */
export const REQUESTED_PATH_HEADER = "x-portal-requested-path";

export function proxy(request: NextRequest): NextResponse {
  if (request.method !== "POST") {
    if (!request.nextUrl.pathname.startsWith("/admin")) return NextResponse.next();
    // Set here, whatever the request carried: the admin layout sends a signed-out visitor to sign
    // in and back to exactly this page (lib/server/admin.ts checks it is a path on this site).
    const headers = new Headers(request.headers);
    headers.set(REQUESTED_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
    return NextResponse.next({ request: { headers } });
  }
  const origin = request.headers.get("origin");
  if (origin === null || sameSite(origin, request.headers.get("host"))) return NextResponse.next();
  return new NextResponse("This form was sent from another site, so it was not accepted.\n", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function sameSite(origin: string, host: string | null): boolean {
  if (origin === new URL(getConfig().issuer).origin) return true;
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export const config = {
  // Pages only: the protocol endpoints are not forms of ours (they authenticate their callers).
  matcher: ["/((?!oauth/|api/|\\.well-known/|_next/|favicon).*)"],
};
