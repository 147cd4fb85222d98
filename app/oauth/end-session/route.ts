import { errorPageResponse } from "@/lib/http/error-page";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { withOAuthErrors } from "@/lib/http/responses";
import { OAuthError } from "@/lib/oauth/errors";
import { handleEndSession } from "@/lib/oauth/logout/handle-end-session";
import type { RawParams } from "@/lib/oauth/types";
import { getEndSessionDeps } from "@/lib/server/logout-deps";
import { logoutPageUrl } from "@/lib/server/logout-page";
import { getCurrentSession, stopSession } from "@/lib/server/session";

export const dynamic = "force-dynamic";

// RP-Initiated Logout 1.0 §2: GET and form POST.
async function endSession(read: () => Promise<RawParams> | RawParams): Promise<Response> {
  let params: RawParams;
  try {
    params = await read();
  } catch (error) {
    if (error instanceof OAuthError) return errorPageResponse(error);
    throw error;
  }
  const outcome = await handleEndSession(params, await getCurrentSession(), getEndSessionDeps());
  if (outcome.kind === "error_page") return errorPageResponse(outcome.error);
  if (outcome.kind === "end_session") await stopSession();
  const location = outcome.kind === "confirm" ? logoutPageUrl(outcome.request) : (outcome.redirect ?? logoutPageUrl({ done: true }));
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}

export const GET = withOAuthErrors((request: Request) => endSession(() => readQueryParams(request)));
export const POST = withOAuthErrors((request: Request) => endSession(() => readFormParams(request)));
