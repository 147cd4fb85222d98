import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, test } from "node:test";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createClient } from "../../lib/db/clients.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/db.ts";
import { REDIRECT_URI, authorizeParams, basicAuth, newPkce, startWorld } from "../support/oauth-http.ts";
import { startProxy, type Proxy } from "../support/tcp-proxy.ts";
import { defaultPortalSecret, startPortal, type RunningPortal } from "../support/portal.ts";

const CONNECT_TIMEOUT_SECONDS = 2;
const STATEMENT_TIMEOUT_SECONDS = 2;
// Generous: a functional bound (no hang for the outage), not a benchmark.
const ANSWER_BOUND_MS = (CONNECT_TIMEOUT_SECONDS + STATEMENT_TIMEOUT_SECONDS + 1) * 1000 + 4000;
const OUTAGE_MS = 10_000;

const postgresOnly =
  testDatabaseKind() === "postgres" ? false : "needs PostgreSQL behind a TCP proxy (TEST_DB_KIND=postgres); SQLite has no network to cut";

describe("a database outage answers 503 temporarily_unavailable and the portal recovers", { skip: postgresOnly }, () => {
  let database: TestDatabase;
  let proxy: Proxy;
  let portal: RunningPortal;
  let db: Db;
  let basic: string;
  let clientId: string;

  before(async () => {
    database = await createTestDatabase("postgres");
    const target = new URL(database.url);
    proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(database.url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    portal = await startPortal({
      databaseUrl: proxied.toString(),
      env: {
        ...defaultPortalSecret(proxied.toString()),
        DATABASE_CONNECT_TIMEOUT_SECONDS: String(CONNECT_TIMEOUT_SECONDS),
        DATABASE_STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_TIMEOUT_SECONDS),
      },
    });
    db = createDb(database.url);
    const { client, clientSecret } = await createClient(db, {
      name: "Outage App",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: ["https://app.example.com/callback"],
    });
    clientId = client.clientId;
    basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(clientSecret ?? "")}`).toString("base64")}`;
  });

  after(async () => {
    await portal?.stop();
    await proxy?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  const post = (path: string, body: Record<string, string>) =>
    fetch(`${portal.url}${path}`, {
      method: "POST",
      headers: { Authorization: basic, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
      signal: AbortSignal.timeout(60_000),
    });
  const requests = {
    // Both look the client and the token up in the database before they can answer.
    token: () => post("/oauth/token", { grant_type: "refresh_token", refresh_token: "not-a-refresh-token" }),
    introspection: () => post("/oauth/introspect", { token: "not-a-token-at-all" }),
  };

  async function expectHealthy(): Promise<void> {
    const token = await requests.token();
    assert.equal(token.status, 400);
    assert.equal((await token.json()).error, "invalid_grant");
    const introspection = await requests.introspection();
    assert.equal(introspection.status, 200);
    assert.deepEqual(await introspection.json(), { active: false });
  }

  async function expectUnavailableFor(ms: number): Promise<void> {
    const end = Date.now() + ms;
    let answered = 0;
    while (Date.now() < end) {
      for (const [name, send] of Object.entries(requests)) {
        const started = Date.now();
        const response = await send();
        const elapsed = Date.now() - started;
        const body = await response.text();
        assert.equal(response.status, 503, `${name}: ${response.status} ${body}`);
        assert.equal(JSON.parse(body).error, "temporarily_unavailable");
        assert.match(response.headers.get("Retry-After") ?? "", /^\d+$/);
        assert.equal(response.headers.get("Cache-Control"), "no-store");
        assert.ok(elapsed < ANSWER_BOUND_MS, `${name} answered after ${elapsed} ms`);
        answered += 1;
      }
    }
    assert.ok(answered >= 2);
    // A screen that reads the session: answered in time with the "try again shortly" page.
    const started = Date.now();
    const screen = await fetch(`${portal.url}/account`, {
      headers: { Cookie: "portal_session=not-a-session-token" },
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    const page = await screen.text();
    // Next renders the error page (app/error.tsx) with status 500; the front learns why
    // (instrumentation.ts) and makes it 503 with Retry-After.
    assert.equal(screen.status, 503, `screen: ${screen.status}`);
    assert.match(screen.headers.get("Retry-After") ?? "", /^\d+$/);
    // The page itself is rendered in the browser (a client component); no stack trace is sent.
    assert.doesNotMatch(page, /\n\s+at /);
    assert.ok(Date.now() - started < ANSWER_BOUND_MS, `screen answered after ${Date.now() - started} ms`);
    // The authorization endpoint is a browser's page too: the page, not a JSON error.
    const authorize = await fetch(
      `${portal.url}/oauth/authorize?${authorizeParams(clientId, newPkce(), { redirect_uri: "https://app.example.com/callback" })}`,
      {
        redirect: "manual",
        signal: AbortSignal.timeout(60_000),
      },
    );
    assert.equal(authorize.status, 503);
    assert.match(authorize.headers.get("Content-Type") ?? "", /^text\/html/);
    assert.match(authorize.headers.get("Retry-After") ?? "", /^\d+$/);
    assert.match(await authorize.text(), /Try again shortly/);
  }

  for (const mode of ["refuse", "blackhole"] as const) {
    test(`${mode}: 503 within the timeouts for the outage, then 200 again without a restart`, async () => {
      await expectHealthy(); // warm: pooled connections exist
      proxy.setMode(mode);
      try {
        await expectUnavailableFor(OUTAGE_MS);
      } finally {
        proxy.setMode("forward");
      }
      // The pool drops the dead connections and opens new ones: a few seconds at most.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const response = await requests.introspection();
        if (response.status === 200) break;
        assert.equal(response.status, 503);
        assert.ok(Date.now() < deadline, "the portal did not recover");
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await expectHealthy();
      assert.doesNotMatch(portal.output(), /unhandled error/);
    });
  }
});

// The driver under Prisma's SQLite adapter (it ships no types; only these calls are used).
interface SqliteHandle {
  exec(sql: string): void;
  close(): void;
}
const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => SqliteHandle;

const sqliteOnly = testDatabaseKind() === "sqlite" ? false : "a SQLite lock case (runs with the default TEST_DB_KIND)";

describe("SQLite: a write lock held past the statement timeout answers 503, then clears", { skip: sqliteOnly }, () => {
  test("a code exchange waits DATABASE_STATEMENT_TIMEOUT_SECONDS for the lock, answers 503, and succeeds once it is released", async () => {
    const world = await startWorld({ env: { DATABASE_STATEMENT_TIMEOUT_SECONDS: "1" } });
    try {
      const app = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
      const pkce = newPkce();
      const authorized = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(app.clientId, pkce)}`, {
        redirect: "manual",
        headers: { Cookie: world.cookie },
      });
      const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code");
      assert.ok(code, `no code: ${authorized.status} ${authorized.headers.get("location")}`);
      const exchange = () =>
        fetch(`${world.issuer}/oauth/token`, {
          method: "POST",
          headers: { Authorization: basicAuth(app.clientId, app.clientSecret ?? ""), "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: pkce.verifier }),
          signal: AbortSignal.timeout(60_000),
        });
      // Another process (a backup, the admin command line) holds the write lock.
      const holder = new Sqlite(world.database.url.replace(/^file:/, ""));
      try {
        holder.exec("begin immediate");
        const started = Date.now();
        const response = await exchange();
        const body = await response.text();
        assert.equal(response.status, 503, body);
        assert.equal(JSON.parse(body).error, "temporarily_unavailable");
        assert.match(response.headers.get("Retry-After") ?? "", /^\d+$/);
        assert.ok(Date.now() - started < 8000, `answered after ${Date.now() - started} ms`);
        holder.exec("rollback");
      } finally {
        holder.close();
      }
      // The refused exchange consumed nothing: the same code now works.
      const retried = await exchange();
      assert.equal(retried.status, 200, await retried.clone().text());
      assert.ok((await retried.json()).access_token);
    } finally {
      await world.close();
    }
  });
});
