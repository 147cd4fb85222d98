// Parameters of a browser-facing endpoint (authorization, end-session): the query of a GET or the
// form of a POST (OpenID Connect Core §3.1.2.1, RP-Initiated Logout §2). A request too malformed to
// read is answered with the 400 page: nothing in it can be trusted enough to redirect to.
import { OAuthError } from "../oauth/errors.ts";
import type { RawParams } from "../oauth/types.ts";
import { errorPageResponse } from "./error-page.ts";
import { readFormParams, readQueryParams } from "./params.ts";

export async function readBrowserParams(request: Request): Promise<RawParams | Response> {
  try {
    return request.method === "POST" ? await readFormParams(request) : readQueryParams(request);
  } catch (error) {
    if (error instanceof OAuthError) return errorPageResponse(error);
    throw error;
  }
}
