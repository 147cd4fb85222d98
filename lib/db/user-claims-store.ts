// The UserClaimsStore port (lib/oauth/claims/ports.ts) on Prisma: one row, only the claim columns.
import type { UserClaimsStore } from "../oauth/claims/ports.ts";
import type { Db } from "./client.ts";

export function userClaimsStore(db: Db): UserClaimsStore {
  return {
    findUserClaims: (userId) =>
      db.user.findUnique({
        where: { id: userId },
        select: { id: true, email: true, name: true, emailVerified: true, updatedAt: true, disabled: true },
      }),
  };
}
