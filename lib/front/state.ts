// What the front (lib/front/front.ts) tells the code behind it, and how that code knows the words
// are the front's own. The front removes these headers from every incoming request and sets them
// itself, with a token drawn once per process; code that finds the token missing or wrong (plain
// `next start`, where no front runs, or a client that sent the headers itself) ignores them.
import { randomBytes } from "node:crypto";
import { processState } from "../process-state.ts";

/** The front's per-process token: proves the two headers below were set by the front. */
export const FRONT_HEADER = "x-portal-front";
/** The client's address as the front resolved it (socket and TRUST_PROXY). */
export const ADDRESS_HEADER = "x-portal-client-address";
/** One id per request, in the access log, on the response, and on the request for the app. */
export const REQUEST_ID_HEADER = "x-request-id";

interface FrontState {
  /** Set when a front serves this process. */
  token: string | undefined;
  /** Requests (by id) whose handling met an unavailable database: their 500 becomes a 503. */
  readonly metOutage: Set<string>;
}

function state(): FrontState {
  return processState<FrontState>("front", () => ({ token: undefined, metOutage: new Set() }));
}

/** Called once by the front when it starts. */
export function claimFrontToken(): string {
  const current = state();
  current.token ??= randomBytes(18).toString("base64url");
  return current.token;
}

type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | string[] | undefined>>;

function read(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === "function")
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | string[] | undefined>>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The front's word on a request, or undefined when the request did not come through it. */
export function frontView(
  headers: HeaderSource,
): { readonly address: string | undefined; readonly requestId: string | undefined } | undefined {
  const token = state().token;
  if (token === undefined || read(headers, FRONT_HEADER) !== token) return undefined;
  return { address: read(headers, ADDRESS_HEADER) || undefined, requestId: read(headers, REQUEST_ID_HEADER) };
}

/** Notes that the request met an unavailable database (called where Next.js reports errors). */
export function noteOutage(headers: HeaderSource): void {
  const requestId = frontView(headers)?.requestId;
  if (requestId !== undefined) state().metOutage.add(requestId);
}

/** Whether the request met an unavailable database; forgets it (one answer per request). */
export function takeOutage(requestId: string): boolean {
  return state().metOutage.delete(requestId);
}
