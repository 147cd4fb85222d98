import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidClient, InvalidRequest } from "../../lib/oauth/errors.ts";
import { InvalidClientBasic, readClientCredentials, type ClientCredentials } from "../../lib/http/client-credentials.ts";
import { readFormParams, readQueryParams } from "../../lib/http/params.ts";

/** Base64 of UTF-8 bytes, as a client builds a Basic header. */
const b64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

async function credentialsOf({
  authorization,
  body = "grant_type=client_credentials",
  query = "",
}: {
  authorization?: string;
  body?: string;
  query?: string;
}): Promise<ClientCredentials> {
  const headers = new Headers({ "content-type": "application/x-www-form-urlencoded" });
  if (authorization !== undefined) headers.set("authorization", authorization);
  const request = new Request(`http://localhost/oauth/token${query}`, { method: "POST", headers, body });
  return readClientCredentials(request.headers, await readFormParams(request), readQueryParams(request));
}

describe("readClientCredentials: accepted", () => {
  const cases: [name: string, input: Parameters<typeof credentialsOf>[0], expected: ClientCredentials][] = [
    ["Basic", { authorization: `Basic ${b64("app:s3cret")}` }, { method: "client_secret_basic", clientId: "app", clientSecret: "s3cret" }],
    [
      "lowercase scheme (RFC 7235: case-insensitive)",
      { authorization: `basic ${b64("app:s3cret")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "s3cret" },
    ],
    [
      "upper-case scheme",
      { authorization: `BASIC ${b64("app:s3cret")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "s3cret" },
    ],
    [
      "%3A in the id stays in the id",
      { authorization: `Basic ${b64("urn%3Aapp:pw")}` },
      { method: "client_secret_basic", clientId: "urn:app", clientSecret: "pw" },
    ],
    [
      "a colon in the secret is kept",
      { authorization: `Basic ${b64("app:a:b")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "a:b" },
    ],
    [
      "'+' is a space (RFC 6749 §2.3.1 form encoding)",
      { authorization: `Basic ${b64("my+app:pa+ss")}` },
      { method: "client_secret_basic", clientId: "my app", clientSecret: "pa ss" },
    ],
    [
      "%2B is a plus",
      { authorization: `Basic ${b64("app:a%2Bb%25")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "a+b%" },
    ],
    [
      "percent-encoded UTF-8 secret",
      { authorization: `Basic ${b64("app:p%C3%A4ss%E2%82%AC")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "päss€" },
    ],
    [
      "raw UTF-8 secret",
      { authorization: `Basic ${b64("app:päss€")}` },
      { method: "client_secret_basic", clientId: "app", clientSecret: "päss€" },
    ],
    [
      "Basic plus the same client_id in the body",
      { authorization: `Basic ${b64("app:pw")}`, body: "client_id=app" },
      { method: "client_secret_basic", clientId: "app", clientSecret: "pw" },
    ],
    [
      "Basic plus an empty client_id (treated as omitted)",
      { authorization: `Basic ${b64("app:pw")}`, body: "client_id=" },
      { method: "client_secret_basic", clientId: "app", clientSecret: "pw" },
    ],
    [
      "client_secret_post",
      { body: "client_id=app&client_secret=p%2Bw" },
      { method: "client_secret_post", clientId: "app", clientSecret: "p+w" },
    ],
    ["none (public client)", { body: "client_id=app&code=x" }, { method: "none", clientId: "app" }],
    ["empty client_secret is omitted: none", { body: "client_id=app&client_secret=" }, { method: "none", clientId: "app" }],
    ["nothing at all", {}, { method: "unauthenticated" }],
    ["unrelated query parameters", { query: "?foo=bar" }, { method: "unauthenticated" }],
  ];
  for (const [name, input, expected] of cases) {
    test(name, async () => {
      assert.deepEqual(await credentialsOf(input), expected);
    });
  }
});

describe("readClientCredentials: malformed Basic is invalid_client with a Basic challenge", () => {
  const cases: [name: string, authorization: string][] = [
    ["missing colon", `Basic ${b64("app")}`],
    ["bad base64 characters", "Basic ***"],
    ["base64 without padding", `Basic ${b64("app:pw1").replace(/=+$/, "")}`],
    ["non-canonical trailing bits", "Basic YXBwOnB="],
    ["whitespace inside the base64", `Basic ${b64("app:s3cret").slice(0, 4)} ${b64("app:s3cret").slice(4)}`],
    ["no credentials after the scheme", "Basic"],
    ["empty id", `Basic ${b64(":pw")}`],
    ["empty secret", `Basic ${b64("app:")}`],
    ["invalid percent-encoded UTF-8 in the secret", `Basic ${b64("app:%ff")}`],
    ["raw invalid UTF-8 in the id", `Basic ${btoa("\xff:pw")}`],
    ["two Basic headers combined", `Basic ${b64("a:b")}, Basic ${b64("c:d")}`],
  ];
  for (const [name, authorization] of cases) {
    test(name, async () => {
      await assert.rejects(credentialsOf({ authorization }), (error: unknown) => {
        assert.ok(error instanceof InvalidClientBasic);
        assert.ok(error instanceof InvalidClient);
        assert.equal(error.error, "invalid_client");
        assert.equal(error.status, 401);
        assert.equal(error.wwwAuthenticate, "Basic");
        return true;
      });
    });
  }
});

describe("readClientCredentials: refused with invalid_request", () => {
  const cases: [name: string, input: Parameters<typeof credentialsOf>[0], message: RegExp][] = [
    [
      "Basic and client_secret in the body",
      { authorization: `Basic ${b64("app:pw")}`, body: "client_id=app&client_secret=pw" },
      /exactly one method/,
    ],
    [
      "Basic and client_secret without client_id",
      { authorization: `Basic ${b64("app:pw")}`, body: "client_secret=pw" },
      /exactly one method/,
    ],
    ["Basic and another client_id in the body", { authorization: `Basic ${b64("app:pw")}`, body: "client_id=other" }, /does not match/],
    ["client_secret in the query", { body: "client_id=app", query: "?client_secret=pw" }, /URL query/],
    ["client_id in the query", { body: "client_secret=pw", query: "?client_id=app" }, /URL query/],
    ["empty client_id in the query", { query: "?client_id=" }, /URL query/],
    ["credentials in the query with Basic", { authorization: `Basic ${b64("app:pw")}`, query: "?client_secret=pw" }, /URL query/],
    ["repeated client_id", { body: "client_id=app&client_id=app" }, /client_id must not be repeated/],
    ["repeated client_secret", { body: "client_id=app&client_secret=a&client_secret=b" }, /client_secret must not be repeated/],
    ["client_secret without client_id", { body: "client_secret=pw" }, /requires client_id/],
    ["a Bearer header", { authorization: "Bearer abc", body: "client_id=app" }, /Basic scheme/],
    ["an unknown scheme", { authorization: `Digest ${b64("app:pw")}` }, /Basic scheme/],
    ["an empty Authorization header", { authorization: "" }, /Basic scheme/],
  ];
  for (const [name, input, message] of cases) {
    test(name, async () => {
      await assert.rejects(credentialsOf(input), (error: unknown) => {
        assert.ok(error instanceof InvalidRequest);
        assert.equal(error.status, 400);
        assert.match(error.description, message);
        return true;
      });
    });
  }
});
