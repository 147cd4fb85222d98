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

/** The user's claim columns in a raw join over `"User" u`, aliased for joinedUserClaims. */
export const USER_CLAIM_COLUMNS = `u."id" AS "userId", u."email" AS "userEmail", u."name" AS "userName", u."emailVerified" AS "userEmailVerified", u."updatedAt" AS "userUpdatedAt", u."disabled" AS "userDisabled"`;

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
