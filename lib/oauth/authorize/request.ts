// The authorization request (RFC 6749 §4.1.1, OpenID Connect Core §3.1.2.1), validated in the
// order that decides where an error may go: first client_id and redirect_uri, whose failures are
// shown on an error page and never redirected (RFC 6749 §4.1.2.1); every later failure is
// redirected to the now-trusted redirect URI.
import {
  InvalidRequest,
  InvalidScope,
  OAuthError,
  RequestNotSupported,
  RequestUriNotSupported,
  UnauthorizedClient,
  UnsupportedResponseType,
} from "../errors.ts";
import { CODE_CHALLENGE } from "../pkce.ts";
import { rejectDuplicates, shortName, single } from "../raw-params.ts";
import { isSubset, parseScope } from "../scope.ts";
import type { Client, RawParams } from "../types.ts";
import { spaceList } from "../wire-values.ts";
import { parseAcrRequest, type AcrRequest } from "./acr.ts";
import { matchRedirectUri } from "./redirect-uri.ts";

export type Prompt = "none" | "login" | "consent" | "select_account";
const PROMPTS: ReadonlySet<string> = new Set<Prompt>(["none", "login", "consent", "select_account"]);
const MAX_PARAM_LENGTH = 8192;

/** What a validated request carries forward; serialisable, so an interaction can store it. */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  /** Echoed back exactly as received (RFC 6749 §4.1.2). */
  readonly state?: string;
  readonly scopes: readonly string[];
  readonly nonce?: string;
  readonly codeChallenge: string;
  readonly codeChallengeMethod: "S256";
  readonly prompt: readonly Prompt[];
  readonly maxAge?: number;
  readonly loginHint?: string;
  readonly uiLocales?: string;
  /** `acr_values` and the claims parameter's `id_token.acr` (acr.ts). */
  readonly acr?: AcrRequest;
}

/** A failure that may only be shown to the user, never redirected. */
export class UntrustedRedirect extends Error {
  override name = "UntrustedRedirect";
  constructor(
    readonly error: OAuthError,
    /** For the event log: the client as identified, and the redirect URI sent versus registered. */
    readonly context: {
      readonly clientId: string | null;
      readonly redirectUri?: string;
      readonly registeredRedirectUris?: readonly string[];
    },
  ) {
    super(error.message);
  }
}

/** A failure to report to the client at its redirect URI. */
export class RedirectableError extends Error {
  override name = "RedirectableError";
  constructor(
    readonly error: OAuthError,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(error.message);
  }
}

/** Step 1: the client and its redirect URI. Throws UntrustedRedirect. */
export async function identifyClient(
  params: RawParams,
  findClient: (clientId: string) => Promise<Client | null>,
): Promise<{ client: Client; redirectUri: string }> {
  let clientId: string | null = null;
  let client: Client | null = null;
  let redirectUri: string | undefined;
  try {
    const presented = single(params, "client_id");
    if (!presented) throw new InvalidRequest("client_id is missing");
    clientId = presented.slice(0, 255);
    client = presented.length <= 255 ? await findClient(presented) : null;
    if (!client) throw new InvalidRequest("unknown client_id");
    if (client.disabled) throw Object.assign(new InvalidRequest("unknown client_id"), { cause: "client disabled" });
    redirectUri = single(params, "redirect_uri");
    // OpenID Connect Core §3.1.2.1 makes redirect_uri required; so do we, for OAuth too.
    if (!redirectUri) throw new InvalidRequest("redirect_uri is missing");
    if (!matchRedirectUri(client, redirectUri)) {
      throw new InvalidRequest("redirect_uri is not registered for this client");
    }
    return { client, redirectUri };
  } catch (error) {
    if (error instanceof OAuthError) {
      throw new UntrustedRedirect(error, {
        clientId: client ? client.clientId : clientId,
        ...(redirectUri !== undefined ? { redirectUri: redirectUri.slice(0, 2000) } : {}),
        ...(client ? { registeredRedirectUris: client.redirectUris } : {}),
      });
    }
    throw error;
  }
}

