import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidClient } from "../../lib/oauth/errors.ts";
import { authenticateClient, type ClientCredentials } from "../../lib/oauth/token/client-auth.ts";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import type { Client } from "../../lib/oauth/types.ts";
import { testClient } from "../support/clients.ts";

const NOW = new Date("2025-01-01T00:00:00Z");
const OLD_SECRET = "old-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const NEW_SECRET = "new-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const EXPIRED_SECRET = "expired-secret-0123456789abcdefghijklmnopqrstu";

const basicClient = testClient({
  clientId: "basic-app",
  tokenEndpointAuthMethod: "client_secret_basic",
  secrets: [
    // A rotation overlap: the old secret still valid for an hour, the new one without expiry.
    { hash: hashToken(OLD_SECRET), expiresAt: new Date(NOW.getTime() + 3_600_000) },
    { hash: hashToken(NEW_SECRET), expiresAt: null },
    { hash: hashToken(EXPIRED_SECRET), expiresAt: new Date(NOW.getTime() - 1) },
  ],
});
const postClient = testClient({
  ref: "ref-post",
  clientId: "post-app",
  tokenEndpointAuthMethod: "client_secret_post",
  secrets: [{ hash: hashToken(NEW_SECRET), expiresAt: null }],
});
const publicClient = testClient({ ref: "ref-public", clientId: "spa", type: "public", tokenEndpointAuthMethod: "none", secrets: [] });
const disabledClient = testClient({
  ref: "ref-off",
  clientId: "off-app",
  disabled: true,
  secrets: [{ hash: hashToken(NEW_SECRET), expiresAt: null }],
});

const clients = new Map<string, Client>([basicClient, postClient, publicClient, disabledClient].map((c) => [c.clientId, c]));
const find = async (clientId: string) => clients.get(clientId) ?? null;
const basic = (clientId: string, clientSecret: string): ClientCredentials => ({ method: "client_secret_basic", clientId, clientSecret });
const post = (clientId: string, clientSecret: string): ClientCredentials => ({ method: "client_secret_post", clientId, clientSecret });

describe("token endpoint client authentication (RFC 6749 §2.3)", () => {
  const accepted: ReadonlyArray<readonly [string, ClientCredentials, string]> = [
    ["the registered method with the current secret", basic("basic-app", NEW_SECRET), "basic-app"],
    ["the previous secret during the rotation overlap", basic("basic-app", OLD_SECRET), "basic-app"],
    ["client_secret_post for a client registered with it", post("post-app", NEW_SECRET), "post-app"],
    ["a public client identified by client_id alone", { method: "none", clientId: "spa" }, "spa"],
  ];
  for (const [name, credentials, clientId] of accepted) {
    test(`accepts ${name}`, async () => {
      const client = await authenticateClient(credentials, find, NOW);
      assert.equal(client.clientId, clientId);
    });
  }

  const refused: ReadonlyArray<readonly [string, ClientCredentials]> = [
    ["no client identification at all", { method: "unauthenticated" }],
    ["an unknown client", basic("nobody", NEW_SECRET)],
    ["an unknown public client", { method: "none", clientId: "nobody" }],
    ["an over-long client_id", basic("x".repeat(300), NEW_SECRET)],
    ["a wrong secret", basic("basic-app", "wrong-secret-0123456789abcdefghijklmnopqrstuvw")],
    ["an empty secret", basic("basic-app", "")],
    ["another client's secret hash as the secret", basic("basic-app", hashToken(NEW_SECRET))],
    ["an expired secret", basic("basic-app", EXPIRED_SECRET)],
    ["client_secret_post by a client registered for client_secret_basic", post("basic-app", NEW_SECRET)],
    ["client_secret_basic by a client registered for client_secret_post", basic("post-app", NEW_SECRET)],
    ["a public client sending a secret (basic)", basic("spa", NEW_SECRET)],
    ["a public client sending a secret (post)", post("spa", NEW_SECRET)],
    ["a confidential client sending no secret", { method: "none", clientId: "basic-app" }],
    ["a disabled client with the right secret", basic("off-app", NEW_SECRET)],
  ];
  for (const [name, credentials] of refused) {
    test(`refuses ${name} with a generic 401 invalid_client`, async () => {
      await assert.rejects(authenticateClient(credentials, find, NOW), (error: unknown) => {
        assert.ok(error instanceof InvalidClient);
        assert.equal(error.error, "invalid_client");
        assert.equal(error.status, 401);
        assert.equal(error.description, "client authentication failed");
        return true;
      });
    });
  }

  test("the old secret stops working once its overlap has ended", async () => {
    const later = new Date(NOW.getTime() + 3_600_000);
    await assert.rejects(authenticateClient(basic("basic-app", OLD_SECRET), find, later), InvalidClient);
    assert.equal((await authenticateClient(basic("basic-app", NEW_SECRET), find, later)).clientId, "basic-app");
  });
});
