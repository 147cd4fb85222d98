// The front of `npm start` (lib/front/front.ts, scripts/serve.ts): the JSON endpoints it serves
// itself answer exactly as Next.js answers them under plain `next start`; its request-level rules
// (target, Host, body size, request id, access log); the client address (socket by default,
// X-Forwarded-For only from TRUST_PROXY); and the bound on queued work. On both databases.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { OVERLOAD_RETRY_AFTER_SECONDS } from "../../lib/front/front.ts";
import { CookieJar, submitForm, visit } from "../support/browserless.ts";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  nodeRequest,
  parseRawResponse,
  rawRequest,
  startWorld,
  type PortalWorld,
  type RawResponse,
  type RegisteredClient,
} from "../support/oauth-http.ts";
import { startPortal, type RunningPortal } from "../support/portal.ts";

const FORM = "application/x-www-form-urlencoded";

/** The headers a client or a cache acts on; Date, Vary, Keep-Alive and framing are not compared. */
const COMPARED_HEADERS = [
  "content-type",
  "cache-control",
  "pragma",
  "www-authenticate",
  "allow",
  "retry-after",
  "location",
  "x-content-type-options",
  "strict-transport-security",
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
] as const;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | null>;
  readonly body: string;
}

async function ask(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${base}${path}`, { ...init, redirect: "manual" });
  const headers = Object.fromEntries(COMPARED_HEADERS.map((name) => [name, response.headers.get(name)]));
  return { status: response.status, headers, body: await response.text() };
}

async function signInFailure(portal: RunningPortal, headers: Record<string, string>): Promise<string> {
  const jar = new CookieJar();
  const pageUrl = `${portal.url}/login`;
  const page = await visit(jar, pageUrl, { headers });
  assert.equal(page.status, 200);
  const response = await submitForm(
    jar,
    pageUrl,
    await page.text(),
    [
      ["email", `nobody-${Math.random()}@example.com`],
      ["password", "not the password at all"],
    ],
    { headers: { ...headers, origin: portal.url } },
    "login",
  );
  return response.text();
}

/**
 * A token request the front has admitted but cannot finish: its headers ask for 100-continue and
 * its body is held back. Node answers 100 Continue in the same turn as it hands the request to the
 * front, which takes its place at the gate before anything else, so once the 100 arrives the place
 * is taken. `finish` sends the body and resolves with the answer.
 */
async function heldRequest(port: number, base: string): Promise<{ finish(): Promise<RawResponse> }> {
  const body = Buffer.from("grant_type=password");
  const head =
    `POST /oauth/token HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: ${FORM}\r\n` +
    `Content-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;
  const socket = connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  const closed = new Promise<Buffer>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve, reject) => {
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).toString("latin1").startsWith("HTTP/1.1 100")) resolve();
    });
    socket.once("close", () => reject(new Error("closed before 100 Continue")));
    socket.write(head);
  });
  return {
    async finish() {
      chunks.length = 0;
      socket.write(body);
      return parseRawResponse(await closed);
    },
  };
}

const ADDRESS_BLOCKED = /Too many failed attempts from your network/;
const WRONG_PASSWORD = /do not match an account/;

