// The token endpoint (RFC 6749 §3.2), after lib/http has read the form and the client credentials.
// The checks, in order: parameters, grant type, client authentication, the client's grant types,
// then the grant itself.
import { InvalidClient, InvalidRequest, OAuthError, UnauthorizedClient, UnsupportedGrantType } from "../errors.ts";
import { reasonOf } from "../events.ts";
import { rejectDuplicates, shortName, single } from "../raw-params.ts";
import type { RawParams } from "../types.ts";
import { authenticateClient, type ClientCredentials } from "./client-auth.ts";
import { authorizationCodeGrant } from "./grants/authorization-code.ts";
import { refreshTokenGrant } from "./grants/refresh-token.ts";
import type { GrantHandler, TokenDeps } from "./issue-tokens.ts";
import type { TokenResponse } from "./wire.ts";

export type { GrantHandler, IdTokenIssuer, TokenDeps } from "./issue-tokens.ts";

const GRANTS: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant].map((grant) => [grant.grantType, grant]),
);

export interface TokenRequest {
  readonly body: RawParams;
  readonly credentials: ClientCredentials;
}

export async function handleTokenRequest(request: TokenRequest, deps: TokenDeps): Promise<TokenResponse> {
  try {
    return await decide(request, deps);
  } catch (error) {
    // Client authentication failures are reported by authenticateClient, with their method.
    if (deps.events && error instanceof OAuthError && !(error instanceof InvalidClient)) {
      const { body, credentials } = request;
      const grantType = body.get("grant_type");
      deps.events.emit({
        type: "token.refused",
        clientId: credentials.method === "unauthenticated" ? null : credentials.clientId.slice(0, 255),
        grantType: grantType?.length === 1 ? shortName(grantType[0]!) : null,
        error: error.error,
        reason: reasonOf(error),
      });
    }
    throw error;
  }
}

async function decide({ body, credentials }: TokenRequest, deps: TokenDeps): Promise<TokenResponse> {
  // RFC 6749 §3.2: request parameters MUST NOT be included more than once.
  rejectDuplicates(body);
  const grantType = single(body, "grant_type");
  if (grantType === undefined) throw new InvalidRequest("grant_type is missing");
  const grant = GRANTS.get(grantType);
  if (!grant) throw new UnsupportedGrantType(`grant_type ${shortName(grantType)} is not supported`);

  const client = await authenticateClient(
    credentials,
    (id) => deps.store.findClient(id),
    deps.runtime.now(),
    deps.events && { events: deps.events, endpoint: "token" },
  );
  // RFC 6749 §5.2 unauthorized_client: the client is not registered for this grant type.
  if (!client.grantTypes.includes(grantType)) {
    throw new UnauthorizedClient(`the client is not allowed the ${grantType} grant`);
  }
  return grant.handle(body, client, deps);
}
