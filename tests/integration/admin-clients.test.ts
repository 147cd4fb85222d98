// The clients service layer (lib/services/clients.ts) against a real database, with the real
// portal running on it: what an admin changes is what the token, introspection and userinfo
// endpoints then do, each change leaves its audit row, and no secret is ever written down.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createInitialAccessToken } from "../../lib/db/registration-store.ts";
import { tokenStatusStore } from "../../lib/db/token-status-store.ts";
import { userClaimsStore } from "../../lib/db/user-claims-store.ts";
import { handleIntrospectionRequest } from "../../lib/oauth/introspection/handle-introspection.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { handleUserInfoRequest } from "../../lib/oauth/userinfo/handle-userinfo.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { bumpChangeCounter } from "../../lib/services/change.ts";
import {
  createClient,
  deleteClient,
  getClientDetail,
  listClientActivity,
  listClients,
  revokeClientSecret,
  rotateClientSecret,
  setClientDisabled,
  updateClient,
} from "../../lib/services/clients.ts";
import { ServiceError, type Actor } from "../../lib/services/errors.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, rejectsWith } from "../support/oauth-fixtures.ts";
import { authorizeParams, basicAuth, newPkce, REDIRECT_URI, startWorld, type PortalWorld } from "../support/oauth-http.ts";

const EVERY_FIELD = {
  name: "Shop Back Office",
  tokenEndpointAuthMethod: "client_secret_basic",
  applicationType: "web",
  redirectUris: `${REDIRECT_URI}\nhttps://app.example.com/second`,
  postLogoutRedirectUris: "https://app.example.com/bye",
  scopes: ["openid", "email", "offline_access"],
  logoUri: "https://app.example.com/logo.png",
  clientUri: "https://app.example.com/",
  policyUri: "http://127.0.0.1:8080/privacy",
  tosUri: "https://app.example.com/terms",
  accessTokenTtlSeconds: "300",
  idTokenTtlSeconds: "600",
  refreshTokenTtlSeconds: "7200",
  idTokenSignedResponseAlg: "ES256",
  skipConsent: true,
};

