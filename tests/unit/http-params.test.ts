import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidRequest, type OAuthError } from "../../lib/oauth/errors.ts";
import { type RawParams } from "../../lib/oauth/types.ts";
import { readFormParams, readQueryParams, rejectDuplicates, single } from "../../lib/http/params.ts";

const FORM = "application/x-www-form-urlencoded";

function post(body: BodyInit | null, contentType: string | null = FORM): Request {
  const headers = new Headers();
  if (contentType !== null) headers.set("content-type", contentType);
  return new Request("http://localhost/oauth/token", { method: "POST", headers, body });
}

const entries = (params: RawParams) => [...params].map(([name, values]) => [name, [...values]]);

describe("readFormParams", () => {
  test("keeps every occurrence, in order, and form-decodes names and values", async () => {
    const params = await readFormParams(post("scope=openid+email&a=1&a=%32&b=&c&&x%20y=caf%C3%A9"));
    assert.deepEqual(entries(params), [
      ["scope", ["openid email"]],
      ["a", ["1", "2"]],
      ["b", [""]],
      ["c", [""]],
      ["x y", ["café"]],
    ]);
  });

  test("leaves a % that starts no escape literal, as the WHATWG parser does", async () => {
    const params = await readFormParams(post("a=100%&b=%zz"));
    assert.deepEqual(entries(params), [
      ["a", ["100%"]],
      ["b", ["%zz"]],
    ]);
  });

  test("reads an empty or missing body as no parameters", async () => {
    assert.equal((await readFormParams(post(""))).size, 0);
    assert.equal((await readFormParams(post(null))).size, 0);
  });

  for (const contentType of [
    FORM,
    `${FORM}; charset=UTF-8`,
    `${FORM};charset=utf-8`,
    "Application/X-WWW-Form-URLEncoded",
    `  ${FORM.toUpperCase()} ; charset="UTF-8"`,
  ]) {
    test(`accepts Content-Type ${JSON.stringify(contentType)}`, async () => {
      assert.deepEqual(entries(await readFormParams(post("a=1", contentType))), [["a", ["1"]]]);
    });
  }

  for (const contentType of [null, "", "application/json", "text/plain", "multipart/form-data; boundary=x", `${FORM}x`, `x${FORM}`]) {
    test(`refuses Content-Type ${JSON.stringify(contentType)} with invalid_request`, async () => {
      await assert.rejects(readFormParams(post("a=1", contentType)), InvalidRequest);
    });
  }

  test("refuses a body over maxBytes, counted on the stream, not on Content-Length", async () => {
    await assert.rejects(readFormParams(post("a=12345", FORM), { maxBytes: 6 }), /must not exceed 6 bytes/);
    assert.equal((await readFormParams(post("a=1234", FORM), { maxBytes: 6 })).size, 1);
    // A chunked stream without Content-Length, larger than the cap.
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new TextEncoder().encode("a=".padEnd(1024, "x") + "&"));
      },
    });
    const request = new Request("http://localhost/oauth/token", {
      method: "POST",
      headers: { "content-type": FORM },
      body: stream,
      duplex: "half",
    } as RequestInit);
    await assert.rejects(readFormParams(request, { maxBytes: 4096 }), InvalidRequest);
    assert.ok(pulls < 10, "stops reading once over the cap");
  });

  test("refuses a declared Content-Length over maxBytes without reading", async () => {
    const request = post("a=1");
    request.headers.set("content-length", "999999");
    await assert.rejects(readFormParams(request, { maxBytes: 100 }), InvalidRequest);
  });

  for (const body of ["a=%ff", "a=%c3%28", "a=%C3", "a=%e2%82", "a=%ed%a0%80", "a=%c0%af", "%ff=1", "a=ok&b=x%80y"]) {
    test(`refuses invalid percent-encoded UTF-8 ${body} with invalid_request`, async () => {
      await assert.rejects(readFormParams(post(body)), /valid UTF-8/);
    });
  }

  for (const body of ["client_id=%00", "nonce=a%00b", "%00=1"]) {
    test(`refuses a NUL character ${body} with invalid_request (PostgreSQL text cannot hold one)`, async () => {
      await assert.rejects(readFormParams(post(body)), /without NUL characters/);
    });
  }

  test("refuses a raw NUL byte and a NUL in the query", async () => {
    await assert.rejects(readFormParams(post(new Uint8Array([0x61, 0x3d, 0x00]))), InvalidRequest);
    assert.throws(() => readQueryParams(new Request("http://localhost/oauth/authorize?client_id=%00")), InvalidRequest);
  });

  test("refuses raw bytes that are not UTF-8", async () => {
    await assert.rejects(readFormParams(post(new Uint8Array([0x61, 0x3d, 0xff]))), InvalidRequest);
  });

  test("keeps a leading byte order mark in a value rather than stripping it", async () => {
    assert.equal(single(await readFormParams(post("a=%EF%BB%BFx")), "a"), "\uFEFFx");
  });
});

