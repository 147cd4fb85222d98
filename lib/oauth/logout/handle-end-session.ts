// RP-Initiated Logout 1.0. The session ends without a question only when the request carries a
// genuine id_token_hint for the signed-in user; otherwise the user confirms first, so a third-party
// page cannot sign people out. The post-logout redirect is followed only when it is registered,
// exactly, for the identified client (§3).
import { InvalidRequest, OAuthError } from "../errors.ts";
import type { VerificationKeys } from "../keys/keyring.ts";
import type { BrowserSession } from "../ports.ts";
import { single } from "../raw-params.ts";
import type { Client, RawParams } from "../types.ts";
import { redirectWith } from "../authorize/respond.ts";
import { readIdTokenHint } from "./id-token-hint.ts";

export interface EndSessionDeps {
  readonly issuer: string;
  readonly keys: () => Promise<VerificationKeys>;
  readonly findClient: (clientId: string) => Promise<Client | null>;
}

/** What the confirmation page carries back; every value re-validated on confirmation. */
export interface LogoutRequest {
  readonly clientId?: string;
  readonly clientName?: string;
  readonly postLogoutRedirectUri?: string;
  readonly state?: string;
}

export type EndSessionOutcome =
  | { readonly kind: "error_page"; readonly error: OAuthError }
  /** End the browser session, then go to `redirect`, or to the signed-out page. */
  | { readonly kind: "end_session"; readonly redirect?: string }
  | { readonly kind: "confirm"; readonly request: LogoutRequest };

export async function handleEndSession(
  params: RawParams,
  session: BrowserSession | null,
  deps: EndSessionDeps,
): Promise<EndSessionOutcome> {
  try {
    const hintText = single(params, "id_token_hint");
    const hint = hintText ? await readIdTokenHint(hintText, await deps.keys(), deps.issuer) : undefined;
    const clientIdParam = single(params, "client_id");
    if (hint && clientIdParam && hint.clientId !== clientIdParam) {
      throw new InvalidRequest("client_id does not match the id_token_hint");
    }
    const request = await validate(
      {
        clientId: hint?.clientId ?? clientIdParam,
        postLogoutRedirectUri: single(params, "post_logout_redirect_uri"),
        state: single(params, "state"),
      },
      deps,
    );
    if (session && !(hint && hint.sub === session.userId)) return { kind: "confirm", request };
    return endSession(request);
  } catch (error) {
    if (error instanceof OAuthError) return { kind: "error_page", error };
    throw error;
  }
}

/** The user confirmed on the logout page. */
export async function confirmEndSession(submitted: LogoutRequest, deps: EndSessionDeps): Promise<EndSessionOutcome> {
  return endSession(await validate(submitted, deps));
}

async function validate(
  input: { clientId?: string | undefined; postLogoutRedirectUri?: string | undefined; state?: string | undefined },
  deps: EndSessionDeps,
): Promise<LogoutRequest> {
  const client = input.clientId && input.clientId.length <= 255 ? await deps.findClient(input.clientId) : null;
  const known = client && !client.disabled ? client : null;
  const uri = input.postLogoutRedirectUri;
  const redirectable = known !== null && uri !== undefined && known.postLogoutRedirectUris.includes(uri);
  return {
    ...(known ? { clientId: known.clientId, clientName: known.name } : {}),
    ...(redirectable ? { postLogoutRedirectUri: uri } : {}),
    ...(redirectable && input.state !== undefined ? { state: input.state.slice(0, 8192) } : {}),
  };
}

function endSession(request: LogoutRequest): EndSessionOutcome {
  if (!request.postLogoutRedirectUri) return { kind: "end_session" };
  return { kind: "end_session", redirect: redirectWith(request.postLogoutRedirectUri, { state: request.state }) };
}
