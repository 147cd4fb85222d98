// Revoking grants: one grant (a replayed code or refresh token, a revoked refresh token) or all of
// one user's grants to one client (consent withdrawn). Everything issued from them stops working.
import type { Db } from "./client.ts";

export type GrantSelector = { readonly id: string } | { readonly userId: string; readonly clientRef: string };

export async function revokeGrants(db: Db, grants: GrantSelector, now: Date): Promise<void> {
  const owned = "id" in grants ? { grantId: grants.id } : { grant: { userId: grants.userId, clientRef: grants.clientRef } };
  const grantRows = "id" in grants ? { id: grants.id } : { userId: grants.userId, clientRef: grants.clientRef };
  // Codes first: their rows are what a concurrent redemption locks, so a redemption either
  // committed before (and the later statements revoke its tokens) or finds its code used.
  await db.$transaction([
    db.authorizationCode.updateMany({ where: { ...owned, consumedAt: null }, data: { consumedAt: now } }),
    db.grant.updateMany({ where: { ...grantRows, revokedAt: null }, data: { revokedAt: now } }),
    db.refreshToken.updateMany({ where: { ...owned, revokedAt: null }, data: { revokedAt: now } }),
    db.accessToken.updateMany({ where: { ...owned, revokedAt: null }, data: { revokedAt: now } }),
  ]);
}
