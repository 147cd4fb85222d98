// Refresh rotation that survives a lost response: within the grace period, the previous refresh
// token presented again while its successor is unused gets a new set that replaces the successor;
// otherwise reuse revokes the grant (RFC 9700 §4.14.2). A grant never has two live refresh tokens,
// and none outlives the grant's absolute lifetime.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../lib/db/client.ts";
import type { SecurityEvent } from "../../lib/oauth/events.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import type { TokenResponse } from "../../lib/oauth/token/wire.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import type { OAuthConfig } from "../../lib/oauth/types.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, rejectsWith, testConfig, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

const DAY = 86_400_000;

describe(`refresh token grace period and absolute lifetime on ${testDatabaseKind()}`, () => {
  // A refresh token lives a day; a grant 1.5 days; a retry is accepted for 30 s.
  const config: OAuthConfig = {
    ...testConfig,
    refreshTokenTtlSeconds: 86_400,
    refreshTokenAbsoluteTtlSeconds: 129_600,
    refreshReuseGraceSeconds: 30,
  };
  let fixture: OAuthFixture;
  let db: Db;
  let web: TestApp;
  let deps: TokenDeps;
  const events: SecurityEvent[] = [];

  before(async () => {
    fixture = await createOAuthFixture(config);
    db = fixture.db;
    web = await fixture.app("Web", "client_secret_basic");
    deps = { ...fixture.tokenDeps, events: { emit: (event) => events.push(event) } };
  });
  after(() => fixture?.close());

  const refresh = (refreshToken: string, with_: TokenDeps = deps) =>
    handleTokenRequest(
      {
        body: rawParams([
          ["grant_type", "refresh_token"],
          ["refresh_token", refreshToken],
        ]),
        credentials: web.credentials,
      },
      with_,
    );
  const start = async () => {
    const first = await fixture.redeem(web, await fixture.authorize(web));
    const row = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(first.refresh_token!) } });
    return { first, grantId: row.grantId };
  };
  const row = (token: TokenResponse) => db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token.refresh_token!) } });
  const live = (grantId: string) => db.refreshToken.findMany({ where: { grantId, rotatedAt: null, revokedAt: null } });
  const grantRevoked = async (grantId: string) => (await db.grant.findUniqueOrThrow({ where: { id: grantId } })).revokedAt !== null;
  async function at<T>(offsetMs: number, work: () => Promise<T>): Promise<T> {
    const before = fixture.now();
    fixture.setNow(new Date(before.getTime() + offsetMs));
    try {
      return await work();
    } finally {
      fixture.setNow(before);
    }
  }

  test("a retry within the window, the successor unused: a new set replaces the successor and the grant lives on", async () => {
    const { first, grantId } = await start();
    const lost = await refresh(first.refresh_token!); // the response the client never saw
    const retried = await at(10_000, () => refresh(first.refresh_token!));
    assert.notEqual(retried.refresh_token, lost.refresh_token);
    assert.ok((await row(lost)).revokedAt, "the unused successor is dead");
    assert.deepEqual(
      (await live(grantId)).map((token) => token.tokenHash),
      [hashToken(retried.refresh_token!)],
    );
    assert.equal(events.findLast((event) => event.type === "refresh_token.retried")?.grantId, grantId);
    // Retried once more (that response lost as well), and then used: the chain goes on.
    const again = await at(20_000, () => refresh(first.refresh_token!));
    const next = await at(25_000, () => refresh(again.refresh_token!));
    assert.ok(next.access_token);
    assert.equal(await grantRevoked(grantId), false);
    assert.equal((await live(grantId)).length, 1);
    // The replaced successor showing up after all means two parties hold the chain: reuse.
    await rejectsWith(refresh(lost.refresh_token!), "invalid_grant");
    assert.ok(await grantRevoked(grantId));
    assert.equal((await live(grantId)).length, 0);
  });

  test("a retry after the successor was used revokes the grant", async () => {
    const { first, grantId } = await start();
    const second = await refresh(first.refresh_token!);
    await refresh(second.refresh_token!);
    await rejectsWith(
      at(5_000, () => refresh(first.refresh_token!)),
      "invalid_grant",
    );
    assert.ok(await grantRevoked(grantId));
    assert.equal(events.findLast((event) => event.type === "refresh_token.reused")?.grantId, grantId);
  });

  test("a retry after the window revokes the grant", async () => {
    const { first, grantId } = await start();
    const second = await refresh(first.refresh_token!);
    await rejectsWith(
      at(31_000, () => refresh(first.refresh_token!)),
      "invalid_grant",
    );
    assert.ok(await grantRevoked(grantId));
    await rejectsWith(refresh(second.refresh_token!), "invalid_grant");
  });

  test("with a grace period of 0 any reuse revokes the grant at once", async () => {
    const strict: TokenDeps = { ...deps, config: { ...config, refreshReuseGraceSeconds: 0 } };
    const { first, grantId } = await start();
    await refresh(first.refresh_token!, strict);
    await rejectsWith(refresh(first.refresh_token!, strict), "invalid_grant");
    assert.ok(await grantRevoked(grantId));
  });

  /** Deps whose refresh token lookups wait until `count` requests have made theirs. */
  function racing(count: number): TokenDeps {
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const store = { ...deps.store };
    store.findRefreshToken = async (hash) => {
      const found = await deps.store.findRefreshToken(hash);
      if (++arrived === count) release();
      await barrier;
      return found;
    };
    return { ...deps, store };
  }

  // The documented rule: a request that lost a race reads again and decides on what the winner
  // committed, so the last writer holds the one live refresh token; earlier sets' tokens are dead.
  for (const [name, retryFirst] of [
    ["two concurrent uses of a fresh token", false],
    ["two concurrent retries of a rotated token", true],
  ] as const) {
    test(`${name}: at least one new set, exactly one live refresh token, the grant kept`, async () => {
      for (let round = 0; round < 4; round++) {
        const { first, grantId } = await start();
        if (retryFirst) await refresh(first.refresh_token!);
        const racer = racing(2);
        const results = await Promise.allSettled([refresh(first.refresh_token!, racer), refresh(first.refresh_token!, racer)]);
        const issued = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.refresh_token!] : []));
        assert.ok(issued.length >= 1, JSON.stringify(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))));
        const alive = await live(grantId);
        assert.equal(alive.length, 1);
        assert.ok(issued.map(hashToken).includes(alive[0]!.tokenHash));
        assert.equal(await grantRevoked(grantId), false);
        const holder = issued.find((token) => hashToken(token) === alive[0]!.tokenHash)!;
        assert.ok((await refresh(holder)).access_token);
      }
    });
  }

  test("the successor used while its parent is retried: no two live chains (the grant is revoked)", async () => {
    for (let round = 0; round < 4; round++) {
      const { first, grantId } = await start();
      const second = await refresh(first.refresh_token!);
      const racer = racing(2);
      const results = await Promise.allSettled([refresh(second.refresh_token!, racer), refresh(first.refresh_token!, racer)]);
      assert.ok(results.filter((result) => result.status === "fulfilled").length <= 1);
      assert.equal((await live(grantId)).length, 0);
      assert.ok(await grantRevoked(grantId));
    }
  });

  test("refresh tokens never outlive the grant's absolute lifetime; past it, refresh is invalid_grant", async () => {
    const { first, grantId } = await start();
    const grant = await db.grant.findUniqueOrThrow({ where: { id: grantId } });
    const end = grant.createdAt.getTime() + config.refreshTokenAbsoluteTtlSeconds * 1000;
    assert.equal((await row(first)).expiresAt?.getTime(), grant.createdAt.getTime() + DAY, "a day, within the grant's 1.5");
    const second = await at(0.9 * DAY, () => refresh(first.refresh_token!));
    assert.equal((await row(second)).expiresAt?.getTime(), end, "cut short at the grant's end");
    const third = await at(1.4 * DAY, () => refresh(second.refresh_token!));
    assert.equal((await row(third)).expiresAt?.getTime(), end);
    // A token that would live longer (issued before the absolute lifetime existed) stops there too.
    await db.refreshToken.update({ where: { tokenHash: hashToken(third.refresh_token!) }, data: { expiresAt: new Date(end + 30 * DAY) } });
    await rejectsWith(
      at(end - fixture.now().getTime() + 1000, () => refresh(third.refresh_token!)),
      "invalid_grant",
    );
    const refused = events.findLast((event) => event.type === "token.refused");
    assert.equal(refused?.type === "token.refused" ? refused.reason : undefined, "grant expired");
    assert.equal(await grantRevoked(grantId), false, "an expired grant is not a breach");
  });
});
