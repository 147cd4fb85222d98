import { readBearerToken } from "@/lib/http/bearer";
import { readFormParams, readQueryParams } from "@/lib/http/params";
import { bearerRequiredResponse, jsonResponse, withOAuthErrors } from "@/lib/http/responses";
import { handleUserInfoRequest } from "@/lib/oauth/userinfo/handle-userinfo";
import { getUserInfoDeps } from "@/lib/server/deps";
import { mediaTypeOf } from "@/lib/oauth/wire-values";

export const dynamic = "force-dynamic";

// CORS: browser RPs call userinfo cross-origin. The credential is a bearer token the caller puts
// in the Authorization header itself, never a cookie (no Allow-Credentials), so any origin may
// read the answer: a page that holds the token could send it from anywhere anyway.
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate",
} as const;

const isForm = (request: Request) => mediaTypeOf(request.headers.get("content-type")) === "application/x-www-form-urlencoded";

// OpenID Connect Core §5.3.1: GET and POST. RFC 6750 §2.2: a POST may carry the token in its form
// body; a POST with only the header needs no body at all.
const userinfo = withOAuthErrors(
  async (request: Request) => {
    const body = request.method === "POST" && isForm(request) ? await readFormParams(request) : undefined;
    const accessToken = readBearerToken(request.headers, request.method, body, readQueryParams(request));
    const outcome = await handleUserInfoRequest({ accessToken }, getUserInfoDeps());
    return outcome.kind === "claims" ? jsonResponse(outcome.claims) : bearerRequiredResponse();
  },
  { challenge: "Bearer" },
);

async function withCors(request: Request): Promise<Response> {
  const response = await userinfo(request);
  for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
  return response;
}

export const GET = withCors;
export const POST = withCors;

/** The CORS preflight of a request with an Authorization header (Fetch standard §3.2.2). */
export function OPTIONS(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...CORS,
      "Access-Control-Allow-Methods": "GET, POST",
      "Access-Control-Allow-Headers": "Authorization, Content-Type",
      "Access-Control-Max-Age": "86400",
    },
  });
}
