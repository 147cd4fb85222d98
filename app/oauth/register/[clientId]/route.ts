import { readBearerToken } from "@/lib/http/bearer";
import { readQueryParams } from "@/lib/http/params";
import { jsonResponse, withOAuthErrors } from "@/lib/http/responses";
import {
  handleClientDeleteRequest,
  handleClientReadRequest,
  handleClientUpdateRequest,
} from "@/lib/oauth/registration/handle-registration";
import { getRegistrationDeps } from "@/lib/server/deps";

export const dynamic = "force-dynamic";

// RFC 7592 §2: the client configuration endpoint, authenticated by the registration access token
// (a bearer token, in the header only). As at /oauth/register, invalid_token carries the Bearer
// challenge by itself and metadata errors carry none.
interface Context {
  readonly params: Promise<{ clientId: string }>;
}

async function configurationRequest(request: Request, { params }: Context) {
  const accessToken = readBearerToken(request.headers, request.method, undefined, readQueryParams(request));
  return { clientId: (await params).clientId, accessToken };
}

export const GET = withOAuthErrors(async (request: Request, context: Context) =>
  jsonResponse(await handleClientReadRequest(await configurationRequest(request, context), getRegistrationDeps())),
);

export const PUT = withOAuthErrors(async (request: Request, context: Context) => {
  const body = { contentType: request.headers.get("content-type"), body: await request.text() };
  const input = { ...(await configurationRequest(request, context)), ...body };
  return jsonResponse(await handleClientUpdateRequest(input, getRegistrationDeps()));
});

// RFC 7592 §2.3: 204 No Content once the client is gone.
export const DELETE = withOAuthErrors(async (request: Request, context: Context) => {
  await handleClientDeleteRequest(await configurationRequest(request, context), getRegistrationDeps());
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store", Pragma: "no-cache" } });
});
