// The UserClaimsStore port (lib/oauth/claims/ports.ts) on Prisma: one row, only the claim columns.
import type { UserClaimsRecord, UserClaimsStore } from "../oauth/claims/ports.ts";
import type { Db } from "./client.ts";
import { date, flag, text } from "./raw-values.ts";

export function userClaimsStore(db: Db): UserClaimsStore {
  return {
    findUserClaims: (userId) =>
      db.user.findUnique({
        where: { id: userId },
        select: { id: true, email: true, name: true, emailVerified: true, updatedAt: true, disabled: true },
      }),
  };
}

/** A row of a join that selected USER_CLAIM_COLUMNS (sql/tokens.ts). */
export function joinedUserClaims(row: Readonly<Record<string, unknown>>): UserClaimsRecord {
  return {
    id: text(row.userId),
    email: text(row.userEmail),
    name: text(row.userName),
    emailVerified: flag(row.userEmailVerified),
    updatedAt: date(row.userUpdatedAt),
    disabled: flag(row.userDisabled),
  };
}
