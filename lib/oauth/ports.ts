// Storage behind the protocol core. lib/db implements these with Prisma; the core never sees a
// database. Every method that decides a race (consume, rotate, complete) is atomic in the adapter.
import type { AuthorizationRequest } from "./authorize/request.ts";
import type { Client } from "./types.ts";

/** The signed-in browser session the request came with. `id` is public (the ID token's sid). */
export interface BrowserSession {
  readonly id: string;
  readonly userId: string;
  readonly authTime: Date;
  /** How the person signed in (RFC 8176 values, authorize/acr.ts); a password when absent. */
  readonly amr?: readonly string[];
}

export interface StoredInteraction {
  readonly id: string;
  readonly clientRef: string;
  readonly request: AuthorizationRequest;
  /** The browser session it is bound to; null until someone signs in. */
  readonly sessionId: string | null;
  /** Set when the user signed in for this interaction. */
  readonly authTime: Date | null;
  readonly consentedAt: Date | null;
  readonly expiresAt: Date;
  readonly completedAt: Date | null;
}

export interface NewInteraction {
  readonly id: string;
  readonly clientRef: string;
  readonly request: AuthorizationRequest;
  readonly sessionId: string | null;
  readonly expiresAt: Date;
}

export interface NewAuthorizationCode {
  readonly codeHash: string;
  readonly clientRef: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly nonce: string | undefined;
  readonly codeChallenge: string;
  readonly authTime: Date;
  /** The session's methods (RFC 8176), kept with the grant for every ID token it yields. */
  readonly amr: readonly string[];
  readonly sessionId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface AuthorizeStore {
  findClient(clientId: string): Promise<Client | null>;
  findClientByRef(ref: string): Promise<Client | null>;
  findConsentedScopes(userId: string, clientRef: string): Promise<readonly string[]>;
  /** Whether the user must verify their email address before any application gets access (self sign-up). */
  mustVerifyEmail(userId: string): Promise<boolean>;
  /** Whether the user has a confirmed second factor (a voluntary step-up asks only those who do). */
  hasSecondFactor(userId: string): Promise<boolean>;
  createInteraction(interaction: NewInteraction): Promise<void>;
  findInteraction(id: string): Promise<StoredInteraction | null>;
  recordInteractionLogin(id: string, session: BrowserSession): Promise<void>;
  /** Remembers the consent (merged with earlier ones) and marks the interaction consented. */
  recordInteractionConsent(id: string, consent: { userId: string; clientRef: string; scopes: readonly string[]; now: Date }): Promise<void>;
  /** Marks the interaction completed; false when another request completed it first. */
  completeInteraction(id: string, now: Date): Promise<boolean>;
  /** Creates a grant and its authorization code in one transaction. */
  createGrantWithCode(code: NewAuthorizationCode): Promise<void>;
}
