// Where each endpoint lives, relative to the issuer. Discovery and every absolute URL the portal
// emits are built from this one table and the configured issuer, never from a request's Host.
export const ENDPOINT_PATHS = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  userinfo: "/oauth/userinfo",
  jwks: "/oauth/jwks",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  endSession: "/oauth/end-session",
  registration: "/oauth/register",
} as const;

export type EndpointName = keyof typeof ENDPOINT_PATHS;

export function endpointUrl(issuer: string, name: EndpointName): string {
  return `${issuer}${ENDPOINT_PATHS[name]}`;
}
