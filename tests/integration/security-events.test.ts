// The protocol core reports what it decided, with the private reason the client never sees; the
// server writes each report to the audit table and to its output as one JSON line, and never a
// secret, a code or a token.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { SecurityEvent } from "../../lib/oauth/events.ts";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { handleAuthorizeRequest } from "../../lib/oauth/authorize/handle-authorize.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import { auditEntryOf } from "../../lib/services/security-events.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, REDIRECT, type Entries, type OAuthFixture, type TestApp } from "../support/oauth-fixtures.ts";
import { authorizeParams, basicAuth, newPkce, REDIRECT_URI, startWorld, type PortalWorld } from "../support/oauth-http.ts";

describe(`security events of the protocol core on ${testDatabaseKind()}`, () => {
  let fixture: OAuthFixture;
  let web: TestApp;
  let spa: TestApp;
  const events: SecurityEvent[] = [];
  let deps: TokenDeps;

  before(async () => {
    fixture = await createOAuthFixture();
    web = await fixture.app("Web", "client_secret_basic");
    spa = await fixture.app("SPA", "none");
    deps = { ...fixture.tokenDeps, events: { emit: (event) => events.push(event) } };
  });
  after(() => fixture?.close());

  const token = (app: TestApp, entries: Entries, credentials = app.credentials) =>
    handleTokenRequest({ body: rawParams(entries), credentials }, deps);
  const redeem = (app: TestApp, code: string, redirectUri = REDIRECT) =>
    token(app, [
      ["grant_type", "authorization_code"],
      ["code", code],
      ["redirect_uri", redirectUri],
      ["code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"],
    ]);
  const last = () => events.at(-1);

  test("an issued token names client, user, grant type and scope", async () => {
    await redeem(web, await fixture.authorize(web, "openid offline_access"));
    assert.deepEqual(
      { ...last(), grantId: undefined },
      {
        type: "token.issued",
        clientId: web.client.clientId,
        userId: fixture.userId,
        grantId: undefined,
        grantType: "authorization_code",
        scope: "openid offline_access",
      },
    );
  });

  test("a failed client authentication says which method was used and why", async () => {
    const credentials = { method: "client_secret_basic", clientId: web.client.clientId, clientSecret: "not-the-secret" } as const;
    await assert.rejects(
      token(
        web,
        [
          ["grant_type", "refresh_token"],
          ["refresh_token", "x"],
        ],
        credentials,
      ),
    );
    assert.deepEqual(last(), {
      type: "client_auth.failed",
      endpoint: "token",
      clientId: web.client.clientId,
      method: "client_secret_basic",
      registered: "client_secret_basic",
      reason: "wrong or expired client secret",
    });
    const post = { method: "client_secret_post", clientId: web.client.clientId, clientSecret: "whatever" } as const;
    await assert.rejects(
      token(
        web,
        [
          ["grant_type", "refresh_token"],
          ["refresh_token", "x"],
        ],
        post,
      ),
    );
    assert.equal((last() as { reason: string }).reason, "used client_secret_post, registered client_secret_basic");
  });

  test("a refused grant carries the precise reason the response keeps generic", async () => {
    await assert.rejects(redeem(web, await fixture.authorize(web), "https://app.example.com/other"));
    assert.deepEqual(last(), {
      type: "token.refused",
      clientId: web.client.clientId,
      grantType: "authorization_code",
      error: "invalid_grant",
      reason: "redirect_uri mismatch",
    });
  });

  test("a replayed code is reported with the grant it revoked", async () => {
    const code = await fixture.authorize(spa, "openid");
    await redeem(spa, code);
    const grantId = (last() as { grantId: string }).grantId;
    await assert.rejects(redeem(spa, code));
    const replay = events.find((event) => event.type === "code.replayed");
    assert.deepEqual(replay, {
      type: "code.replayed",
      clientId: spa.client.clientId,
      userId: fixture.userId,
      grantId,
      reason: "code presented again after it was redeemed",
    });
  });

  test("a rotated refresh token presented again is reported with its grant", async () => {
    const first = await redeem(web, await fixture.authorize(web, "openid offline_access"));
    const second = await token(web, [
      ["grant_type", "refresh_token"],
      ["refresh_token", first.refresh_token!],
    ]);
    await token(web, [
      ["grant_type", "refresh_token"],
      ["refresh_token", second.refresh_token!],
    ]);
    await assert.rejects(
      token(web, [
        ["grant_type", "refresh_token"],
        ["refresh_token", first.refresh_token!],
      ]),
    );
    const reuse = events.findLast((event) => event.type === "refresh_token.reused");
    assert.equal(reuse?.clientId, web.client.clientId);
    assert.equal(reuse?.reason, "a rotated refresh token was presented again");
  });

  test("a refresh retried within the grace period is reported, and audited with its user", async () => {
    const first = await redeem(web, await fixture.authorize(web, "openid offline_access"));
    const grantId = (last() as { grantId: string }).grantId;
    await token(web, [
      ["grant_type", "refresh_token"],
      ["refresh_token", first.refresh_token!],
    ]);
    await token(web, [
      ["grant_type", "refresh_token"],
      ["refresh_token", first.refresh_token!],
    ]);
    const retried = events.findLast((event) => event.type === "refresh_token.retried");
    assert.deepEqual(
      { ...retried, reason: undefined },
      { type: "refresh_token.retried", clientId: web.client.clientId, userId: fixture.userId, grantId, reason: undefined },
    );
    assert.deepEqual(auditEntryOf(retried!), {
      type: "refresh_token.retried",
      clientId: web.client.clientId,
      subjectUserId: fixture.userId,
      detail: { grantId, reason: (retried as { reason: string }).reason },
    });
  });

  test("an authorization request with an unregistered redirect URI reports the URI sent and those registered", async () => {
    const seen: SecurityEvent[] = [];
    const outcome = await handleAuthorizeRequest(
      rawParams([
        ["response_type", "code"],
        ["client_id", web.client.clientId],
        ["redirect_uri", "https://evil.example/cb"],
      ]),
      null,
      {
        config: fixture.config,
        runtime: fixture.runtime,
        store: authorizeStore(fixture.db),
        events: { emit: (event) => seen.push(event) },
      },
    );
    assert.equal(outcome.kind, "error_page");
    assert.deepEqual(seen, [
      {
        type: "authorize.refused",
        clientId: web.client.clientId,
        error: "invalid_request",
        reason: "redirect_uri is not registered for this client",
        redirectUri: "https://evil.example/cb",
        registeredRedirectUris: [REDIRECT],
      },
    ]);
  });
});

