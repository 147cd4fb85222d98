// Node's http messages to and from the Fetch API's Request and Response, for the route handlers
// the front calls directly (they are written against the Web API, as Next.js calls them).
import type { IncomingMessage, ServerResponse } from "node:http";

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** Reads the whole body, refusing more than `limit` bytes (by Content-Length at once, or as it arrives). */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) throw new BodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

/** The Web Request a route handler expects: the same method, URL path and query, headers and body. */
export function toWebRequest(request: IncomingMessage, origin: string, body: Buffer | undefined): Request {
  // Node has joined repeated fields already (RFC 9110 §5.3), as Next.js receives them too.
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const entry of value) headers.append(name, entry);
    else headers.set(name, value);
  }
  const method = request.method ?? "GET";
  const hasBody = body !== undefined && method !== "GET" && method !== "HEAD";
  return new Request(origin + request.url, { method, headers, body: hasBody ? new Uint8Array(body) : undefined });
}

/**
 * Writes a route handler's Response. The protocol endpoints answer small JSON documents that are
 * complete when the Response is made, so the body is sent in one piece with its length.
 */
export async function writeWebResponse(response: Response, out: ServerResponse, head: boolean): Promise<void> {
  out.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") out.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out.setHeader("set-cookie", cookies);
  if (response.body === null) {
    out.end();
    return;
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (!out.hasHeader("content-length")) out.setHeader("content-length", bytes.length);
  out.end(head ? undefined : bytes);
}
