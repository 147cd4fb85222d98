// Protocol responses, and the one try/catch every route handler goes through.
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { OAuthError, TemporarilyUnavailable, errorBody } from "../oauth/errors.ts";
import { InvalidClientBasic, triedBasic } from "./client-credentials.ts";
import { withHsts } from "./hsts.ts";
import { unavailablePageResponse } from "./unavailable-page.ts";

export interface JsonResponseOptions {
  readonly status?: number;
  readonly headers?: HeadersInit;
  /** RFC 6749 §5.1: responses carrying tokens or credentials MUST NOT be cached. Default true. */
  readonly noStore?: boolean;
}

export function jsonResponse(body: unknown, { status = 200, headers, noStore = true }: JsonResponseOptions = {}): Response {
  const merged = new Headers(headers);
  merged.set("Content-Type", "application/json; charset=utf-8");
  merged.set("X-Content-Type-Options", "nosniff");
  if (noStore) {
    // Set last so that a caller cannot weaken it by accident; pass noStore: false to cache.
    merged.set("Cache-Control", "no-store");
    merged.set("Pragma", "no-cache");
  }
  return new Response(JSON.stringify(body), { status, headers: merged });
}

/**
 * A public JSON document (discovery, JWKS), already serialised: any origin may read it (browser
 * relying parties fetch it; it carries no cookies and no secrets) and caches may keep it.
 */
export function publicJsonResponse(
  json: string,
  { contentType = "application/json", maxAgeSeconds }: { contentType?: string; maxAgeSeconds: number },
): Response {
  return withHsts(
    new Response(json, {
      headers: {
        "Content-Type": contentType,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": `public, max-age=${maxAgeSeconds}`,
        "Access-Control-Allow-Origin": "*",
      },
    }),
  );
}

/** How long a client should wait before retrying while the database is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

export interface ErrorResponseOptions {
  /** The realm of a Basic or Bearer challenge. Basic requires one (RFC 7617 §2); default "oauth". */
  readonly realm?: string;
  /**
   * Which challenge the request's endpoint answers with. "Basic": the client tried HTTP Basic,
   * so invalid_client carries a Basic challenge (RFC 6749 §5.2). "Bearer": a protected resource,
   * so every 4xx error carries a Bearer challenge with its code (RFC 6750 §3).
   */
  readonly challenge?: "Basic" | "Bearer";
  /** The Retry-After of a 503 (RFC 9110 §10.2.3); default RETRY_AFTER_SECONDS. */
  readonly retryAfterSeconds?: number;
}

/**
 * An OAuthError as its RFC 6749 §5.2 JSON answer: the one definition of the error shape, used by
 * every route handler (through withOAuthErrors) and by the front when it refuses work.
 */
export function oauthErrorResponse(
  error: OAuthError,
  { realm, challenge, retryAfterSeconds = RETRY_AFTER_SECONDS }: ErrorResponseOptions = {},
): Response {
  const { error: code, error_description: description } = errorBody(error);
  const body = { error: code, error_description: toDescriptionCharset(description) };
  const headers = new Headers();
  let status = error.status;

  if (code === "invalid_client" && (error instanceof InvalidClientBasic || challenge === "Basic")) {
    // RFC 6749 §5.2: 401 and a challenge matching the scheme the client used.
    status = 401;
    headers.set("WWW-Authenticate", `Basic realm=${quoted(realm ?? "oauth")}`);
  } else if (code === "invalid_token" || code === "insufficient_scope" || (challenge === "Bearer" && status < 500)) {
    // RFC 6750 §3: the challenge names the error; RFC 6750 §3.1 gives the statuses.
    if (code === "invalid_token") status = 401;
    if (code === "insufficient_scope") status = 403;
    headers.set("WWW-Authenticate", bearerChallenge({ realm, error: code, description: body.error_description }));
  }
  // RFC 9110 §10.2.3: tells the client when to try again after a 503.
  if (status === 503) headers.set("Retry-After", String(retryAfterSeconds));
  return jsonResponse(body, { status, headers });
}

/** RFC 6750 §3.1: the answer to a request without a token: 401 and a challenge with no error code. */
export function bearerRequiredResponse({ realm }: { realm?: string } = {}): Response {
  return new Response(null, {
    status: 401,
    headers: { "WWW-Authenticate": bearerChallenge({ realm }), "Cache-Control": "no-store", Pragma: "no-cache" },
  });
}

function bearerChallenge({ realm, error, description }: { realm?: string; error?: string; description?: string }): string {
  const params: string[] = [];
  if (realm !== undefined) params.push(`realm=${quoted(realm)}`);
  if (error !== undefined) params.push(`error=${quoted(error)}`);
  if (description !== undefined) params.push(`error_description=${quoted(toDescriptionCharset(description))}`);
  return params.length === 0 ? "Bearer" : `Bearer ${params.join(", ")}`;
}

/**
 * RFC 6749 §5.2 and RFC 6750 §3: error_description MUST NOT include characters outside
 * %x20-21 / %x23-5B / %x5D-7E. A double quote becomes a single one; anything else outside the
 * set (controls, backslash, non-ASCII) becomes "?". This also keeps header values ByteStrings.
 */
export function toDescriptionCharset(description: string): string {
  return description.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "?");
}

/** RFC 9110 §5.6.4 quoted-string, restricted to printable ASCII (header values are ByteStrings). */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x7e]/g, "?").replace(/["\\]/g, "\\$&")}"`;
}

export interface OAuthRouteOptions {
  readonly realm?: string;
  /** "Bearer" for protected resources (userinfo): every 4xx error carries a Bearer challenge. */
  readonly challenge?: "Bearer";
  /**
   * A browser endpoint (authorization, end-session): a person reads the answer, so an unavailable
   * database gets the "try again shortly" page rather than a JSON error.
   */
  readonly page?: boolean;
}

/**
 * The only try/catch of the route handlers. An OAuthError becomes its RFC response; anything
 * else is logged with a short reference and answered with a generic 500, so no input ever shows
 * a stack trace. Every answer gets HSTS when the issuer is https (hsts.ts). Extra arguments (the
 * App Router's context) pass through, so `export const POST = withOAuthErrors(async (request) => …)` type-checks.
 */
export function withOAuthErrors<Rest extends unknown[]>(
  handler: (request: Request, ...rest: Rest) => Promise<Response>,
  options: OAuthRouteOptions = {},
): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => withHsts(await answer(request, ...rest));
  async function answer(request: Request, ...rest: Rest): Promise<Response> {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      const challenge = options.challenge ?? (triedBasic(request.headers) ? "Basic" : undefined);
      if (error instanceof OAuthError) {
        if (error.status >= 500) console.error("[oauth] server error response", error);
        return oauthErrorResponse(error, { realm: options.realm, challenge });
      }
      if (isDatabaseUnavailable(error)) {
        // The database is down, unreachable, too slow or locked: a passing condition, not a bug.
        console.error(`[oauth] database unavailable: ${error instanceof Error ? error.message.trim().split("\n").pop() : String(error)}`);
        if (options.page) return unavailablePageResponse(RETRY_AFTER_SECONDS);
        const unavailable = new TemporarilyUnavailable("the service is temporarily unavailable; try again shortly");
        return oauthErrorResponse(unavailable, { realm: options.realm, challenge });
      }
      const ref = crypto.randomUUID().slice(0, 8);
      console.error(`[oauth] unhandled error (ref ${ref})`, error);
      return jsonResponse({ error: "server_error", error_description: `internal error (ref ${ref})` }, { status: 500 });
    }
  }
}
