// The store's side of a refresh retried within the grace period: one conditional write replaces
// the unused successor of a rotated token, or changes nothing at all.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import type { Db } from "../../lib/db/client.ts";
import type { IssuedTokens, NewRefreshToken, StoredRefreshToken, TokenStore } from "../../lib/oauth/token/ports.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";

describe(`the store's replacement of an unused successor on ${testDatabaseKind()}`, () => {
  let fixture: OAuthFixture;
  let db: Db;
  let store: TokenStore;
  let app: TestApp;

  before(async () => {
    fixture = await createOAuthFixture();
    ({ db } = fixture);
    store = fixture.tokenDeps.store;
    app = await fixture.app("Store", "client_secret_basic");
  });
  after(() => fixture?.close());

  /** A token rotated once: the rotated one as the token endpoint reads it, and its successor. */
  async function rotatedOnce(): Promise<{ parent: StoredRefreshToken; successorToken: string }> {
    const first = await fixture.redeem(app, await fixture.authorize(app));
    const second = await fixture.refresh(app, first.refresh_token!);
    const parent = await store.findRefreshToken(hashToken(first.refresh_token!));
    assert.ok(parent);
    return { parent, successorToken: second.refresh_token! };
  }

  function tokens(grantId: string): IssuedTokens & { refreshToken: NewRefreshToken } {
    const now = fixture.now();
    return {
      grantId,
      now,
      accessToken: { jti: randomUUID(), clientRef: app.client.ref, scopes: ["openid"], expiresAt: new Date(now.getTime() + 600_000) },
      refreshToken: {
        tokenHash: hashToken(randomUUID()),
        scopes: ["openid", "offline_access"],
        expiresAt: new Date(now.getTime() + 86_400_000),
      },
    };
  }
  const stored = async (issued: IssuedTokens & { refreshToken: NewRefreshToken }) => ({
    access: await db.accessToken.count({ where: { jti: issued.accessToken.jti } }),
    refresh: await db.refreshToken.count({ where: { tokenHash: issued.refreshToken.tokenHash } }),
  });

  test("the joined read carries the grant's creation and the successor's state", async () => {
    const { parent, successorToken } = await rotatedOnce();
    const successor = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: hashToken(successorToken) } });
    assert.deepEqual(parent.successor, { id: successor.id, rotatedAt: null, revokedAt: null });
    const grant = await db.grant.findUniqueOrThrow({ where: { id: parent.grant.id } });
    assert.equal(parent.grant.createdAt.getTime(), grant.createdAt.getTime());
  });

  test("replaces an unused successor once: it ends, detached; the new token is the parent's child", async () => {
    const { parent } = await rotatedOnce();
    const issued = tokens(parent.grant.id);
    assert.deepEqual(await store.replaceSuccessor(parent.id, parent.successor!.id, issued), { status: "won" });
    const old = await db.refreshToken.findUniqueOrThrow({ where: { id: parent.successor!.id } });
    assert.ok(old.rotatedAt && old.revokedAt);
    assert.equal(old.parentId, null);
    const child = await db.refreshToken.findUniqueOrThrow({ where: { tokenHash: issued.refreshToken.tokenHash } });
    assert.equal(child.parentId, parent.id);
    assert.deepEqual(await stored(issued), { access: 1, refresh: 1 });
    assert.equal(
      (await store.findRefreshToken((await db.refreshToken.findUniqueOrThrow({ where: { id: parent.id } })).tokenHash))?.successor?.id,
      child.id,
    );

    // The same successor again: nothing matches, nothing is stored.
    const again = tokens(parent.grant.id);
    assert.deepEqual(await store.replaceSuccessor(parent.id, parent.successor!.id, again), { status: "replayed" });
    assert.deepEqual(await stored(again), { access: 0, refresh: 0 });
  });

  test("a successor that was used, or that is another token's child, is not replaced", async () => {
    const used = await rotatedOnce();
    await fixture.refresh(app, used.successorToken);
    const late = tokens(used.parent.grant.id);
    assert.deepEqual(await store.replaceSuccessor(used.parent.id, used.parent.successor!.id, late), { status: "replayed" });
    assert.deepEqual(await stored(late), { access: 0, refresh: 0 });

    const other = await rotatedOnce();
    const wrong = tokens(other.parent.grant.id);
    assert.deepEqual(await store.replaceSuccessor(used.parent.id, other.parent.successor!.id, wrong), { status: "replayed" });
    assert.equal((await db.refreshToken.findUniqueOrThrow({ where: { id: other.parent.successor!.id } })).revokedAt, null);
  });

  test("two concurrent replacements of one successor: exactly one wins, one live token remains", async () => {
    for (let round = 0; round < 5; round++) {
      const { parent } = await rotatedOnce();
      const both = [tokens(parent.grant.id), tokens(parent.grant.id)];
      const outcomes = await Promise.all(both.map((issued) => store.replaceSuccessor(parent.id, parent.successor!.id, issued)));
      assert.deepEqual(outcomes.map((outcome) => outcome.status).sort(), ["replayed", "won"]);
      assert.equal(await db.refreshToken.count({ where: { grantId: parent.grant.id, rotatedAt: null, revokedAt: null } }), 1);
    }
  });
});
