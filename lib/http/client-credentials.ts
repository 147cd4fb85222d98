// Client credentials of a token, revocation or introspection request (RFC 6749 §2.3). This only
// extracts them; whether they are right, and whether the client registered this method
// (token_endpoint_auth_method), is the core's decision.
import { InvalidClient, InvalidRequest } from "../oauth/errors.ts";
import type { ClientCredentials } from "../oauth/token/client-auth.ts";
import { type RawParams } from "../oauth/types.ts";
import { decodeFormComponent, single } from "./params.ts";

// The shape the core authenticates (a public client identifies itself with client_id alone,
// RFC 6749 §2.1, §3.2.1).
export type { ClientCredentials };

/**
 * invalid_client raised after the client tried HTTP Basic. RFC 6749 §5.2: the response MUST be
 * 401 with a WWW-Authenticate header matching the scheme the client used.
 */
export class InvalidClientBasic extends InvalidClient {
  readonly wwwAuthenticate = "Basic" as const;
}

/** The Authorization header split into a lower-cased scheme and the rest (RFC 7235 §2.1). */
export function readAuthorization(headers: Headers): { scheme: string; credentials: string } | undefined {
  const value = headers.get("authorization");
  if (value === null) return undefined;
  const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?: +(.*))?$/.exec(value);
  // RFC 7235 §2.1: auth-scheme is case-insensitive.
  if (!match) return { scheme: "", credentials: value };
  return { scheme: match[1]!.toLowerCase(), credentials: match[2] ?? "" };
}

/** Whether the client tried HTTP Basic, so that invalid_client must carry a Basic challenge. */
export function triedBasic(headers: Headers): boolean {
  return readAuthorization(headers)?.scheme === "basic";
}

export function readClientCredentials(headers: Headers, body: RawParams, query: RawParams): ClientCredentials {
  // RFC 6749 §2.3.1: credentials "MUST NOT be included in the request URI". client_id is refused
  // there too: on these endpoints it only ever identifies the client, which belongs in the body.
  for (const name of ["client_id", "client_secret"]) {
    if (query.has(name)) throw new InvalidRequest("client credentials must not be sent in the URL query");
  }
  const bodyId = single(body, "client_id");
  const bodySecret = single(body, "client_secret");
  const authorization = readAuthorization(headers);

  if (authorization) {
    // Only Basic is defined for clients here (RFC 6749 §2.3.1). Another scheme (a Bearer token,
    // say) is not a way to authenticate a client, and ignoring it would hide the client's
    // mistake, so it is a malformed request rather than a failed authentication.
    if (authorization.scheme !== "basic") {
      throw new InvalidRequest("the Authorization header must use the Basic scheme");
    }
    const { clientId, clientSecret } = decodeBasic(authorization.credentials);
    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (bodySecret !== undefined) {
      throw new InvalidRequest("client authentication must use exactly one method");
    }
    // A client_id in the body alongside Basic is tolerated (some clients always send it) only
    // when it names the same client.
    if (bodyId !== undefined && bodyId !== clientId) {
      throw new InvalidRequest("client_id does not match the authenticated client");
    }
    return { method: "client_secret_basic", clientId, clientSecret };
  }

  if (bodySecret !== undefined) {
    if (bodyId === undefined) throw new InvalidRequest("client_secret requires client_id");
    return { method: "client_secret_post", clientId: bodyId, clientSecret: bodySecret };
  }
  if (bodyId !== undefined) return { method: "none", clientId: bodyId };
  return { method: "unauthenticated" };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * RFC 6749 §2.3.1: the id and the secret are each application/x-www-form-urlencoded, then joined
 * with ":" and base64-encoded (RFC 7617). The split happens before form-decoding, so an id with
 * an encoded colon (%3A) stays whole. A client that did not form-encode a secret with "+" in it
 * will fail: the RFC is followed, not guessed around.
 */
function decodeBasic(credentials: string): { clientId: string; clientSecret: string } {
  const malformed = () => new InvalidClientBasic("malformed HTTP Basic client credentials");
  // Strict base64 (RFC 4648 §4): padded, no whitespace, canonical trailing bits.
  if (credentials === "" || !BASE64.test(credentials)) throw malformed();
  const bytes = Buffer.from(credentials, "base64");
  if (bytes.toString("base64") !== credentials) throw malformed();

  const colon = bytes.indexOf(0x3a /* : */);
  if (colon === -1) throw malformed();
  const clientId = decodeFormComponent(bytes.subarray(0, colon));
  const clientSecret = decodeFormComponent(bytes.subarray(colon + 1));
  // We only issue non-empty secrets, so an empty id or secret can only be a malformed request.
  if (!clientId || !clientSecret) throw malformed();
  return { clientId, clientSecret };
}
