import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OAuthError } from "../../lib/oauth/errors.ts";
import { validateClientMetadata, type ClientMetadataInput } from "../../lib/oauth/registration/client-metadata.ts";

const base: ClientMetadataInput = { name: "App", redirectUris: ["https://app.example.com/cb"] };

describe("client metadata", () => {
  test("fills defaults", () => {
    assert.deepEqual(validateClientMetadata(base), {
      name: "App",
      applicationType: "web",
      tokenEndpointAuthMethod: "client_secret_basic",
      redirectUris: ["https://app.example.com/cb"],
      postLogoutRedirectUris: [],
      scopes: ["openid", "profile", "email", "offline_access"],
      grantTypes: ["authorization_code", "refresh_token"],
    });
  });

  const accepted: ReadonlyArray<readonly [string, ClientMetadataInput]> = [
    ["http on 127.0.0.1", { ...base, redirectUris: ["http://127.0.0.1:8080/cb"] }],
    ["http on localhost", { ...base, redirectUris: ["http://localhost:3000/api/auth/callback/portal"] }],
    ["http on [::1]", { ...base, redirectUris: ["http://[::1]/cb"] }],
    ["a private-use scheme for a native app", { ...base, applicationType: "native", redirectUris: ["com.example.app:/oauth2redirect"] }],
    ["a redirect URI with a query", { ...base, redirectUris: ["https://app.example.com/cb?tenant=a"] }],
  ];
  for (const [name, input] of accepted) {
    test(`accepts ${name}`, () => assert.doesNotThrow(() => validateClientMetadata(input)));
  }

  const refused: ReadonlyArray<readonly [string, ClientMetadataInput, string]> = [
    ["no redirect URI", { ...base, redirectUris: [] }, "invalid_redirect_uri"],
    ["a relative redirect URI", { ...base, redirectUris: ["/cb"] }, "invalid_redirect_uri"],
    ["a fragment", { ...base, redirectUris: ["https://app.example.com/cb#x"] }, "invalid_redirect_uri"],
    ["plain http on a public host", { ...base, redirectUris: ["http://app.example.com/cb"] }, "invalid_redirect_uri"],
    ["a wildcard", { ...base, redirectUris: ["https://*.example.com/cb"] }, "invalid_redirect_uri"],
    ["a javascript: URI", { ...base, redirectUris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
    ["a private-use scheme for a web app", { ...base, redirectUris: ["com.example.app:/cb"] }, "invalid_redirect_uri"],
    ["credentials in the URI", { ...base, redirectUris: ["https://u:p@app.example.com/cb"] }, "invalid_redirect_uri"],
    ["a bad post-logout URI", { ...base, postLogoutRedirectUris: ["http://evil.example.com/"] }, "invalid_redirect_uri"],
    ["an empty name", { ...base, name: " " }, "invalid_client_metadata"],
    ["an unknown auth method", { ...base, tokenEndpointAuthMethod: "private_key_jwt" }, "invalid_client_metadata"],
    ["an unknown application type", { ...base, applicationType: "desktop" }, "invalid_client_metadata"],
    ["an unsupported scope", { ...base, scope: "openid admin" }, "invalid_client_metadata"],
    ["the implicit grant", { ...base, grantTypes: ["authorization_code", "implicit"] }, "invalid_client_metadata"],
    ["no authorization_code grant", { ...base, grantTypes: ["refresh_token"] }, "invalid_client_metadata"],
    // Read differently by different URL parsers: the host is app.example to one, evil.example to another.
    ["a backslash in a redirect URI", { ...base, redirectUris: ["https://app.example\\@evil.example/cb"] }, "invalid_redirect_uri"],
    ["a backslash in a post-logout URI", { ...base, postLogoutRedirectUris: ["https://app.example.com\\bye"] }, "invalid_redirect_uri"],
    ["a control character in a redirect URI", { ...base, redirectUris: ["https://app.example.com/cb\u0007"] }, "invalid_redirect_uri"],
    ["a bidi override in a redirect URI", { ...base, redirectUris: ["https://app.example.com/\u202Ebc"] }, "invalid_redirect_uri"],
    ["a bidi override in the name", { ...base, name: "Bank \u202Eknab" }, "invalid_client_metadata"],
    ["an isolate in the name", { ...base, name: "Shop\u2066x\u2069" }, "invalid_client_metadata"],
    ["a control character in the name", { ...base, name: "Shop\u0000" }, "invalid_client_metadata"],
    ["a backslash in the name", { ...base, name: "Console\\Shop" }, "invalid_client_metadata"],
  ];
  for (const [name, input, code] of refused) {
    test(`refuses ${name} with ${code}`, () => {
      assert.throws(
        () => validateClientMetadata(input),
        (error: unknown) => error instanceof OAuthError && error.error === code,
      );
    });
  }
});
