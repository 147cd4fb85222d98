// The server's front door (`npm start`): a node:http request listener that applies the
// request-level rules, serves the JSON protocol endpoints by calling their route handlers
// directly, and hands every other request to Next.js through its custom-server API. The handlers
// are the very functions Next.js calls under plain `next start`, so both entry points give the
// same answers (tests/integration/front.test.ts compares them); the front only saves Next.js's
// own per-request work where no page is rendered. It imports nothing from Next.js.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { oauthErrorResponse } from "../http/responses.ts";
import { unavailablePageResponse } from "../http/unavailable-page.ts";
import { TemporarilyUnavailable } from "../oauth/errors.ts";
import type { Gate } from "./gate.ts";
import { resolveClientAddress, type TrustProxy } from "./client-address.ts";
import { ADDRESS_HEADER, FRONT_HEADER, REQUEST_ID_HEADER, claimFrontToken, takeOutage } from "./state.ts";
import { BodyTooLarge, readBody, toWebRequest, writeWebResponse } from "./web.ts";

export type RouteHandler = (request: Request) => Response | Promise<Response>;
/** path → method → handler. */
export type RouteTable = ReadonlyMap<string, ReadonlyMap<string, RouteHandler>>;

export interface FrontOptions {
  /** The issuer's origin: the base of the URLs the route handlers see. */
  readonly origin: string;
  /** Host header values (lower case, with port when not the default) that name this server. */
  readonly allowedHosts: ReadonlySet<string>;
  readonly trustProxy: TrustProxy;
  readonly gate: Gate;
  readonly routes: RouteTable;
  readonly next: (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  /** One JSON line per request (method, path, status, duration): never a query string or a body. */
  readonly accessLog?: (line: string) => void;
  /**
   * Paths whose GET answer is a public document (discovery, JWKS: no cookies, no secrets, the same
   * for everyone). Their handler's 200 answer is written again for PUBLIC_DOCUMENT_REUSE_MS, so
   * under load they are served from bytes prepared once, not built per request.
   */
  readonly publicDocuments?: ReadonlySet<string>;
}

/**
 * How long a public document's bytes are reused. Short enough that a key rotated or withdrawn
 * (the change watcher reloads the keyring within 250 ms) leaves the JWKS within a second; long
 * enough that a busy server builds each document a few times a second at most.
 */
export const PUBLIC_DOCUMENT_REUSE_MS = 250;

interface PreparedDocument {
  readonly until: number;
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

/**
 * The largest body read at all. The JSON endpoints refuse theirs past 64 KiB themselves, with the
 * same invalid_request under both entry points (lib/http/params.ts); this bounds the memory a
 * request can take before any of that runs, and the forms and server actions behind Next.js.
 */
export const BODY_LIMIT = 1024 * 1024;
export const OVERLOAD_RETRY_AFTER_SECONDS = 2;
export const OUTAGE_RETRY_AFTER_SECONDS = 5;
/** Answered whatever the Host, so a load balancer may probe an instance by its own address. */
const HEALTH_PATH = "/api/health";

export function createFront(options: FrontOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const token = claimFrontToken();
  const prepared = new Map<string, PreparedDocument>();
  return (request, response) => {
    const started = performance.now();
    const requestId = randomUUID();
    response.setHeader("X-Request-Id", requestId);
    if (options.accessLog) {
      const log = options.accessLog;
      response.once("close", () => {
        log(
          JSON.stringify({
            time: new Date().toISOString(),
            id: requestId,
            method: request.method,
            path: pathOf(request.url ?? ""),
            status: response.statusCode,
            ms: Math.round((performance.now() - started) * 10) / 10,
            ...(response.writableFinished ? {} : { aborted: true }),
          }),
        );
      });
    }
    void serve(options, token, prepared, requestId, request, response).catch((error: unknown) => {
      const ref = requestId.slice(0, 8);
      console.error(`[front] unhandled error (ref ${ref})`, error);
      if (!response.headersSent) plain(response, 500, `internal error (ref ${ref})`);
      else response.destroy();
    });
  };
}

async function serve(
  options: FrontOptions,
  token: string,
  prepared: Map<string, PreparedDocument>,
  requestId: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = request.url ?? "";
  // RFC 9112 §3.2: a server must accept absolute-form, but nothing but a proxy is ever sent it;
  // answering one here would let a crafted target steer redirects to another host.
  if (!target.startsWith("/")) return plain(response, 400, "the request target must be a path");
  const path = pathOf(target);
  const host = request.headers.host?.toLowerCase();
  if (path !== HEALTH_PATH && (host === undefined || !options.allowedHosts.has(host))) {
    return plain(response, 400, "this server does not serve that host");
  }
  if (Number(request.headers["content-length"] ?? 0) > BODY_LIMIT) return tooLarge(response);

  // What the code behind the front may rely on; whatever the client sent under these names goes.
  const headers = request.headers;
  headers[FRONT_HEADER] = token;
  headers[REQUEST_ID_HEADER] = requestId;
  const address = resolveClientAddress(request.socket.remoteAddress, single(headers["x-forwarded-for"]), options.trustProxy);
  if (address === undefined) delete headers[ADDRESS_HEADER];
  else headers[ADDRESS_HEADER] = address;

  // The place is given back when the response closes: answered, or the client gone. A client
  // may leave while it waits its turn; its place, granted after that, is passed on at once
  // (listening only after admission would miss that close, and keep the place for good).
  const place = { held: false, gone: false };
  response.once("close", () => {
    place.gone = true;
    if (place.held) options.gate.release();
  });
  const admitted = await options.gate.enter();
  if (!admitted) return unavailable(request, response, OVERLOAD_RETRY_AFTER_SECONDS);
  if (place.gone) return options.gate.release();
  place.held = true;

  const handler = options.routes.get(path)?.get(request.method ?? "GET");
  if (handler) {
    let body: Buffer | undefined;
    if (request.method !== "GET" && request.method !== "HEAD") {
      try {
        body = await readBody(request, BODY_LIMIT);
      } catch (error) {
        if (error instanceof BodyTooLarge) return tooLarge(response);
        throw error;
      }
    }
    const isDocument = request.method === "GET" && options.publicDocuments?.has(path) === true;
    if (isDocument) {
      const document = prepared.get(path);
      if (document && document.until > performance.now()) return writePrepared(document, response);
    }
    const answer = await handler(toWebRequest(request, options.origin, body));
    if (isDocument && answer.status === 200 && /\bpublic\b/.test(answer.headers.get("cache-control") ?? "")) {
      const document: PreparedDocument = {
        until: performance.now() + PUBLIC_DOCUMENT_REUSE_MS,
        status: answer.status,
        headers: [...answer.headers].filter(([name]) => name !== "set-cookie"),
        body: Buffer.from(await answer.arrayBuffer()),
      };
      prepared.set(path, document);
      return writePrepared(document, response);
    }
    return writeWebResponse(answer, response, false);
  }

  // A page whose rendering met an unavailable database: Next.js answers 500 with the error page
  // (app/error.tsx, which says "try again shortly"); the status becomes 503 with Retry-After.
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (statusCode === 500 && takeOutage(requestId)) {
      statusCode = 503;
      this.setHeader("Retry-After", String(OUTAGE_RETRY_AFTER_SECONDS));
    }
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  } as typeof response.writeHead;
  response.once("close", () => takeOutage(requestId));
  await options.next(request, response);
}

function writePrepared(document: PreparedDocument, response: ServerResponse): void {
  response.statusCode = document.status;
  for (const [name, value] of document.headers) response.setHeader(name, value);
  response.setHeader("content-length", document.body.length);
  response.end(document.body);
}

function pathOf(target: string): string {
  const query = target.indexOf("?");
  return query === -1 ? target : target.slice(0, query);
}

function single(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(",") : value;
}

function plain(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(`${message}\n`);
}

function tooLarge(response: ServerResponse): void {
  response.setHeader("Connection", "close");
  plain(response, 413, "the request body is too large");
}

/**
 * 503 in the form the caller reads: the page for a browser, the OAuth error for a program. Both
 * are the very answers the route handlers give when the database is unavailable
 * (lib/http/responses.ts, lib/http/unavailable-page.ts), with the front's own Retry-After.
 */
function unavailable(request: IncomingMessage, response: ServerResponse, retryAfterSeconds: number): Promise<void> {
  const answer = request.headers.accept?.includes("text/html")
    ? unavailablePageResponse(retryAfterSeconds)
    : oauthErrorResponse(new TemporarilyUnavailable("the server is busy; try again shortly"), { retryAfterSeconds });
  return writeWebResponse(answer, response, false);
}
