// Wiring of the protocol core for this server process: configuration, database, clock, randomness.
import { authorizeStore } from "../db/authorize-store.ts";
import { getDb } from "../db/index.ts";
import { getConfig } from "../env.ts";
import { tokenStore } from "../db/token-store.ts";
import { getKeyring, getKeyringCache } from "../keys/server-keyring.ts";
import { tokenStatusStore } from "../db/token-status-store.ts";
import type { RegistrationDeps } from "../oauth/registration/ports.ts";
import { userClaimsStore } from "../db/user-claims-store.ts";
import { createIdTokenIssuer } from "../oauth/tokens/id-token.ts";
import type { UserInfoDeps } from "../oauth/userinfo/handle-userinfo.ts";
import type { TokenStatusDeps } from "../oauth/token-status/ports.ts";
import type { TokenDeps } from "../oauth/token/handle-token.ts";
import type { AuthorizeDeps } from "../oauth/authorize/handle-authorize.ts";
import { randomToken } from "../oauth/tokens/opaque.ts";
import type { OAuthConfig, Runtime } from "../oauth/types.ts";
import type { SessionPolicy } from "../auth/sessions.ts";
import { createSecurityEventSink } from "../services/security-events.ts";
import { auditedRegistrationStore } from "../services/registration-store.ts";
import type { EventSink } from "../oauth/events.ts";

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
      refreshTokenAbsoluteTtlSeconds: config.refreshTokenAbsoluteTtlSeconds,
      refreshReuseGraceSeconds: config.refreshReuseGraceSeconds,
      interactionTtlSeconds: config.interactionTtlSeconds,
    };
  }
  return oauthConfig;
}

export function getSessionPolicy(): SessionPolicy {
  const config = getConfig();
  return { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
}

let events: EventSink | undefined;

/** The protocol core's decisions go to the audit log (lib/services/security-events.ts). */
export function getEventSink(): EventSink {
  events ??= createSecurityEventSink(getDb());
  return events;
}

let authorizeDeps: AuthorizeDeps | undefined;

export function getAuthorizeDeps(): AuthorizeDeps {
  authorizeDeps ??= { config: getOAuthConfig(), runtime, store: authorizeStore(getDb()), events: getEventSink() };
  return authorizeDeps;
}

let tokenDeps: TokenDeps | undefined;

export function getTokenDeps(): TokenDeps {
  tokenDeps ??= {
    config: getOAuthConfig(),
    runtime,
    store: tokenStore(getDb()),
    signingKeys: getKeyring,
    idTokens: createIdTokenIssuer({ config: getOAuthConfig(), signingKeys: getKeyring, users: userClaimsStore(getDb()) }),
    events: getEventSink(),
  };
  return tokenDeps;
}

let tokenStatusDeps: TokenStatusDeps | undefined;

function getTokenStatusDeps(): TokenStatusDeps {
  tokenStatusDeps ??= {
    config: getOAuthConfig(),
    runtime,
    store: tokenStatusStore(getDb()),
    verificationKeys: getKeyringCache(),
    events: getEventSink(),
  };
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

let userInfoDeps: UserInfoDeps | undefined;

/** OpenID Connect Core §5.3: the userinfo endpoint's dependencies. */
export function getUserInfoDeps(): UserInfoDeps {
  userInfoDeps ??= {
    config: getOAuthConfig(),
    runtime,
    verificationKeys: getKeyringCache(),
    tokens: tokenStatusStore(getDb()),
    users: userClaimsStore(getDb()),
  };
  return userInfoDeps;
}

let registrationDeps: RegistrationDeps | undefined;

/** RFC 7591 / RFC 7592: the registration and client configuration endpoints' dependencies (audited). */
export function getRegistrationDeps(): RegistrationDeps {
  registrationDeps ??= { config: getOAuthConfig(), runtime, store: auditedRegistrationStore(getDb()) };
  return registrationDeps;
}
