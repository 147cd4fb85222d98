// The bearer access token of a protected-resource request (RFC 6750 §2). This only extracts it;
// verifying the token is the core's job.
import { InvalidRequest } from "../oauth/errors.ts";
import { type RawParams } from "../oauth/types.ts";
import { readAuthorization } from "./client-credentials.ts";
import { single } from "./params.ts";

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The access token from `Authorization: Bearer` or, for POST, the form body's `access_token`
 * (RFC 6750 §2.1, §2.2). Returns undefined when the request carries none: the caller answers 401
 * with a bare `WWW-Authenticate: Bearer` (RFC 6750 §3.1: no error code when no token was sent).
 *
 * @param body the parsed form body of a POST (the caller checked its content type); ignored for
 *   other methods, since RFC 6750 §2.2 forbids the body method with GET.
 */
export function readBearerToken(headers: Headers, method: string, body: RawParams | undefined, query: RawParams): string | undefined {
  // RFC 6750 §2.3 allows the query, but RFC 9700 §2.4 advises against it and so do we
  // (docs/protocol.md "UserInfo, revocation, introspection"): URLs end up in logs, browser history
  // and Referer headers.
  if (query.has("access_token")) {
    throw new InvalidRequest("access tokens must not be sent in the URL query");
  }
  const fromHeader = readHeaderToken(headers);
  const fromBody = method.toUpperCase() === "POST" && body ? single(body, "access_token") : undefined;
  // RFC 6750 §2: "Clients MUST NOT use more than one method to transmit the token in each request."
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw new InvalidRequest("the access token must be sent by exactly one method");
  }
  return fromHeader ?? fromBody;
}

function readHeaderToken(headers: Headers): string | undefined {
  const authorization = readAuthorization(headers);
  // Another scheme (Basic, say) carries no bearer token: the request is treated as having none,
  // and the Bearer challenge then tells the client what this resource expects (RFC 7235 §3.1).
  if (!authorization || authorization.scheme !== "bearer") return undefined;
  // RFC 6750 §3.1: a malformed header is invalid_request, not invalid_token.
  if (!B64TOKEN.test(authorization.credentials)) {
    throw new InvalidRequest("malformed Bearer authorization header");
  }
  return authorization.credentials;
}
