// Authorization responses. Every response to the redirect URI carries `iss` (RFC 9207) and the
// state exactly as received (RFC 6749 §4.1.2). Parameters are appended to the registered URI as
// is, so its own query survives byte for byte.
import type { OAuthError } from "../errors.ts";

export function redirectWith(redirectUri: string, params: Readonly<Record<string, string | undefined>>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) query.append(name, value);
  }
  const added = query.toString();
  if (added === "") return redirectUri;
  return `${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${added}`;
}

export function errorRedirect(redirectUri: string, error: OAuthError, state: string | undefined, issuer: string): string {
  return redirectWith(redirectUri, { error: error.error, error_description: error.description, state, iss: issuer });
}

export function codeRedirect(redirectUri: string, code: string, state: string | undefined, issuer: string): string {
  return redirectWith(redirectUri, { code, state, iss: issuer });
}
