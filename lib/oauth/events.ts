// What the protocol core decided, reported to whoever wires it (lib/services/security-events.ts
// writes them to the audit log and the structured log). Each event carries the precise, private
// reason that the client never sees in error_description. No event ever carries a secret, a
// token, a code or a password: only ids, names and reasons.
import type { TokenEndpointAuthMethod } from "./types.ts";

export type SecurityEvent =
  | {
      readonly type: "token.issued";
      readonly clientId: string;
      readonly userId: string;
      readonly grantId: string;
      readonly grantType: string;
      readonly scope: string;
    }
  | {
      /** A refused token request; client authentication failures are client_auth.failed. */
      readonly type: "token.refused";
      readonly clientId: string | null;
      readonly grantType: string | null;
      readonly error: string;
      readonly reason: string;
    }
  | {
      /** RFC 6749 §4.1.2: a used code came back; its grant and every token of it were revoked. */
      readonly type: "code.replayed";
      readonly clientId: string;
      readonly userId: string;
      readonly grantId: string;
      readonly reason: string;
    }
  | {
      /** RFC 9700 §4.14.2: a rotated refresh token came back; its grant was revoked. */
      readonly type: "refresh_token.reused";
      readonly clientId: string;
      readonly userId: string;
      readonly grantId: string;
      readonly reason: string;
    }
  | {
      /**
       * A rotated refresh token came back within the grace period while its successor was unused
       * (a lost response): a new set was issued and the successor ended; the grant lives on.
       */
      readonly type: "refresh_token.retried";
      readonly clientId: string;
      readonly userId: string;
      readonly grantId: string;
      readonly reason: string;
    }
  | {
      readonly type: "client_auth.failed";
      readonly endpoint: "token" | "introspection" | "revocation";
      readonly clientId: string | null;
      /** The method the request used; `registered` is the client's own, when it is known. */
      readonly method: TokenEndpointAuthMethod | "unauthenticated";
      readonly registered: TokenEndpointAuthMethod | null;
      readonly reason: string;
    }
  | {
      /** Which secret authenticated a client (its id, never the secret): when it was last used. */
      readonly type: "client.secret_used";
      readonly clientId: string;
      readonly secretId: string;
    }
  | {
      readonly type: "authorize.refused";
      readonly clientId: string | null;
      readonly error: string;
      readonly reason: string;
      /** The redirect URI sent, and the ones registered, when the redirect URI was the problem. */
      readonly redirectUri?: string;
      readonly registeredRedirectUris?: readonly string[];
    };

export type SecurityEventType = SecurityEvent["type"];

export interface EventSink {
  /** Never throws and never waits: reporting must not change the protocol's answer. */
  emit(event: SecurityEvent): void;
}

export const ignoreEvents: EventSink = { emit: () => undefined };

/** The private reason an OAuthError carries in `cause` (set where it was thrown), or its description. */
export function reasonOf(error: { readonly cause?: unknown; readonly description?: string }): string {
  if (typeof error.cause === "string") return error.cause;
  return error.description ?? "unknown";
}
