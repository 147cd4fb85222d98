import { redirect } from "@/lib/http/authorize-response";
import { errorPageResponse } from "@/lib/http/error-page";
import { readBrowserParams } from "@/lib/http/browser-params";
import { withOAuthErrors } from "@/lib/http/responses";
import { handleEndSession } from "@/lib/oauth/logout/handle-end-session";
import { getEndSessionDeps } from "@/lib/server/logout-deps";
import { logoutPageUrl } from "@/lib/server/logout-page";
import { getCurrentSession, stopSession } from "@/lib/server/session";

export const dynamic = "force-dynamic";

async function endSession(request: Request): Promise<Response> {
  const params = await readBrowserParams(request);
  if (params instanceof Response) return params;
  const outcome = await handleEndSession(params, await getCurrentSession(), getEndSessionDeps());
  if (outcome.kind === "error_page") return errorPageResponse(outcome.error);
  if (outcome.kind === "end_session") await stopSession();
  const location = outcome.kind === "confirm" ? logoutPageUrl(outcome.request) : (outcome.redirect ?? logoutPageUrl({ done: true }));
  return redirect(location);
}

export const GET = withOAuthErrors(endSession, { page: true });
export const POST = withOAuthErrors(endSession, { page: true });