/** Step 2: everything else. Throws RedirectableError. */
export function parseAuthorizationRequest(params: RawParams, client: Client, redirectUri: string): AuthorizationRequest {
  // The state is needed to report any other error, so read it first and leniently: a repeated
  // state is itself an error, reported without one.
  const states = params.get("state") ?? [];
  const state = states.length === 1 && states[0] !== "" ? states[0] : undefined;
  try {
    if (states.length > 1) throw new InvalidRequest("state must not be repeated");
    return validate(params, client, redirectUri, state);
  } catch (error) {
    if (error instanceof OAuthError) throw new RedirectableError(error, redirectUri, state);
    throw error;
  }
}

function validate(params: RawParams, client: Client, redirectUri: string, state: string | undefined): AuthorizationRequest {
  rejectDuplicates(params);
  for (const [name, values] of params) {
    if ((values[0] ?? "").length > MAX_PARAM_LENGTH) throw new InvalidRequest(`${shortName(name)} is too long`);
  }
  // OpenID Connect Core §6: request objects are optional to support; say so precisely.
  if (single(params, "request")) throw new RequestNotSupported("request objects are not supported");
  if (single(params, "request_uri")) throw new RequestUriNotSupported("request_uri is not supported");

  const responseType = single(params, "response_type");
  if (!responseType) throw new InvalidRequest("response_type is missing");
  if (responseType !== "code") throw new UnsupportedResponseType("only response_type=code is supported");
  if (!client.grantTypes.includes("authorization_code")) {
    throw new UnauthorizedClient("this client may not use the authorization code grant");
  }
  const responseMode = single(params, "response_mode");
  if (responseMode !== undefined && responseMode !== "query") throw new InvalidRequest("only response_mode=query is supported");

  // RFC 7636 and RFC 9700 §2.1.1: PKCE with S256 for every client; `plain` is refused.
  const codeChallenge = single(params, "code_challenge");
  const method = single(params, "code_challenge_method");
  if (!codeChallenge) throw new InvalidRequest("code_challenge is required (PKCE with S256)");
  if (method !== "S256") {
    throw new InvalidRequest(
      method === undefined ? "code_challenge_method is required and must be S256" : "code_challenge_method must be S256",
    );
  }
  if (!CODE_CHALLENGE.test(codeChallenge)) throw new InvalidRequest("code_challenge must be a base64url SHA-256 hash (43 characters)");

  const scopeText = single(params, "scope");
  if (!scopeText) throw new InvalidScope("scope is required");
  const scopes = parseScope(scopeText);
  if (!scopes || scopes.length === 0) throw new InvalidScope("scope is malformed");
  if (!isSubset(scopes, client.scopes)) throw new InvalidScope("the requested scope is not allowed for this client");

  const prompt = parsePrompt(single(params, "prompt"));
  const maxAgeText = single(params, "max_age");
  if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText)) throw new InvalidRequest("max_age must be a non-negative integer");
  const acr = parseAcrRequest(params);

  return {
    clientId: client.clientId,
    redirectUri,
    ...(state !== undefined ? { state } : {}),
    scopes,
    ...optional("nonce", single(params, "nonce")),
    codeChallenge,
    codeChallengeMethod: "S256",
    prompt,
    ...(maxAgeText !== undefined ? { maxAge: Number(maxAgeText) } : {}),
    ...optional("loginHint", single(params, "login_hint")),
    ...optional("uiLocales", single(params, "ui_locales")),
    ...(acr ? { acr } : {}),
  };
}

function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const prompts = [...new Set(spaceList(value))];
  if (!prompts.every((prompt) => PROMPTS.has(prompt))) throw new InvalidRequest("prompt has an unsupported value");
  // OpenID Connect Core §3.1.2.1: none with any other value is an error.
  if (prompts.includes("none") && prompts.length > 1) throw new InvalidRequest("prompt=none cannot be combined with other values");
  return prompts as Prompt[];
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
