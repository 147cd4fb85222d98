// Dynamic client registration (RFC 7591) and client configuration (RFC 7592) through the service
// layer's bookkeeping: each registration, update and deletion writes its audit row and moves the
// change counter inside the storage's own transaction (lib/db/registration-store.ts), and the
// caches are forgotten and the log line written once it committed. The client, not a person,
// asks: no actor.
import type { Db } from "../db/index.ts";
import { registrationStore, type RegistrationChange } from "../db/registration-store.ts";
import type { RegistrationStore } from "../oauth/registration/ports.ts";
import { logAudit, writeAudit, type AuditEntry } from "./audit.ts";
import { bumpChangeCounter, forgetCaches } from "./change.ts";

export function auditedRegistrationStore(db: Db): RegistrationStore {
  /** A store whose writes audit into `entries`, so one call's log lines follow its commit. */
  const storeFor = (entries: AuditEntry[]) =>
    registrationStore(db, async (tx, { type, clientId, name }: RegistrationChange) => {
      const entry: AuditEntry = { type, actorUserId: null, clientId, detail: { via: "registration", name } };
      await writeAudit(tx, [entry], new Date());
      await bumpChangeCounter(tx);
      entries.push(entry);
    });
  const committed = (entries: readonly AuditEntry[]) => {
    if (entries.length === 0) return;
    forgetCaches(db);
    logAudit(entries, new Date());
  };
  const reads = registrationStore(db);

  return {
    findInitialAccessToken: (tokenHash) => reads.findInitialAccessToken(tokenHash),
    findDynamicClient: (clientId, tokenHash) => reads.findDynamicClient(clientId, tokenHash),
    async registerClient(token, client, now) {
      const entries: AuditEntry[] = [];
      const result = await storeFor(entries).registerClient(token, client, now);
      committed(entries);
      return result;
    },
    async updateDynamicClient(ref, currentTokenHash, update) {
      const entries: AuditEntry[] = [];
      const result = await storeFor(entries).updateDynamicClient(ref, currentTokenHash, update);
      committed(entries);
      return result;
    },
    async deleteDynamicClient(ref, currentTokenHash) {
      const entries: AuditEntry[] = [];
      const result = await storeFor(entries).deleteDynamicClient(ref, currentTokenHash);
      committed(entries);
      return result;
    },
  };
}
