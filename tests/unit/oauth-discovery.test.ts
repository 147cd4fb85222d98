import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildServerMetadata, serverMetadataJson } from "../../lib/oauth/discovery/build-metadata.ts";
import { ENDPOINT_PATHS } from "../../lib/oauth/endpoints.ts";
import { AUTH_METHODS, SUPPORTED_GRANT_TYPES, SUPPORTED_SCOPES } from "../../lib/oauth/registration/client-metadata.ts";

const ISSUER = "https://id.example.com";

describe("server metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2)", () => {
  const metadata = buildServerMetadata(ISSUER);

  test("has every field docs/protocol.md and the standards ask for, and the required Discovery fields", () => {
    const required = [
      "issuer",
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "jwks_uri",
      "revocation_endpoint",
      "introspection_endpoint",
      "end_session_endpoint",
      "registration_endpoint",
      "response_types_supported",
      "grant_types_supported",
      "code_challenge_methods_supported",
      "token_endpoint_auth_methods_supported",
      "scopes_supported",
      "claims_supported",
      "subject_types_supported",
      "id_token_signing_alg_values_supported",
      "authorization_response_iss_parameter_supported",
    ];
    for (const field of required) assert.ok(field in metadata, `${field} missing`);
  });

  test("issuer is the configured one byte for byte", () => {
    assert.equal(metadata.issuer, ISSUER);
    const odd = "http://localhost:3000/tenant-a";
    assert.equal(buildServerMetadata(odd).issuer, odd);
  });

  const endpoints = [
    ["authorization_endpoint", "authorization"],
    ["token_endpoint", "token"],
    ["userinfo_endpoint", "userinfo"],
    ["jwks_uri", "jwks"],
    ["revocation_endpoint", "revocation"],
    ["introspection_endpoint", "introspection"],
    ["end_session_endpoint", "endSession"],
    ["registration_endpoint", "registration"],
  ] as const;
  for (const issuer of [ISSUER, "http://localhost:3000", "https://example.org/id"]) {
    test(`every endpoint is ${issuer} + its ENDPOINT_PATHS entry, absolute`, () => {
      const document = buildServerMetadata(issuer);
      for (const [field, name] of endpoints) {
        assert.equal(document[field], issuer + ENDPOINT_PATHS[name], field);
        const url = new URL(document[field]);
        assert.ok(url.protocol === "https:" || url.protocol === "http:", `${field} is absolute`);
        assert.equal(url.hash, "");
        assert.equal(url.search, "");
      }
    });
  }

  test("advertises only the code flow with S256 PKCE and the query response mode", () => {
    assert.deepEqual(metadata.response_types_supported, ["code"]);
    assert.deepEqual(metadata.response_modes_supported, ["query"]);
    assert.deepEqual(metadata.code_challenge_methods_supported, ["S256"]);
    // Before deepEqual, which narrows the field's type to the expected one.
    assert.ok(!metadata.grant_types_supported.includes("implicit"));
    assert.deepEqual(metadata.grant_types_supported, [...SUPPORTED_GRANT_TYPES]);
  });

  test("client authentication methods match what the endpoints accept", () => {
    assert.deepEqual(metadata.token_endpoint_auth_methods_supported, [...AUTH_METHODS]);
    assert.deepEqual(metadata.revocation_endpoint_auth_methods_supported, [...AUTH_METHODS]);
    assert.deepEqual(metadata.introspection_endpoint_auth_methods_supported, ["client_secret_basic", "client_secret_post"]);
  });

  test("scopes, claims, subjects and ID token algorithms (RS256 first and mandatory)", () => {
    assert.deepEqual(metadata.scopes_supported, [...SUPPORTED_SCOPES]);
    assert.ok(metadata.scopes_supported.includes("openid"));
    for (const claim of [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "at_hash",
      "sid",
      "name",
      "updated_at",
      "email",
      "email_verified",
      "amr",
      "acr",
    ]) {
      assert.ok(metadata.claims_supported.includes(claim), claim);
    }
    assert.equal(new Set(metadata.claims_supported).size, metadata.claims_supported.length, "no duplicate claims");
    assert.deepEqual(metadata.subject_types_supported, ["public"]);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ["RS256", "ES256", "EdDSA"]);
    assert.deepEqual(metadata.prompt_values_supported, ["none", "login", "consent", "select_account"]);
  });

  test("states the features we lack as false instead of leaving Discovery's defaults", () => {
    // Discovery §3: request_uri_parameter_supported defaults to true, so it must be stated.
    assert.equal(metadata.request_uri_parameter_supported, false);
    assert.equal(metadata.request_parameter_supported, false);
    // Read for id_token.acr (step-up); other requested claims follow the scopes (Core §5.5.1).
    assert.equal(metadata.claims_parameter_supported, true);
    assert.deepEqual(metadata.acr_values_supported, ["urn:portal:acr:sfa", "urn:portal:acr:mfa"]);
    assert.equal(metadata.frontchannel_logout_supported, false);
    assert.equal(metadata.backchannel_logout_supported, false);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.ok(!("userinfo_signing_alg_values_supported" in metadata), "userinfo answers plain JSON");
  });

  test("serverMetadataJson serializes once per issuer, equal to the built document", () => {
    const json = serverMetadataJson(ISSUER);
    assert.deepEqual(JSON.parse(json), metadata);
    assert.equal(serverMetadataJson(ISSUER), json);
    assert.equal(JSON.parse(serverMetadataJson("http://localhost:3000")).issuer, "http://localhost:3000");
  });
});
