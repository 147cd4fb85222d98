// HTTP Strict Transport Security (RFC 6797) when the issuer, the URL people and clients use, is
// https. The server itself may listen on plain http behind a TLS-terminating proxy, so the scheme
// of the request says nothing; ISSUER_URL does. Read at run time (next.config.mjs headers() are
// fixed at build time, and ISSUER_URL may change without a rebuild). Two years, subdomains
// included: the value browsers' preload lists expect (RFC 6797 §6.1.1, §6.1.2).
import { getConfig } from "../env.ts";

export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/** The header's value when the issuer is https, else undefined. */
export function strictTransportSecurity(): string | undefined {
  return getConfig().issuer.startsWith("https:") ? HSTS_VALUE : undefined;
}

/** The response with the header added when the issuer is https (a copy when its headers are immutable). */
export function withHsts(response: Response): Response {
  const value = strictTransportSecurity();
  if (!value || response.headers.has("strict-transport-security")) return response;
  try {
    response.headers.set("Strict-Transport-Security", value);
    return response;
  } catch {
    // Response.redirect() and fetched responses have immutable headers.
    const copy = new Response(response.body, response);
    copy.headers.set("Strict-Transport-Security", value);
    return copy;
  }
}
