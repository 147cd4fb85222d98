import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createClient, findClientById } from "../../lib/db/clients.ts";
import { createInitialAccessToken, registrationStore, type NewInitialAccessToken } from "../../lib/db/registration-store.ts";
import {
  handleClientDeleteRequest,
  handleClientReadRequest,
  handleClientUpdateRequest,
  handleRegistrationRequest,
  type ClientInformationResponse,
} from "../../lib/oauth/registration/handle-registration.ts";
import type { RegistrationDeps } from "../../lib/oauth/registration/ports.ts";
import { authenticateClient } from "../../lib/oauth/token/client-auth.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { testDatabaseKind } from "../support/db.ts";
import { createOAuthFixture, rejectsWith, type OAuthFixture } from "../support/oauth-fixtures.ts";

const REDIRECT = "https://shop.example.com/cb";
type Body = Record<string, unknown>;
const minimal: Body = { client_name: "Shop", redirect_uris: [REDIRECT] };

describe(`dynamic client registration (RFC 7591, RFC 7592) on ${testDatabaseKind()}`, () => {
  let f: OAuthFixture;
  let deps: RegistrationDeps;
  let reusable: string;

  before(async () => {
    f = await createOAuthFixture();
    deps = { config: f.config, runtime: f.runtime, store: registrationStore(f.db) };
    reusable = await iat();
  });
  after(async () => {
    await f?.close();
  });

  const iat = async (input: NewInitialAccessToken = {}) => (await createInitialAccessToken(f.db, input)).token;
  const register = (accessToken: string | undefined, body: Body = minimal, contentType: string | null = "application/json") =>
    handleRegistrationRequest({ accessToken, contentType, body: JSON.stringify(body) }, deps);
  const read = (clientId: string, accessToken: string | undefined) => handleClientReadRequest({ clientId, accessToken }, deps);
  const update = (clientId: string, accessToken: string | undefined, body: Body) =>
    handleClientUpdateRequest({ clientId, accessToken, contentType: "application/json", body: JSON.stringify(body) }, deps);
  const remove = (clientId: string, accessToken: string | undefined) => handleClientDeleteRequest({ clientId, accessToken }, deps);
  const clientCount = () => f.db.client.count();

  describe("the initial access token", () => {
    test("is required: none gives 401 invalid_token and registers nothing", async () => {
      const before = await clientCount();
      await rejectsWith(register(undefined), "invalid_token");
      await rejectsWith(register(undefined, { redirect_uris: ["/relative"] }), "invalid_token");
      assert.equal(await clientCount(), before);
    });

    test("an unknown token gives invalid_token", async () => {
      await rejectsWith(register("not-a-token-we-issued"), "invalid_token");
    });

    test("an expired token gives invalid_token", async () => {
      const token = await iat({ expiresAt: new Date(f.now().getTime() - 1000) });
      await rejectsWith(register(token), "invalid_token");
    });

    test("a token that has not expired yet works", async () => {
      const token = await iat({ expiresAt: new Date(f.now().getTime() + 60_000) });
      assert.ok((await register(token)).client_id);
    });

    test("a revoked token gives invalid_token", async () => {
      const token = await iat();
      await f.db.initialAccessToken.update({ where: { tokenHash: hashToken(token) }, data: { revokedAt: f.now() } });
      await rejectsWith(register(token), "invalid_token");
    });

    test("a single-use token registers one client, then gives invalid_token", async () => {
      const token = await iat({ singleUse: true });
      await register(token);
      await rejectsWith(register(token), "invalid_token");
      const row = await f.db.initialAccessToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
      assert.ok(row.usedAt);
    });

    test("a refused registration does not use up a single-use token", async () => {
      const token = await iat({ singleUse: true });
      await rejectsWith(register(token, { ...minimal, redirect_uris: ["http://shop.example.com/cb"] }), "invalid_redirect_uri");
      assert.ok((await register(token)).client_id);
    });

    test("two concurrent registrations with one single-use token: exactly one succeeds", async () => {
      const token = await iat({ singleUse: true });
      const before = await clientCount();
      const results = await Promise.allSettled([register(token), register(token), register(token)]);
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
      for (const result of results) {
        if (result.status === "rejected") assert.equal((result.reason as { error?: string }).error, "invalid_token");
      }
      assert.equal(await clientCount(), before + 1);
    });

    test("a reusable token registers any number of clients", async () => {
      const [a, b] = await Promise.all([register(reusable), register(reusable)]);
      assert.notEqual(a.client_id, b.client_id);
    });
  });

  describe("metadata validation, the same as for every client", () => {
    const refused: ReadonlyArray<readonly [string, Body, string]> = [
      ["a relative redirect URI", { ...minimal, redirect_uris: ["/cb"] }, "invalid_redirect_uri"],
      ["a redirect URI with a fragment", { ...minimal, redirect_uris: ["https://shop.example.com/cb#frag"] }, "invalid_redirect_uri"],
      [
        "an http redirect URI on a non-loopback host",
        { ...minimal, redirect_uris: ["http://shop.example.com/cb"] },
        "invalid_redirect_uri",
      ],
      ["a private-use scheme for a web client", { ...minimal, redirect_uris: ["com.example.shop:/cb"] }, "invalid_redirect_uri"],
      ["no redirect URI", { client_name: "Shop" }, "invalid_redirect_uri"],
      ["a backslash in a redirect URI", { ...minimal, redirect_uris: ["https://shop.example\\@evil.example/cb"] }, "invalid_redirect_uri"],
      ["a bidi override in the client name", { ...minimal, client_name: "Shop \u202Enimda" }, "invalid_client_metadata"],
      ["a backslash in the logo URI", { ...minimal, logo_uri: "https://shop.example\\@evil.example/logo.png" }, "invalid_client_metadata"],
      ["an unknown token_endpoint_auth_method", { ...minimal, token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
      ["the implicit grant", { ...minimal, grant_types: ["implicit"] }, "invalid_client_metadata"],
      ["response_types token", { ...minimal, response_types: ["token"] }, "invalid_client_metadata"],
      ["an http logo_uri", { ...minimal, logo_uri: "http://shop.example.com/logo.png" }, "invalid_client_metadata"],
      ["a malformed logo_uri", { ...minimal, logo_uri: "not a url" }, "invalid_client_metadata"],
      ["an unsupported id_token_signed_response_alg", { ...minimal, id_token_signed_response_alg: "HS256" }, "invalid_client_metadata"],
      ["an unsupported scope", { ...minimal, scope: "openid admin" }, "invalid_client_metadata"],
      ["no client_name", { redirect_uris: [REDIRECT] }, "invalid_client_metadata"],
    ];
    for (const [name, body, code] of refused) {
      test(`refuses ${name} with 400 ${code}, registering nothing`, async () => {
        const before = await clientCount();
        await assert.rejects(register(reusable, body), (error: unknown) => {
          const e = error as { error?: string; status?: number };
          return e.error === code && e.status === 400;
        });
        assert.equal(await clientCount(), before);
      });
    }

    test("a body that is not application/json is invalid_request", async () => {
      await rejectsWith(register(reusable, minimal, "application/x-www-form-urlencoded"), "invalid_request");
      await rejectsWith(
        handleRegistrationRequest({ accessToken: reusable, contentType: "application/json", body: "{" }, deps),
        "invalid_request",
      );
    });
  });

  describe("a successful registration", () => {
    const full: Body = {
      client_name: "Shop",
      redirect_uris: [REDIRECT, "http://127.0.0.1:8080/cb"],
      post_logout_redirect_uris: ["https://shop.example.com/bye"],
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      scope: "openid email offline_access",
      logo_uri: "https://shop.example.com/logo.png",
      client_uri: "https://shop.example.com/",
      policy_uri: "https://shop.example.com/privacy",
      tos_uri: "https://shop.example.com/terms",
      id_token_signed_response_alg: "ES256",
      contacts: ["ops@shop.example.com"],
      skip_consent: true,
      software_statement: "ignored",
    };

    test("returns the client information once, with the secret, and stores only hashes", async () => {
      const info = await register(reusable, full);
      assert.ok(info.client_secret && info.client_secret.length >= 43);
      assert.equal(info.client_id_issued_at, Math.floor(f.now().getTime() / 1000));
      assert.equal(info.client_secret_expires_at, 0);
      assert.equal(info.registration_client_uri, `${f.config.issuer}/oauth/register/${info.client_id}`);
      assert.ok(info.registration_access_token.length >= 43);
      const {
        client_id: _id,
        client_secret: _s,
        client_id_issued_at: _at,
        registration_access_token: _t,
        registration_client_uri: _u,
        ...metadata
      } = info;
      assert.deepEqual(metadata, {
        client_secret_expires_at: 0,
        client_name: "Shop",
        application_type: "web",
        redirect_uris: [REDIRECT, "http://127.0.0.1:8080/cb"],
        post_logout_redirect_uris: ["https://shop.example.com/bye"],
        token_endpoint_auth_method: "client_secret_post",
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        scope: "openid email offline_access",
        id_token_signed_response_alg: "ES256",
        logo_uri: "https://shop.example.com/logo.png",
        client_uri: "https://shop.example.com/",
        policy_uri: "https://shop.example.com/privacy",
        tos_uri: "https://shop.example.com/terms",
      });

      const row = await f.db.client.findUniqueOrThrow({ where: { clientId: info.client_id }, include: { secrets: true } });
      assert.equal(row.registrationSource, "dynamic");
      assert.equal(row.skipConsent, false, "dynamically registered clients never skip consent");
      assert.equal(row.registrationAccessTokenHash, hashToken(info.registration_access_token));
      assert.equal(row.secrets.length, 1);
      assert.equal(row.secrets[0]!.secretHash, hashToken(info.client_secret));
      const stored = JSON.stringify(row);
      assert.ok(!stored.includes(info.client_secret) && !stored.includes(info.registration_access_token));
    });

    test("the client can then be found by client_id with its metadata, and authenticates with its secret", async () => {
      const info = await register(reusable, full);
      const client = await findClientById(f.db, info.client_id);
      assert.ok(client);
      assert.deepEqual(
        {
          name: client.name,
          type: client.type,
          method: client.tokenEndpointAuthMethod,
          redirectUris: client.redirectUris,
          postLogout: client.postLogoutRedirectUris,
          scopes: client.scopes,
          grantTypes: client.grantTypes,
          logoUri: client.logoUri,
          clientUri: client.clientUri,
          policyUri: client.policyUri,
          tosUri: client.tosUri,
          alg: client.idTokenSignedResponseAlg,
          skipConsent: client.skipConsent,
        },
        {
          name: "Shop",
          type: "confidential",
          method: "client_secret_post",
          redirectUris: [REDIRECT, "http://127.0.0.1:8080/cb"],
          postLogout: ["https://shop.example.com/bye"],
          scopes: ["openid", "email", "offline_access"],
          grantTypes: ["authorization_code", "refresh_token"],
          logoUri: "https://shop.example.com/logo.png",
          clientUri: "https://shop.example.com/",
          policyUri: "https://shop.example.com/privacy",
          tosUri: "https://shop.example.com/terms",
          alg: "ES256",
          skipConsent: false,
        },
      );
      const find = (id: string) => findClientById(f.db, id);
      const authenticated = await authenticateClient(
        { method: "client_secret_post", clientId: info.client_id, clientSecret: info.client_secret! },
        find,
        f.now(),
      );
      assert.equal(authenticated.clientId, info.client_id);
      await rejectsWith(
        authenticateClient({ method: "client_secret_post", clientId: info.client_id, clientSecret: "wrong" }, find, f.now()),
        "invalid_client",
      );
    });

    test("a public native client gets no secret and RFC 7591 defaults", async () => {
      const info = await register(reusable, {
        client_name: "CLI",
        application_type: "native",
        token_endpoint_auth_method: "none",
        redirect_uris: ["com.example.cli:/cb"],
      });
      assert.equal("client_secret" in info, false);
      assert.equal("client_secret_expires_at" in info, false);
      assert.deepEqual(info.grant_types, ["authorization_code"]);
      const row = await f.db.client.findUniqueOrThrow({ where: { clientId: info.client_id }, include: { secrets: true } });
      assert.deepEqual({ type: row.type, secrets: row.secrets.length }, { type: "public", secrets: 0 });
    });
  });

  describe("client configuration (RFC 7592)", () => {
    let info: ClientInformationResponse;
    before(async () => {
      info = await register(reusable, { ...minimal, logo_uri: "https://shop.example.com/logo.png" });
    });

    test("GET with the registration access token reads the registration, without the secret", async () => {
      const current = await read(info.client_id, info.registration_access_token);
      const { client_secret: _secret, ...expected } = info;
      assert.deepEqual(current, expected);
    });

    test("GET is refused with invalid_token without the token, with a wrong one, or another client's", async () => {
      const other = await register(reusable);
      await rejectsWith(read(info.client_id, undefined), "invalid_token");
      await rejectsWith(read(info.client_id, "wrong"), "invalid_token");
      await rejectsWith(read(info.client_id, other.registration_access_token), "invalid_token");
      // An unknown client gets the same answer as a wrong token.
      await rejectsWith(read("no-such-client", info.registration_access_token), "invalid_token");
    });

    test("clients not registered dynamically are not reachable", async () => {
      const { client } = await createClient(f.db, { name: "Admin-made", tokenEndpointAuthMethod: "none", redirectUris: [REDIRECT] });
      await rejectsWith(read(client.clientId, info.registration_access_token), "invalid_token");
      await rejectsWith(remove(client.clientId, info.registration_access_token), "invalid_token");
      assert.ok(await findClientById(f.db, client.clientId));
    });

    test("PUT replaces the metadata as a whole and rotates the registration access token", async () => {
      const own = await register(reusable, { ...minimal, logo_uri: "https://shop.example.com/logo.png", scope: "openid" });
      const updated = await update(own.client_id, own.registration_access_token, {
        client_id: own.client_id,
        client_secret: own.client_secret,
        client_name: "Shop 2",
        redirect_uris: ["https://shop.example.com/cb2"],
        // RFC 7592 §2.2: these are ignored.
        registration_access_token: "x",
        registration_client_uri: "x",
        client_id_issued_at: 1,
        client_secret_expires_at: 1,
      });
      assert.equal(updated.client_name, "Shop 2");
      assert.deepEqual(updated.redirect_uris, ["https://shop.example.com/cb2"]);
      assert.equal("logo_uri" in updated, false, "an omitted member is deleted");
      assert.equal(updated.scope, "openid profile email offline_access");
      assert.equal("client_secret" in updated, false, "the secret is kept and not shown again");
      assert.equal(updated.client_id_issued_at, own.client_id_issued_at);
      assert.notEqual(updated.registration_access_token, own.registration_access_token);
      await rejectsWith(read(own.client_id, own.registration_access_token), "invalid_token");
      assert.equal((await read(own.client_id, updated.registration_access_token)).client_name, "Shop 2");

      const client = await findClientById(f.db, own.client_id);
      assert.deepEqual(client?.redirectUris, ["https://shop.example.com/cb2"]);
      assert.equal(client?.logoUri, null);
      assert.equal(client?.secrets[0]?.hash, hashToken(own.client_secret!), "the secret still works");
    });

    test("PUT refuses a wrong client_id or client_secret with invalid_request, and bad metadata, changing nothing", async () => {
      const own = await register(reusable);
      const token = own.registration_access_token;
      await rejectsWith(update(own.client_id, token, { ...minimal }), "invalid_request");
      await rejectsWith(update(own.client_id, token, { ...minimal, client_id: "other" }), "invalid_request");
      await rejectsWith(update(own.client_id, token, { ...minimal, client_id: own.client_id, client_secret: "wrong" }), "invalid_request");
      await rejectsWith(
        update(own.client_id, token, { ...minimal, client_id: own.client_id, redirect_uris: ["/cb"] }),
        "invalid_redirect_uri",
      );
      await rejectsWith(
        update(own.client_id, token, { ...minimal, client_id: own.client_id, response_types: ["token"] }),
        "invalid_client_metadata",
      );
      await rejectsWith(update(own.client_id, "wrong", { ...minimal, client_id: own.client_id }), "invalid_token");
      const { client_secret: _secret, ...unchanged } = own;
      assert.deepEqual(await read(own.client_id, token), unchanged);
    });

    test("PUT to a public client removes the secrets; back to confidential issues a new one", async () => {
      const own = await register(reusable);
      const asPublic = await update(own.client_id, own.registration_access_token, {
        ...minimal,
        client_id: own.client_id,
        token_endpoint_auth_method: "none",
      });
      assert.equal("client_secret" in asPublic, false);
      assert.equal((await findClientById(f.db, own.client_id))?.secrets.length, 0);
      const asConfidential = await update(own.client_id, asPublic.registration_access_token, { ...minimal, client_id: own.client_id });
      assert.ok(asConfidential.client_secret);
      assert.equal(asConfidential.client_secret_expires_at, 0);
      const client = await findClientById(f.db, own.client_id);
      assert.deepEqual(
        client?.secrets.map((secret) => secret.hash),
        [hashToken(asConfidential.client_secret)],
      );
      assert.equal(client?.type, "confidential");
    });

    test("two concurrent PUTs with one registration access token: exactly one succeeds", async () => {
      const own = await register(reusable);
      const body = { ...minimal, client_id: own.client_id };
      const results = await Promise.allSettled([
        update(own.client_id, own.registration_access_token, body),
        update(own.client_id, own.registration_access_token, body),
      ]);
      assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
    });

    test("DELETE needs the token, then removes the client with its grants and consents", async () => {
      const own = await register(reusable);
      const row = await f.db.client.findUniqueOrThrow({ where: { clientId: own.client_id } });
      const grant = await f.db.grant.create({ data: { userId: f.userId, clientRef: row.id, scope: "openid", authTime: f.now() } });
      await f.db.refreshToken.create({ data: { tokenHash: hashToken("rt"), grantId: grant.id, scope: "openid" } });
      await f.db.consent.create({ data: { userId: f.userId, clientRef: row.id, scope: "openid" } });

      await rejectsWith(remove(own.client_id, undefined), "invalid_token");
      await rejectsWith(remove(own.client_id, "wrong"), "invalid_token");
      assert.ok(await findClientById(f.db, own.client_id));

      await remove(own.client_id, own.registration_access_token);
      assert.equal(await findClientById(f.db, own.client_id), null);
      assert.equal(await f.db.grant.count({ where: { clientRef: row.id } }), 0);
      assert.equal(await f.db.refreshToken.count({ where: { grantId: grant.id } }), 0);
      assert.equal(await f.db.consent.count({ where: { clientRef: row.id } }), 0);
      await rejectsWith(read(own.client_id, own.registration_access_token), "invalid_token");
      await rejectsWith(remove(own.client_id, own.registration_access_token), "invalid_token");
    });
  });
});
