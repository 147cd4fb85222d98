import { readClientCredentials } from "@/lib/http/client-credentials";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { withOAuthErrors } from "@/lib/http/responses";
import { handleRevocationRequest } from "@/lib/oauth/revocation/handle-revocation";
import { getRevocationDeps } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// RFC 7009 §2.1: POST only. §2.2: 200 with an empty body, whether or not there was anything to revoke.
export const POST = withOAuthErrors(async (request: Request) => {
  const body = await readFormParams(request);
  const credentials = readClientCredentials(request.headers, body, readQueryParams(request));
  await handleRevocationRequest({ body, credentials }, getRevocationDeps());
  return new Response(null, { status: 200, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
});
