// RFC 7591 §2 client metadata on the wire (snake_case JSON) ↔ the metadata every client is
// validated into (client-metadata.ts), and the client information response (RFC 7591 §3.2.1,
// RFC 7592 §3). The shared validation stays the one source of truth for redirect URIs, auth
// methods, scopes and grant types; this file adds only what the wire form brings with it.
//
// Choices where the RFCs leave one:
// - Unknown members are ignored (RFC 7591 §2), and so are members we recognise but do not store:
//   contacts, jwks, jwks_uri, software_id, software_version, software_statement, and
//   language-tagged names (client_name#ja). The response lists only what was registered, which
//   is how RFC 7591 §3.2.1 tells a client that a value was not accepted.
// - JSON null is the same as an absent member (RFC 7592 §2.2 treats omitted as null).
// - client_name is required: the consent screen must tell users which application asks.
// - grant_types defaults to ["authorization_code"] (RFC 7591 §2), not to the dashboard's
//   default, so a client gets refresh tokens only when it registers the refresh_token grant.
// - A member of the wrong JSON type is invalid_client_metadata (redirect_uris:
//   invalid_redirect_uri); RFC 7591 §3.2.2 defines no other code for a field's value.
import { InvalidClientMetadata, InvalidRedirectUri, type OAuthError } from "../errors.ts";
import { formatScope } from "../scope.ts";
import type { Client } from "../types.ts";
import { isUnambiguousText, validateClientMetadata, type ClientMetadata } from "./client-metadata.ts";
import { KEY_ALGORITHMS } from "../keys/keyring.ts";

export const ID_TOKEN_SIGNING_ALGS = KEY_ALGORITHMS;
export type IdTokenSigningAlg = (typeof ID_TOKEN_SIGNING_ALGS)[number];
/** RFC 7591 §2: human-readable pages about the client, shown to users, so https only. */
const URL_FIELDS = ["logo_uri", "client_uri", "policy_uri", "tos_uri"] as const;

export interface RegistrationMetadata extends ClientMetadata {
  readonly logoUri: string | null;
  readonly clientUri: string | null;
  readonly policyUri: string | null;
  readonly tosUri: string | null;
  readonly idTokenSignedResponseAlg: IdTokenSigningAlg;
}

/** RFC 7591 §3.2.1 / RFC 7592 §3: the client information response. */
export interface ClientInformationResponse {
  readonly client_id: string;
  readonly client_secret?: string;
  readonly client_id_issued_at: number;
  readonly client_secret_expires_at?: number;
  readonly registration_access_token: string;
  readonly registration_client_uri: string;
  readonly client_name: string;
  readonly application_type: "web" | "native";
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris: readonly string[];
  readonly token_endpoint_auth_method: string;
  readonly grant_types: readonly string[];
  readonly response_types: readonly string[];
  readonly scope: string;
  readonly id_token_signed_response_alg: string;
  readonly logo_uri?: string;
  readonly client_uri?: string;
  readonly policy_uri?: string;
  readonly tos_uri?: string;
}

type Json = Readonly<Record<string, unknown>>;

/** Maps and validates RFC 7591 §2 metadata. Throws InvalidRedirectUri / InvalidClientMetadata. */
export function parseRegistrationMetadata(body: Json): RegistrationMetadata {
  const metadata = validateClientMetadata({
    name: optionalString(body, "client_name"),
    applicationType: optionalString(body, "application_type"),
    tokenEndpointAuthMethod: optionalString(body, "token_endpoint_auth_method"),
    redirectUris: stringArray(body, "redirect_uris", InvalidRedirectUri) ?? [],
    postLogoutRedirectUris: stringArray(body, "post_logout_redirect_uris", InvalidRedirectUri) ?? [],
    scope: optionalString(body, "scope"),
    grantTypes: stringArray(body, "grant_types", InvalidClientMetadata) ?? ["authorization_code"],
  });
  checkResponseTypes(stringArray(body, "response_types", InvalidClientMetadata));
  const [logoUri, clientUri, policyUri, tosUri] = URL_FIELDS.map((field) => optionalHttpsUrl(body, field));
  return {
    ...metadata,
    logoUri: logoUri ?? null,
    clientUri: clientUri ?? null,
    policyUri: policyUri ?? null,
    tosUri: tosUri ?? null,
    idTokenSignedResponseAlg: signingAlg(optionalString(body, "id_token_signed_response_alg")),
  };
}

/** The client information response; `clientSecret` only when one was just issued. */
export function buildClientInformation(
  client: Client,
  issuedAt: Date,
  {
    clientSecret,
    registrationAccessToken,
    registrationClientUri,
  }: {
    readonly clientSecret?: string;
    readonly registrationAccessToken: string;
    readonly registrationClientUri: string;
  },
): ClientInformationResponse {
  const confidential = client.tokenEndpointAuthMethod !== "none";
  return {
    client_id: client.clientId,
    ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}),
    client_id_issued_at: Math.floor(issuedAt.getTime() / 1000),
    // RFC 7591 §3.2.1: 0 means the secret does not expire.
    ...(confidential ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: registrationAccessToken,
    registration_client_uri: registrationClientUri,
    client_name: client.name,
    application_type: client.applicationType,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    response_types: ["code"],
    scope: formatScope(client.scopes),
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    ...(client.logoUri ? { logo_uri: client.logoUri } : {}),
    ...(client.clientUri ? { client_uri: client.clientUri } : {}),
    ...(client.policyUri ? { policy_uri: client.policyUri } : {}),
    ...(client.tosUri ? { tos_uri: client.tosUri } : {}),
  };
}

function optionalString(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new InvalidClientMetadata(`${field} must be a string`);
  return value;
}

function stringArray(body: Json, field: string, error: new (description: string) => OAuthError): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) {
    throw new error(`${field} must be an array of strings`);
  }
  return value;
}

/** OIDC Registration §2 / RFC 7591 §2.1: only the code flow exists here (docs/protocol.md). */
function checkResponseTypes(responseTypes: readonly string[] | undefined): void {
  if (responseTypes === undefined) return;
  if (responseTypes.length === 0 || responseTypes.some((type) => type !== "code")) {
    throw new InvalidClientMetadata('response_types must be ["code"]');
  }
}

function optionalHttpsUrl(body: Json, field: string): string | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  const invalid = () => new InvalidClientMetadata(`${field} must be an absolute https URL`);
  if (value.length > 2000 || !isUnambiguousText(value)) throw invalid();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid();
  }
  if (url.protocol !== "https:" || url.username || url.password) throw invalid();
  return value;
}

function signingAlg(value: string | undefined): IdTokenSigningAlg {
  if (value === undefined) return "RS256";
  const alg = ID_TOKEN_SIGNING_ALGS.find((candidate) => candidate === value);
  if (!alg) throw new InvalidClientMetadata(`id_token_signed_response_alg must be one of ${ID_TOKEN_SIGNING_ALGS.join(", ")}`);
  return alg;
}
