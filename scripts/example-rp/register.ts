// The example app's client: from the environment, from an earlier run, or registered now through
// dynamic client registration (RFC 7591) with a single-use initial access token.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as oauth from "oauth4webapi";
import { createDb } from "../../lib/db/client.ts";
import type { Config } from "../../lib/env.ts";
import { createInitialAccessToken } from "../../lib/services/initial-access-tokens.ts";

export interface ExampleClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export async function registeredClient(
  as: oauth.AuthorizationServer,
  portal: Config,
  options: { redirectUri: string; postLogoutRedirectUri: string; insecure: { [oauth.allowInsecureRequests]: boolean } },
): Promise<ExampleClient> {
  if (process.env.EXAMPLE_CLIENT_ID && process.env.EXAMPLE_CLIENT_SECRET) {
    return { clientId: process.env.EXAMPLE_CLIENT_ID, clientSecret: process.env.EXAMPLE_CLIENT_SECRET };
  }
  const file = path.resolve(portal.dataDir, "example-rp-client.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as ExampleClient & { issuer: string; redirectUri: string };
    if (saved.issuer === portal.issuer && saved.redirectUri === options.redirectUri) return saved;
  }

  const db = createDb(portal.databaseUrl);
  let initialAccessToken: string;
  try {
    // Single use, and used at once below; audited like any other.
    ({ token: initialAccessToken } = await createInitialAccessToken(
      { userId: null, via: "cli" },
      { description: "example relying party", singleUse: true, expiresInDays: 1 },
      db,
    ));
  } finally {
    await db.$disconnect();
  }
  const registered = await oauth.processDynamicClientRegistrationResponse(
    await oauth.dynamicClientRegistrationRequest(
      as,
      {
        client_name: "Example app",
        redirect_uris: [options.redirectUri],
        post_logout_redirect_uris: [options.postLogoutRedirectUri],
        token_endpoint_auth_method: "client_secret_basic",
        scope: "openid profile email",
      },
      { initialAccessToken, ...options.insecure },
    ),
  );
  const client = { clientId: registered.client_id, clientSecret: String(registered.client_secret) };
  writeFileSync(file, JSON.stringify({ ...client, issuer: portal.issuer, redirectUri: options.redirectUri }, null, 2), { mode: 0o600 });
  console.log(`Registered the example app as client ${client.clientId} (saved in ${file}).`);
  return client;
}
