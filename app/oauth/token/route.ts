import { readClientCredentials } from "@/lib/http/client-credentials";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { jsonResponse, withOAuthErrors } from "@/lib/http/responses";
import { handleTokenRequest } from "@/lib/oauth/token/handle-token";
import { getTokenDeps } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// RFC 6749 §3.2: POST only (Next answers 405 for every method not exported here).
export const POST = withOAuthErrors(async (request: Request) => {
  const body = await readFormParams(request);
  const credentials = readClientCredentials(request.headers, body, readQueryParams(request));
  return jsonResponse(await handleTokenRequest({ body, credentials }, getTokenDeps()));
});
