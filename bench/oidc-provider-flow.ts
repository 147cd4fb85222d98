// The complete authorization-code flow against oidc-provider's development interactions (plain
// HTML forms, no password check): authorize → login → consent → callback → token.
import { randomBytes } from "node:crypto";
import { s256 } from "../lib/oauth/pkce.ts";
import { CookieJar, FlowError, expectPage, submitForm, visit } from "../tests/support/browserless.ts";
import { basicAuth, REDIRECT_URI, type ClientCredentials, type Flow } from "./target.ts";

const MAX_STEPS = 12;

export function oidcProviderFlow(issuer: string, client: ClientCredentials): Flow {
  return async (browser) => {
    const jar = new CookieJar(browser);
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(8).toString("hex");
    const authorize = new URL("/auth", issuer);
    for (const [name, value] of [
      ["response_type", "code"],
      ["client_id", client.clientId],
      ["redirect_uri", REDIRECT_URI],
      ["scope", "openid offline_access"],
      ["state", state],
      ["code_challenge", s256(verifier)],
      ["code_challenge_method", "S256"],
      ["prompt", "consent"],
    ] as const)
      authorize.searchParams.set(name, value);

    let url = authorize.toString();
    let response = await visit(jar, url);
    let code: string | null = null;
    for (let step = 0; step < MAX_STEPS && code === null; step += 1) {
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, url);
        if (`${next.origin}${next.pathname}` === REDIRECT_URI) {
          if (next.searchParams.get("state") !== state) throw new FlowError("callback: state mismatch");
          code = next.searchParams.get("code");
          if (!code) throw new FlowError(`callback without a code: ${next.search.slice(0, 200)}`);
          break;
        }
        url = next.toString();
        response = await visit(jar, url);
        continue;
      }
      const page = await expectPage(response, `interaction step ${step}`);
      const values: Array<[string, string]> = page.includes('name="login"')
        ? [
            ["login", "bench-user"],
            ["password", "any"],
          ]
        : [];
      response = await submitForm(jar, url, page, values, issuer, `interaction step ${step}`);
    }
    if (!code) throw new FlowError("the flow did not reach the callback");

    // The application's own call (no browser cookies), as patient with an overloaded server.
    const token = await visit(new CookieJar(browser), new URL("/token", issuer).toString(), {
      method: "POST",
      headers: { authorization: basicAuth(client), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
    });
    const body = (await token.json()) as { access_token?: unknown; id_token?: unknown };
    if (token.status !== 200 || typeof body.access_token !== "string" || typeof body.id_token !== "string") {
      throw new FlowError(`token: ${token.status} ${JSON.stringify(body).slice(0, 200)}`);
    }
  };
}
