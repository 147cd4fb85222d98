// A real database with a user, clients of each authentication method and a signing keyring, and
// helpers that obtain real tokens through the real authorize and token handlers. The clock is
// injected: tests move it with setNow and must put it back.
import assert from "node:assert/strict";
import { authorizeStore } from "../../lib/db/authorize-store.ts";
import { createDb, type Db } from "../../lib/db/client.ts";
import { createClient } from "../../lib/db/clients.ts";
import { applyMigrations } from "../../lib/db/migrate/index.ts";
import { tokenStore } from "../../lib/db/token-store.ts";
import { createUser } from "../../lib/db/users.ts";
import { generateSigningKey } from "../../lib/keys/generate.ts";
import { handleAuthorizeRequest } from "../../lib/oauth/authorize/handle-authorize.ts";
import { OAuthError } from "../../lib/oauth/errors.ts";
import { Keyring } from "../../lib/oauth/keys/keyring.ts";
import { s256 } from "../../lib/oauth/pkce.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import type { ClientCredentials } from "../../lib/oauth/token/client-auth.ts";
import { handleTokenRequest, type TokenDeps } from "../../lib/oauth/token/handle-token.ts";
import type { TokenResponse } from "../../lib/oauth/token/wire.ts";
import { randomToken } from "../../lib/oauth/tokens/opaque.ts";
import type { Client, OAuthConfig, Runtime } from "../../lib/oauth/types.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";

export const testConfig: OAuthConfig = {
  issuer: "https://id.example.com",
  codeTtlSeconds: 60,
  accessTokenTtlSeconds: 600,
  idTokenTtlSeconds: 600,
  refreshTokenTtlSeconds: 86_400,
  refreshTokenAbsoluteTtlSeconds: 90 * 86_400,
  refreshReuseGraceSeconds: 30,
  interactionTtlSeconds: 600,
};
export const REDIRECT = "https://app.example.com/callback";
export const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

export interface TestApp {
  readonly client: Client;
  readonly credentials: ClientCredentials;
}
export type Entries = ReadonlyArray<readonly [string, string]>;

export interface OAuthFixture {
  readonly database: TestDatabase;
  readonly db: Db;
  readonly keyring: Keyring;
  readonly config: OAuthConfig;
  readonly runtime: Runtime;
  readonly tokenDeps: TokenDeps;
  readonly userId: string;
  now(): Date;
  setNow(date: Date): void;
  /** A client with a redirect URI of REDIRECT and skip-consent. */
  app(name: string, method: Client["tokenEndpointAuthMethod"], grantTypes?: string[]): Promise<TestApp>;
  /** A real code from the authorization endpoint, for the signed-in user. */
  authorize(app: TestApp, scope?: string, verifier?: string): Promise<string>;
  token(app: TestApp, entries: Entries): Promise<TokenResponse>;
  redeem(app: TestApp, code: string, extra?: Entries, verifier?: string): Promise<TokenResponse>;
  refresh(app: TestApp, refreshToken: string, extra?: Entries): Promise<TokenResponse>;
  close(): Promise<void>;
}

export async function createOAuthFixture(config: OAuthConfig = testConfig): Promise<OAuthFixture> {
  const database = await createTestDatabase();
  await applyMigrations(database.url);
  const db = createDb(database.url);
  const key = await generateSigningKey("ES256");
  const keyring = await Keyring.build([{ ...key, state: "active", activatedAt: new Date() }]);
  let clock = new Date();
  const runtime: Runtime = { now: () => clock, randomToken };
  const tokenDeps: TokenDeps = { config, runtime, store: tokenStore(db), signingKeys: async () => keyring };
  const userId = (await createUser(db, { email: "ada@example.com", passwordHash: "unused" })).id;

  const token = (app: TestApp, entries: Entries) =>
    handleTokenRequest({ body: rawParams(entries), credentials: app.credentials }, tokenDeps);

  return {
    database,
    db,
    keyring,
    config,
    runtime,
    tokenDeps,
    userId,
    now: () => clock,
    setNow: (date) => (clock = date),

    async app(name, method, grantTypes) {
      const { client, clientSecret } = await createClient(db, {
        name,
        tokenEndpointAuthMethod: method,
        redirectUris: [REDIRECT],
        skipConsent: true,
        ...(grantTypes ? { grantTypes } : {}),
      });
      const credentials: ClientCredentials = clientSecret
        ? { method: "client_secret_basic", clientId: client.clientId, clientSecret }
        : { method: "none", clientId: client.clientId };
      return { client, credentials };
    },

    async authorize(app, scope = "openid offline_access", verifier = VERIFIER) {
      const outcome = await handleAuthorizeRequest(
        rawParams([
          ["response_type", "code"],
          ["client_id", app.client.clientId],
          ["redirect_uri", REDIRECT],
          ["scope", scope],
          ["state", "s"],
          ["code_challenge", s256(verifier)],
          ["code_challenge_method", "S256"],
        ]),
        { id: "session-1", userId, authTime: clock },
        { config, runtime, store: authorizeStore(db) },
      );
      assert.equal(outcome.kind, "redirect");
      const code = outcome.kind === "redirect" ? new URL(outcome.location).searchParams.get("code") : null;
      assert.ok(code);
      return code;
    },

    token,
    redeem: (app, code, extra = [], verifier = VERIFIER) =>
      token(app, [["grant_type", "authorization_code"], ["code", code], ["redirect_uri", REDIRECT], ["code_verifier", verifier], ...extra]),
    refresh: (app, refreshToken, extra = []) => token(app, [["grant_type", "refresh_token"], ["refresh_token", refreshToken], ...extra]),

    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** Asserts that `promise` rejects with the OAuth error `code`. */
export function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  return assert.rejects(promise, (error: unknown) => error instanceof OAuthError && error.error === code);
}
