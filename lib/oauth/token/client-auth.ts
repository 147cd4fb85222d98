// Client authentication at the token endpoint (RFC 6749 §2.3, §3.2.1). Every failure is the same
// generic 401 invalid_client: the response never tells which part was wrong.
import { InvalidClient } from "../errors.ts";
import { matchesHash } from "../tokens/opaque.ts";
import type { Client } from "../types.ts";

/** What lib/http/client-credentials.ts extracts from the request (structurally the same type). */
export type ClientCredentials =
  | { readonly method: "client_secret_basic" | "client_secret_post"; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: "none"; readonly clientId: string }
  | { readonly method: "unauthenticated" };

const MAX_CLIENT_ID_LENGTH = 255;

export function clientAuthenticationFailed(): InvalidClient {
  return new InvalidClient("client authentication failed");
}

export async function authenticateClient(
  credentials: ClientCredentials,
  findClient: (clientId: string) => Promise<Client | null>,
  now: Date,
): Promise<Client> {
  // RFC 6749 §3.2.1: every client identifies itself at the token endpoint.
  if (credentials.method === "unauthenticated") throw clientAuthenticationFailed();
  if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH) throw clientAuthenticationFailed();
  const client = await findClient(credentials.clientId);
  if (!client || client.disabled) throw clientAuthenticationFailed();
  // RFC 7591 §2 token_endpoint_auth_method: the client uses the method it registered, no other.
  // This also refuses a public client that sends a secret and a confidential one that sends none.
  if (credentials.method !== client.tokenEndpointAuthMethod) throw clientAuthenticationFailed();
  if (credentials.method === "none") return client;
  if (!matchesLiveSecret(credentials.clientSecret, client, now)) throw clientAuthenticationFailed();
  return client;
}

/**
 * Compares with every secret, in constant time each and without an early exit, so the timing
 * reveals neither which secret matched nor a prefix. An expired secret (after a rotation overlap)
 * no longer authenticates.
 */
function matchesLiveSecret(secret: string, client: Client, now: Date): boolean {
  let matched = false;
  for (const stored of client.secrets) {
    const live = stored.expiresAt === null || stored.expiresAt.getTime() > now.getTime();
    const equal = matchesHash(secret, stored.hash);
    matched = (equal && live) || matched;
  }
  return matched;
}
