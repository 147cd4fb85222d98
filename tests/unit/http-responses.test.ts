import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import {
  InvalidClient,
  InvalidGrant,
  InvalidRequest,
  InvalidToken,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  UnsupportedGrantType,
} from "../../lib/oauth/errors.ts";
import { InvalidClientBasic } from "../../lib/http/client-credentials.ts";
import {
  bearerRequiredResponse,
  jsonResponse,
  oauthErrorResponse,
  publicJsonResponse,
  RETRY_AFTER_SECONDS,
  toDescriptionCharset,
  withOAuthErrors,
} from "../../lib/http/responses.ts";

function assertNoStore(response: Response) {
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal(response.headers.get("pragma"), "no-cache");
}

/** Silences console.error for one test and returns what it was called with. */
function captureErrors(t: TestContext): unknown[][] {
  const calls: unknown[][] = [];
  t.mock.method(console, "error", (...args: unknown[]) => void calls.push(args));
  return calls;
}

describe("jsonResponse", () => {
  test("is JSON and not cacheable by default (RFC 6749 §5.1)", async () => {
    const response = jsonResponse({ access_token: "x" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    assertNoStore(response);
    assert.deepEqual(await response.json(), { access_token: "x" });
  });

  test("takes a status and extra headers, and cannot lose no-store by accident", () => {
    const response = jsonResponse({}, { status: 201, headers: { "X-Extra": "1", "Cache-Control": "max-age=60" } });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-extra"), "1");
    assertNoStore(response);
  });

  test("noStore: false leaves caching to the caller", () => {
    const response = jsonResponse({ keys: [] }, { noStore: false, headers: { "Cache-Control": "public, max-age=300" } });
    assert.equal(response.headers.get("cache-control"), "public, max-age=300");
    assert.equal(response.headers.get("pragma"), null);
  });
});

describe("publicJsonResponse", () => {
  test("a public document: the JSON as given, readable from any origin, cacheable, nosniff", async () => {
    const response = publicJsonResponse('{"keys":[]}', { contentType: "application/jwk-set+json", maxAgeSeconds: 300 });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"keys":[]}');
    assert.equal(response.headers.get("content-type"), "application/jwk-set+json");
    assert.equal(response.headers.get("cache-control"), "public, max-age=300");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    assert.equal(response.headers.get("access-control-allow-credentials"), null, "no cookies, ever");
    assert.equal(publicJsonResponse("{}", { maxAgeSeconds: 3600 }).headers.get("content-type"), "application/json");
  });
});

describe("oauthErrorResponse", () => {
  const cases: [
    name: string,
    error: OAuthError,
    options: Parameters<typeof oauthErrorResponse>[1],
    status: number,
    challenge: string | null,
  ][] = [
    ["invalid_request", new InvalidRequest("code must not be repeated"), {}, 400, null],
    ["invalid_grant", new InvalidGrant("the code is invalid"), {}, 400, null],
    ["unsupported_grant_type", new UnsupportedGrantType("unknown"), {}, 400, null],
    ["invalid_client without Basic: 401, no challenge", new InvalidClient("unknown client"), {}, 401, null],
    ["invalid_client after Basic (class)", new InvalidClientBasic("bad"), {}, 401, 'Basic realm="oauth"'],
    [
      "invalid_client after Basic (option), with realm",
      new InvalidClient("bad"),
      { challenge: "Basic", realm: 'my "realm"' },
      401,
      'Basic realm="my \\"realm\\""',
    ],
    ["Basic option does not touch other errors", new InvalidGrant("bad"), { challenge: "Basic" }, 400, null],
    [
      "invalid_token",
      new InvalidToken("the access token expired"),
      {},
      401,
      'Bearer error="invalid_token", error_description="the access token expired"',
    ],
    [
      "invalid_token with realm",
      new InvalidToken("revoked"),
      { realm: "userinfo" },
      401,
      'Bearer realm="userinfo", error="invalid_token", error_description="revoked"',
    ],
    [
      "insufficient_scope",
      new OAuthError("insufficient_scope", "openid needed", 403),
      {},
      403,
      'Bearer error="insufficient_scope", error_description="openid needed"',
    ],
    [
      "invalid_request on a bearer endpoint",
      new InvalidRequest("two methods"),
      { challenge: "Bearer" },
      400,
      'Bearer error="invalid_request", error_description="two methods"',
    ],
    ["server_error on a bearer endpoint has no challenge", new ServerError("down"), { challenge: "Bearer" }, 500, null],
    [
      "description outside the RFC 6750 §3 charset",
      new InvalidToken('a "quoted" \\ façade\n'),
      {},
      401,
      `Bearer error="invalid_token", error_description="a 'quoted' ? fa?ade?"`,
    ],
  ];
  for (const [name, error, options, status, challenge] of cases) {
    test(name, async () => {
      const response = oauthErrorResponse(error, options);
      assert.equal(response.status, status);
      assert.equal(response.headers.get("www-authenticate"), challenge);
      assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
      assertNoStore(response);
      const body = await response.json();
      assert.equal(body.error, error.error);
      assert.equal(body.error_description, toDescriptionCharset(error.description));
      assert.deepEqual(Object.keys(body), ["error", "error_description"]);
    });
  }

  test("a 503 carries Retry-After: RETRY_AFTER_SECONDS, or the caller's own (the front's overload answer)", () => {
    const unavailable = new TemporarilyUnavailable("try again shortly");
    assert.equal(oauthErrorResponse(unavailable).headers.get("retry-after"), String(RETRY_AFTER_SECONDS));
    assert.equal(oauthErrorResponse(unavailable, { retryAfterSeconds: 2 }).headers.get("retry-after"), "2");
    assert.equal(oauthErrorResponse(new InvalidGrant("x"), { retryAfterSeconds: 2 }).headers.get("retry-after"), null);
  });

  test("keeps the JSON description within the RFC 6749 §5.2 charset", () => {
    assert.equal(toDescriptionCharset('x "y" \\ z\u0000é'), "x 'y' ? z??");
    assert.match(toDescriptionCharset("\u{1F600}"), /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/);
  });
});

describe("bearerRequiredResponse", () => {
  test("is 401 with a bare Bearer challenge (RFC 6750 §3.1: no error code without a token)", () => {
    const response = bearerRequiredResponse();
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
    assertNoStore(response);
    assert.equal(bearerRequiredResponse({ realm: "portal" }).headers.get("www-authenticate"), 'Bearer realm="portal"');
  });
});

describe("withOAuthErrors", () => {
  const token = (headers: HeadersInit = {}) => new Request("http://localhost/oauth/token", { method: "POST", headers });

  test("passes a response through, with the App Router's context argument", async () => {
    const handler = withOAuthErrors(async (request: Request, context: { params: Promise<{ id: string }> }) =>
      jsonResponse({ path: new URL(request.url).pathname, id: (await context.params).id }),
    );
    const response = await handler(token(), { params: Promise.resolve({ id: "7" }) });
    assert.deepEqual(await response.json(), { path: "/oauth/token", id: "7" });
  });

  test("a one-argument handler can be called with a context (route export shape)", async () => {
    const POST: (request: Request, context: { params: Promise<object> }) => Promise<Response> = withOAuthErrors(async () =>
      jsonResponse({ ok: true }),
    );
    assert.equal((await POST(token(), { params: Promise.resolve({}) })).status, 200);
  });

  test("turns an OAuthError into its RFC response", async () => {
    const response = await withOAuthErrors(async () => {
      throw new InvalidGrant("the code is invalid");
    })(token());
    assert.equal(response.status, 400);
    assertNoStore(response);
    assert.deepEqual(await response.json(), { error: "invalid_grant", error_description: "the code is invalid" });
  });

  for (const [name, authorization, challenge] of [
    ["adds a Basic challenge to invalid_client when the request used Basic", "Basic YXBwOnB3", 'Basic realm="oauth"'],
    ["also for a lowercase scheme", "basic YXBwOnB3", 'Basic realm="oauth"'],
    ["not when the client used client_secret_post", undefined, null],
  ] as const) {
    test(name, async () => {
      const response = await withOAuthErrors(async () => {
        throw new InvalidClient("client authentication failed");
      })(token(authorization ? { authorization } : {}));
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), challenge);
    });
  }

  test("adds a Bearer challenge to every 4xx on a protected resource", async () => {
    const response = await withOAuthErrors(
      async () => {
        throw new InvalidRequest("access tokens must not be sent in the URL query");
      },
      { challenge: "Bearer" },
    )(new Request("http://localhost/oauth/userinfo"));
    assert.equal(response.status, 400);
    assert.equal(
      response.headers.get("www-authenticate"),
      'Bearer error="invalid_request", error_description="access tokens must not be sent in the URL query"',
    );
  });

  test("answers a database that cannot be reached with 503 temporarily_unavailable and Retry-After", async (t) => {
    const logged = captureErrors(t);
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const response = await withOAuthErrors(async () => {
      throw refused;
    })(token({ authorization: "Basic YXBwOnB3" }));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get("retry-after"), "5");
    assert.equal(response.headers.get("www-authenticate"), null);
    assertNoStore(response);
    assert.equal((await response.json()).error, "temporarily_unavailable");
    assert.equal(logged.length, 1);
  });

  test("answers anything else with a generic 500 that hides the stack and logs it with a reference", async (t) => {
    const logged = captureErrors(t);
    const failure = new TypeError("Cannot read properties of undefined (reading 'secretHash')");
    const response = await withOAuthErrors(async () => {
      throw failure;
    })(token());
    assert.equal(response.status, 500);
    assertNoStore(response);
    const text = await response.text();
    const body = JSON.parse(text);
    assert.equal(body.error, "server_error");
    assert.match(body.error_description, /^internal error \(ref [0-9a-f]{8}\)$/);
    assert.deepEqual(Object.keys(body), ["error", "error_description"]);
    for (const leak of ["secretHash", "TypeError", "at ", ".ts"]) assert.ok(!text.includes(leak), `leaks ${leak}`);

    const ref = /ref ([0-9a-f]{8})/.exec(body.error_description)![1]!;
    assert.equal(logged.length, 1);
    assert.ok(String(logged[0]![0]).includes(ref), "the log line carries the same reference");
    assert.equal(logged[0]![1], failure, "the error, with its stack, goes to the log");
  });

  test("answers a thrown non-Error with the same generic 500", async (t) => {
    captureErrors(t);
    const response = await withOAuthErrors(async () => {
      throw "boom";
    })(token());
    assert.equal(response.status, 500);
    assert.equal((await response.json()).error, "server_error");
  });

  test("logs an OAuthError with a 5xx status, and answers it as such", async (t) => {
    const logged = captureErrors(t);
    const response = await withOAuthErrors(async () => {
      throw new ServerError("the key store is unavailable");
    })(token());
    assert.equal(response.status, 500);
    assert.equal(logged.length, 1);
  });
});
