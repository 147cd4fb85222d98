// The server's metadata: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2, one document served at
// both well-known paths (RFC 8414 §5 allows the OpenID one to carry the RFC 8414 fields).
// Every URL is the configured issuer plus a path of ENDPOINT_PATHS, never the request's Host
// (docs/protocol.md "Issuer and discovery"). Each value states what the code does today; a feature we
// lack is advertised as false or left out, never promised.
import { ACR_VALUES } from "../authorize/acr.ts";
import type { Prompt } from "../authorize/request.ts";
import { SCOPE_CLAIMS } from "../claims/claims-for-scopes.ts";
import { endpointUrl } from "../endpoints.ts";
import { KEY_ALGORITHMS } from "../keys/keyring.ts";
import { AUTH_METHODS, SUPPORTED_GRANT_TYPES, SUPPORTED_SCOPES } from "../registration/client-metadata.ts";

/** The wire document, in its snake_case. */
export interface ServerMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly userinfo_endpoint: string;
  readonly jwks_uri: string;
  readonly registration_endpoint: string;
  readonly revocation_endpoint: string;
  readonly introspection_endpoint: string;
  readonly end_session_endpoint: string;
  readonly scopes_supported: readonly string[];
  readonly response_types_supported: readonly string[];
  readonly response_modes_supported: readonly string[];
  readonly grant_types_supported: readonly string[];
  readonly code_challenge_methods_supported: readonly string[];
  readonly token_endpoint_auth_methods_supported: readonly string[];
  readonly revocation_endpoint_auth_methods_supported: readonly string[];
  readonly introspection_endpoint_auth_methods_supported: readonly string[];
  readonly subject_types_supported: readonly string[];
  readonly id_token_signing_alg_values_supported: readonly string[];
  readonly claims_supported: readonly string[];
  readonly claim_types_supported: readonly string[];
  readonly prompt_values_supported: readonly string[];
  readonly acr_values_supported: readonly string[];
  readonly claims_parameter_supported: boolean;
  readonly request_parameter_supported: boolean;
  readonly request_uri_parameter_supported: boolean;
  readonly authorization_response_iss_parameter_supported: boolean;
  readonly frontchannel_logout_supported: boolean;
  readonly backchannel_logout_supported: boolean;
}

/** The claims of the ID token and userinfo: protocol ones, then those of each scope. */
const CLAIMS_SUPPORTED = [
  "sub",
  "iss",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "nonce",
  "at_hash",
  "sid",
  "amr",
  "acr",
  ...Object.values(SCOPE_CLAIMS).flat(),
];

/** What lib/oauth/authorize/request.ts accepts. */
const PROMPTS = ["none", "login", "consent", "select_account"] as const satisfies readonly Prompt[];

export function buildServerMetadata(issuer: string): ServerMetadata {
  return {
    issuer,
    authorization_endpoint: endpointUrl(issuer, "authorization"),
    token_endpoint: endpointUrl(issuer, "token"),
    userinfo_endpoint: endpointUrl(issuer, "userinfo"),
    jwks_uri: endpointUrl(issuer, "jwks"),
    registration_endpoint: endpointUrl(issuer, "registration"),
    revocation_endpoint: endpointUrl(issuer, "revocation"),
    introspection_endpoint: endpointUrl(issuer, "introspection"),
    end_session_endpoint: endpointUrl(issuer, "endSession"),
    scopes_supported: [...SUPPORTED_SCOPES],
    // The code flow only, its response in the query (RFC 6749 §4.1.2; docs/protocol.md).
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...SUPPORTED_GRANT_TYPES],
    // RFC 9700 §2.1.1: plain is refused.
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    // RFC 7009 §2.1: a public client revokes its own tokens by client_id.
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    // handle-introspection.ts: only confidential clients introspect (RFC 7662 §2.1).
    introspection_endpoint_auth_methods_supported: AUTH_METHODS.filter((method) => method !== "none"),
    subject_types_supported: ["public"],
    // Core §15.1: RS256 is mandatory; the keyring always holds one active key per algorithm.
    id_token_signing_alg_values_supported: [...KEY_ALGORITHMS],
    claims_supported: CLAIMS_SUPPORTED,
    claim_types_supported: ["normal"],
    prompt_values_supported: [...PROMPTS],
    // authorize/acr.ts: the classes a session reaches, and the requests that ask for one (the
    // claims parameter is read for id_token.acr; other claims follow the granted scopes, which
    // Core §5.5.1 allows).
    acr_values_supported: [...ACR_VALUES],
    claims_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    // RFC 9207: every authorization response carries iss.
    authorization_response_iss_parameter_supported: true,
    frontchannel_logout_supported: false,
    backchannel_logout_supported: false,
  };
}

const serialized = new Map<string, string>();

/** The document as JSON, serialized once per issuer and process (it changes only with a deploy). */
export function serverMetadataJson(issuer: string): string {
  let json = serialized.get(issuer);
  if (json === undefined) {
    json = JSON.stringify(buildServerMetadata(issuer));
    serialized.set(issuer, json);
  }
  return json;
}
