// Storage behind the claims of the ID token and userinfo, implemented by lib/db/user-claims-store.ts.

/** What the claims of a user are made of. `id` is the OIDC `sub`: stable, never the email. */
export interface UserClaimsRecord {
  readonly id: string;
  readonly email: string;
  /** "" when the user gave none. */
  readonly name: string;
  readonly emailVerified: boolean;
  readonly updatedAt: Date;
  readonly disabled: boolean;
}

export interface UserClaimsStore {
  findUserClaims(userId: string): Promise<UserClaimsRecord | null>;
}
