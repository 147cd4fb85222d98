// Helpers for driving the running portal over HTTP: a seeded world (a signed-in user and clients
// of every kind), PKCE pairs, the authorization redirect, token requests, and raw requests
// through node:http and node:net for inputs fetch refuses to send.
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { hashPassword } from "../../lib/auth/password.ts";
import { createSession } from "../../lib/auth/sessions.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createClient, type NewClient } from "../../lib/db/clients.ts";
import { createUser } from "../../lib/db/users.ts";
import { s256 } from "../../lib/oauth/pkce.ts";
import type { Client } from "../../lib/oauth/types.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { startPortal, type RunningPortal } from "./portal.ts";

export const SESSION_POLICY = { idleSeconds: 3600, absoluteSeconds: 86_400 } as const;
export const REDIRECT_URI = "https://app.example.com/callback";

export interface RegisteredClient {
  readonly client: Client;
  readonly clientId: string;
  readonly clientSecret?: string;
}

export interface PortalWorld {
  readonly portal: RunningPortal;
  /** The configured issuer (ISSUER_URL), which is the portal's URL. */
  readonly issuer: string;
  readonly database: TestDatabase;
  readonly db: Db;
  readonly userId: string;
  /** The Cookie header of a live browser session of that user. */
  readonly cookie: string;
  addClient(input: Partial<NewClient> & Pick<NewClient, "tokenEndpointAuthMethod">): Promise<RegisteredClient>;
  /** A fresh signed-in session (its own cookie) of the world's user. */
  newSessionCookie(): Promise<string>;
  close(): Promise<void>;
}

/** A fresh database of the run's kind, the real portal on it, one user with a session. */
export async function startWorld(options: { env?: Readonly<Record<string, string>> } = {}): Promise<PortalWorld> {
  const database = await createTestDatabase();
  let portal: RunningPortal | undefined;
  let db: Db | undefined;
  try {
    portal = await startPortal({ databaseUrl: database.url, ...(options.env ? { env: options.env } : {}) });
    const openedDb = createDb(database.url);
    db = openedDb;
    const user = await createUser(openedDb, {
      email: `ada-${randomBytes(4).toString("hex")}@example.com`,
      passwordHash: await hashPassword("correct horse battery staple", 4),
      name: "Ada Lovelace",
    });
    const newSessionCookie = async () => {
      const { token } = await createSession(openedDb, user.id, SESSION_POLICY, new Date());
      return `portal_session=${token}`;
    };
    const cookie = await newSessionCookie();
    const running = portal;
    let counter = 0;
    return {
      portal: running,
      issuer: running.url,
      database,
      db: openedDb,
      userId: user.id,
      cookie,
      newSessionCookie,
      async addClient(input) {
        counter += 1;
        const { client, clientSecret } = await createClient(openedDb, {
          name: `App ${counter}`,
          redirectUris: [REDIRECT_URI],
          ...input,
        });
        return clientSecret === undefined ? { client, clientId: client.clientId } : { client, clientId: client.clientId, clientSecret };
      },
      async close() {
        await running.stop();
        await openedDb.$disconnect();
        await database.drop();
      },
    };
  } catch (error) {
    await portal?.stop();
    await db?.$disconnect();
    await database.drop();
    throw error;
  }
}

export interface Pkce {
  readonly verifier: string;
  readonly challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: s256(verifier) };
}

export function basicAuth(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

/** The parameters of a valid authorization request, overridable (undefined drops one). */
export function authorizeParams(
  clientId: string,
  pkce: Pkce,
  overrides: Readonly<Record<string, string | undefined>> = {},
): URLSearchParams {
  const base: Record<string, string | undefined> = {
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: "openid offline_access",
    state: "state-123",
    code_challenge: pkce.challenge,
    code_challenge_method: "S256",
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(base)) if (value !== undefined) params.append(name, value);
  return params;
}

/** A parsed HTTP response, whichever client sent the request. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** One request through node:http, which lets a test set Host and send arbitrary bytes as body. */
export function nodeRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? "GET",
        path: options.path ?? `${target.pathname}${target.search}`,
        headers: options.headers ?? {},
        agent: false,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timeout: ${options.method ?? "GET"} ${url}`)));
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/**
 * Sends raw bytes to 127.0.0.1:port and parses the (first) response. For request lines and
 * headers no HTTP client would produce. The request must carry `Connection: close`.
 */
export function rawRequest(port: number, bytes: Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let failure: Error | undefined;
    const timer = setTimeout(() => socket.destroy(new Error("raw request timed out")), 30_000);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The server may answer an oversized request early and reset the connection while the rest
    // is still being written (EPIPE, ECONNRESET): what it answered before that still counts.
    socket.on("error", (error: Error) => (failure = error));
    socket.on("close", () => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks);
      try {
        resolve(parseRawResponse(data));
      } catch (error) {
        reject(failure ?? error);
      }
    });
    // No half-close: Node's server drops a response still being rendered once the client sent
    // FIN. `Connection: close` makes the server close the connection after its answer.
    socket.write(bytes);
  });
}

/** The first HTTP/1.1 response in `data` (status, headers, body). */
export function parseRawResponse(data: Buffer): RawResponse {
  const headEnd = data.indexOf("\r\n\r\n");
  if (headEnd === -1) throw new Error(`no HTTP response: ${JSON.stringify(data.toString("latin1").slice(0, 200))}`);
  const [statusLine = "", ...lines] = data.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? "0");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = data.subarray(headEnd + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = dechunk(body);
  return { status, headers, body: body.toString("utf8") };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf("\r\n", offset);
    if (lineEnd === -1) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Markers of a leaked stack trace or source path in a response body. */
export const STACK_TRACE_MARKERS = ["    at ", "node_modules", ".ts:", "Error:"] as const;

export function leakedMarker(body: string): string | undefined {
  return STACK_TRACE_MARKERS.find((marker) => body.includes(marker));
}