describe(`security events reach the audit table and the log of a running portal on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  before(async () => {
    world = await startWorld();
  });
  after(() => world?.close());

  test("every decision is recorded, and no secret, code or token appears in the table or the output", async () => {
    const { clientId, clientSecret } = await world.addClient({
      tokenEndpointAuthMethod: "client_secret_basic",
      skipConsent: true,
      scopes: ["openid", "offline_access"],
    });
    const pkce = newPkce();
    const authorize = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(clientId, pkce)}`, {
      headers: { cookie: world.cookie },
      redirect: "manual",
    });
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier };
    const post = (body: Record<string, string>, secret = clientSecret!) =>
      fetch(`${world.issuer}/oauth/token`, {
        method: "POST",
        headers: { authorization: basicAuth(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body),
      });
    const tokens = (await (await post(form)).json()) as { access_token: string; refresh_token: string; id_token: string };
    assert.ok(tokens.refresh_token);
    assert.equal((await post(form)).status, 400); // the replay
    assert.equal((await post({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }, "wrong-secret-value")).status, 401);
    await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(clientId, pkce, { redirect_uri: "https://evil.example/cb" })}`, {
      redirect: "manual",
    });

    const wanted = ["token.issued", "code.replayed", "client_auth.failed", "authorize.refused"];
    let rows: { type: string; clientId: string | null; detail: string }[] = [];
    for (let tries = 0; tries < 50; tries += 1) {
      rows = await world.db.auditEvent.findMany({ where: { clientId }, select: { type: true, clientId: true, detail: true } });
      if (wanted.every((type) => rows.some((row) => row.type === type))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(
      wanted.filter((type) => !rows.some((row) => row.type === type)),
      [],
    );
    const refused = rows.find((row) => row.type === "authorize.refused")!;
    assert.equal((JSON.parse(refused.detail) as { redirectUri: string }).redirectUri, "https://evil.example/cb");

    const output = world.portal.output();
    const logged = output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { event?: string });
    for (const type of wanted)
      assert.ok(
        logged.some((line) => line.event === type),
        `${type} is logged`,
      );

    // The console's "last used": the secret that authenticated and its client, written a moment
    // later (off the request path).
    let used: { secret: Date | null; client: Date | null } = { secret: null, client: null };
    for (let tries = 0; tries < 50 && !(used.secret && used.client); tries += 1) {
      const row = await world.db.client.findUniqueOrThrow({
        where: { clientId },
        select: { lastUsedAt: true, secrets: { select: { lastUsedAt: true } } },
      });
      used = { secret: row.secrets[0]?.lastUsedAt ?? null, client: row.lastUsedAt };
      if (!(used.secret && used.client)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(used.secret && used.client, "the secret's and the client's last use are recorded");
    // At most once a minute each: another request now leaves them as they are.
    assert.equal((await post({ grant_type: "refresh_token", refresh_token: "unknown" })).status, 400);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await world.db.clientSecret.findFirstOrThrow({ where: { client: { clientId } }, select: { lastUsedAt: true } });
    assert.equal(again.lastUsedAt?.getTime(), used.secret.getTime());

    const everything = JSON.stringify(await world.db.auditEvent.findMany()) + output;
    const secrets = {
      clientSecret,
      code,
      verifier: pkce.verifier,
      session: world.cookie.split("=")[1],
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
    };
    for (const [name, value] of Object.entries(secrets)) assert.ok(value && !everything.includes(value), `${name} must not be recorded`);
  });
});
