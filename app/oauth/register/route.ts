import { readBearerToken } from "@/lib/http/bearer";
import { readQueryParams } from "@/lib/http/params";
import { jsonResponse, withOAuthErrors } from "@/lib/http/responses";
import { handleRegistrationRequest } from "@/lib/oauth/registration/handle-registration";
import { getRegistrationDeps } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// RFC 7591 §3: POST a JSON object, with the initial access token as a bearer token (RFC 6750 §2.1,
// the header only). §3.2.1: 201 with the client information response, never cached. A bad token
// is invalid_token, which always carries the Bearer challenge; no `challenge: "Bearer"` option,
// because that would also put one on the 400 metadata errors, which are no token errors.
export const POST = withOAuthErrors(async (request: Request) => {
  const accessToken = readBearerToken(request.headers, request.method, undefined, readQueryParams(request));
  const input = { accessToken, contentType: request.headers.get("content-type"), body: await request.text() };
  return jsonResponse(await handleRegistrationRequest(input, getRegistrationDeps()), { status: 201 });
});
