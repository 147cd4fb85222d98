import { authorizeResponse } from "@/lib/http/authorize-response";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { withOAuthErrors } from "@/lib/http/responses";
import { handleAuthorizeRequest } from "@/lib/oauth/authorize/handle-authorize";
import type { RawParams } from "@/lib/oauth/types";
import { getAuthorizeDeps } from "@/lib/server/deps";
import { getCurrentSession } from "@/lib/server/session";
import { errorPageResponse } from "@/lib/http/error-page";
import { OAuthError } from "@/lib/oauth/errors";

export const dynamic = "force-dynamic";

// OpenID Connect Core §3.1.2.1: the authorization endpoint accepts GET and form POST.
async function authorize(read: () => Promise<RawParams> | RawParams): Promise<Response> {
  let params: RawParams;
  try {
    params = await read();
  } catch (error) {
    if (error instanceof OAuthError) return errorPageResponse(error);
    throw error;
  }
  const deps = getAuthorizeDeps();
  const outcome = await handleAuthorizeRequest(params, await getCurrentSession(), deps);
  return authorizeResponse(outcome, deps.config.issuer);
}

export const GET = withOAuthErrors((request: Request) => authorize(() => readQueryParams(request)));
export const POST = withOAuthErrors((request: Request) => authorize(() => readFormParams(request)));
