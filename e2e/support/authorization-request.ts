// What a relying party sends the browser to: a code request with PKCE (S256) and state, built with
// the client library's own helpers. Returns the URL and the secrets the app keeps.
import * as oauth from "oauth4webapi";

export interface AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly verifier: string;
}

export async function authorizationRequest(
  as: oauth.AuthorizationServer,
  params: {
    clientId: string;
    redirectUri: string;
    scope: string;
    nonce?: string;
    prompt?: string;
    /** Further parameters (acr_values, claims, max_age). */
    extra?: Record<string, string>;
  },
): Promise<AuthorizationRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: params.clientId,
    redirect_uri: params.redirectUri,
    scope: params.scope,
    state,
    ...(params.nonce ? { nonce: params.nonce } : {}),
    ...(params.prompt ? { prompt: params.prompt } : {}),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...params.extra,
  }).toString();
  return { url: url.href, state, verifier };
}