describe("the front of npm start", () => {
  let world: PortalWorld;
  let plain: RunningPortal;
  let web: RegisteredClient;

  before(async () => {
    world = await startWorld({ env: { ACCESS_LOG: "on" } });
    // Plain `next start` on the same database, data folder and issuer: the other entry point.
    plain = await startPortal({
      databaseUrl: world.database.url,
      dataDir: world.portal.dataDir,
      serverOnly: true,
      env: { ISSUER_URL: world.issuer },
    });
    web = await world.addClient({ tokenEndpointAuthMethod: "client_secret_basic", skipConsent: true });
  });
  after(async () => {
    await plain?.stop();
    await world?.close();
  });

  async function tokens(): Promise<{ access_token: string; refresh_token: string }> {
    const pkce = newPkce();
    const authorized = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(web.clientId, pkce)}`, {
      headers: { cookie: world.cookie },
      redirect: "manual",
    });
    const code = new URL(authorized.headers.get("location") ?? "").searchParams.get("code");
    assert.ok(code, `no code: ${authorized.status} ${authorized.headers.get("location")}`);
    const response = await fetch(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: "https://app.example.com/callback",
        code_verifier: pkce.verifier,
      }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { access_token: string; refresh_token: string };
  }

  test("both entry points give the same status, headers and body for the same requests", async () => {
    const { access_token: accessToken } = await tokens();
    const basic = { authorization: basicAuth(web.clientId, web.clientSecret!), "content-type": FORM };
    const cases: ReadonlyArray<readonly [string, string, RequestInit]> = [
      ["discovery", "/.well-known/openid-configuration", {}],
      ["RFC 8414 metadata", "/.well-known/oauth-authorization-server", {}],
      ["JWKS", "/oauth/jwks", {}],
      ["JWKS, HEAD", "/oauth/jwks", { method: "HEAD" }],
      [
        "userinfo preflight",
        "/oauth/userinfo",
        {
          method: "OPTIONS",
          headers: {
            origin: "https://app.example.com",
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        },
      ],
      ["userinfo without a token", "/oauth/userinfo", {}],
      ["userinfo with a forged token", "/oauth/userinfo", { headers: { authorization: "Bearer not-a-token" } }],
      ["userinfo", "/oauth/userinfo", { headers: { authorization: `Bearer ${accessToken}` } }],
      [
        "userinfo by POST form",
        "/oauth/userinfo",
        { method: "POST", headers: { "content-type": FORM }, body: `access_token=${accessToken}` },
      ],
      ["token, unknown grant", "/oauth/token", { method: "POST", headers: basic, body: "grant_type=password" }],
      [
        "token, wrong secret",
        "/oauth/token",
        {
          method: "POST",
          headers: { ...basic, authorization: basicAuth(web.clientId, "wrong") },
          body: "grant_type=refresh_token&refresh_token=x",
        },
      ],
      ["token, JSON body", "/oauth/token", { method: "POST", headers: { ...basic, "content-type": "application/json" }, body: "{}" }],
      [
        "token, repeated parameter",
        "/oauth/token",
        { method: "POST", headers: basic, body: "grant_type=refresh_token&grant_type=refresh_token" },
      ],
      [
        "token, unknown refresh token",
        "/oauth/token",
        { method: "POST", headers: basic, body: "grant_type=refresh_token&refresh_token=nope" },
      ],
      ["token, GET", "/oauth/token", {}],
      ["token, PUT", "/oauth/token", { method: "PUT", headers: basic, body: "grant_type=x" }],
      ["introspection, active", "/oauth/introspect", { method: "POST", headers: basic, body: `token=${accessToken}` }],
      ["introspection, unknown", "/oauth/introspect", { method: "POST", headers: basic, body: "token=unknown" }],
      ["introspection, no client", "/oauth/introspect", { method: "POST", headers: { "content-type": FORM }, body: "token=unknown" }],
      ["revocation, unknown", "/oauth/revoke", { method: "POST", headers: basic, body: "token=unknown" }],
      ["revocation, no token", "/oauth/revoke", { method: "POST", headers: basic, body: "" }],
    ];
    const differences: string[] = [];
    for (const [name, path, init] of cases) {
      const [front, next] = [await ask(world.issuer, path, init), await ask(plain.url, path, init)];
      if (front.status !== next.status) differences.push(`${name}: status ${front.status} vs ${next.status}`);
      for (const header of COMPARED_HEADERS) {
        if (front.headers[header] !== next.headers[header])
          differences.push(`${name}: ${header} ${front.headers[header]} vs ${next.headers[header]}`);
      }
      if (front.body !== next.body) differences.push(`${name}: body ${front.body.slice(0, 200)} vs ${next.body.slice(0, 200)}`);
    }
    assert.deepEqual(differences, []);
  });

  test("a refresh answers alike through both, each with its own new tokens", async () => {
    const shapes = [];
    for (const base of [world.issuer, plain.url]) {
      const { refresh_token: refreshToken } = await tokens();
      const response = await fetch(`${base}/oauth/token`, {
        method: "POST",
        headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      shapes.push({
        status: response.status,
        cacheControl: response.headers.get("cache-control"),
        contentType: response.headers.get("content-type"),
        keys: Object.keys(body).sort(),
        tokenType: body.token_type,
        scope: body.scope,
        expiresIn: body.expires_in,
      });
    }
    assert.equal(shapes[0]!.status, 200);
    assert.deepEqual(shapes[0], shapes[1]);
  });

  test("an absolute-form target or a Host that is not ours is answered 400 before any routing", async () => {
    for (const path of ["/oauth/authorize?client_id=x", "/oauth/token", "/login"]) {
      const response = await rawRequest(
        world.portal.port,
        Buffer.from(`GET http://evil.example.com${path} HTTP/1.1\r\nHost: evil.example.com\r\nConnection: close\r\n\r\n`),
      );
      assert.equal(response.status, 400, path);
      assert.equal(response.headers.location, undefined);
    }
    const forged = await nodeRequest(`${world.issuer}/login`, { headers: { host: "evil.example.com" } });
    assert.equal(forged.status, 400);
    const issuerHost = await nodeRequest(`${world.issuer}/.well-known/openid-configuration`);
    assert.equal(issuerHost.status, 200);
    // A load balancer probes an instance by its own address.
    const probe = await nodeRequest(`${world.issuer}/api/health`, { headers: { host: "10.1.2.3:8080" } });
    assert.equal(probe.status, 200);
  });

  test("bodies over the limits are refused with 413 and change nothing", async () => {
    const token = await nodeRequest(`${world.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": FORM, authorization: basicAuth(web.clientId, web.clientSecret!) },
      body: `grant_type=refresh_token&refresh_token=${"a".repeat(1100 * 1024)}`,
    });
    assert.equal(token.status, 413);
    const form = await rawRequest(
      world.portal.port,
      Buffer.from(
        `POST /login HTTP/1.1\r\nHost: ${new URL(world.issuer).host}\r\nContent-Type: ${FORM}\r\nContent-Length: ${2 * 1024 * 1024}\r\nConnection: close\r\n\r\n`,
      ),
    );
    assert.equal(form.status, 413);
  });

  test("each answer carries its own request id, and the access log never holds a query string", async () => {
    const secretish = "code-that-must-not-be-logged";
    const first = await fetch(`${world.issuer}/oauth/authorize?client_id=unknown&state=${secretish}`, { redirect: "manual" });
    const second = await fetch(`${world.issuer}/oauth/jwks`);
    const [a, b] = [first.headers.get("x-request-id"), second.headers.get("x-request-id")];
    assert.match(a ?? "", /^[0-9a-f-]{36}$/);
    assert.notEqual(a, b);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = world.portal
      .output()
      .split("\n")
      .filter((line) => line.includes(`"id":"${a}"`));
    assert.equal(lines.length, 1, "one access log line for the request");
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.path, "/oauth/authorize");
    assert.equal(entry.method, "GET");
    assert.equal(entry.status, first.status);
    assert.doesNotMatch(world.portal.output(), new RegExp(secretish));
  });

  // Last: it blocks 127.0.0.1 at this portal for the rest of the window.
  test("a forged X-Forwarded-For does not escape the per-address limit (no TRUST_PROXY)", async () => {
    for (let i = 0; i < 50; i += 1) {
      assert.match(await signInFailure(world.portal, { "x-forwarded-for": `198.51.100.${i}` }), WRONG_PASSWORD);
    }
    assert.match(await signInFailure(world.portal, { "x-forwarded-for": "203.0.113.250" }), ADDRESS_BLOCKED);
  });
});

describe("behind a trusted proxy, and at its limits", () => {
  let portal: RunningPortal;
  let databaseDrop: () => Promise<void>;

  before(async () => {
    const world = await startWorld({
      env: { TRUST_PROXY: "1", MAX_CONCURRENT_REQUESTS: "2", REQUEST_QUEUE_SECONDS: "1", WEB_CONCURRENCY: "1" },
    });
    portal = world.portal;
    databaseDrop = () => world.close();
  });
  after(() => databaseDrop?.());

  test("TRUST_PROXY=1 counts failures per forwarded address", async () => {
    for (let i = 0; i < 50; i += 1) {
      assert.match(await signInFailure(portal, { "x-forwarded-for": "198.51.100.7" }), WRONG_PASSWORD);
    }
    assert.match(await signInFailure(portal, { "x-forwarded-for": "198.51.100.7" }), ADDRESS_BLOCKED);
    // Another client behind the same proxy is not blocked; the entry left of the proxy's own is
    // the client's claim and does not count.
    assert.match(await signInFailure(portal, { "x-forwarded-for": "198.51.100.7, 198.51.100.8" }), WRONG_PASSWORD);
  });

  test("beyond what it can serve it answers 503 with Retry-After at once, and serves again after", async () => {
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const response = await fetch(`${portal.url}/login`, { headers: { accept: "text/html" } });
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
          type: response.headers.get("content-type"),
          body: await response.text(),
        };
      }),
    );
    const statuses = new Set(answers.map((answer) => answer.status));
    assert.deepEqual(
      [...statuses].filter((status) => status !== 200 && status !== 503),
      [],
    );
    const refused = answers.filter((answer) => answer.status === 503);
    assert.ok(refused.length > 0, "some requests were refused");
    assert.ok(
      answers.some((answer) => answer.status === 200),
      "some requests were served",
    );
    for (const answer of refused) {
      assert.match(answer.retryAfter ?? "", /^\d+$/);
      assert.match(answer.type ?? "", /^text\/html/);
      assert.match(answer.body, /Try again shortly/);
    }
    const after = await fetch(`${portal.url}/login`);
    assert.equal(after.status, 200);
  });

  test("a program refused for overload gets the endpoints' own JSON error, with the front's Retry-After", async () => {
    // Both places taken (MAX_CONCURRENT_REQUESTS=2) by token requests whose bodies have not come:
    // the front admitted them, so every request now waits its bounded turn and is refused.
    const holders = [await heldRequest(portal.port, portal.url), await heldRequest(portal.port, portal.url)];
    const busy = await fetch(`${portal.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "grant_type=refresh_token&refresh_token=x",
    });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), String(OVERLOAD_RETRY_AFTER_SECONDS));
    assert.equal(busy.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(busy.headers.get("cache-control"), "no-store");
    assert.equal(busy.headers.get("pragma"), "no-cache");
    assert.equal(busy.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(await busy.json(), { error: "temporarily_unavailable", error_description: "the server is busy; try again shortly" });
    const page = await fetch(`${portal.url}/login`, { headers: { accept: "text/html" } });
    assert.equal(page.status, 503);
    assert.equal(page.headers.get("retry-after"), String(OVERLOAD_RETRY_AFTER_SECONDS));
    assert.match(await page.text(), /Try again shortly/);

    // Once their bodies arrive the held requests are answered, and the places are free again.
    for (const holder of holders) assert.equal((await holder.finish()).status, 400);
    const served = await fetch(`${portal.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": FORM },
      body: "grant_type=refresh_token&refresh_token=x",
    });
    assert.equal(served.status, 401);
    assert.equal(((await served.json()) as { error: string }).error, "invalid_client");
  });

  test("a client that leaves while it waits its turn does not keep the place it is given later", async () => {
    // Both places held, three more requests wait their turn, and their clients go away (as a load
    // generator's do when it stops, or a browser's when the user leaves). The places they are
    // granted once the holders finish are passed on, so the server serves on at full width.
    const holders = [await heldRequest(portal.port, portal.url), await heldRequest(portal.port, portal.url)];
    const leaving = Array.from({ length: 3 }, () => {
      const controller = new AbortController();
      const answer = fetch(`${portal.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": FORM },
        body: "grant_type=refresh_token&refresh_token=x",
        signal: controller.signal,
      }).catch(() => null);
      return { controller, answer };
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const request of leaving) request.controller.abort();
    assert.deepEqual(await Promise.all(leaving.map((request) => request.answer)), [null, null, null]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const holder of holders) assert.equal((await holder.finish()).status, 400);

    // Two at once, both served without waiting out the queue (REQUEST_QUEUE_SECONDS=1).
    const served = await Promise.all(
      [0, 1].map(() =>
        fetch(`${portal.url}/oauth/token`, {
          method: "POST",
          headers: { "content-type": FORM },
          body: "grant_type=refresh_token&refresh_token=x",
        }),
      ),
    );
    assert.deepEqual(
      served.map((response) => response.status),
      [401, 401],
    );
  });
});
