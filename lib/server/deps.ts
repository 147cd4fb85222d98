// Wiring of the protocol core for this server process: configuration, database, clock, randomness.
import { authorizeStore } from "../db/authorize-store.ts";
import { getDb } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { tokenStore } from "../db/token-store.ts";
import { getKeyring, getKeyringCache } from "../keys/server-keyring.ts";
import { tokenStatusStore } from "../db/token-status-store.ts";
import type { TokenStatusDeps } from "../oauth/token-status/ports.ts";
import type { TokenDeps } from "../oauth/token/handle-token.ts";
import type { AuthorizeDeps } from "../oauth/authorize/handle-authorize.ts";
import { randomToken } from "../oauth/tokens/opaque.ts";
import type { OAuthConfig, Runtime } from "../oauth/types.ts";
import type { SessionPolicy } from "../auth/sessions.ts";

export const runtime: Runtime = { now: () => new Date(), randomToken };

let oauthConfig: OAuthConfig | undefined;

export function getOAuthConfig(): OAuthConfig {
  if (!oauthConfig) {
    const config = getConfig();
    oauthConfig = {
      issuer: config.issuer,
      codeTtlSeconds: config.codeTtlSeconds,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      idTokenTtlSeconds: config.idTokenTtlSeconds,
      refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
      interactionTtlSeconds: config.interactionTtlSeconds,
    };
  }
  return oauthConfig;
}

export function getSessionPolicy(): SessionPolicy {
  const config = getConfig();
  return { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
}

let authorizeDeps: AuthorizeDeps | undefined;

export function getAuthorizeDeps(): AuthorizeDeps {
  authorizeDeps ??= { config: getOAuthConfig(), runtime, store: authorizeStore(getDb()) };
  return authorizeDeps;
}

let tokenDeps: TokenDeps | undefined;

export function getTokenDeps(): TokenDeps {
  tokenDeps ??= { config: getOAuthConfig(), runtime, store: tokenStore(getDb()), signingKeys: getKeyring };
  return tokenDeps;
}

let tokenStatusDeps: TokenStatusDeps | undefined;

function getTokenStatusDeps(): TokenStatusDeps {
  tokenStatusDeps ??= { config: getOAuthConfig(), runtime, store: tokenStatusStore(getDb()), verificationKeys: getKeyringCache() };
  return tokenStatusDeps;
}

/** RFC 7009: the revocation endpoint's dependencies. */
export function getRevocationDeps(): TokenStatusDeps {
  return getTokenStatusDeps();
}

/** RFC 7662: the introspection endpoint's dependencies. */
export function getIntrospectionDeps(): TokenStatusDeps {
  return getTokenStatusDeps();
}
