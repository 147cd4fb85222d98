import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidRequest } from "../../lib/oauth/errors.ts";
import { readBearerToken } from "../../lib/http/bearer.ts";
import { readFormParams, readQueryParams } from "../../lib/http/params.ts";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_~+/==";

interface Input {
  method?: "GET" | "POST";
  authorization?: string;
  body?: string;
  query?: string;
}

async function tokenOf({ method = "GET", authorization, body, query = "" }: Input): Promise<string | undefined> {
  const headers = new Headers();
  if (authorization !== undefined) headers.set("authorization", authorization);
  if (body !== undefined) headers.set("content-type", "application/x-www-form-urlencoded");
  const request = new Request(`http://localhost/oauth/userinfo${query}`, { method, headers, body });
  const form = method === "POST" ? await readFormParams(request) : undefined;
  return readBearerToken(request.headers, request.method, form, readQueryParams(request));
}

describe("readBearerToken: accepted (RFC 6750 §2.1, §2.2)", () => {
  const cases: [name: string, input: Input, expected: string | undefined][] = [
    ["Authorization header", { authorization: `Bearer ${TOKEN}` }, TOKEN],
    ["lowercase 'bearer' (RFC 7235: scheme is case-insensitive)", { authorization: `bearer ${TOKEN}` }, TOKEN],
    ["upper-case 'BEARER'", { authorization: `BEARER ${TOKEN}` }, TOKEN],
    ["several spaces after the scheme (1*SP)", { authorization: `Bearer   ${TOKEN}` }, TOKEN],
    ["header on a POST", { method: "POST", authorization: `Bearer ${TOKEN}`, body: "" }, TOKEN],
    ["form body access_token on a POST", { method: "POST", body: `access_token=${encodeURIComponent(TOKEN)}` }, TOKEN],
    ["no token at all", {}, undefined],
    ["an empty access_token is omitted", { method: "POST", body: "access_token=" }, undefined],
    ["another scheme carries no bearer token", { authorization: "Basic YXBwOnB3" }, undefined],
    ["unrelated query parameters", { authorization: `Bearer ${TOKEN}`, query: "?schema=openid" }, TOKEN],
  ];
  for (const [name, input, expected] of cases) {
    test(name, async () => {
      assert.equal(await tokenOf(input), expected);
    });
  }
});

describe("readBearerToken: refused with invalid_request (RFC 6750 §3.1)", () => {
  const cases: [name: string, input: Input, message: RegExp][] = [
    ["token in the query", { query: `?access_token=${TOKEN}` }, /URL query/],
    ["token in the query and the header", { authorization: `Bearer ${TOKEN}`, query: "?access_token=x" }, /URL query/],
    ["empty access_token in the query", { query: "?access_token=" }, /URL query/],
    [
      "header and form body (two methods)",
      { method: "POST", authorization: `Bearer ${TOKEN}`, body: "access_token=other" },
      /exactly one method/,
    ],
    [
      "header and the same token in the body",
      { method: "POST", authorization: `Bearer ${TOKEN}`, body: `access_token=${encodeURIComponent(TOKEN)}` },
      /exactly one method/,
    ],
    ["repeated access_token in the body", { method: "POST", body: "access_token=a&access_token=b" }, /must not be repeated/],
    ["Bearer without a token", { authorization: "Bearer" }, /malformed/],
    ["token with a space", { authorization: "Bearer abc def" }, /malformed/],
    ["token with a quote", { authorization: 'Bearer "abc"' }, /malformed/],
    ["padding in the middle", { authorization: "Bearer ab=c" }, /malformed/],
    ["two Bearer headers combined", { authorization: "Bearer abc, Bearer def" }, /malformed/],
  ];
  for (const [name, input, message] of cases) {
    test(name, async () => {
      await assert.rejects(tokenOf(input), (error: unknown) => {
        assert.ok(error instanceof InvalidRequest);
        assert.equal(error.status, 400);
        assert.match(error.description, message);
        return true;
      });
    });
  }

  test("ignores a form body on GET (RFC 6750 §2.2 forbids it)", () => {
    const body = new Map([["access_token", ["x"]]]);
    assert.equal(readBearerToken(new Headers(), "GET", body, new Map()), undefined);
  });
});
