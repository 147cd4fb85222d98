// Two real servers on one database, one of them with two worker processes: a change made anywhere (here by a third process, as the CLI or
// another instance would) is seen by both within the change watcher's poll, long before their
// 5-second client caches expire.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createClient, rotateClientSecret, setClientDisabled } from "../../lib/services/clients.ts";
import type { Actor } from "../../lib/services/errors.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { basicAuth } from "../support/oauth-http.ts";
import { startPortal, type RunningPortal } from "../support/portal.ts";

/** Well under the 5-second client cache: only the change watcher can make it. */
const cli: Actor = { userId: null, via: "cli" };
const app = (name: string) => ({
  name,
  tokenEndpointAuthMethod: "client_secret_basic",
  redirectUris: [`https://${name.toLowerCase()}.example/cb`],
});
const DEADLINE_MS = 2_500;

describe(`a change reaches every instance at once on ${testDatabaseKind()}`, () => {
  let database: TestDatabase;
  let db: Db;
  let servers: RunningPortal[] = [];

  before(async () => {
    database = await createTestDatabase();
    const env = { PORTAL_SECRET: randomBytes(32).toString("base64url") };
    const first = await startPortal({ databaseUrl: database.url, env });
    // The second runs two worker processes (WEB_CONCURRENCY): each has its own caches.
    servers = [first, await startPortal({ databaseUrl: database.url, env: { ...env, WEB_CONCURRENCY: "2" } })];
    db = createDb(database.url);
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await db?.$disconnect();
    await database?.drop();
  });

  const introspect = (server: RunningPortal, clientId: string, secret: string) =>
    fetch(`${server.url}/oauth/introspect`, {
      method: "POST",
      headers: { authorization: basicAuth(clientId, secret), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: "not-a-token" }),
    }).then((response) => response.status);

  /** How long until both servers refuse the client (401), after `act`. */
  async function refusedEverywhereAfter(clientId: string, secret: string, act: () => Promise<void>): Promise<number> {
    for (const server of servers) assert.equal(await introspect(server, clientId, secret), 200, "cached as valid before the change");
    const started = Date.now();
    await act();
    // Refused by a server when several requests in a row are, so every worker of it refuses too
    // (connections are spread over the workers).
    const pending = new Set(servers);
    while (pending.size > 0 && Date.now() - started < 10_000) {
      for (const server of [...pending]) {
        const statuses = await Promise.all(Array.from({ length: 6 }, () => introspect(server, clientId, secret)));
        if (statuses.every((status) => status === 401)) pending.delete(server);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(pending.size, 0, "both servers refuse the client in the end");
    return Date.now() - started;
  }

  test("a disabled client is refused by both servers", async () => {
    const { client, clientSecret } = await createClient(cli, app("Shop"), db);
    const elapsed = await refusedEverywhereAfter(client.clientId, clientSecret!, () => setClientDisabled(cli, client.clientId, true, db));
    assert.ok(elapsed < DEADLINE_MS, `took ${elapsed} ms`);
  });

  test("a secret replaced without overlap is refused by both servers", async () => {
    const { client, clientSecret } = await createClient(cli, app("Blog"), db);
    const elapsed = await refusedEverywhereAfter(client.clientId, clientSecret!, async () => {
      await rotateClientSecret(cli, client.clientId, { oldSecretExpiresInHours: 0 }, db);
    });
    assert.ok(elapsed < DEADLINE_MS, `took ${elapsed} ms`);
  });
});
