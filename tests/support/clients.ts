import type { Client } from "../../lib/oauth/types.ts";

/** A client record for rule tests of the core (no database involved). */
export function testClient(overrides: Partial<Client> = {}): Client {
  return {
    ref: "ref-1",
    clientId: "client-1",
    name: "Test App",
    logoUri: null,
    clientUri: null,
    policyUri: null,
    tosUri: null,
    type: "confidential",
    applicationType: "web",
    tokenEndpointAuthMethod: "client_secret_basic",
    redirectUris: ["https://app.example.com/callback"],
    postLogoutRedirectUris: [],
    scopes: ["openid", "profile", "email", "offline_access"],
    grantTypes: ["authorization_code", "refresh_token"],
    skipConsent: false,
    requireMfa: false,
    idTokenSignedResponseAlg: "RS256",
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    idTokenTtlSeconds: null,
    disabled: false,
    secrets: [],
    ...overrides,
  };
}
