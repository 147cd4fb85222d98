import { readClientCredentials } from "@/lib/http/client-credentials";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { jsonResponse, withOAuthErrors } from "@/lib/http/responses";
import { handleIntrospectionRequest } from "@/lib/oauth/introspection/handle-introspection";
import { getIntrospectionDeps } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// RFC 7662 §2.1: POST only (Next answers 405 for every method not exported here).
export const POST = withOAuthErrors(async (request: Request) => {
  const body = await readFormParams(request);
  const credentials = readClientCredentials(request.headers, body, readQueryParams(request));
  return jsonResponse(await handleIntrospectionRequest({ body, credentials }, getIntrospectionDeps()));
});