/** Retries until `check` passes: the portal sees a change within its counter poll (250 ms). */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe(`the clients service on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let admin: Actor;
  const secrets: string[] = [];

  before(async () => {
    world = await startWorld();
    const user = await world.db.user.create({ data: { email: "root@example.com", passwordHash: "unused", role: "admin" } });
    admin = { userId: user.id, ipAddress: "127.0.0.1", via: "console" };
  });
  after(async () => {
    await world?.close();
  });

  const create = async (input: Record<string, unknown> = {}) => {
    const made = await createClient(admin, { ...EVERY_FIELD, ...input }, world.db);
    if (made.clientSecret) secrets.push(made.clientSecret);
    return made;
  };
  const introspect = (clientId: string, secret: string, token = "not-a-token") =>
    fetch(`${world.issuer}/oauth/introspect`, {
      method: "POST",
      headers: { authorization: basicAuth(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token }),
    });
  const authenticates = async (clientId: string, secret: string) => (await introspect(clientId, secret)).status === 200;
  /** The service's own audit events about a client (the protocol core's are left out). */
  const auditTypes = async (clientId: string) =>
    (await world.db.auditEvent.findMany({ where: { clientId, type: { startsWith: "client." } }, orderBy: { createdAt: "asc" } })).map(
      (row) => row.type,
    );

  /** A real code and token exchange for the world's signed-in user. */
  async function tokensFor(clientId: string, secret: string) {
    const pkce = newPkce();
    const response = await fetch(
      `${world.issuer}/oauth/authorize?${authorizeParams(clientId, pkce, { scope: "openid email offline_access" })}`,
      {
        redirect: "manual",
        headers: { cookie: world.cookie },
      },
    );
    const code = new URL(response.headers.get("location") ?? "", world.issuer).searchParams.get("code");
    assert.ok(code, `no code: ${response.status} ${response.headers.get("location")}`);
    const token = await fetch(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: { authorization: basicAuth(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier }),
    });
    assert.equal(token.status, 200, await token.clone().text());
    return (await token.json()) as { access_token: string; refresh_token: string };
  }

  test("create stores every field, the secret only as a hash, and audits without it", async () => {
    const { client, clientSecret } = await create();
    assert.ok(clientSecret && clientSecret.length >= 43);
    const row = await world.db.client.findUniqueOrThrow({ where: { clientId: client.clientId }, include: { secrets: true } });
    assert.deepEqual(
      {
        name: row.name,
        type: row.type,
        method: row.tokenEndpointAuthMethod,
        app: row.applicationType,
        redirect: row.redirectUris,
        logout: row.postLogoutRedirectUris,
        scope: row.scope,
        logo: row.logoUri,
        home: row.clientUri,
        policy: row.policyUri,
        tos: row.tosUri,
        access: row.accessTokenTtlSeconds,
        id: row.idTokenTtlSeconds,
        refresh: row.refreshTokenTtlSeconds,
        alg: row.idTokenSignedResponseAlg,
        skip: row.skipConsent,
        source: row.registrationSource,
        by: row.createdById,
      },
      {
        name: "Shop Back Office",
        type: "confidential",
        method: "client_secret_basic",
        app: "web",
        redirect: `${REDIRECT_URI} https://app.example.com/second`,
        logout: "https://app.example.com/bye",
        scope: "openid email offline_access",
        logo: "https://app.example.com/logo.png",
        home: "https://app.example.com/",
        policy: "http://127.0.0.1:8080/privacy",
        tos: "https://app.example.com/terms",
        access: 300,
        id: 600,
        refresh: 7200,
        alg: "ES256",
        skip: true,
        source: "admin",
        by: admin.userId,
      },
    );
    assert.deepEqual(
      row.secrets.map((secret) => secret.secretHash),
      [hashToken(clientSecret)],
    );
    assert.deepEqual(await auditTypes(client.clientId), ["client.created"]);
    assert.ok(await authenticates(client.clientId, clientSecret));

    const pub = await create({
      name: "Phone App",
      tokenEndpointAuthMethod: "none",
      applicationType: "native",
      redirectUris: "com.example.phone:/cb",
    });
    assert.equal(pub.clientSecret, undefined);
    assert.equal(pub.client.type, "public");
    assert.equal(await world.db.clientSecret.count({ where: { client: { clientId: pub.client.clientId } } }), 0);
  });

  const refusals: [string, Record<string, unknown>, string[]][] = [
    [
      "a backslash in the name and a bidi override in a redirect URI",
      { name: "Shop\\Admin", redirectUris: "https://app.example.com/\u202Ecb" },
      ["name", "redirectUris"],
    ],
    ["a control character in the name", { name: "Shop\u0007" }, ["name"]],
    ["no redirect URI", { redirectUris: "" }, ["redirectUris"]],
    ["a fragment in a post-logout redirect URI", { postLogoutRedirectUris: "https://app.example.com/#x" }, ["postLogoutRedirectUris"]],
    ["a private-use scheme for a web application", { redirectUris: "com.example.app:/cb" }, ["redirectUris"]],
    [
      "an unsupported scope and an unknown auth method",
      { scopes: ["openid", "admin"], tokenEndpointAuthMethod: "private_key_jwt" },
      ["tokenEndpointAuthMethod"],
    ],
    ["an unsupported scope", { scopes: ["openid", "admin"] }, ["scopes"]],
    ["no scope", { scopes: [] }, ["scopes"]],
    [
      "an http page URL on a public host",
      { logoUri: "http://app.example.com/logo.png", tosUri: "javascript:alert(1)" },
      ["logoUri", "tosUri"],
    ],
    [
      "lifetimes out of bounds",
      { accessTokenTtlSeconds: "59", idTokenTtlSeconds: "86401", refreshTokenTtlSeconds: "1.5" },
      ["accessTokenTtlSeconds", "idTokenTtlSeconds", "refreshTokenTtlSeconds"],
    ],
    ["an unknown signing algorithm", { idTokenSignedResponseAlg: "HS256" }, ["idTokenSignedResponseAlg"]],
  ];
  for (const [what, input, fields] of refusals) {
    test(`create refuses ${what}, next to the field, changing nothing`, async () => {
      const before = [await world.db.client.count(), await world.db.auditEvent.count({ where: { type: { startsWith: "client." } } })];
      await assert.rejects(create(input), (error: unknown) => {
        assert.ok(error instanceof ServiceError);
        assert.deepEqual(Object.keys(error.fieldErrors).sort(), [...fields].sort());
        return true;
      });
      assert.deepEqual(
        [await world.db.client.count(), await world.db.auditEvent.count({ where: { type: { startsWith: "client." } } })],
        before,
      );
    });
  }

  test("update replaces the settings, switches basic to post, and refuses becoming public", async () => {
    const { client, clientSecret } = await create({ name: "Before" });
    const updated = await updateClient(
      admin,
      client.clientId,
      { ...EVERY_FIELD, name: "After", tokenEndpointAuthMethod: "client_secret_post", accessTokenTtlSeconds: "" },
      world.db,
    );
    assert.deepEqual([updated.name, updated.tokenEndpointAuthMethod, updated.accessTokenTtlSeconds], ["After", "client_secret_post", null]);
    await assert.rejects(
      updateClient(admin, client.clientId, { ...EVERY_FIELD, tokenEndpointAuthMethod: "none" }, world.db),
      (error: unknown) => error instanceof ServiceError && Object.keys(error.fieldErrors).join() === "tokenEndpointAuthMethod",
    );
    await assert.rejects(updateClient(admin, "no-such-client", EVERY_FIELD, world.db), ServiceError);
    assert.deepEqual(await auditTypes(client.clientId), ["client.created", "client.updated"]);
    // The secret kept working across the switch, now sent in the body.
    await eventually(async () => {
      const response = await fetch(`${world.issuer}/oauth/introspect`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: "x", client_id: client.clientId, client_secret: clientSecret! }),
      });
      assert.equal(response.status, 200);
    });
  });

  test("rotation: both secrets work during the overlap, only the new one after it; revoke ends one, never the last", async () => {
    const { client, clientSecret: first } = await create({ name: "Rotating" });
    const { clientSecret: second, oldSecretsExpireAt } = await rotateClientSecret(
      admin,
      client.clientId,
      { oldSecretExpiresInHours: 1 },
      world.db,
    );
    secrets.push(second);
    assert.ok(Math.abs(oldSecretsExpireAt.getTime() - Date.now() - 3_600_000) < 60_000);
    await eventually(async () =>
      assert.deepEqual([await authenticates(client.clientId, first!), await authenticates(client.clientId, second)], [true, true]),
    );

    // The overlap ends (as if the hour had passed): the portal notices through the change counter.
    await world.db.$transaction(async (tx) => {
      await tx.clientSecret.updateMany({ where: { secretHash: hashToken(first!) }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await bumpChangeCounter(tx);
    });
    await eventually(async () =>
      assert.deepEqual([await authenticates(client.clientId, first!), await authenticates(client.clientId, second)], [false, true]),
    );

    const { clientSecret: third } = await rotateClientSecret(admin, client.clientId, { oldSecretExpiresInHours: 24 }, world.db);
    secrets.push(third);
    const detail = await getClientDetail(client.clientId, world.db);
    assert.equal(detail?.secrets.filter((secret) => secret.live).length, 2);
    assert.ok(!JSON.stringify(detail).includes(hashToken(third)), "the detail never carries a hash");
    const secondId = (await world.db.clientSecret.findUniqueOrThrow({ where: { secretHash: hashToken(second) } })).id;
    await revokeClientSecret(admin, client.clientId, secondId, world.db);
    await eventually(async () =>
      assert.deepEqual([await authenticates(client.clientId, second), await authenticates(client.clientId, third)], [false, true]),
    );
    const thirdId = (await world.db.clientSecret.findUniqueOrThrow({ where: { secretHash: hashToken(third) } })).id;
    await assert.rejects(revokeClientSecret(admin, client.clientId, thirdId, world.db), /only working secret/);
    await assert.rejects(rotateClientSecret(admin, client.clientId, { oldSecretExpiresInHours: 2 }, world.db), ServiceError);
    assert.deepEqual(await auditTypes(client.clientId), [
      "client.created",
      "client.secret_rotated",
      "client.secret_rotated",
      "client.secret_revoked",
    ]);
  });

  test("disabling refuses the token endpoint and ends existing tokens; enabling restores them", async () => {
    const { client, clientSecret } = await create({ name: "To disable" });
    const tokens = await tokensFor(client.clientId, clientSecret!);
    const active = async () =>
      (await (await introspect(client.clientId, clientSecret!, tokens.access_token)).json()) as { active: boolean };
    assert.equal((await active()).active, true);

    await setClientDisabled(admin, client.clientId, true, world.db);
    // Userinfo reads the client's flag with the token (no cache): the access token is dead at once.
    const userinfo = await fetch(`${world.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 401);
    // Introspection refuses the disabled client itself (once the portal's client cache has seen
    // the change), so nothing about its token is told.
    await eventually(async () => assert.equal((await introspect(client.clientId, clientSecret!, tokens.access_token)).status, 401));
    const refresh = await fetch(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: { authorization: basicAuth(client.clientId, clientSecret!), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }),
    });
    assert.equal(refresh.status, 401);
    assert.equal(((await refresh.json()) as { error: string }).error, "invalid_client");

    await setClientDisabled(admin, client.clientId, false, world.db);
    await eventually(async () => assert.equal((await active()).active, true));
    assert.deepEqual(await auditTypes(client.clientId), ["client.created", "client.disabled", "client.enabled"]);
  });

  test("delete removes the client and every grant and token it held", async () => {
    const { client, clientSecret } = await create({ name: "To delete" });
    const tokens = await tokensFor(client.clientId, clientSecret!);
    const ref = (await world.db.client.findUniqueOrThrow({ where: { clientId: client.clientId } })).id;
    assert.equal(await world.db.grant.count({ where: { clientRef: ref } }), 1);
    assert.equal((await getClientDetail(client.clientId, world.db))?.activeGrants, 1);

    await deleteClient(admin, client.clientId, world.db);
    assert.equal(await world.db.client.count({ where: { id: ref } }), 0);
    assert.equal(await world.db.grant.count({ where: { clientRef: ref } }), 0);
    assert.equal(await world.db.accessToken.count({ where: { clientRef: ref } }), 0);
    assert.equal(await getClientDetail(client.clientId, world.db), null);
    const userinfo = await fetch(`${world.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfo.status, 401);
    const deleted = await world.db.auditEvent.findFirstOrThrow({ where: { clientId: client.clientId, type: "client.deleted" } });
    assert.deepEqual(JSON.parse(deleted.detail), { via: "console", name: "To delete", activeGrants: 1 });
    assert.equal(deleted.actorUserId, admin.userId);
    await assert.rejects(deleteClient(admin, client.clientId, world.db), ServiceError);
  });

  test("dynamic registration and deletion are audited too", async () => {
    const { token } = await createInitialAccessToken(world.db);
    secrets.push(token);
    const response = await fetch(`${world.issuer}/oauth/register`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ client_name: "Self-registered", redirect_uris: [REDIRECT_URI] }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const registered = (await response.json()) as {
      client_id: string;
      client_secret: string;
      registration_access_token: string;
      registration_client_uri: string;
    };
    secrets.push(registered.client_secret, registered.registration_access_token);
    const removed = await fetch(registered.registration_client_uri, {
      method: "DELETE",
      headers: { authorization: `Bearer ${registered.registration_access_token}` },
    });
    assert.equal(removed.status, 204);
    assert.deepEqual(await auditTypes(registered.client_id), ["client.registered", "client.registration_deleted"]);
  });

  test("the list searches names and client_ids and pages; the activity names the actor", async () => {
    const found = await listClients({ query: "shop back" }, world.db);
    assert.ok(found.total >= 1 && found.items.every((item) => item.name.toLowerCase().includes("shop back")));
    const { client } = await create({ name: "Findable 100%_" });
    assert.deepEqual(
      (await listClients({ query: client.clientId.slice(2, 12) }, world.db)).items.map((item) => item.clientId),
      [client.clientId],
    );
    assert.deepEqual(
      (await listClients({ query: "100%_" }, world.db)).items.map((item) => item.name),
      ["Findable 100%_"],
    );
    assert.equal((await listClients({ query: "100%x" }, world.db)).total, 0, "% and _ match themselves only");
    const total = await world.db.client.count();
    const second = await listClients({ page: 2, pageSize: 2 }, world.db);
    assert.deepEqual([second.page, second.pages, second.items.length, second.total], [2, Math.ceil(total / 2), 2, total]);
    const [latest] = await listClientActivity(client.clientId, 20, world.db);
    assert.deepEqual([latest?.type, latest?.actor], ["client.created", "root@example.com"]);
  });

  test("no secret appears in any audit row or in the server's output", async () => {
    await new Promise((resolve) => setTimeout(resolve, 500)); // the security-event sink's batch
    const rows = JSON.stringify(await world.db.auditEvent.findMany());
    const output = world.portal.output();
    assert.ok(secrets.length >= 8);
    for (const secret of secrets) {
      assert.ok(!rows.includes(secret), "a secret in the audit log");
      assert.ok(!output.includes(secret), "a secret in the server output");
    }
  });
});

describe(`a disabled client's tokens, on ${testDatabaseKind()}`, () => {
  // Another instance may still hold the client, enabled, in its cache for a moment (the client
  // cache, lib/db/clients.ts): the token lookups read the client's flag themselves, uncached.
  test("are inactive at introspection and refused at userinfo even where the client is still cached as enabled", async () => {
    const f = await createOAuthFixture();
    try {
      const web = await f.app("Web", "client_secret_basic");
      const issued = await f.redeem(web, await f.authorize(web, "openid offline_access"));
      const stale = { ...tokenStatusStore(f.db), findClient: async () => web.client };
      const deps = { config: f.config, runtime: f.runtime, store: stale, verificationKeys: f.keyring };
      const introspect = (token: string) =>
        handleIntrospectionRequest({ body: rawParams([["token", token]]), credentials: web.credentials }, deps);
      const userinfo = () =>
        handleUserInfoRequest(
          { accessToken: issued.access_token },
          { config: f.config, runtime: f.runtime, verificationKeys: f.keyring, tokens: stale, users: userClaimsStore(f.db) },
        );
      assert.equal((await introspect(issued.access_token)).active, true);
      assert.equal((await introspect(issued.refresh_token!)).active, true);
      assert.equal((await userinfo()).kind, "claims");

      await setClientDisabled({ userId: null, via: "cli" }, web.client.clientId, true, f.db);
      assert.deepEqual(await introspect(issued.access_token), { active: false });
      assert.deepEqual(await introspect(issued.refresh_token!), { active: false });
      await rejectsWith(userinfo(), "invalid_token");

      await setClientDisabled({ userId: null, via: "cli" }, web.client.clientId, false, f.db);
      assert.equal((await introspect(issued.access_token)).active, true);
    } finally {
      await f.close();
    }
  });
});
