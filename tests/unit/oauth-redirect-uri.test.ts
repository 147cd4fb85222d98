import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { matchRedirectUri } from "../../lib/oauth/authorize/redirect-uri.ts";
import { testClient } from "../support/clients.ts";

describe("redirect URI matching (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3: exact)", () => {
  const web = testClient({ redirectUris: ["https://app.example.com/callback", "https://app.example.com/cb?tenant=a"] });
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["the registered string", "https://app.example.com/callback", true],
    ["a registered string with its own query", "https://app.example.com/cb?tenant=a", true],
    ["a prefix of it", "https://app.example.com/call", false],
    ["an extra path segment", "https://app.example.com/callback/evil", false],
    ["another port", "https://app.example.com:8443/callback", false],
    ["an added query", "https://app.example.com/callback?x=1", false],
    ["a changed query", "https://app.example.com/cb?tenant=b", false],
    ["a fragment", "https://app.example.com/callback#frag", false],
    ["other case in the host", "https://APP.example.com/callback", false],
    ["other case in the path", "https://app.example.com/Callback", false],
    ["a trailing slash", "https://app.example.com/callback/", false],
    ["http instead of https", "http://app.example.com/callback", false],
    ["a percent-encoded variant", "https://app.example.com/%63allback", false],
    ["a subdomain", "https://evil.app.example.com/callback", false],
    ["userinfo trickery", "https://app.example.com@evil.com/callback", false],
  ];
  for (const [name, uri, expected] of cases) {
    test(`${expected ? "accepts" : "refuses"} ${name}`, () => assert.equal(matchRedirectUri(web, uri), expected));
  }
});

describe("loopback redirects of native apps (RFC 8252 §7.3: any port)", () => {
  const native = testClient({
    applicationType: "native",
    redirectUris: ["http://127.0.0.1/callback", "http://[::1]:8080/cb", "com.example.app:/oauth"],
  });
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["IPv4 loopback with a port", "http://127.0.0.1:51234/callback", true],
    ["IPv4 loopback without a port", "http://127.0.0.1/callback", true],
    ["IPv6 loopback on another port", "http://[::1]:49152/cb", true],
    ["loopback with another path", "http://127.0.0.1:51234/other", false],
    ["loopback with an added query", "http://127.0.0.1:51234/callback?x=1", false],
    ["loopback on https", "https://127.0.0.1:51234/callback", false],
    ["localhost by name", "http://localhost:51234/callback", false],
    ["another loopback address", "http://127.0.0.2:51234/callback", false],
    ["IPv6 path on the IPv4 host", "http://127.0.0.1:49152/cb", false],
    ["an impossible port", "http://127.0.0.1:99999/callback", false],
    ["the private-use scheme exactly", "com.example.app:/oauth", true],
    ["the private-use scheme with another path", "com.example.app:/other", false],
  ];
  for (const [name, uri, expected] of cases) {
    test(`${expected ? "accepts" : "refuses"} ${name}`, () => assert.equal(matchRedirectUri(native, uri), expected));
  }

  test("a web client gets no port leniency on loopback", () => {
    const web = testClient({ redirectUris: ["http://127.0.0.1/callback"] });
    assert.equal(matchRedirectUri(web, "http://127.0.0.1:51234/callback"), false);
  });
});
