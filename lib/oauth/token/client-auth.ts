// Client authentication at the token endpoint (RFC 6749 §2.3, §3.2.1). Every failure is the same
// generic 401 invalid_client: the response never tells which part was wrong.
import { InvalidClient } from "../errors.ts";
import type { EventSink } from "../events.ts";
import { matchesHash } from "../tokens/opaque.ts";
import type { Client, ClientSecretRecord } from "../types.ts";

/** What lib/http/client-credentials.ts extracts from the request (structurally the same type). */
export type ClientCredentials =
  | { readonly method: "client_secret_basic" | "client_secret_post"; readonly clientId: string; readonly clientSecret: string }
  | { readonly method: "none"; readonly clientId: string }
  | { readonly method: "unauthenticated" };

const MAX_CLIENT_ID_LENGTH = 255;

/** The public error stays generic; `reason` (the error's cause) goes to the event log only. */
export function clientAuthenticationFailed(reason = "client authentication failed"): InvalidClient {
  const error = new InvalidClient("client authentication failed");
  error.cause = reason;
  return error;
}

/** Where the failures and the secret used are reported, and for which endpoint. */
export interface ClientAuthReporting {
  readonly events: EventSink;
  readonly endpoint: "token" | "introspection" | "revocation";
}

export async function authenticateClient(
  credentials: ClientCredentials,
  findClient: (clientId: string) => Promise<Client | null>,
  now: Date,
  reporting?: ClientAuthReporting,
): Promise<Client> {
  const seen: { client?: Client } = {};
  try {
    return await findAuthenticatedClient(credentials, findClient, now, seen, reporting);
  } catch (error) {
    if (reporting && error instanceof InvalidClient) {
      reporting.events.emit({
        type: "client_auth.failed",
        endpoint: reporting.endpoint,
        clientId: credentials.method === "unauthenticated" ? null : credentials.clientId.slice(0, MAX_CLIENT_ID_LENGTH),
        method: credentials.method,
        registered: seen.client?.tokenEndpointAuthMethod ?? null,
        reason: typeof error.cause === "string" ? error.cause : "client authentication failed",
      });
    }
    throw error;
  }
}

async function findAuthenticatedClient(
  credentials: ClientCredentials,
  findClient: (clientId: string) => Promise<Client | null>,
  now: Date,
  seen: { client?: Client },
  reporting: ClientAuthReporting | undefined,
): Promise<Client> {
  // RFC 6749 §3.2.1: every client identifies itself at the token endpoint.
  if (credentials.method === "unauthenticated") throw clientAuthenticationFailed("no client credentials");
  if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH) throw clientAuthenticationFailed("client_id too long");
  const client = await findClient(credentials.clientId);
  if (!client) throw clientAuthenticationFailed("unknown client_id");
  seen.client = client;
  if (client.disabled) throw clientAuthenticationFailed("client disabled");
  // RFC 7591 §2 token_endpoint_auth_method: the client uses the method it registered, no other.
  // This also refuses a public client that sends a secret and a confidential one that sends none.
  if (credentials.method !== client.tokenEndpointAuthMethod) {
    throw clientAuthenticationFailed(`used ${credentials.method}, registered ${client.tokenEndpointAuthMethod}`);
  }
  if (credentials.method === "none") return client;
  const secret = matchLiveSecret(credentials.clientSecret, client, now);
  if (!secret) throw clientAuthenticationFailed("wrong or expired client secret");
  if (reporting && secret.id) reporting.events.emit({ type: "client.secret_used", clientId: client.clientId, secretId: secret.id });
  return client;
}

/**
 * Compares with every secret, in constant time each and without an early exit, so the timing
 * reveals neither which secret matched nor a prefix. An expired secret (after a rotation overlap)
 * no longer authenticates.
 */
function matchLiveSecret(secret: string, client: Client, now: Date): ClientSecretRecord | undefined {
  let matched: ClientSecretRecord | undefined;
  for (const stored of client.secrets) {
    const live = stored.expiresAt === null || stored.expiresAt.getTime() > now.getTime();
    const equal = matchesHash(secret, stored.hash);
    if (equal && live) matched = stored;
  }
  return matched;
}
