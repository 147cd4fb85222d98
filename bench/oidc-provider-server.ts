// panva's oidc-provider, configured like the portal, for the comparison. Run as its own process
// (bench/oidc-provider-target.ts starts it) so its CPU and memory are measured like the portal's.
// In-memory adapter; a loopback-only /__bench/ route mints codes and access tokens through the
// provider's own models, the way the portal's codes are written through its own store.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Provider, { type ClientMetadata } from "oidc-provider";
import MemoryAdapter, { type MemoryStore } from "oidc-provider/lib/adapters/memory_adapter.js";
import { s256 } from "../lib/oauth/pkce.ts";
import { REDIRECT_URI, VERIFIER } from "./target.ts";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const RESOURCE = "urn:bench:api";
const ACCOUNT_ID = "bench-user";
const tokenClient = { clientId: "bench-token", clientSecret: randomBytes(32).toString("base64url") };
const flowClient = { clientId: "bench-flow", clientSecret: randomBytes(32).toString("base64url") };

/** The provider's memory adapter on an unbounded store: its default LRU keeps only 1,000 entries,
 *  fewer than the codes and tokens a run prepares, and would silently evict them. */
class UnboundedStore implements MemoryStore {
  private readonly entries = new Map<string, { value: unknown; expiresAt: number }>();
  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) this.entries.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
  }
  set(key: string, value: unknown, options?: { maxAge?: number }): void {
    this.entries.set(key, { value, expiresAt: options?.maxAge === undefined ? Infinity : Date.now() + options.maxAge });
  }
  delete(key: string): void {
    this.entries.delete(key);
  }
}
const store = new UnboundedStore();

function signingKey(kind: "rsa" | "ec", alg: string) {
  const { privateKey } =
    kind === "rsa" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { ...privateKey.export({ format: "jwk" }), alg, use: "sig", kid: `${alg}-${randomBytes(4).toString("hex")}` };
}

const clientMetadata = (client: { clientId: string; clientSecret: string }): ClientMetadata => ({
  client_id: client.clientId,
  client_secret: client.clientSecret,
  redirect_uris: [REDIRECT_URI],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "client_secret_basic",
});

const provider = new Provider(issuer, {
  adapter: (model: string) => new MemoryAdapter(model, store),
  clients: [clientMetadata(tokenClient), clientMetadata(flowClient)],
  jwks: { keys: [signingKey("rsa", "RS256"), signingKey("ec", "ES256")] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  scopes: ["openid", "offline_access", "profile", "email"],
  claims: { openid: ["sub"], profile: ["name"], email: ["email", "email_verified"] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, name: "Bench User", email: "bench@example.com", email_verified: true }),
  }),
  // Like the portal: PKCE for every client (only S256 exists in v9), rotation on every refresh.
  pkce: { required: () => true },
  rotateRefreshToken: true,
  ttl: {
    AccessToken: 600,
    AuthorizationCode: 600,
    IdToken: 600,
    RefreshToken: 30 * 86_400,
    Grant: 30 * 86_400,
    Interaction: 900,
    Session: 30 * 86_400,
  },
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    // RFC 9068-style JWT access tokens (ES256, as the portal signs them) need a resource server.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: "api", audience: RESOURCE, accessTokenFormat: "jwt", jwt: { sign: { alg: "ES256" } } }),
    },
  },
});

async function mintCodes(count: number): Promise<string[]> {
  const client = await provider.Client.find(tokenClient.clientId);
  if (!client) throw new Error("the bench client is missing");
  const codes: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: client.clientId });
    grant.addOIDCScope("openid offline_access");
    grant.addResourceScope(RESOURCE, "api");
    const grantId = await grant.save();
    const code = new provider.AuthorizationCode({
      accountId: ACCOUNT_ID,
      client,
      grantId,
      gty: "authorization_code",
      scope: "openid offline_access api",
      resource: RESOURCE,
      redirectUri: REDIRECT_URI,
      codeChallenge: s256(VERIFIER),
      codeChallengeMethod: "S256" as const,
      authTime: Math.floor(Date.now() / 1000),
    });
    codes.push(await code.save());
  }
  return codes;
}

/** Opaque access tokens without an audience: the only kind oidc-provider's userinfo accepts. */
async function mintAccessTokens(count: number): Promise<string[]> {
  const client = await provider.Client.find(tokenClient.clientId);
  if (!client) throw new Error("the bench client is missing");
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: client.clientId });
    grant.addOIDCScope("openid");
    const grantId = await grant.save();
    tokens.push(
      await new provider.AccessToken({ accountId: ACCOUNT_ID, client, grantId, scope: "openid", gty: "authorization_code" }).save(),
    );
  }
  return tokens;
}

async function admin(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", issuer);
  const count = Math.min(Number(url.searchParams.get("n") ?? "0"), 100_000);
  let body: unknown;
  if (url.pathname === "/__bench/codes") body = await mintCodes(count);
  else if (url.pathname === "/__bench/access-tokens") body = await mintAccessTokens(count);
  else if (url.pathname === "/__bench/clients") body = { token: tokenClient, flow: flowClient };
  else body = null;
  res.writeHead(body === null ? 404 : 200, { "content-type": "application/json" }).end(JSON.stringify(body));
}

const callback = provider.callback();
createServer((req, res) => {
  if (req.url?.startsWith("/__bench/")) {
    admin(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  } else {
    callback(req, res);
  }
}).listen(port, "127.0.0.1", () => console.log(`oidc-provider listening on ${issuer}`));
