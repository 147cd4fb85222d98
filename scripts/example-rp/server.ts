// A tiny app that signs in through the portal with oauth4webapi, configured only from the
// discovery document: `npm run example:rp`, then open http://localhost:3001.
// On first run it registers itself through dynamic client registration (RFC 7591), using an
// initial access token it creates with the portal's admin library, and keeps the client in
// $DATA_DIR/example-rp-client.json. Set EXAMPLE_CLIENT_ID and EXAMPLE_CLIENT_SECRET to use a
// client made with `npm run admin -- create-client` instead.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import * as oauth from "oauth4webapi";
import { loadEnvFiles } from "../../lib/env-files.ts";
import { parseEnv } from "../../lib/env.ts";
import { registeredClient } from "./register.ts";
import { page, escapeHtml } from "./page.ts";

loadEnvFiles();
const portal = parseEnv(process.env);
const port = Number(process.env.EXAMPLE_PORT ?? 3001);
const appUrl = `http://localhost:${port}`;
const redirectUri = `${appUrl}/callback`;
const insecure = { [oauth.allowInsecureRequests]: portal.issuer.startsWith("http:") };

const issuer = new URL(portal.issuer);
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oidc" }));
const credentials = await registeredClient(as, portal, { redirectUri, postLogoutRedirectUri: `${appUrl}/`, insecure });
const client: oauth.Client = { client_id: credentials.clientId };
const clientAuth = oauth.ClientSecretBasic(credentials.clientSecret);

/** Pending sign-ins by state, and signed-in visitors by cookie: memory is enough for a demo. */
const pending = new Map<string, { verifier: string; nonce: string }>();
const visitors = new Map<string, { idToken: string; claims: oauth.IDToken; userinfo: oauth.UserInfoResponse }>();

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", appUrl);
  const visitor = visitors.get(/(?:^|;\s*)rp=([\w-]+)/.exec(request.headers.cookie ?? "")?.[1] ?? "");

  if (url.pathname === "/login") {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    pending.set(state, { verifier, nonce });
    const authorize = new URL(as.authorization_endpoint!);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: "openid profile email",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    }).toString();
    return redirect(response, authorize.href);
  }

  if (url.pathname === "/callback") {
    const state = url.searchParams.get("state") ?? "";
    const saved = pending.get(state);
    pending.delete(state);
    if (!saved)
      return send(response, 400, page("Unknown sign-in", "<p>This sign-in was not started here. <a href='/'>Start again</a>.</p>"));
    const params = oauth.validateAuthResponse(as, client, url, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, saved.verifier, insecure),
      { expectedNonce: saved.nonce, requireIdToken: true },
    );
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      claims.sub,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    const id = randomBytes(16).toString("base64url");
    visitors.set(id, { idToken: tokens.id_token!, claims, userinfo });
    response.setHeader("Set-Cookie", `rp=${id}; HttpOnly; SameSite=Lax; Path=/`);
    return redirect(response, `${appUrl}/`);
  }

  if (url.pathname === "/logout" && visitor) {
    const end = new URL(as.end_session_endpoint!);
    end.search = new URLSearchParams({ id_token_hint: visitor.idToken, post_logout_redirect_uri: `${appUrl}/`, state: "bye" }).toString();
    response.setHeader("Set-Cookie", "rp=; Max-Age=0; Path=/");
    return redirect(response, end.href);
  }

  if (url.pathname !== "/") return send(response, 404, page("Not found", "<p><a href='/'>Home</a></p>"));
  if (!visitor) {
    return send(
      response,
      200,
      page("Example app", `<p>This app knows nobody yet.</p><p><a class="button" href="/login">Sign in with the Identity Portal</a></p>`),
    );
  }
  return send(
    response,
    200,
    page(
      `Hello, ${escapeHtml(String(visitor.claims.name ?? visitor.claims.email ?? visitor.claims.sub))}`,
      `<h2>ID token claims</h2><pre>${escapeHtml(JSON.stringify(visitor.claims, null, 2))}</pre>
       <h2>UserInfo response</h2><pre>${escapeHtml(JSON.stringify(visitor.userinfo, null, 2))}</pre>
       <p><a class="button" href="/logout">Sign out</a></p>`,
    ),
  );
}

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { Location: location }).end();
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }).end(html);
}

createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    send(response, 500, page("Sign-in failed", `<p>${escapeHtml(message)}</p><p><a href="/">Start again</a></p>`));
  });
}).listen(port, "localhost", () => {
  console.log(`Example app: ${appUrl} (signs in through ${portal.issuer}, client ${client.client_id})`);
});
