// The authorization endpoint's storage (lib/oauth/ports.ts AuthorizeStore) on Prisma.
import type { AuthorizationRequest } from "../oauth/authorize/request.ts";
import type { AuthorizeStore, StoredInteraction } from "../oauth/ports.ts";
import { isSubset } from "../oauth/scope.ts";
import { fastSql, type Db } from "./client.ts";
import { findClientById, findClientByRef } from "./clients.ts";
import { date, optionalDate, optionalText, text } from "./raw-values.ts";
import { FIND_INTERACTION } from "./sql/browser.ts";
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

    async createInteraction(interaction) {
      await db.interaction.create({
        data: {
          id: interaction.id,
          clientRef: interaction.clientRef,
          params: JSON.stringify(interaction.request),
          sessionId: interaction.sessionId,
          expiresAt: interaction.expiresAt,
        },
      });
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
      await db.interaction.update({
        where: { id },
        data: { sessionId: session.id, userId: session.userId, authTime: session.authTime },
      });
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
      // The conditional update is the lock: of two concurrent completions, one sees count 0.
      const { count } = await db.interaction.updateMany({ where: { id, completedAt: null }, data: { completedAt: now } });
      return count === 1;
    },

    async createGrantWithCode(code) {
      const scope = code.scopes.join(" ");
      await db.grant.create({
        data: {
          userId: code.userId,
          clientRef: code.clientRef,
          scope,
          sessionId: code.sessionId,
          authTime: code.authTime,
          amr: code.amr.join(" "),
          createdAt: code.createdAt,
          codes: {
            create: {
              codeHash: code.codeHash,
              clientRef: code.clientRef,
              userId: code.userId,
              redirectUri: code.redirectUri,
              scope,
              nonce: code.nonce ?? null,
              codeChallenge: code.codeChallenge,
              codeChallengeMethod: "S256",
              authTime: code.authTime,
              sessionId: code.sessionId,
              createdAt: code.createdAt,
              expiresAt: code.expiresAt,
            },
          },
        },
      });
    },
  };
}
