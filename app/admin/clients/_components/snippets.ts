// Copy-paste configuration for the usual relying-party libraries, filled in with this portal's
// issuer and the application's client_id, first redirect URI, scopes and authentication method.
// The secret itself never appears: each snippet reads it from the environment.
export interface SnippetInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly authMethod: string;
  readonly redirectUri: string | undefined;
  readonly scopes: readonly string[];
}

export interface Snippet {
  readonly id: string;
  readonly title: string;
  readonly language: string;
  readonly code: string;
}

const q = JSON.stringify;

function authJs({ issuer, clientId, authMethod, redirectUri, scopes }: SnippetInput): string {
  // Auth.js calls back at /api/auth/callback/<provider id>: take the id from the registered URI.
  const id = /\/api\/auth\/callback\/([\w-]+)$/.exec(redirectUri ?? "")?.[1] ?? "identity-portal";
  const client = authMethod === "client_secret_basic" ? "" : `\n      client: { token_endpoint_auth_method: ${q(authMethod)} },`;
  const secret = authMethod === "none" ? "" : `\n      clientSecret: process.env.AUTH_${id.toUpperCase().replace(/-/g, "_")}_SECRET,`;
  return `// auth.ts (Auth.js / NextAuth v5)
import NextAuth from "next-auth";

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [
    {
      id: ${q(id)},
      name: "Identity Portal",
      type: "oidc",
      issuer: ${q(issuer)},
      clientId: ${q(clientId)},${secret}${client}
      authorization: { params: { scope: ${q(scopes.join(" "))} } },
      checks: ["pkce", "state", "nonce"],
    },
  ],
});
// Registered redirect URI: ${redirectUri ?? "(none)"}
// Auth.js uses <your origin>/api/auth/callback/${id}.`;
}

function openidClient({ issuer, clientId, authMethod, redirectUri, scopes }: SnippetInput): string {
  const auth =
    authMethod === "none"
      ? "client.None()"
      : `client.${authMethod === "client_secret_post" ? "ClientSecretPost" : "ClientSecretBasic"}(process.env.OIDC_CLIENT_SECRET)`;
  return `// openid-client v6
import * as client from "openid-client";

const config = await client.discovery(
  new URL(${q(issuer)}),
  ${q(clientId)},
  undefined,
  ${auth},
);

// Every client uses PKCE (S256) with this portal.
const codeVerifier = client.randomPKCECodeVerifier();
const authorizationUrl = client.buildAuthorizationUrl(config, {
  redirect_uri: ${q(redirectUri ?? "")},
  scope: ${q(scopes.join(" "))},
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256",
});
// …then, on the callback:
// const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: codeVerifier });`;
}

function spring({ issuer, clientId, authMethod, redirectUri, scopes }: SnippetInput): string {
  const secret = authMethod === "none" ? "" : "\n            client-secret: ${IDENTITY_PORTAL_CLIENT_SECRET}";
  return `# application.yml (Spring Security OAuth 2.0 Client)
spring:
  security:
    oauth2:
      client:
        registration:
          identity-portal:
            client-id: ${clientId}${secret}
            client-authentication-method: ${authMethod}
            authorization-grant-type: authorization_code
            redirect-uri: "${redirectUri ?? "{baseUrl}/login/oauth2/code/{registrationId}"}"
            scope: ${scopes.join(",")}
        provider:
          identity-portal:
            issuer-uri: ${issuer}
# This portal requires PKCE for every client: for a confidential one, add
# OAuth2AuthorizationRequestCustomizers.withPkce() to your authorization request resolver.`;
}

export function configSnippets(input: SnippetInput): Snippet[] {
  return [
    { id: "authjs", title: "Auth.js (NextAuth)", language: "TypeScript", code: authJs(input) },
    { id: "openid-client", title: "openid-client (Node.js)", language: "JavaScript", code: openidClient(input) },
    { id: "spring", title: "Spring Security", language: "YAML", code: spring(input) },
  ];
}
