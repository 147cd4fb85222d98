// The complete authorization-code flow against the portal, as a browser without JavaScript and a
// relying party drive it: authorize → login form → consent form → callback → token. The login and
// consent pages are Next.js server-action forms; progressive enhancement renders them with hidden
// `$ACTION_*` fields, which are posted back as multipart/form-data like any HTML form.
import { randomBytes } from "node:crypto";
import { s256 } from "../lib/oauth/pkce.ts";
import { CookieJar, FlowError, expectPage, expectRedirect, formWith, submitForm, visit } from "../tests/support/browserless.ts";
import { basicAuth, REDIRECT_URI, type ClientCredentials, type Flow, type FlowUser } from "./target.ts";

export function portalFlow(issuer: string, client: ClientCredentials, user: FlowUser): Flow {
  return async (browser) => {
    const jar = new CookieJar(browser);
    const verifier = randomBytes(32).toString("base64url");
    const state = randomBytes(8).toString("hex");
    const authorize = new URL("/oauth/authorize", issuer);
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

    const loginUrl = await expectRedirect(await visit(jar, authorize.toString()), "authorize");
    if (loginUrl.pathname !== "/login") throw new FlowError(`authorize: expected the login page, got ${loginUrl.pathname}`);
    const loginPage = await expectPage(await visit(jar, loginUrl.toString()), "login page");
    const afterLogin = await submitForm(
      jar,
      loginUrl.toString(),
      loginPage,
      [
        ["email", user.email],
        ["password", user.password],
      ],
      issuer,
      "login post",
    );
    const consentUrl = await expectRedirect(afterLogin, "login post");
    if (consentUrl.pathname !== "/consent") throw new FlowError(`login post: expected the consent page, got ${consentUrl.pathname}`);
    const consentPage = await expectPage(await visit(jar, consentUrl.toString()), "consent page");
    // The Allow button is a named submit button: its name and value are part of the submission.
    const afterConsent = await submitForm(
      jar,
      consentUrl.toString(),
      formWith(consentPage, 'name="decision"', "consent page"),
      [["decision", "allow"]],
      issuer,
      "consent post",
    );
    const callback = await expectRedirect(afterConsent, "consent post");
    const code = callback.searchParams.get("code");
    if (`${callback.origin}${callback.pathname}` !== REDIRECT_URI || !code || callback.searchParams.get("state") !== state) {
      throw new FlowError(`consent post: unexpected callback ${callback.toString().slice(0, 200)}`);
    }
    if (callback.searchParams.get("iss") !== issuer) throw new FlowError("callback: missing or wrong iss (RFC 9207)");

    // The application's own call (no browser cookies), as patient with an overloaded server.
    const token = await visit(new CookieJar(browser), new URL("/oauth/token", issuer).toString(), {
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
