import { authorizeResponse } from "@/lib/http/authorize-response";
import { readBrowserParams } from "@/lib/http/browser-params";
import { withOAuthErrors } from "@/lib/http/responses";
import { handleAuthorizeRequest } from "@/lib/oauth/authorize/handle-authorize";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";

export const dynamic = "force-dynamic";

async function authorize(request: Request): Promise<Response> {
  const params = await readBrowserParams(request);
  if (params instanceof Response) return params;
  const deps = getAuthorizeDeps();
  const outcome = await handleAuthorizeRequest(params, await getCurrentSession(), deps);
  return authorizeResponse(outcome, deps.config.issuer);
}

export const GET = withOAuthErrors(authorize, { page: true });
export const POST = withOAuthErrors(authorize, { page: true });
