import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { importJWK, SignJWT } from "jose";
import { generateSigningKey, type GeneratedKey } from "../../lib/keys/generate.ts";
import { Keyring } from "../../lib/oauth/keys/keyring.ts";
import { confirmEndSession, handleEndSession, type EndSessionDeps } from "../../lib/oauth/logout/handle-end-session.ts";
import type { BrowserSession } from "../../lib/oauth/ports.ts";
import { rawParams } from "../../lib/oauth/raw-params.ts";
import { testClient } from "../support/clients.ts";

const ISSUER = "https://id.example.com";
const client = testClient({ postLogoutRedirectUris: ["https://app.example.com/bye", "https://app.example.com/bye?x=1"] });
const session: BrowserSession = { id: "sid-1", userId: "user-1", authTime: new Date() };

let key: GeneratedKey;
let foreign: GeneratedKey;
let deps: EndSessionDeps;

before(async () => {
  [key, foreign] = await Promise.all([generateSigningKey("RS256"), generateSigningKey("RS256")]);
  const keyring = await Keyring.build([
    { kid: key.kid, alg: "RS256", state: "active", activatedAt: new Date(), publicJwk: key.publicJwk, privateJwk: key.privateJwk },
  ]);
  deps = {
    issuer: ISSUER,
    keys: async () => keyring,
    findClient: async (id) => (id === client.clientId ? client : null),
  };
});

async function idToken(
  claims: Record<string, unknown>,
  options: { signer?: GeneratedKey; typ?: string; expired?: boolean } = {},
): Promise<string> {
  const signer = options.signer ?? key;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: "user-1", aud: client.clientId, iss: ISSUER, sid: "sid-1", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: signer.kid, typ: options.typ ?? "JWT" })
    .setIssuedAt(options.expired ? now - 7200 : now)
    .setExpirationTime(options.expired ? now - 3600 : now + 600)
    .sign(await importJWK(signer.privateJwk, "RS256"));
}

const params = (entries: Record<string, string>) => rawParams(Object.entries(entries));

describe("RP-initiated logout", () => {
  test("a valid hint for the signed-in user ends the session and returns to the registered URI with state", async () => {
    const outcome = await handleEndSession(
      params({ id_token_hint: await idToken({}), post_logout_redirect_uri: "https://app.example.com/bye", state: "s 1" }),
      session,
      deps,
    );
    assert.deepEqual(outcome, { kind: "end_session", redirect: "https://app.example.com/bye?state=s+1" });
  });

  test("an expired hint still identifies the user and the client", async () => {
    const outcome = await handleEndSession(
      params({ id_token_hint: await idToken({}, { expired: true }), post_logout_redirect_uri: "https://app.example.com/bye?x=1" }),
      session,
      deps,
    );
    assert.deepEqual(outcome, { kind: "end_session", redirect: "https://app.example.com/bye?x=1" });
  });

  test("an unregistered post-logout URI is never followed", async () => {
    const outcome = await handleEndSession(
      params({ id_token_hint: await idToken({}), post_logout_redirect_uri: "https://evil.example.com/", state: "s" }),
      session,
      deps,
    );
    assert.deepEqual(outcome, { kind: "end_session" });
  });

  const suspicious: ReadonlyArray<readonly [string, () => Promise<Record<string, string>>]> = [
    ["no hint", async () => ({ client_id: client.clientId })],
    ["a garbage hint", async () => ({ id_token_hint: "not.a.jwt" })],
    ["a hint signed by a foreign key", async () => ({ id_token_hint: await idToken({}, { signer: foreign }) })],
    ["a hint from another issuer", async () => ({ id_token_hint: await idToken({ iss: "https://other.example.com" }) })],
    ["an access token as hint", async () => ({ id_token_hint: await idToken({}, { typ: "at+jwt" }) })],
    ["a hint for another user", async () => ({ id_token_hint: await idToken({ sub: "user-2" }) })],
  ];
  for (const [name, build] of suspicious) {
    test(`${name} asks the signed-in user to confirm instead of signing out silently`, async () => {
      const outcome = await handleEndSession(params(await build()), session, deps);
      assert.equal(outcome.kind, "confirm");
    });
  }

  test("confirmation keeps only what is registered", async () => {
    const outcome = await handleEndSession(
      params({ client_id: client.clientId, post_logout_redirect_uri: "https://app.example.com/bye", state: "abc" }),
      session,
      deps,
    );
    assert.deepEqual(outcome, {
      kind: "confirm",
      request: { clientId: client.clientId, clientName: client.name, postLogoutRedirectUri: "https://app.example.com/bye", state: "abc" },
    });
    const tampered = await confirmEndSession(
      { clientId: client.clientId, postLogoutRedirectUri: "https://evil.example.com/", state: "abc" },
      deps,
    );
    assert.deepEqual(tampered, { kind: "end_session" });
    const confirmed = await confirmEndSession(
      { clientId: client.clientId, postLogoutRedirectUri: "https://app.example.com/bye", state: "abc" },
      deps,
    );
    assert.deepEqual(confirmed, { kind: "end_session", redirect: "https://app.example.com/bye?state=abc" });
  });

  test("a hint for one client and a client_id of another is an error page", async () => {
    const outcome = await handleEndSession(params({ id_token_hint: await idToken({}), client_id: "someone-else" }), session, deps);
    assert.equal(outcome.kind, "error_page");
  });

  test("without a session there is nothing to confirm: a registered return is followed", async () => {
    const outcome = await handleEndSession(
      params({ client_id: client.clientId, post_logout_redirect_uri: "https://app.example.com/bye" }),
      null,
      deps,
    );
    assert.deepEqual(outcome, { kind: "end_session", redirect: "https://app.example.com/bye" });
  });

  test("repeated parameters are an error page", async () => {
    const outcome = await handleEndSession(
      rawParams([
        ["state", "a"],
        ["state", "b"],
      ]),
      session,
      deps,
    );
    assert.equal(outcome.kind, "error_page");
  });
});
