// The authorization endpoint's storage (lib/oauth/ports.ts AuthorizeStore): Prisma, and the driver for
// the statements every sign-in runs.
import { randomUUID } from "node:crypto";
import type { AuthorizationRequest } from "../oauth/authorize/request.ts";
import type { AuthorizeStore, StoredInteraction } from "../oauth/ports.ts";
import { isSubset } from "../oauth/scope.ts";
import { fastSql, type Db } from "./client.ts";
import { findClientById, findClientByRef } from "./clients.ts";
import { runInTransaction } from "./fast-sql.ts";
import { date, optionalDate, optionalText, text } from "./raw-values.ts";
import {
  COMPLETE_INTERACTION,
  FIND_INTERACTION,
  INSERT_CODE,
  INSERT_GRANT,
  INSERT_INTERACTION,
  RECORD_INTERACTION_LOGIN,
} from "./sql/browser.ts";
import { spaceList } from "../oauth/wire-values.ts";

export function authorizeStore(db: Db): AuthorizeStore {
  return {
    findClient: (clientId) => findClientById(db, clientId),
    findClientByRef: (ref) => findClientByRef(db, ref),

    async findConsentedScopes(userId, clientRef) {
      const consent = await db.consent.findUnique({ where: { userId_clientRef: { userId, clientRef } } });
      return consent ? spaceList(consent.scope) : [];
    },

    async mustVerifyEmail(userId) {
      const user = await db.user.findUnique({ where: { id: userId }, select: { selfSignedUp: true, emailVerified: true } });
      return user !== null && user.selfSignedUp && !user.emailVerified;
    },

    async hasSecondFactor(userId) {
      // A confirmed authenticator app, or a passkey (lib/services/passkeys.ts).
      const [confirmed, passkeys] = await Promise.all([
        db.secondFactor.count({ where: { userId, confirmedAt: { not: null } } }),
        db.passkey.count({ where: { userId } }),
      ]);
      return confirmed + passkeys > 0;
    },

    // The flow's writes go to the driver (lib/db/sql/browser.ts): through Prisma each cost more
    // than the statement itself (bench/README.md).
    async createInteraction(interaction) {
      await fastSql(db).execute(INSERT_INTERACTION, [
        interaction.id,
        interaction.clientRef,
        JSON.stringify(interaction.request),
        interaction.sessionId,
        new Date(),
        interaction.expiresAt,
      ]);
    },

    // Each step of a sign-in reads it (the pages, their forms, the return to authorize).
    async findInteraction(id) {
      const [row] = await fastSql(db).query(FIND_INTERACTION, [id]);
      if (!row) return null;
      const interaction: StoredInteraction = {
        id: text(row.id),
        clientRef: text(row.clientRef),
        request: JSON.parse(text(row.params)) as AuthorizationRequest,
        sessionId: optionalText(row.sessionId),
        authTime: optionalDate(row.authTime),
        consentedAt: optionalDate(row.consentedAt),
        expiresAt: date(row.expiresAt),
        completedAt: optionalDate(row.completedAt),
      };
      return interaction;
    },

    async recordInteractionLogin(id, session) {
      const changed = await fastSql(db).execute(RECORD_INTERACTION_LOGIN, [id, session.id, session.userId, session.authTime]);
      if (changed !== 1) throw new Error("the interaction to record a sign-in on does not exist");
    },

    async recordInteractionConsent(id, { userId, clientRef, scopes, now }) {
      await db.$transaction(async (tx) => {
        // The write first: on a SQLite file that several processes share (WEB_CONCURRENCY), a
        // transaction that read first and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when
        // another process committed in between; one that writes first waits for the lock instead.
        await tx.interaction.update({ where: { id }, data: { consentedAt: now } });
        const existing = await tx.consent.findUnique({ where: { userId_clientRef: { userId, clientRef } } });
        const before = existing ? spaceList(existing.scope) : [];
        const merged = isSubset(scopes, before) ? before : [...new Set([...before, ...scopes])];
        await tx.consent.upsert({
          where: { userId_clientRef: { userId, clientRef } },
          create: { userId, clientRef, scope: merged.join(" ") },
          update: { scope: merged.join(" ") },
        });
      });
    },

    async completeInteraction(id, now) {
      return (await fastSql(db).execute(COMPLETE_INTERACTION, [id, now])) === 1;
    },

    async createGrantWithCode(code) {
      const scope = code.scopes.join(" ");
      const grantId = randomUUID();
      const grant = [grantId, code.userId, code.clientRef, scope, code.sessionId, code.authTime, code.amr.join(" "), code.createdAt];
      const stored = [
        randomUUID(),
        code.codeHash,
        grantId,
        code.clientRef,
        code.userId,
        code.redirectUri,
        scope,
        code.nonce ?? null,
        code.codeChallenge,
        "S256",
        code.authTime,
        code.sessionId,
        code.createdAt,
        code.expiresAt,
      ];
      await runInTransaction(fastSql(db), [
        [INSERT_GRANT, grant],
        [INSERT_CODE, stored],
      ]);
    },
  };
}
