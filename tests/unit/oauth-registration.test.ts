import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OAuthError } from "../../lib/oauth/errors.ts";
import { parseJsonObject, registrationClientUri } from "../../lib/oauth/registration/handle-registration.ts";
import {
  buildClientInformation,
  parseRegistrationMetadata,
  type RegistrationMetadata,
} from "../../lib/oauth/registration/registration-metadata.ts";
import type { Client, OAuthConfig } from "../../lib/oauth/types.ts";

const REDIRECT = "https://app.example.com/cb";
const base = { client_name: "App", redirect_uris: [REDIRECT] };

const defaults: RegistrationMetadata = {
  name: "App",
  applicationType: "web",
  tokenEndpointAuthMethod: "client_secret_basic",
  redirectUris: [REDIRECT],
  postLogoutRedirectUris: [],
  scopes: ["openid", "profile", "email", "offline_access"],
  grantTypes: ["authorization_code"],
  logoUri: null,
  clientUri: null,
  policyUri: null,
  tosUri: null,
  idTokenSignedResponseAlg: "RS256",
};

function refusesWith(work: () => unknown, code: string): void {
  assert.throws(work, (error: unknown) => error instanceof OAuthError && error.error === code && error.status === 400);
}

describe("RFC 7591 §2 metadata → the validated client metadata", () => {
  const mapped: ReadonlyArray<readonly [string, Record<string, unknown>, Partial<RegistrationMetadata>]> = [
    ["the minimum gets RFC 7591 defaults (client_secret_basic, authorization_code only)", base, {}],
    [
      "every supported member",
      {
        ...base,
        client_name: "  Shop  ",
        application_type: "web",
        token_endpoint_auth_method: "client_secret_post",
        post_logout_redirect_uris: ["https://app.example.com/bye"],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope: "openid email",
        logo_uri: "https://app.example.com/logo.png",
        client_uri: "https://app.example.com/",
        policy_uri: "https://app.example.com/privacy",
        tos_uri: "https://app.example.com/terms",
        id_token_signed_response_alg: "ES256",
      },
      {
        name: "Shop",
        tokenEndpointAuthMethod: "client_secret_post",
        postLogoutRedirectUris: ["https://app.example.com/bye"],
        grantTypes: ["authorization_code", "refresh_token"],
        scopes: ["openid", "email"],
        logoUri: "https://app.example.com/logo.png",
        clientUri: "https://app.example.com/",
        policyUri: "https://app.example.com/privacy",
        tosUri: "https://app.example.com/terms",
        idTokenSignedResponseAlg: "ES256",
      },
    ],
    [
      "a native public client with a private-use scheme and a loopback redirect",
      {
        ...base,
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: ["com.example.app:/cb", "http://127.0.0.1/cb"],
      },
      { applicationType: "native", tokenEndpointAuthMethod: "none", redirectUris: ["com.example.app:/cb", "http://127.0.0.1/cb"] },
    ],
    ["EdDSA ID tokens", { ...base, id_token_signed_response_alg: "EdDSA" }, { idTokenSignedResponseAlg: "EdDSA" }],
    ["null members count as absent (RFC 7592 §2.2)", { ...base, scope: null, logo_uri: null, grant_types: null, response_types: null }, {}],
    [
      "unknown and unstored members are ignored (RFC 7591 §2)",
      {
        ...base,
        contacts: ["ops@example.com"],
        jwks_uri: "https://app.example.com/jwks",
        software_id: "x",
        "client_name#ja": "アプリ",
        skip_consent: true,
      },
      {},
    ],
    ["duplicate redirect URIs collapse", { ...base, redirect_uris: [REDIRECT, REDIRECT] }, {}],
  ];
  for (const [name, body, expected] of mapped) {
    test(`maps ${name}`, () => assert.deepEqual(parseRegistrationMetadata(body), { ...defaults, ...expected }));
  }

  const refused: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["no redirect_uris", { client_name: "App" }, "invalid_redirect_uri"],
    ["redirect_uris that is a string", { ...base, redirect_uris: REDIRECT }, "invalid_redirect_uri"],
    ["redirect_uris with a non-string", { ...base, redirect_uris: [REDIRECT, 7] }, "invalid_redirect_uri"],
    ["a relative redirect URI", { ...base, redirect_uris: ["/cb"] }, "invalid_redirect_uri"],
    ["a redirect URI with a fragment", { ...base, redirect_uris: ["https://app.example.com/cb#x"] }, "invalid_redirect_uri"],
    ["an http redirect URI on a public host", { ...base, redirect_uris: ["http://app.example.com/cb"] }, "invalid_redirect_uri"],
    ["a private-use scheme for a web client", { ...base, redirect_uris: ["com.example.app:/cb"] }, "invalid_redirect_uri"],
    ["a wildcard redirect URI", { ...base, redirect_uris: ["https://*.example.com/cb"] }, "invalid_redirect_uri"],
    ["a bad post-logout redirect URI", { ...base, post_logout_redirect_uris: ["http://app.example.com/bye"] }, "invalid_redirect_uri"],
    ["no client_name", { redirect_uris: [REDIRECT] }, "invalid_client_metadata"],
    ["a client_name that is not a string", { ...base, client_name: 42 }, "invalid_client_metadata"],
    ["an unknown token_endpoint_auth_method", { ...base, token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["an unknown application_type", { ...base, application_type: "desktop" }, "invalid_client_metadata"],
    ["the implicit grant", { ...base, grant_types: ["authorization_code", "implicit"] }, "invalid_client_metadata"],
    ["grant_types without authorization_code", { ...base, grant_types: ["refresh_token"] }, "invalid_client_metadata"],
    ["grant_types that is a string", { ...base, grant_types: "authorization_code" }, "invalid_client_metadata"],
    ["response_types token", { ...base, response_types: ["token"] }, "invalid_client_metadata"],
    ["response_types code id_token", { ...base, response_types: ["code id_token"] }, "invalid_client_metadata"],
    ["response_types code and token", { ...base, response_types: ["code", "token"] }, "invalid_client_metadata"],
    ["empty response_types", { ...base, response_types: [] }, "invalid_client_metadata"],
    ["an unsupported scope", { ...base, scope: "openid admin" }, "invalid_client_metadata"],
    ["a scope that is not a string", { ...base, scope: ["openid"] }, "invalid_client_metadata"],
    ["an http logo_uri", { ...base, logo_uri: "http://app.example.com/logo.png" }, "invalid_client_metadata"],
    ["a relative logo_uri", { ...base, logo_uri: "/logo.png" }, "invalid_client_metadata"],
    ["a javascript: client_uri", { ...base, client_uri: "javascript:alert(1)" }, "invalid_client_metadata"],
    ["a data: policy_uri", { ...base, policy_uri: "data:text/html,hi" }, "invalid_client_metadata"],
    ["a tos_uri with credentials", { ...base, tos_uri: "https://u:p@app.example.com/tos" }, "invalid_client_metadata"],
    ["id_token_signed_response_alg none", { ...base, id_token_signed_response_alg: "none" }, "invalid_client_metadata"],
    ["id_token_signed_response_alg HS256", { ...base, id_token_signed_response_alg: "HS256" }, "invalid_client_metadata"],
  ];
  for (const [name, body, code] of refused) {
    test(`refuses ${name} with ${code}`, () => refusesWith(() => parseRegistrationMetadata(body), code));
  }
});

describe("RFC 7591 §3 request body", () => {
  test("accepts application/json with parameters, in any case", () => {
    assert.deepEqual(parseJsonObject("Application/JSON; charset=utf-8", '{"a":1}'), { a: 1 });
  });
  const malformed: ReadonlyArray<readonly [string, string | null, string]> = [
    ["no content type", null, "{}"],
    ["a form body", "application/x-www-form-urlencoded", "client_name=App"],
    ["text/plain", "text/plain", "{}"],
    ["invalid JSON", "application/json", "{"],
    ["a JSON array", "application/json", "[]"],
    ["JSON null", "application/json", "null"],
    ["a JSON string", "application/json", '"x"'],
    ["a body over 64 KiB", "application/json", JSON.stringify({ client_name: "x".repeat(70_000) })],
  ];
  for (const [name, contentType, body] of malformed) {
    test(`refuses ${name} with invalid_request`, () => refusesWith(() => parseJsonObject(contentType, body), "invalid_request"));
  }
});

describe("RFC 7591 §3.2.1 client information response", () => {
  const config = { issuer: "https://id.example.com" } as OAuthConfig;
  const client: Client = {
    ref: "row-1",
    clientId: "abc",
    name: "Shop",
    logoUri: "https://shop.example.com/logo.png",
    clientUri: null,
    policyUri: null,
    tosUri: null,
    type: "confidential",
    applicationType: "web",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: [],
    scopes: ["openid", "email"],
    grantTypes: ["authorization_code"],
    skipConsent: false,
    requireMfa: false,
    idTokenSignedResponseAlg: "RS256",
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    idTokenTtlSeconds: null,
    disabled: false,
    secrets: [{ hash: "00", expiresAt: null }],
  };

  test("registration_client_uri is built from the issuer (RFC 7592 §1.2)", () => {
    assert.equal(registrationClientUri(config, "a b"), "https://id.example.com/oauth/register/a%20b");
  });

  test("lists the registered metadata in snake_case, the secret only when given, and never internal fields", () => {
    const issuedAt = new Date("2030-01-01T00:00:00.500Z");
    const links = { registrationAccessToken: "rat", registrationClientUri: "https://id.example.com/oauth/register/abc" };
    const read = buildClientInformation(client, issuedAt, links);
    assert.deepEqual(read, {
      client_id: "abc",
      client_id_issued_at: 1_893_456_000,
      client_secret_expires_at: 0,
      registration_access_token: "rat",
      registration_client_uri: "https://id.example.com/oauth/register/abc",
      client_name: "Shop",
      application_type: "web",
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid email",
      id_token_signed_response_alg: "RS256",
      logo_uri: "https://shop.example.com/logo.png",
    });
    assert.equal(buildClientInformation(client, issuedAt, { ...links, clientSecret: "s3cret" }).client_secret, "s3cret");
  });

  test("a public client has no client_secret_expires_at", () => {
    const info = buildClientInformation({ ...client, type: "public", tokenEndpointAuthMethod: "none", secrets: [] }, new Date(0), {
      registrationAccessToken: "rat",
      registrationClientUri: "u",
    });
    assert.equal("client_secret_expires_at" in info, false);
    assert.equal("client_secret" in info, false);
  });
});
