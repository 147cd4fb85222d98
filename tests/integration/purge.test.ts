// Rows that outlived every use are purged, by the function and by the running server on its own;
// live rows and refresh tokens stay.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../lib/db/client.ts";
import { purgeExpired } from "../../lib/db/purge.ts";
import { createClient } from "../../lib/db/clients.ts";
import { testDatabaseKind } from "../support/db.ts";
import { REDIRECT_URI, startWorld, type PortalWorld } from "../support/oauth-http.ts";

const HOUR = 3600 * 1000;

async function seedRows(db: Db, userId: string, now: Date): Promise<{ grantId: string }> {
  const { client } = await createClient(db, { name: "Purge test", tokenEndpointAuthMethod: "none", redirectUris: [REDIRECT_URI] });
  const grant = await db.grant.create({ data: { userId, clientRef: client.ref, scope: "openid", authTime: now } });
  const at = (offsetMs: number) => ({
    jti: randomUUID(),
    grantId: grant.id,
    clientRef: client.ref,
    scope: "openid",
    expiresAt: new Date(now.getTime() + offsetMs),
  });
  await db.accessToken.createMany({ data: [at(-2 * HOUR), at(-2 * HOUR), at(10 * 60 * 1000)] });
  const code = (offsetMs: number) => ({
    codeHash: randomUUID(),
    grantId: grant.id,
    clientRef: client.ref,
    userId,
    redirectUri: REDIRECT_URI,
    scope: "openid",
    codeChallenge: "x".repeat(43),
    authTime: now,
    expiresAt: new Date(now.getTime() + offsetMs),
  });
  await db.authorizationCode.createMany({ data: [code(-48 * HOUR), code(-60 * 1000)] });
  const interaction = (offsetMs: number) => ({
    id: randomUUID(),
    clientRef: client.ref,
    params: "{}",
    expiresAt: new Date(now.getTime() + offsetMs),
  });
  await db.interaction.createMany({ data: [interaction(-2 * HOUR), interaction(10 * 60 * 1000)] });
  const session = (expiresInMs: number, endedAgoMs?: number) => ({
    tokenHash: randomUUID(),
    userId,
    authTime: now,
    expiresAt: new Date(now.getTime() + expiresInMs),
    ...(endedAgoMs === undefined ? {} : { endedAt: new Date(now.getTime() - endedAgoMs) }),
  });
  await db.session.createMany({ data: [session(-2 * HOUR), session(24 * HOUR, 2 * HOUR), session(24 * HOUR)] });
  await db.refreshToken.create({
    data: { tokenHash: randomUUID(), grantId: grant.id, scope: "openid", rotatedAt: new Date(now.getTime() - 48 * HOUR) },
  });
  await db.rateLimit.createMany({
    data: [
      { key: `old-${randomUUID()}`, windowStart: new Date(now.getTime() - 48 * HOUR), count: 3 },
      { key: `new-${randomUUID()}`, windowStart: now, count: 1 },
    ],
  });
  return { grantId: grant.id };
}

describe(`purging expired rows on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;

  before(async () => {
    world = await startWorld({ env: { PURGE_INTERVAL_SECONDS: "1" } });
  });
  after(() => world.close());

  test("deletes what expired past its margin, keeps live rows and refresh tokens", async () => {
    const now = new Date();
    const { grantId } = await seedRows(world.db, world.userId, now);
    const day = 86_400_000;
    await world.db.auditEvent.createMany({
      data: [
        { type: "test.old", createdAt: new Date(now.getTime() - 91 * day) },
        { type: "test.recent", createdAt: new Date(now.getTime() - 89 * day) },
      ],
    });
    // Mailed links: one expired two hours ago, one still usable.
    await world.db.accountLink.createMany({
      data: [
        {
          tokenHash: "old-link",
          userId: world.userId,
          purpose: "password_reset",
          email: "x@example.com",
          expiresAt: new Date(now.getTime() - 7_200_000),
        },
        {
          tokenHash: "new-link",
          userId: world.userId,
          purpose: "email_verification",
          email: "x@example.com",
          expiresAt: new Date(now.getTime() + 7_200_000),
        },
      ],
    });
    // Authenticator set-ups: one abandoned two days ago, one started now, one confirmed long ago.
    const factor = (ageMs: number, confirmed: boolean) => ({
      userId: world.userId,
      kind: "totp",
      name: `purge-${ageMs}-${confirmed}`,
      secretEncrypted: "sealed",
      createdAt: new Date(now.getTime() - ageMs),
      confirmedAt: confirmed ? new Date(now.getTime() - ageMs) : null,
    });
    await world.db.secondFactor.createMany({ data: [factor(2 * day, false), factor(0, false), factor(3 * day, true)] });
    // WebAuthn challenges: one past its five minutes, one live.
    await world.db.webAuthnChallenge.createMany({
      data: [
        { challenge: "old-challenge", purpose: "sign-in", bindingHash: "b", expiresAt: new Date(now.getTime() - 1000) },
        { challenge: "new-challenge", purpose: "sign-in", bindingHash: "b", expiresAt: new Date(now.getTime() + 300_000) },
      ],
    });
    // The server purges every second too; whatever it already took, this takes the rest.
    await purgeExpired(world.db, now);
    assert.deepEqual(
      (await world.db.webAuthnChallenge.findMany({ select: { challenge: true } })).map((row) => row.challenge),
      ["new-challenge"],
    );
    assert.deepEqual(
      (
        await world.db.secondFactor.findMany({
          where: { name: { startsWith: "purge-" } },
          select: { name: true },
          orderBy: { name: "asc" },
        })
      ).map((row) => row.name),
      ["purge-0-false", `purge-${3 * day}-true`],
    );
    assert.deepEqual(
      (await world.db.accountLink.findMany({ select: { tokenHash: true } })).map((link) => link.tokenHash),
      ["new-link"],
    );
    assert.equal(await world.db.accessToken.count({ where: { grantId } }), 1);
    assert.equal(await world.db.authorizationCode.count({ where: { grantId } }), 1);
    assert.equal(await world.db.interaction.count({ where: { expiresAt: { lt: now } } }), 0);
    assert.equal(await world.db.refreshToken.count({ where: { grantId } }), 1);
    // Of the three sessions seeded (all signed in at \`now\`), the expired and the ended one go. (Not a
    // count of every session: the server may have purged the two before any count was taken.)
    assert.equal(await world.db.session.count({ where: { userId: world.userId, authTime: now } }), 1);
    assert.equal(await world.db.rateLimit.count({ where: { key: { startsWith: "old-" } } }), 0);
    assert.equal(await world.db.rateLimit.count({ where: { key: { startsWith: "new-" } } }), 1);
    // The audit log keeps AUDIT_RETENTION_DAYS (90 by default).
    assert.equal(await world.db.auditEvent.count({ where: { type: "test.old" } }), 0);
    assert.equal(await world.db.auditEvent.count({ where: { type: "test.recent" } }), 1);
    // The world's own live session survives.
    assert.equal((await fetch(`${world.issuer}/account`, { headers: { cookie: world.cookie }, redirect: "manual" })).status, 200);
  });

  test("the running server purges on its own, every PURGE_INTERVAL_SECONDS", async () => {
    // Three access-token rows, two long expired; nothing in this test deletes them (the server may
    // already have, by the time they are counted: it purges every second).
    const { grantId } = await seedRows(world.db, world.userId, new Date());
    const deadline = Date.now() + 10_000;
    while ((await world.db.accessToken.count({ where: { grantId } })) > 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(await world.db.accessToken.count({ where: { grantId } }), 1);
  });
});
