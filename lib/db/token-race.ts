// The one write of a token response: claim the code (or the refresh token being rotated) with a
// conditional UPDATE, and store the new tokens only if this request made that UPDATE. Done as one
// statement on PostgreSQL (data-modifying CTEs; a concurrent UPDATE waits on the row lock, then
// matches nothing) and as one batch on SQLite (writers are serialised; each INSERT runs only if the
// statement before it changed a row, `changes() = 1`). Either way no interactive transaction.
import { randomUUID } from "node:crypto";
import type { IssuedTokens, RaceOutcome } from "../oauth/token/ports.ts";
import { kindOf, type Db } from "./client.ts";
import { Prisma } from "./generated/sqlite/client.ts";

export type Claim = { readonly code: string } | { readonly refreshTokenId: string };

export async function claimAndStore(db: Db, claim: Claim, tokens: IssuedTokens, parentId: string | null): Promise<RaceOutcome> {
  const { now, grantId, accessToken: at, refreshToken: rt } = tokens;
  const postgres = kindOf(db) === "postgres";
  // PostgreSQL cannot infer the types of parameters in a SELECT list: say them.
  const ts = (value: Date | null) => (postgres ? Prisma.sql`${value}::timestamp(3)` : Prisma.sql`${value}`);
  const str = (value: string | null) => (postgres ? Prisma.sql`${value}::text` : Prisma.sql`${value}`);

  const update =
    "code" in claim
      ? Prisma.sql`UPDATE "AuthorizationCode" SET "consumedAt" = ${ts(now)} WHERE "codeHash" = ${claim.code} AND "consumedAt" IS NULL`
      : Prisma.sql`UPDATE "RefreshToken" SET "rotatedAt" = ${ts(now)} WHERE "id" = ${claim.refreshTokenId} AND "rotatedAt" IS NULL AND "revokedAt" IS NULL`;
  const accessValues = Prisma.sql`${str(at.jti)}, ${str(grantId)}, ${str(at.clientRef)}, ${str(at.scopes.join(" "))}, ${ts(now)}, ${ts(at.expiresAt)}`;
  const insertAccess = Prisma.sql`INSERT INTO "AccessToken" ("jti", "grantId", "clientRef", "scope", "createdAt", "expiresAt")`;
  const refreshValues = rt
    ? Prisma.sql`${str(randomUUID())}, ${str(rt.tokenHash)}, ${str(grantId)}, ${str(parentId)}, ${str(rt.scopes.join(" "))}, ${ts(now)}, ${ts(rt.expiresAt ?? null)}`
    : undefined;
  const insertRefresh = Prisma.sql`INSERT INTO "RefreshToken" ("id", "tokenHash", "grantId", "parentId", "scope", "createdAt", "expiresAt")`;

  if (postgres) {
    const refresh = refreshValues ? Prisma.sql`, r AS (${insertRefresh} SELECT ${refreshValues} FROM won RETURNING 1)` : Prisma.empty;
    const rows = await db.$queryRaw<{ won: unknown }[]>`
      WITH won AS (${update} RETURNING 1),
           a AS (${insertAccess} SELECT ${accessValues} FROM won RETURNING 1)${refresh}
      SELECT count(*)::int AS "won" FROM won`;
    return Number(rows[0]?.won) === 1 ? { status: "won" } : { status: "replayed" };
  }
  const [claimed] = await db.$transaction([
    db.$executeRaw(update),
    db.$executeRaw`${insertAccess} SELECT ${accessValues} WHERE changes() = 1`,
    ...(refreshValues ? [db.$executeRaw`${insertRefresh} SELECT ${refreshValues} WHERE changes() = 1`] : []),
  ]);
  return claimed === 1 ? { status: "won" } : { status: "replayed" };
}
