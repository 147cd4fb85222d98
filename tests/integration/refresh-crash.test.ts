// A crash in the middle of refresh traffic: some rotations committed whose responses never left
// the server. Restarted within the grace period, every client retries with the last refresh token
// it received, and every grant survives with exactly one live refresh token.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { hashToken } from "../../lib/oauth/tokens/opaque.ts";
import { testDatabaseKind } from "../support/db.ts";
import {
  authorizeParams,
  basicAuth,
  newPkce,
  REDIRECT_URI,
  startWorld,
  type PortalWorld,
  type RegisteredClient,
} from "../support/oauth-http.ts";
import { startPortal, type RunningPortal } from "../support/portal.ts";

const GRANTS = 24;
const env = { PORTAL_SECRET: randomBytes(36).toString("base64url"), REFRESH_REUSE_GRACE_SECONDS: "60" };

describe(`a crash during refresh traffic costs no grant on ${testDatabaseKind()}`, () => {
  let world: PortalWorld;
  let restarted: RunningPortal | undefined;
  let app: RegisteredClient;

  before(async () => {
    world = await startWorld({ env });
    app = await world.addClient({
      tokenEndpointAuthMethod: "client_secret_basic",
      skipConsent: true,
      scopes: ["openid", "offline_access"],
    });
  });
  after(async () => {
    await restarted?.stop();
    await world?.close();
  });

  const tokenRequest = (base: string, body: Record<string, string>) =>
    fetch(`${base}/oauth/token`, {
      method: "POST",
      headers: { authorization: basicAuth(app.clientId, app.clientSecret!), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });

  async function newGrant(): Promise<string> {
    const pkce = newPkce();
    const authorize = await fetch(`${world.issuer}/oauth/authorize?${authorizeParams(app.clientId, pkce)}`, {
      headers: { cookie: world.cookie },
      redirect: "manual",
    });
    const code = new URL(authorize.headers.get("location")!).searchParams.get("code")!;
    const response = await tokenRequest(world.issuer, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    const body = (await response.json()) as { refresh_token?: string };
    assert.ok(body.refresh_token, JSON.stringify(body));
    return body.refresh_token;
  }

  /** Refresh traffic on every grant until `portal` is killed; how many responses were lost after their commit. */
  async function crashUnderLoad(portal: RunningPortal, held: string[]): Promise<number> {
    let refreshed = 0;
    let crashing = false;
    // Each client refreshes in a loop and keeps the newest token it received.
    const clients = held.map(async (_, i) => {
      while (!crashing) {
        try {
          const response = await tokenRequest(portal.url, { grant_type: "refresh_token", refresh_token: held[i]! });
          const body = (await response.json()) as { refresh_token?: string; error?: string };
          assert.ok(body.refresh_token, `before the crash: ${JSON.stringify(body)}`);
          held[i] = body.refresh_token;
          refreshed += 1;
        } catch (error) {
          if (crashing) return; // the response was lost
          throw error;
        }
      }
    });
    const deadline = Date.now() + 60_000;
    while (refreshed < GRANTS * 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(refreshed >= GRANTS * 3, `only ${refreshed} refreshes in a minute`);
    crashing = true;
    await portal.crash();
    await Promise.all(clients);
    // A rotation that committed but whose response was lost: the token the client holds is rotated.
    const rows = await world.db.refreshToken.findMany({ where: { tokenHash: { in: held.map(hashToken) } } });
    assert.equal(rows.length, GRANTS);
    return rows.filter((row) => row.rotatedAt !== null).length;
  }

  test("killed with SIGKILL under refresh load and restarted, every client's retry works and every grant lives", async (t) => {
    const held = await Promise.all(Array.from({ length: GRANTS }, newGrant));
    const grantIds = (await world.db.refreshToken.findMany({ where: { tokenHash: { in: held.map(hashToken) } } })).map(
      (row) => row.grantId,
    );
    assert.equal(new Set(grantIds).size, GRANTS);
    // The moment of the kill decides how many responses are lost after their commit: a few rounds
    // make sure some are (each round restarts the portal and retries every client).
    let lost = 0;
    let portal = world.portal;
    for (let round = 0; round < 4 && lost === 0; round++) {
      lost += await crashUnderLoad(portal, held);
      await restarted?.stop();
      restarted = portal = await startPortal({ databaseUrl: world.database.url, dataDir: world.portal.dataDir, env });
      const retries = await Promise.all(
        held.map(async (token, i) => {
          const response = await tokenRequest(portal.url, { grant_type: "refresh_token", refresh_token: token });
          const body = (await response.json()) as { refresh_token?: string; error?: string };
          if (body.refresh_token) held[i] = body.refresh_token;
          return response.status === 200 ? null : body;
        }),
      );
      assert.deepEqual(
        retries.filter((retry) => retry !== null),
        [],
        `round ${round}: ${lost} responses lost after their commit so far`,
      );
      assert.equal(await world.db.grant.count({ where: { id: { in: grantIds }, revokedAt: null } }), GRANTS);
      const live = await world.db.refreshToken.groupBy({
        by: ["grantId"],
        where: { grantId: { in: grantIds }, rotatedAt: null, revokedAt: null },
        _count: true,
      });
      assert.deepEqual(
        live.map((row) => row._count),
        Array<number>(GRANTS).fill(1),
      );
    }
    t.diagnostic(`${lost} responses lost after their commit`);
    // Otherwise this test proved nothing beyond an ordinary restart.
    assert.ok(lost > 0, "no rotation was caught between its commit and its response");
  });
});
