// Client metadata validation, shared by every way a client comes to exist (admin command line,
// dashboard, dynamic registration, RFC 7591 §2). Redirect URIs follow RFC 6749 §3.1.2 (absolute,
// no fragment), RFC 9700 §2.1 (exact strings, no wildcards) and RFC 8252 (native apps).
import { InvalidClientMetadata, InvalidRedirectUri } from "../errors.ts";
import { parseScope } from "../scope.ts";
import type { Client, TokenEndpointAuthMethod } from "../types.ts";

export const SUPPORTED_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
export const SUPPORTED_GRANT_TYPES = ["authorization_code", "refresh_token"] as const;
export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ["client_secret_basic", "client_secret_post", "none"];

export interface ClientMetadataInput {
  readonly name?: string;
  readonly applicationType?: string;
  readonly tokenEndpointAuthMethod?: string;
  readonly redirectUris?: readonly string[];
  readonly postLogoutRedirectUris?: readonly string[];
  readonly scope?: string;
  readonly grantTypes?: readonly string[];
}

/** The validated metadata: the part of a Client that its registration decides. */
export type ClientMetadata = Pick<
  Client,
  "name" | "applicationType" | "tokenEndpointAuthMethod" | "redirectUris" | "postLogoutRedirectUris" | "scopes" | "grantTypes"
>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Characters that make a name or a URI read differently from what it is: C0 and C1 controls,
 * DEL, and the bidirectional marks, embeddings, overrides and isolates of Unicode UAX #9 (a
 * client name on the consent screen could spell another application's name backwards), and the
 * backslash, which browsers and URL parsers read differently
 * (`https://app.example\@evil.example/` is app.example to one and evil.example to another).
 */
const MISLEADING = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\\]/;

/** Whether a client name or URI reads as what it is (no controls, bidi formatting, backslash). */
export function isUnambiguousText(value: string): boolean {
  return !MISLEADING.test(value);
}

// RFC 8252 §7.1: private-use schemes are reverse domain names, e.g. com.example.app.
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/;

export function validateClientMetadata(input: ClientMetadataInput): ClientMetadata {
  const name = (input.name ?? "").trim();
  if (name.length === 0 || name.length > 100) throw new InvalidClientMetadata("client_name must be 1 to 100 characters");
  if (!isUnambiguousText(name))
    throw new InvalidClientMetadata("client_name must not contain backslashes, control or bidirectional formatting characters");
  const applicationType = input.applicationType ?? "web";
  if (applicationType !== "web" && applicationType !== "native") {
    throw new InvalidClientMetadata("application_type must be web or native");
  }
  const method = input.tokenEndpointAuthMethod ?? "client_secret_basic";
  if (!(AUTH_METHODS as readonly string[]).includes(method)) {
    throw new InvalidClientMetadata(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(", ")}`);
  }
  const redirectUris = input.redirectUris ?? [];
  if (redirectUris.length === 0) throw new InvalidRedirectUri("at least one redirect URI is required");
  if (redirectUris.length > 20) throw new InvalidRedirectUri("at most 20 redirect URIs");
  for (const uri of redirectUris) checkRedirectUri(uri, applicationType, "redirect URI");
  const postLogoutRedirectUris = input.postLogoutRedirectUris ?? [];
  for (const uri of postLogoutRedirectUris) checkRedirectUri(uri, applicationType, "post-logout redirect URI");

  const scopes = parseScope(input.scope ?? SUPPORTED_SCOPES.join(" "));
  if (!scopes || scopes.length === 0) throw new InvalidClientMetadata("scope is malformed");
  const unsupported = scopes.find((scope) => !(SUPPORTED_SCOPES as readonly string[]).includes(scope));
  if (unsupported) throw new InvalidClientMetadata(`scope ${unsupported} is not supported`);

  const grantTypes = [...new Set(input.grantTypes ?? ["authorization_code", "refresh_token"])];
  const badGrant = grantTypes.find((grant) => !(SUPPORTED_GRANT_TYPES as readonly string[]).includes(grant));
  if (badGrant) throw new InvalidClientMetadata(`grant type ${badGrant.slice(0, 64)} is not supported`);
  if (!grantTypes.includes("authorization_code")) throw new InvalidClientMetadata("grant_types must include authorization_code");

  return {
    name,
    applicationType,
    tokenEndpointAuthMethod: method as TokenEndpointAuthMethod,
    redirectUris: [...new Set(redirectUris)],
    postLogoutRedirectUris: [...new Set(postLogoutRedirectUris)],
    scopes,
    grantTypes,
  };
}

function checkRedirectUri(uri: string, applicationType: "web" | "native", label: string): void {
  const fail = (why: string) => new InvalidRedirectUri(`${label} ${uri.slice(0, 200)} ${why}`);
  if (uri.length > 2000 || /[\s*]/.test(uri)) throw fail("must not contain spaces or wildcards");
  if (!isUnambiguousText(uri)) throw fail("must not contain backslashes or control characters");
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw fail("must be an absolute URI");
  }
  if (uri.includes("#")) throw fail("must not have a fragment");
  if (url.username || url.password) throw fail("must not contain credentials");
  const scheme = url.protocol.slice(0, -1);
  if (scheme === "https") return;
  if (scheme === "http") {
    if (LOOPBACK_HOSTS.has(url.hostname)) return;
    throw fail("must use https (http only for loopback hosts)");
  }
  if (PRIVATE_USE_SCHEME.test(scheme)) {
    if (applicationType === "native") return;
    throw fail("uses a private-use scheme, which only native applications may register");
  }
  throw fail("uses a scheme that is not allowed");
}