describe("readQueryParams", () => {
  test("keeps every occurrence from the URL query", () => {
    const request = new Request(
      "http://localhost/oauth/authorize?scope=openid+profile&state=a%26b&state=c&redirect_uri=https%3A%2F%2Fapp%2Fcb",
    );
    assert.deepEqual(entries(readQueryParams(request)), [
      ["scope", ["openid profile"]],
      ["state", ["a&b", "c"]],
      ["redirect_uri", ["https://app/cb"]],
    ]);
  });

  test("decodes non-ASCII characters the URL parser encoded", () => {
    assert.equal(single(readQueryParams(new Request("http://localhost/?login_hint=josé")), "login_hint"), "josé");
  });

  test("refuses invalid percent-encoded UTF-8", () => {
    assert.throws(() => readQueryParams(new Request("http://localhost/?state=%ff")), InvalidRequest);
  });

  test("reads no query as no parameters", () => {
    assert.equal(readQueryParams(new Request("http://localhost/oauth/authorize")).size, 0);
  });
});

describe("single", () => {
  const params: RawParams = new Map([
    ["one", ["x"]],
    ["empty", [""]],
    ["twice", ["x", "y"]],
    ["twiceSame", ["x", "x"]],
    ["twiceOneEmpty", ["", "x"]],
  ]);
  const cases: [name: string, expected: string | undefined | RegExp][] = [
    ["one", "x"],
    ["absent", undefined],
    // RFC 6749 §3.1: a parameter without a value is treated as omitted.
    ["empty", undefined],
    // RFC 6749 §3.1: parameters MUST NOT be included more than once.
    ["twice", /^twice must not be repeated$/],
    ["twiceSame", /twiceSame must not be repeated/],
    ["twiceOneEmpty", /twiceOneEmpty must not be repeated/],
  ];
  for (const [name, expected] of cases) {
    test(`${name} → ${String(expected)}`, () => {
      if (expected instanceof RegExp) {
        assert.throws(
          () => single(params, name),
          (error: unknown) => {
            assert.ok(error instanceof InvalidRequest);
            assert.equal(error.error, "invalid_request");
            assert.match(error.description, expected);
            return true;
          },
        );
      } else {
        assert.equal(single(params, name), expected);
      }
    });
  }
});

describe("rejectDuplicates", () => {
  const params: RawParams = new Map([
    ["grant_type", ["authorization_code"]],
    ["extra", ["1", "2"]],
    ["code", ["a", "b"]],
  ]);

  test("names the first repeated parameter in request order", () => {
    assert.throws(() => rejectDuplicates(params), { error: "invalid_request", description: "extra must not be repeated" });
  });

  test("looks only among the given names", () => {
    assert.throws(() => rejectDuplicates(params, ["grant_type", "code"]), { description: "code must not be repeated" });
    assert.doesNotThrow(() => rejectDuplicates(params, ["grant_type", "redirect_uri"]));
  });

  test("accepts parameters that each occur once", () => {
    assert.doesNotThrow(() =>
      rejectDuplicates(
        new Map([
          ["a", ["1"]],
          ["b", [""]],
        ]),
      ),
    );
  });

  test("shortens a long client-chosen name in the description", () => {
    const name = "n".repeat(500);
    assert.throws(
      () => rejectDuplicates(new Map([[name, ["1", "2"]]])),
      (error: OAuthError) => error.description.length < 100,
    );
  });
});
