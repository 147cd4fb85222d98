// What a scenario needs from a server under test. The portal and panva's oidc-provider each
// implement it, so both run the same scenarios with the same load generator.
import type { BrowserOptions } from "../tests/support/browserless.ts";

export const REDIRECT_URI = "https://app.example.com/callback";
/** One PKCE verifier for every prepared code; each code is still single-use. */
export const VERIFIER = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz";

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A user whose password hash has the given bcrypt cost (the flow's sign-in). */
export interface FlowUser {
  readonly email: string;
  readonly password: string;
}

export type FlowKind = "bcrypt" | "no-bcrypt";

/**
 * One complete browserless flow. `browser` says what the client does when the server refuses a
 * step for overload (503 with Retry-After): it waits as asked and sends the step again.
 */
export type Flow = (browser: BrowserOptions) => Promise<void>;

export interface Target {
  readonly name: "portal" | "oidc-provider";
  readonly url: string;
  /** The process the bench started: CPU and memory are summed over its tree. */
  readonly rootPid: number;
  readonly paths: {
    readonly discovery: string;
    readonly jwks: string;
    readonly token: string;
    readonly introspect: string;
    readonly userinfo: string;
    readonly revoke: string;
  };
  /** A confidential client (client_secret_basic) that skips consent: token-path scenarios. */
  readonly client: ClientCredentials;
  /** Fresh authorization codes bound to REDIRECT_URI and s256(VERIFIER), scope openid offline_access. */
  mintCodes(count: number): Promise<string[]>;
  /** Access tokens for introspection and userinfo; undefined: use those from token responses. */
  mintAccessTokens?(count: number): Promise<string[]>;
  /** One complete browserless flow (authorize → login → consent → callback → token), or undefined
   *  when the target cannot run this kind. Throws on any unexpected response. */
  flow(kind: FlowKind): Flow | undefined;
  /** What the figures of this target mean, printed under the table. */
  readonly notes: readonly string[];
  stop(): Promise<void>;
}

export function basicAuth({ clientId, clientSecret }: ClientCredentials): string {
  // RFC 6749 §2.3.1: both parts are form-url-encoded before Base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

/** A pool of single-use values (codes, refresh tokens). */
export class Pool {
  private readonly items: string[] = [];
  get size(): number {
    return this.items.length;
  }
  push(...values: string[]): void {
    this.items.push(...values);
  }
  take(): string | undefined {
    return this.items.pop();
  }
  takeMany(count: number): string[] {
    return this.items.splice(Math.max(0, this.items.length - count), count);
  }
}
