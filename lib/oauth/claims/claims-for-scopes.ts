// The user claims a set of granted scopes releases (OpenID Connect Core §5.4), shared by the ID
// token and userinfo: docs/protocol.md "Tokens" puts the profile and email claims in both, and
// never a claim of a scope that was not granted. We store only `name` of the profile claims, so given_name,
// family_name, preferred_username and the rest are never emitted.
import type { UserClaimsRecord } from "./ports.ts";

/** OpenID Connect Core §5.4: the claims each scope stands for, as far as we hold them. */
export const SCOPE_CLAIMS = {
  profile: ["name", "updated_at"],
  email: ["email", "email_verified"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export interface ScopeClaims {
  readonly name?: string;
  /** Seconds since the epoch (OpenID Connect Core §5.1). */
  readonly updated_at?: number;
  readonly email?: string;
  readonly email_verified?: boolean;
}

export function claimsForScopes(user: UserClaimsRecord, scopes: readonly string[]): ScopeClaims {
  const claims: { -readonly [K in keyof ScopeClaims]: ScopeClaims[K] } = {};
  if (scopes.includes("profile")) {
    // OpenID Connect Core §5.3.2: a claim without a value is omitted, never an empty string.
    if (user.name !== "") claims.name = user.name;
    claims.updated_at = Math.floor(user.updatedAt.getTime() / 1000);
  }
  if (scopes.includes("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
